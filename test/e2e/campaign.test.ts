// A whole campaign on the real stack: 13 apps of 4 teams move from ferry-source to ferry-target
// through Temporal, with their data, namespace and storage-class maps applied.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../../activities/kube/cluster.js';
import { digestDirectory } from '../../activities/movers/hostpath-tar.js';
import { claimHostPath } from '../../activities/movers/volume-path.js';
import { buildEstate, estateLabel } from '../../cli/demo/estate.js';
import { seedEstate } from '../../cli/demo/seed.js';
import { workerDeps } from '../../workers/deps.js';
import { createFerryWorker } from '../../workers/worker.js';
import { campaignWorkflowId } from '../../workflows/ids.js';
import type { CampaignInput, CampaignResult } from '../../workflows/types.js';
import { stackVar } from '../setup/stack.js';
import { removeNamespaces } from '../support/estate.js';
import { waitUntil } from '../support/wait.js';

const run = randomUUID().slice(0, 6);
const prefix = `e2e${run}`;
const estate = buildEstate(prefix);
const reportsNs = `${prefix}-legacy-reports`;
const movedReportsNs = `${prefix}-reports`;
// Apps as the inventory groups them: a namespace by default; Argo CD, Flux and Helm marks split their objects into
// an app of their own, and what no tool tracks stays in the app named after the namespace.
const ns = (n: string) => `${prefix}-${n}`;
const expectedApps = [
  ...[
    'shop-web',
    'shop-api',
    'shop-db',
    'search-web',
    'search-crawler',
    'identity-auth',
    'identity-ldap',
    'platform-docs',
    'platform-cache',
    'legacy-reports',
  ].map((n) => `${ns(n)}/${ns(n)}`),
  `${ns('shop-api')}/shop-api`,
  `${ns('identity-auth')}/identity-auth`,
  `${ns('identity-admin')}/identity-admin`,
  `${ns('search-index')}/index`,
  `${ns('platform-metrics')}/metrics`,
].sort();

describe('campaign end to end', () => {
  let source: Cluster;
  let target: Cluster;
  let connection: Connection;
  let client: Client;
  const taskQueue = `e2e-${run}`;
  let input: CampaignInput;

  beforeAll(async () => {
    source = Cluster.fromKubeconfig('ferry-source', stackVar('KUBECONFIG'));
    target = Cluster.fromKubeconfig('ferry-target', stackVar('KUBECONFIG'));
    await seedEstate(source, estate);
    connection = await Connection.connect({ address: stackVar('TEMPORAL_ADDRESS') });
    client = new Client({ connection, namespace: stackVar('TEMPORAL_NAMESPACE') });
    input = {
      name: `e2e-${run}`,
      source: 'ferry-source',
      target: 'ferry-target',
      storeUrl: `s3://${stackVar('FERRY_S3_BUCKET')}/${prefix}?endpoint=${stackVar('FERRY_S3_ENDPOINT')}&forcePathStyle=true`,
      selection: { includeNamespaces: ['*'], excludeNamespaces: ['kube-*', 'default'], labelSelector: `${estateLabel}=${prefix}` },
      storageClassMap: { standard: 'standard-rwo', 'fast-ssd': 'premium-rwo' },
      namespaceMap: { [reportsNs]: movedReportsNs },
      concurrency: 4,
    };
  });
  afterAll(async () => {
    await connection?.close();
    if (source && target) await removeNamespaces([source, target], [...estate.map((a) => a.namespace), movedReportsNs]);
    source?.close();
    target?.close();
  });

  it('migrates every app with its data, maps applied, visible by search attributes', async () => {
    const { worker, connection: nc } = await createFerryWorker({
      address: stackVar('TEMPORAL_ADDRESS'),
      namespace: stackVar('TEMPORAL_NAMESPACE'),
      taskQueue,
      deps: { ...workerDeps(process.env), readyTimeoutMs: 120_000 },
    });
    let result: CampaignResult;
    try {
      result = await worker.runUntil(
        client.workflow.execute('campaignWorkflow', { taskQueue, workflowId: campaignWorkflowId(input.name), args: [input] }),
      );
    } finally {
      await nc.close();
    }
    const failed = result.apps.filter((a) => a.status !== 'Succeeded');
    expect(failed).toEqual([]);
    expect(result.apps.map((a) => a.id)).toEqual(expectedApps);
    expect(result.teams.map((t) => t.team)).toEqual(['identity', 'payments', 'platform', 'search']);

    // objects on the target, with the namespace map applied
    for (const app of estate) {
      const ns = app.namespace === reportsNs ? movedReportsNs : app.namespace;
      for (const obj of app.objects) {
        const live = await target.get({
          apiVersion: obj.apiVersion,
          kind: obj.kind,
          name: obj.kind === 'Namespace' ? ns : obj.metadata.name,
          namespace: obj.kind === 'Namespace' ? undefined : ns,
        });
        expect(live, `${obj.kind} ${ns}/${obj.metadata.name}`).toBeDefined();
      }
    }
    expect(await target.get({ apiVersion: 'v1', kind: 'Namespace', name: reportsNs })).toBeUndefined();

    // storage classes remapped, data byte for byte
    const classes: Record<string, string> = {};
    for (const app of estate) {
      const ns = app.namespace === reportsNs ? movedReportsNs : app.namespace;
      for (const claim of Object.keys(app.data)) {
        const pvc = (await target.get({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: ns, name: claim })) as unknown as {
          spec: { storageClassName: string };
        };
        classes[`${app.namespace}/${claim}`] = pvc.spec.storageClassName;
        const before = await digestDirectory(await claimHostPath(source, app.namespace, claim));
        const after = await digestDirectory(await claimHostPath(target, ns, claim));
        expect(after, `${ns}/${claim}`).toEqual(before);
        expect(before.length).toBe(Object.keys(app.data[claim]).length);
      }
    }
    expect(classes).toEqual({
      [`${prefix}-shop-db/data-db-0`]: 'standard-rwo',
      [`${prefix}-search-index/index-data`]: 'premium-rwo',
      [`${prefix}-identity-ldap/ldap-data`]: 'premium-rwo',
      [reportsNs + '/reports-archive']: 'standard-rwo',
    });

    // workflows are found by campaign, with their final phase
    const found = await waitUntil('campaign workflows in visibility', async () => {
      const rows: { id: string; phase: unknown }[] = [];
      for await (const wf of client.workflow.list({ query: `FerryCampaign = "${input.name}"` })) {
        rows.push({ id: wf.workflowId, phase: wf.searchAttributes.FerryPhase?.[0] });
      }
      return rows.length === expectedApps.length + 1 && rows.every((r) => r.phase === 'Completed') ? rows : undefined;
    });
    expect(found.map((r) => r.id)).toContain(campaignWorkflowId(input.name));
  });
});
