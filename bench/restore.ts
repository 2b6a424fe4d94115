// `npm run bench -- restore [--apps 500] [--objects 40] [--concurrency 8]`: restores N apps' backups
// (at least 20,000 objects) onto ferry-target with Ferry's restore activities (preflight, transforms,
// policy, server-side apply), against a raw baseline measured in the same run: parallel server-side
// apply of the same final objects at the same concurrency, no orchestration. Prints both and the ratio.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { importBackups } from '../activities/backup/import-backups.js';
import { mapLimit } from '../activities/concurrency.js';
import { createActivities } from '../activities/index.js';
import { Cluster } from '../activities/kube/cluster.js';
import type { KubeObject } from '../activities/kube/object.js';
import { noProgress } from '../activities/progress.js';
import { readManifests } from '../activities/restore/backup-reader.js';
import { prepareRestore } from '../activities/restore/pipeline.js';
import { openStore } from '../activities/stores/open-store.js';
import { cliEnv } from '../cli/env.js';
import { workerDeps } from '../workers/deps.js';
import { bothSides } from './_alternate.js';

/** One app as a team would have it: config, secrets, services, accounts, RBAC, workloads scaled to zero. */
export function benchApp(ns: string, objects: number): KubeObject[] {
  const out: KubeObject[] = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'ferry.dev/bench': 'restore' } } }];
  const kinds = ['ConfigMap', 'Secret', 'Service', 'ServiceAccount', 'Deployment', 'Role', 'RoleBinding'];
  for (let i = 0; out.length <= objects; i++) {
    const kind = kinds[i % kinds.length];
    const name = `${kind.toLowerCase()}-${i}`;
    const metadata = { name, namespace: ns, labels: { app: `svc-${i % 5}`, tier: 'bench' } };
    switch (kind) {
      case 'ConfigMap':
        out.push({ apiVersion: 'v1', kind, metadata, data: { 'settings.yaml': `replicas: ${i}\nfeature: ${'x'.repeat(200)}\n` } });
        break;
      case 'Secret':
        out.push({ apiVersion: 'v1', kind, metadata, type: 'Opaque', data: { token: Buffer.from(`token-${ns}-${i}`).toString('base64') } });
        break;
      case 'Service':
        out.push({
          apiVersion: 'v1',
          kind,
          metadata,
          spec: { selector: { app: `svc-${i % 5}` }, ports: [{ port: 80, targetPort: 8080 }] },
        });
        break;
      case 'ServiceAccount':
        out.push({ apiVersion: 'v1', kind, metadata });
        break;
      case 'Deployment':
        out.push({
          apiVersion: 'apps/v1',
          kind,
          metadata,
          spec: {
            replicas: 0,
            selector: { matchLabels: { app: name } },
            template: {
              metadata: { labels: { app: name } },
              spec: { containers: [{ name: 'app', image: 'registry.internal.example/app:1.0' }] },
            },
          },
        });
        break;
      case 'Role':
        out.push({
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind,
          metadata,
          rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }],
        });
        break;
      case 'RoleBinding':
        out.push({
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind,
          metadata,
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `role-${i - 1}` },
          subjects: [{ kind: 'ServiceAccount', name: `serviceaccount-${i - 3}`, namespace: ns }],
        });
        break;
    }
  }
  return out;
}

const mib = (n: number) => (n / 2 ** 20).toFixed(0);

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      apps: { type: 'string', default: '500' },
      objects: { type: 'string', default: '40' },
      concurrency: { type: 'string', default: '8' },
    },
  });
  const apps = Number(values.apps);
  const perApp = Number(values.objects);
  const concurrency = Number(values.concurrency);
  const env = cliEnv();
  const stamp = Date.now().toString(36);
  const store = openStore(`file://${mkdtempSync(join(tmpdir(), 'ferry-bench-restore-'))}`, { env });
  const namespaces = Array.from({ length: apps }, (_, i) => `bench-${stamp}-${String(i).padStart(3, '0')}`);
  const all = namespaces.flatMap((ns) => benchApp(ns, perApp));
  process.stdout.write(`restore benchmark: ${apps} apps, ${all.length} objects, concurrency ${concurrency}\n`);
  const deps = { ...workerDeps(env), progress: () => noProgress };
  const imported = await importBackups(store, all, {
    campaign: 'bench',
    source: 'bench',
    now: new Date(),
    secrets: { keys: deps.encryption, allowPlaintext: deps.allowPlaintextSecrets },
  });
  const byNs = new Map(imported.map((a) => [a.appId.split('/')[0], a.backupId]));

  const target = Cluster.fromKubeconfig('ferry-target', env.KUBECONFIG);
  const served = new Set(await target.servedGroupVersions());
  const acts = createActivities(deps);
  const storageClassMap = {};
  const refOf = (ns: string) => ({
    campaign: 'bench',
    appId: `${ns}/${ns}`,
    namespace: ns,
    app: ns,
    storeUrl: store.url,
    backupId: byNs.get(ns) as string,
    target: 'ferry-target',
  });
  let peakRss = process.memoryUsage().rss;
  const sample = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 100);

  try {
    // Rounds alternate which side goes first, so the controllers' work left behind by one side (ReplicaSets,
    // default ServiceAccounts of new namespaces) slows both alike instead of always the second.
    const rawApply = async (ns: string) => {
      const { doc } = await readManifests(store, { ...refOf(ns) }, { keys: deps.encryption });
      const { ordered } = prepareRestore(doc.objects, { namespaceMap: { [ns]: `${ns}-raw` }, storageClassMap }, served);
      for (const o of ordered) await target.apply(o, { fieldManager: 'bench-raw', force: true });
      return ordered.length;
    };
    const ferryRestore = async (ns: string) => {
      const input = {
        ...refOf(ns),
        namespaceMap: { [ns]: `${ns}-ferry` },
        storageClassMap,
        mode: 'full' as const,
        existingObjects: 'update' as const,
        existingNamespaces: 'fail' as const,
      };
      await acts.preflightRestore(input);
      const r = await acts.restoreManifests(input);
      if (r.failed > 0) throw new Error(`${ns}: ${r.failed} objects failed: ${JSON.stringify(r.problems.slice(0, 3))}`);
      return r.created + r.changed + r.unchanged;
    };
    let rawSeconds = 0;
    let ferrySeconds = 0;
    let rawObjects = 0;
    let ferryObjects = 0;
    const roundSize = concurrency * 5;
    for (let start = 0, round = 0; start < namespaces.length; start += roundSize, round++) {
      const batch = namespaces.slice(start, start + roundSize);
      const timeRaw = async () => {
        const t0 = performance.now();
        rawObjects += (await mapLimit(batch, concurrency, rawApply)).reduce((a, b) => a + b, 0);
        rawSeconds += (performance.now() - t0) / 1000;
      };
      const timeFerry = async () => {
        const t0 = performance.now();
        ferryObjects += (await mapLimit(batch, concurrency, ferryRestore)).reduce((a, b) => a + b, 0);
        ferrySeconds += (performance.now() - t0) / 1000;
      };
      await bothSides(round, timeRaw, timeFerry);
    }
    clearInterval(sample);

    const rawRate = rawObjects / rawSeconds;
    const ferryRate = ferryObjects / ferrySeconds;
    process.stdout.write(`raw server-side apply : ${rawObjects} objects in ${rawSeconds.toFixed(1)} s = ${rawRate.toFixed(0)} objects/s\n`);
    process.stdout.write(
      `ferry restore         : ${ferryObjects} objects in ${ferrySeconds.toFixed(1)} s = ${ferryRate.toFixed(0)} objects/s\n`,
    );
    process.stdout.write(`ratio (ferry time / raw time): ${(ferrySeconds / rawSeconds).toFixed(2)}  (target <= 1.5)\n`);
    process.stdout.write(`peak RSS: ${mib(peakRss)} MiB\n`);
  } finally {
    clearInterval(sample);
    process.stdout.write('cleaning up the benchmark namespaces…\n');
    await mapLimit(
      namespaces.flatMap((ns) => [`${ns}-raw`, `${ns}-ferry`]),
      16,
      (name) => target.delete({ apiVersion: 'v1', kind: 'Namespace', name }),
    );
    target.close();
  }
}
