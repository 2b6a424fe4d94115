// Restores through the restore workflow on the real servers: a manifests-only restore (objects, no data),
// the existing-object policies against an object someone else put on the target (skip, fail, update),
// and the stored restore report: every object with its action and the transforms that changed it,
// printed by `ferry restore`, readable with `ferry restore report`, left alone by prune.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pruneBackups } from '../../activities/backup/prune-activity.js';
import { createActivities } from '../../activities/index.js';
import { Cluster } from '../../activities/kube/cluster.js';
import type { KubeObject } from '../../activities/kube/object.js';
import { digestDirectory } from '../../activities/movers/file-tree.js';
import { claimHostPath } from '../../activities/movers/volume-path.js';
import { noProgress } from '../../activities/progress.js';
import { completeBackups } from '../../activities/restore/backup-catalog.js';
import { readRestoreReport } from '../../activities/restore/restore-report.js';
import { restoreIdOf, restoreReportKey } from '../../activities/stores/layout.js';
import { openStore } from '../../activities/stores/open-store.js';
import { canonicalStoreUrl } from '../../activities/stores/store-url.js';
import type { EstateApp } from '../../cli/demo/estate.js';
import { seedEstate } from '../../cli/demo/seed.js';
import { main } from '../../cli/main.js';
import { connectClient } from '../../cli/temporal.js';
import { workerDeps } from '../../workers/deps.js';
import type { RestoreWorkflowInput, restoreWorkflow } from '../../workflows/restore.js';
import { restoreWorkflowId } from '../../workflows/restore.js';
import { type AppResult, defaultRestoreSettings, type RestoreSettings } from '../../workflows/types.js';
import { stackVar } from '../setup/stack.js';
import { removeNamespaces } from '../support/estate.js';
import { captureIo } from '../support/io.js';
import { waitUntil } from '../support/wait.js';
import { startTestWorker } from '../support/worker.js';

const run = randomUUID().slice(0, 6);
const ns = `pol-${run}`;
const campaign = `pol-${run}`;
const backupId = `b-${run}`;
const taskQueue = `policies-${run}`;
const password = `pw-${run}-do-not-leak`;
const target = 'ferry-target';

const app: EstateApp = {
  namespace: ns,
  team: 'payments',
  mechanism: 'manual',
  objects: [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: ns }, data: { mode: 'backed-up' } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db-credentials', namespace: ns }, type: 'Opaque', stringData: { password } },
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data', namespace: ns },
      spec: { storageClassName: 'standard', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'app', namespace: ns, labels: { app: 'app' } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'app' } },
        template: {
          metadata: { labels: { app: 'app' } },
          spec: {
            containers: [
              { name: 'app', image: 'registry.internal.example/app:1.0.0', volumeMounts: [{ name: 'data', mountPath: '/data' }] },
            ],
            volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'app', namespace: ns },
      spec: { selector: { app: 'app' }, ports: [{ port: 80, targetPort: 8080 }] },
    },
  ],
  data: { data: { 'orders.db': Buffer.alloc(64 * 1024, 7), 'wal/000001.log': Buffer.from(`log of ${run}\n`) } },
};

/** What a restore into `to` applies: the app's objects, and the default ServiceAccount the source's control plane made. */
const restoredNames = (to: string) =>
  [
    ...app.objects.map((o) => (o.kind === 'Namespace' ? `Namespace /${to}` : `${o.kind} ${to}/${o.metadata.name}`)),
    `ServiceAccount ${to}/default`,
  ].sort();
const restoredCount = app.objects.length + 1;

/** Every payload of a workflow's history, decoded: what history really carries. */
function payloadText(node: unknown, out: string[] = []): string[] {
  if (node instanceof Uint8Array) out.push(Buffer.from(node).toString('utf8'));
  else if (Array.isArray(node)) for (const x of node) payloadText(x, out);
  else if (typeof node === 'object' && node !== null) for (const x of Object.values(node)) payloadText(x, out);
  return out;
}

describe('restore modes, existing-object policies and the restore report', () => {
  let source: Cluster;
  let cluster: Cluster;
  let client: Client;
  let closeClient: () => Promise<void>;
  let stop: () => Promise<void>;
  const storeUrl = `s3://${stackVar('FERRY_S3_BUCKET')}/pol${run}?endpoint=${stackVar('FERRY_S3_ENDPOINT')}&forcePathStyle=true`;
  const ref = { campaign, namespace: ns, app: ns, backupId };

  const inputFor = (to: string, settings: Partial<RestoreSettings>): RestoreWorkflowInput => ({
    storeUrl,
    campaign,
    namespace: ns,
    app: ns,
    backupId,
    target,
    namespaceMap: { [ns]: to },
    storageClassMap: { standard: 'standard-rwo' },
    restore: { ...defaultRestoreSettings, ...settings },
  });

  /** One restore workflow run to the end; each case has a workflow id of its own. */
  const restore = (to: string, settings: Partial<RestoreSettings>, label: string): Promise<AppResult> => {
    const input = inputFor(to, settings);
    return client.workflow.execute<typeof restoreWorkflow>('restoreWorkflow', {
      taskQueue,
      workflowId: `${restoreWorkflowId(input)}/${label}`,
      args: [input],
    });
  };

  const configMap = async (namespace: string) =>
    (await cluster.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'settings' })) as
      | (KubeObject & { data?: Record<string, string> })
      | undefined;

  beforeAll(async () => {
    source = Cluster.fromKubeconfig('ferry-source', stackVar('KUBECONFIG'));
    cluster = Cluster.fromKubeconfig(target, stackVar('KUBECONFIG'));
    await seedEstate(source, [app]);
    const acts = createActivities({ ...workerDeps(process.env), progress: () => noProgress, readyTimeoutMs: 120_000 });
    const backupRef = { ...ref, appId: `${ns}/${ns}`, storeUrl };
    const manifests = await acts.backupManifests({ ...backupRef, source: 'ferry-source' });
    const volumes = await acts.backupVolumes({ ...backupRef, source: 'ferry-source', claims: ['data'] });
    await acts.sealBackup({ ...backupRef, source: 'ferry-source', manifests, volumes });
    ({ client, close: closeClient } = await connectClient(process.env));
    stop = await startTestWorker(taskQueue);
  });
  afterAll(async () => {
    await stop?.();
    await closeClient?.();
    if (source && cluster) await removeNamespaces([source, cluster], [ns, `${ns}-mo`, `${ns}-ex`, `${ns}-rp`]);
    source?.close();
    cluster?.close();
  });

  it('manifests-only: puts every object on the target and copies no volume data', async () => {
    const to = `${ns}-mo`;
    const r = await restore(to, { mode: 'manifests-only' }, 'manifests-only');
    expect(r.status).toBe('Succeeded');
    expect([r.volumes, r.files, r.bytes]).toEqual([0, 0, 0]);
    expect(r.restore).toMatchObject({ created: restoredCount, changed: 0, unchanged: 0, skipped: 0, failed: 0 });
    const report = await readRestoreReport(openStore(storeUrl, { env: process.env }), r.restore?.reportKey as string);
    expect(report.mode).toBe('manifests-only');
    expect(report.objects.map((o) => `${o.kind} ${o.namespace ?? ''}/${o.name}`).sort()).toEqual(restoredNames(to));

    expect((await configMap(to))?.data).toEqual({ mode: 'backed-up' });
    expect(await cluster.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: to, name: 'app' })).toBeDefined();
    const claim = (await cluster.get({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: to, name: 'data' })) as
      | { spec: { storageClassName: string } }
      | undefined;
    expect(claim?.spec.storageClassName).toBe('standard-rwo');
    // the source's claim holds the files; the target's, bound to a fresh volume, holds none of them
    expect((await digestDirectory(await claimHostPath(source, ns, 'data'))).map((f) => f.path).sort()).toEqual([
      'orders.db',
      'wal/000001.log',
    ]);
    const dir = await waitUntil(`claim ${to}/data bound`, () => claimHostPath(cluster, to, 'data'));
    expect(existsSync(dir) ? await digestDirectory(dir) : []).toEqual([]);
  });

  describe('an object on the target that Ferry did not put there', () => {
    const to = `${ns}-ex`;
    let before: KubeObject & { data?: Record<string, string> };

    beforeAll(async () => {
      const theirs = (obj: KubeObject) => cluster.apply(obj, { fieldManager: 'platform-team' });
      await theirs({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: to } });
      await theirs({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: to }, data: { mode: 'theirs' } });
      before = (await configMap(to)) as KubeObject;
      expect(before.data).toEqual({ mode: 'theirs' });
      // the target's control plane adds its own default ServiceAccount, which no policy protects from Ferry
      await waitUntil(`ServiceAccount ${to}/default`, () =>
        cluster.get({ apiVersion: 'v1', kind: 'ServiceAccount', namespace: to, name: 'default' }),
      );
    });

    it('skip: leaves it untouched and counts it as skipped', async () => {
      const r = await restore(to, { existingObjects: 'skip' }, 'skip');
      expect(r.status).toBe('Succeeded');
      expect(r.restore).toMatchObject({ created: app.objects.length - 2, skipped: 2, failed: 0 });
      expect(r.restore?.unchanged).toBe(1);
      const after = await configMap(to);
      expect(after?.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
      expect(after?.data).toEqual({ mode: 'theirs' });
      const report = await readRestoreReport(openStore(storeUrl, { env: process.env }), r.restore?.reportKey as string);
      expect(
        report.objects.filter((o) => o.action === 'skipped').map((o) => `${o.kind} ${o.namespace ?? ''}/${o.name}: ${o.reason}`),
      ).toEqual([
        `Namespace /${to}: exists on the target and was not restored by Ferry (policy: skip)`,
        `ConfigMap ${to}/settings: exists on the target and was not restored by Ferry (policy: skip)`,
      ]);
    });

    it('fail: the app is PartiallyFailed, naming the object, which stays untouched', async () => {
      const r = await restore(to, { existingObjects: 'fail' }, 'fail');
      expect(r.status).toBe('PartiallyFailed');
      expect(r.restore).toMatchObject({ failed: 2, skipped: 0 });
      expect(r.problems).toContainEqual({
        object: `ConfigMap ${to}/settings`,
        reason: 'exists on the target and was not restored by Ferry (policy: fail)',
      });
      const after = await configMap(to);
      expect(after?.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
      expect(after?.data).toEqual({ mode: 'theirs' });
    });

    it('update: overwrites it with the backup', async () => {
      const r = await restore(to, { existingObjects: 'update' }, 'update');
      expect(r.status).toBe('Succeeded');
      expect(r.restore).toMatchObject({ skipped: 0, failed: 0 });
      const after = await configMap(to);
      expect(after?.data).toEqual({ mode: 'backed-up' });
      expect(after?.metadata.resourceVersion).not.toBe(before.metadata.resourceVersion);
      expect(((after?.metadata.managedFields as { manager: string }[]) ?? []).map((m) => m.manager)).toContain('ferry');
      const report = await readRestoreReport(openStore(storeUrl, { env: process.env }), r.restore?.reportKey as string);
      const entry = report.objects.find((o) => o.kind === 'ConfigMap');
      expect(entry?.action).toBe('changed');
      expect(entry?.paths).toContain('/data/mode');
    });
  });

  it('stores a report of every object and the remaps that changed it, printed by ferry restore and kept by prune', async () => {
    const to = `${ns}-rp`;
    const input = inputFor(to, {});
    const io = captureIo();
    const code = await main(
      [
        'restore',
        '--store',
        storeUrl,
        '--campaign',
        campaign,
        '--backup',
        backupId,
        '--app',
        `${ns}/${ns}`,
        '--target',
        target,
        '--task-queue',
        taskQueue,
        '--namespace-map',
        `${ns}=${to}`,
        '--storage-class-map',
        'standard=standard-rwo',
        '--wait',
      ],
      io,
      process.env,
    );
    expect(io.text()).toContain('Succeeded');
    expect(code).toBe(0);

    // the key is the run's: ferry restore prints it with the store URL
    const workflowId = restoreWorkflowId(input);
    const handle = client.workflow.getHandle(workflowId);
    const { runId } = await handle.describe();
    const key = restoreReportKey(ref, target, restoreIdOf({ workflowId, runId }));
    expect(io.text()).toContain(`report: ${canonicalStoreUrl(storeUrl)} ${key}`);
    expect(io.text()).toContain(`objects: ${restoredCount} created, 0 changed, 0 unchanged, 0 skipped, 0 failed`);

    const store = openStore(storeUrl, { env: process.env });
    const report = await readRestoreReport(store, key);
    expect(report).toMatchObject({
      workflow: { workflowId, runId, attempt: 1 },
      app: { id: `${ns}/${ns}`, campaign },
      backupId,
      source: 'ferry-source',
      target,
      mode: 'full',
      existingObjects: 'update',
      namespaceMap: { [ns]: to },
      storageClassMap: { standard: 'standard-rwo' },
      counts: { objects: restoredCount, created: restoredCount, failed: 0 },
    });
    expect(report.objects.map((o) => `${o.action} ${o.kind} ${o.namespace ?? ''}/${o.name}`).sort()).toEqual(
      restoredNames(to).map((n) => `created ${n}`),
    );
    const remap = { name: 'remap-namespace', reason: `namespace map ${ns} → ${to}` };
    const namespace = report.objects.find((o) => o.kind === 'Namespace');
    expect(namespace?.backedUpAs).toEqual({ apiVersion: 'v1', kind: 'Namespace', name: ns });
    expect(namespace?.transforms.map((t) => ({ name: t.name, reason: t.reason }))).toEqual([remap]);
    const claim = report.objects.find((o) => o.kind === 'PersistentVolumeClaim');
    expect(claim?.backedUpAs).toEqual({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: ns, name: 'data' });
    expect(claim?.transforms).toEqual([
      { ...remap, patches: [{ op: 'replace', path: '/metadata/namespace' }] },
      {
        name: 'remap-storage-class',
        reason: 'storage class standard → standard-rwo',
        patches: [{ op: 'replace', path: '/spec/storageClassName' }],
      },
    ]);
    // only the claim has a storage class to remap; every object moved namespace
    expect(report.objects.filter((o) => o.transforms.some((t) => t.name === 'remap-storage-class')).map((o) => o.kind)).toEqual([
      'PersistentVolumeClaim',
    ]);
    expect(report.objects.every((o) => o.transforms.some((t) => t.name === 'remap-namespace'))).toBe(true);

    // no Secret value in the report, nor in the workflow's history, which holds the report's key instead
    const stored = (await store.head(key)) as { size: number };
    expect(stored.size).toBeGreaterThan(0);
    expect(JSON.stringify(report)).not.toContain(password);
    expect(JSON.stringify(report)).not.toContain(Buffer.from(password).toString('base64'));
    const history = payloadText(await handle.fetchHistory()).join('\n');
    expect(history).toContain(key);
    expect(history).not.toContain(password);
    expect(history).not.toContain(Buffer.from(password).toString('base64'));

    const shown = captureIo();
    expect(await main(['restore', 'report', canonicalStoreUrl(storeUrl), key], shown, process.env)).toBe(0);
    expect(shown.text()).toMatch(
      new RegExp(
        `created +PersistentVolumeClaim ${to}/data +PersistentVolumeClaim ${ns}/data +remap-namespace \\(namespace map ${ns} → ${to}\\); remap-storage-class \\(storage class standard → standard-rwo\\)`,
      ),
    );

    // prune, a month later: the backup stays (the app's newest), and the reports are not taken for an abandoned backup
    const later = new Date(Date.now() + 30 * 86_400_000);
    const pruned = await pruneBackups(store, { policy: { keepLast: 1 }, now: () => later });
    expect(pruned).toMatchObject({ backups: 1, kept: 1, deletedCount: 0 });
    expect((await readRestoreReport(store, key)).restoreId).toBe(report.restoreId);
    expect((await completeBackups(store, ref)).map((b) => b.ref.backupId)).toEqual([backupId]);
  });
});
