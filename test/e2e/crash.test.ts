// A worker killed with SIGKILL in the middle of a campaign: a new worker finishes it, every app
// migrated by exactly one workflow, none lost, every file intact.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../../activities/kube/cluster.js';
import { compareDigests, digestDirectory } from '../../activities/movers/hostpath-tar.js';
import { claimHostPath } from '../../activities/movers/volume-path.js';
import { buildEstate, estateLabel } from '../../cli/demo/estate.js';
import { seedEstate } from '../../cli/demo/seed.js';
import { campaignStatusQuery } from '../../workflows/campaign.js';
import { campaignWorkflowId } from '../../workflows/ids.js';
import type { CampaignInput, CampaignResult } from '../../workflows/types.js';
import { stackVar } from '../setup/stack.js';
import { removeNamespaces } from '../support/estate.js';
import { waitUntil } from '../support/wait.js';

const run = randomUUID().slice(0, 6);
const prefix = `crash${run}`;
const estate = buildEstate(prefix);
const taskQueue = `crash-${run}`;

function startWorker(): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
    env: { ...process.env, FERRY_TASK_QUEUE: taskQueue },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
}

function kill(worker: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (worker.exitCode !== null || worker.signalCode !== null) return resolve();
    worker.once('exit', () => resolve());
    process.kill(-(worker.pid as number), 'SIGKILL');
  });
}

describe('worker crash in the middle of a campaign', () => {
  let source: Cluster;
  let target: Cluster;
  let connection: Connection;
  let client: Client;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    source = Cluster.fromKubeconfig('ferry-source', stackVar('KUBECONFIG'));
    target = Cluster.fromKubeconfig('ferry-target', stackVar('KUBECONFIG'));
    await seedEstate(source, estate);
    connection = await Connection.connect({ address: stackVar('TEMPORAL_ADDRESS') });
    client = new Client({ connection, namespace: stackVar('TEMPORAL_NAMESPACE') });
  });
  afterAll(async () => {
    for (const w of workers) await kill(w);
    await connection?.close();
    if (source && target)
      await removeNamespaces(
        [source, target],
        estate.map((a) => a.namespace),
      );
    source?.close();
    target?.close();
  });

  it('completes on a new worker, each app once, data intact', async () => {
    const input: CampaignInput = {
      name: `crash-${run}`,
      source: 'ferry-source',
      target: 'ferry-target',
      storeUrl: `s3://${stackVar('FERRY_S3_BUCKET')}/${prefix}?endpoint=${stackVar('FERRY_S3_ENDPOINT')}&forcePathStyle=true`,
      selection: { includeNamespaces: ['*'], excludeNamespaces: ['kube-*', 'default'], labelSelector: `${estateLabel}=${prefix}` },
      storageClassMap: { standard: 'standard-rwo', 'fast-ssd': 'premium-rwo' },
      namespaceMap: {},
      concurrency: 2,
    };
    const first = startWorker();
    workers.push(first);
    const handle = await client.workflow.start('campaignWorkflow', {
      taskQueue,
      workflowId: campaignWorkflowId(input.name),
      args: [input],
    });

    // kill once some apps are done and others are not: the campaign is truly in the middle
    const atKill = await waitUntil(
      'some apps completed, others still to go',
      async () => {
        const s = await handle.query(campaignStatusQuery);
        const completed = s.apps.filter((a) => a.phase === 'Completed').length;
        return completed >= 2 && completed < s.apps.length ? completed : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 50 },
    );
    await kill(first);
    expect(atKill).toBeLessThan(estate.length);

    workers.push(startWorker());
    const result: CampaignResult = await handle.result();
    expect(result.apps.filter((a) => a.status !== 'Succeeded')).toEqual([]);
    // inventory may split a namespace into several apps (a Helm release, an Argo CD app and the rest): every namespace is covered
    expect([...new Set(result.apps.map((a) => a.id.split('/')[0]))].sort()).toEqual(estate.map((a) => a.namespace).sort());

    // exactly one app workflow per app: none run twice, none lost
    const perApp = new Map<string, number>();
    for await (const wf of client.workflow.list({ query: `FerryCampaign = "${input.name}" AND WorkflowType = "appMigrationWorkflow"` })) {
      const app = String(wf.searchAttributes.FerryApp?.[0]);
      perApp.set(app, (perApp.get(app) ?? 0) + 1);
    }
    expect([...perApp.keys()].sort()).toEqual(result.apps.map((a) => a.id).sort());
    expect([...perApp.values()].every((n) => n === 1)).toBe(true);

    for (const app of estate) {
      for (const claim of Object.keys(app.data)) {
        const before = await digestDirectory(await claimHostPath(source, app.namespace, claim));
        const after = await digestDirectory(await claimHostPath(target, app.namespace, claim));
        expect(compareDigests(before, after), `${app.namespace}/${claim}`).toEqual([]);
      }
    }
  });
});
