// The two local control planes through @kubernetes/client-node: discovery, workloads that become
// Ready on KWOK nodes, dynamically provisioned hostPath volumes, server-side apply and pagination.

import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import {
  ApisApi,
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
  type V1ConfigMap,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../../activities/kube/cluster.js';
import { stackVar } from '../setup/stack.js';
import { waitUntil } from '../support/wait.js';

const clusters = [
  { context: 'ferry-source', classes: ['fast-ssd', 'standard'] },
  { context: 'ferry-target', classes: ['premium-rwo', 'standard-rwo'] },
];

describe.each(clusters)('cluster $context', ({ context, classes }) => {
  const kc = new KubeConfig();
  let core: CoreV1Api;
  let apps: AppsV1Api;
  let objects: KubernetesObjectApi;
  const ns = `it-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    kc.loadFromFile(stackVar('KUBECONFIG'));
    kc.setCurrentContext(context);
    core = kc.makeApiClient(CoreV1Api);
    apps = kc.makeApiClient(AppsV1Api);
    objects = KubernetesObjectApi.makeApiClient(kc);
    await core.createNamespace({ body: { metadata: { name: ns, labels: { 'ferry.dev/test': 'kubernetes' } } } });
  });
  afterAll(async () => {
    await core?.deleteNamespace({ name: ns }).catch(() => undefined);
  });

  it('serves apps/v1 through discovery', async () => {
    const groups = await kc.makeApiClient(ApisApi).getAPIVersions();
    const appsGroup = groups.groups.find((g) => g.name === 'apps');
    expect(appsGroup?.versions.map((v) => v.groupVersion)).toContain('apps/v1');
  });

  it('runs a Deployment to Available with Ready pods on simulated nodes', async () => {
    const labels = { app: 'web' };
    await apps.createNamespacedDeployment({
      namespace: ns,
      body: {
        metadata: { name: 'web' },
        spec: {
          replicas: 2,
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
        },
      },
    });
    const d = await waitUntil('deployment web Available', async () => {
      const d = await apps.readNamespacedDeployment({ name: 'web', namespace: ns });
      const available = d.status?.conditions?.find((c) => c.type === 'Available')?.status === 'True';
      return available && d.status?.readyReplicas === 2 ? d : undefined;
    });
    expect(d.status?.availableReplicas).toBe(2);
    const pods = await core.listNamespacedPod({ namespace: ns, labelSelector: 'app=web' });
    expect(pods.items).toHaveLength(2);
    for (const p of pods.items) {
      expect(p.spec?.nodeName).toMatch(/-node-\d$/);
      expect(p.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    }
  });

  it('makes a Running pod Ready again after it was marked not Ready (as when its node missed heartbeats)', async () => {
    await core.createNamespacedPod({
      namespace: ns,
      body: { metadata: { name: 'flaky' }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } },
    });
    const ready = async () => {
      const p = await core.readNamespacedPod({ name: 'flaky', namespace: ns });
      return p.status?.phase === 'Running' && p.status.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
    };
    await waitUntil('pod flaky Running and Ready', ready);
    // what the node lifecycle controller writes for a node that stopped reporting (a merge patch replaces the list)
    const cluster = Cluster.fromKubeconfig(context, stackVar('KUBECONFIG'));
    try {
      const marked = await cluster.mergePatch(
        { apiVersion: 'v1', kind: 'Pod', namespace: ns, name: 'flaky' },
        { status: { conditions: [{ type: 'Ready', status: 'False', reason: 'NodeNotReady' }] } },
        'status',
      );
      const conditions = (marked.status as { conditions?: { type: string; status: string }[] }).conditions ?? [];
      expect(conditions.find((c) => c.type === 'Ready')?.status).toBe('False');
    } finally {
      cluster.close();
    }
    await waitUntil('pod flaky Ready again', ready, { timeoutMs: 30_000 });
  });

  it.each(classes)('binds a PVC of class %s to a hostPath volume that exists on disk', async (storageClassName) => {
    const name = `data-${storageClassName}`;
    await core.createNamespacedPersistentVolumeClaim({
      namespace: ns,
      body: {
        metadata: { name },
        spec: { storageClassName, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
      },
    });
    const pvc = await waitUntil(`pvc ${name} Bound`, async () => {
      const pvc = await core.readNamespacedPersistentVolumeClaim({ name, namespace: ns });
      return pvc.status?.phase === 'Bound' ? pvc : undefined;
    });
    const pv = await core.readPersistentVolume({ name: pvc.spec?.volumeName as string });
    expect(pv.spec?.storageClassName).toBe(storageClassName);
    const path = pv.spec?.hostPath?.path as string;
    expect(path).toContain(context);
    expect(existsSync(path)).toBe(true);
  });

  it('applies server-side, with a field manager, idempotently', async () => {
    const cm = (data: Record<string, string>): KubernetesObject & V1ConfigMap => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: ns },
      data,
    });
    await objects.patch(cm({ mode: 'a' }), undefined, undefined, 'ferry-test', true, PatchStrategy.ServerSideApply);
    const first = await core.readNamespacedConfigMap({ name: 'settings', namespace: ns });
    await objects.patch(cm({ mode: 'a' }), undefined, undefined, 'ferry-test', true, PatchStrategy.ServerSideApply);
    const again = await core.readNamespacedConfigMap({ name: 'settings', namespace: ns });
    expect(again.metadata?.resourceVersion).toBe(first.metadata?.resourceVersion);
    await objects.patch(cm({ mode: 'b' }), undefined, undefined, 'ferry-test', true, PatchStrategy.ServerSideApply);
    const changed = await core.readNamespacedConfigMap({ name: 'settings', namespace: ns });
    expect(changed.data).toEqual({ mode: 'b' });
    expect(changed.metadata?.managedFields?.map((f) => f.manager)).toContain('ferry-test');
  });

  it('returns every object through a paginated list (limit + continue)', async () => {
    const names = Array.from({ length: 25 }, (_, i) => `page-${String(i).padStart(2, '0')}`);
    for (const name of names) {
      await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name, labels: { page: 'yes' } }, data: { name } } });
    }
    const seen: string[] = [];
    let pages = 0;
    let _continue: string | undefined;
    do {
      const page = await core.listNamespacedConfigMap({ namespace: ns, labelSelector: 'page=yes', limit: 10, _continue });
      pages++;
      seen.push(...page.items.map((c) => c.metadata?.name as string));
      _continue = page.metadata?._continue || undefined;
    } while (_continue);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(names);
  });

  it("keeps Ferry's connections alive, also after a DELETE the server answers before reading its body", async () => {
    const cluster = Cluster.fromKubeconfig(context, stackVar('KUBECONFIG'));
    try {
      for (let i = 0; i < 3; i++) {
        // an object already gone: answered 404 at once
        expect(await cluster.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: `gone-${i}` })).toBe(false);
        expect((await cluster.get({ apiVersion: 'v1', kind: 'Namespace', name: ns }))?.metadata.name).toBe(ns);
      }
      const namespaces = await cluster.resolve('v1', 'Namespace');
      if (!namespaces) throw new Error('no Namespace type');
      let listed = 0;
      for await (const _ of cluster.list(namespaces, { pageSize: 2 })) listed++;
      // the system namespaces and this test's: three pages at least
      expect(listed).toBeGreaterThanOrEqual(5);
      // requests one after the other share one connection (a page asked for early may open a second)
      expect(cluster.connectionsOpened).toBeGreaterThanOrEqual(1);
      expect(cluster.connectionsOpened).toBeLessThanOrEqual(2);
    } finally {
      cluster.close();
    }
  });
});
