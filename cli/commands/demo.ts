// `ferry demo`: seeds the source cluster with a sample estate, migrates it to the target through a
// campaign on a worker in this process, and checks every volume's bytes on both sides.
import { Cluster } from '../../activities/kube/cluster.js';
import { compareDigests, digestDirectory } from '../../activities/movers/hostpath-tar.js';
import { claimHostPath } from '../../activities/movers/volume-path.js';
import { workerDeps } from '../../workers/deps.js';
import { createFerryWorker } from '../../workers/worker.js';
import type { CampaignInput } from '../../workflows/types.js';
import { buildEstate, estateLabel } from '../demo/estate.js';
import { seedEstate } from '../demo/seed.js';
import type { Io } from '../io.js';
import { checkClusters } from '../preflight.js';
import { formatBytes } from '../progress.js';
import { followCampaign, startCampaign } from './campaign.js';

const prefix = 'demo';

export function demoCampaign(env: NodeJS.ProcessEnv, name: string): CampaignInput {
  const need = (k: string) => {
    const v = env[k];
    if (!v) throw new Error(`${k} is not set: start the local stack with \`npm run stack -- up\``);
    return v;
  };
  return {
    name,
    source: need('FERRY_SOURCE_CONTEXT'),
    target: need('FERRY_TARGET_CONTEXT'),
    storeUrl: `s3://${need('FERRY_S3_BUCKET')}/demo?endpoint=${need('FERRY_S3_ENDPOINT')}&forcePathStyle=true`,
    selection: { includeNamespaces: ['*'], excludeNamespaces: ['kube-*', 'default'], labelSelector: `${estateLabel}=${prefix}` },
    storageClassMap: { standard: 'standard-rwo', 'fast-ssd': 'premium-rwo' },
    namespaceMap: { [`${prefix}-legacy-reports`]: `${prefix}-reports` },
    concurrency: 4,
  };
}

export async function runDemo(env: NodeJS.ProcessEnv, io: Io, now: Date = new Date()): Promise<number> {
  const name = `demo-${now.toISOString().slice(0, 19).replace(/[-:T]/g, '').toLowerCase()}`;
  const input = demoCampaign(env, name);
  await checkClusters([input.source, input.target], env.KUBECONFIG);
  const source = Cluster.fromKubeconfig(input.source, env.KUBECONFIG);
  const target = Cluster.fromKubeconfig(input.target, env.KUBECONFIG);
  try {
    const estate = buildEstate(prefix);
    const teams = new Set(estate.map((a) => a.team));
    io.out(`seeding ${input.source} with ${estate.length} apps of ${teams.size} teams (Helm, Argo CD, Flux and hand-applied)`);
    const seeded = await seedEstate(source, estate);
    io.out(`  ${seeded.objects} objects applied, ${seeded.files} files written into their volumes`);

    const taskQueue = `ferry-demo-${name}`;
    const { worker, connection } = await createFerryWorker({
      address: env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
      namespace: env.TEMPORAL_NAMESPACE ?? 'default',
      taskQueue,
      deps: workerDeps(env),
    });
    let failed = 0;
    try {
      await worker.runUntil(async () => {
        io.out(`migrating to ${input.target} through campaign ${name}`);
        await startCampaign(input, env, io, { wait: false, taskQueue });
        const result = await followCampaign(name, env, io);
        failed = result.apps.filter((a) => a.status === 'Failed').length;
      });
    } finally {
      await connection.close();
    }

    io.out('');
    io.out('data check (sha256 of every file, source vs target):');
    let files = 0;
    let bytes = 0;
    let mismatches = 0;
    for (const app of estate) {
      const targetNs = input.namespaceMap[app.namespace] ?? app.namespace;
      for (const claim of Object.keys(app.data).sort()) {
        const before = await digestDirectory(await claimHostPath(source, app.namespace, claim));
        const after = await digestDirectory(await claimHostPath(target, targetNs, claim));
        const problems = compareDigests(before, after);
        files += before.length;
        bytes += before.reduce((n, f) => n + f.size, 0);
        mismatches += problems.length;
        io.out(
          `  ${app.namespace}/${claim} → ${targetNs}/${claim}: ${problems.length === 0 ? `${before.length} files identical` : problems.join('; ')}`,
        );
      }
    }
    io.out(`${mismatches === 0 ? 'OK' : 'MISMATCH'}: ${files} files, ${formatBytes(bytes)} compared byte for byte`);
    return failed === 0 && mismatches === 0 ? 0 : 1;
  } finally {
    source.close();
    target.close();
  }
}
