// The CLI path a user takes: `ferry campaign start -f FILE --wait` against a directory store, then
// `ferry campaign status`; a second run of the same campaign file restores again and changes nothing.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../../activities/kube/cluster.js';
import type { KubeObject } from '../../activities/kube/object.js';
import { compareDigests, digestDirectory } from '../../activities/movers/hostpath-tar.js';
import { claimHostPath } from '../../activities/movers/volume-path.js';
import { buildEstate } from '../../cli/demo/estate.js';
import { seedEstate } from '../../cli/demo/seed.js';
import { main } from '../../cli/main.js';
import { workerDeps } from '../../workers/deps.js';
import { createFerryWorker } from '../../workers/worker.js';
import { stackVar } from '../setup/stack.js';
import { removeNamespaces } from '../support/estate.js';
import { captureIo } from '../support/io.js';

const run = randomUUID().slice(0, 6);
const prefix = `cli${run}`;
// three apps are enough here: one stateless, one StatefulSet with data, one Deployment with data
const estate = buildEstate(prefix).filter((a) => ['shop-web', 'shop-db', 'identity-ldap'].some((n) => a.namespace.endsWith(n)));

async function resourceVersions(cluster: Cluster, objects: readonly KubeObject[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const o of objects) {
    const live = await cluster.get({ apiVersion: o.apiVersion, kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name });
    out[`${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`] = String(live?.metadata.resourceVersion);
  }
  return out;
}

describe('ferry campaign start --wait with a directory store', () => {
  let source: Cluster;
  let target: Cluster;
  const storeDir = mkdtempSync(join(tmpdir(), 'ferry-store-'));
  const taskQueue = `cli-${run}`;
  const file = join(mkdtempSync(join(tmpdir(), 'ferry-cli-e2e-')), 'campaign.yaml');

  beforeAll(async () => {
    source = Cluster.fromKubeconfig('ferry-source', stackVar('KUBECONFIG'));
    target = Cluster.fromKubeconfig('ferry-target', stackVar('KUBECONFIG'));
    await seedEstate(source, estate);
    writeFileSync(
      file,
      `apiVersion: ferry.dev/v1alpha1
kind: Campaign
metadata: { name: cli-${run} }
spec:
  source: { context: ferry-source }
  target: { context: ferry-target }
  store: { url: "file://${storeDir}" }
  selection: { includeNamespaces: ["${prefix}-*"] }
  storageClassMap: { standard: standard-rwo, fast-ssd: premium-rwo }
  concurrency: 2
`,
    );
  });
  afterAll(async () => {
    if (source && target)
      await removeNamespaces(
        [source, target],
        estate.map((a) => a.namespace),
      );
    source?.close();
    target?.close();
  });

  it('migrates, reports per team, shows status, and a re-run changes nothing', async () => {
    const { worker, connection } = await createFerryWorker({
      address: stackVar('TEMPORAL_ADDRESS'),
      namespace: stackVar('TEMPORAL_NAMESPACE'),
      taskQueue,
      deps: { ...workerDeps(process.env), readyTimeoutMs: 120_000 },
    });
    try {
      await worker.runUntil(async () => {
        const io = captureIo();
        expect(await main(['campaign', 'start', '-f', file, '--wait', '--task-queue', taskQueue], io, process.env)).toBe(0);
        expect(io.text()).toContain(`started campaign/cli-${run}`);
        expect(io.text()).toMatch(/Temporal UI: http:\/\/127\.0\.0\.1:8233\/namespaces\/default\/workflows\/campaign%2Fcli-/);
        expect(io.text()).toMatch(/3\/3 apps {2}Completed/);
        expect(io.text()).toMatch(/identity +1 +1 +0/);
        expect(io.text()).toMatch(/payments +2 +2 +0/);

        const status = captureIo();
        expect(await main(['campaign', 'status', `cli-${run}`], status, process.env)).toBe(0);
        expect(status.text()).toContain('COMPLETED');

        for (const app of estate) {
          for (const claim of Object.keys(app.data)) {
            const before = await digestDirectory(await claimHostPath(source, app.namespace, claim));
            const after = await digestDirectory(await claimHostPath(target, app.namespace, claim));
            expect(compareDigests(before, after), claim).toEqual([]);
          }
        }

        // the same campaign again: every object is applied again, and none changes
        const restored = estate.flatMap((a) => a.objects);
        const before = await resourceVersions(target, restored);
        const again = captureIo();
        expect(await main(['campaign', 'start', '-f', file, '--wait', '--task-queue', taskQueue], again, process.env)).toBe(0);
        expect(await resourceVersions(target, restored)).toEqual(before);
      });
    } finally {
      await connection.close();
    }
  });
});
