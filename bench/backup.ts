// `npm run bench -- backup [--stores s3,gcs,azure,file] [--apps 500] [--volume-mib 1024] [--parts manifests,volume,codecs]
//   [--concurrency 8] [--rounds 3] [--restore] [--keep-estate] [--no-profile]`
// Backup speed and memory on the local stack, each figure beside a baseline measured in the same run. (a) manifests
// of N apps (the synthetic estate of scripts/gen-estate on ferry-source): objects per second against LIST + one PUT
// per app. (b) a ~1 GiB volume of mixed files: throughput against a raw streamed copy of the same bytes, bytes sent by
// an unchanged and a 1%-changed backup, peak RSS (child processes of their own). (codecs) brotli-1, gzip-1 and none.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { createBackupActivities } from '../activities/backup/backup-activities.js';
import { EncryptionKey, KeyRing } from '../activities/backup/encryption.js';
import { mapLimit } from '../activities/concurrency.js';
import type { ActivityDeps } from '../activities/deps.js';
import { captureObjects } from '../activities/inventory/capture.js';
import { Cluster } from '../activities/kube/cluster.js';
import type { Compression } from '../activities/movers/blob-codec.js';
import { chunkBuffer } from '../activities/movers/chunker.js';
import { moverProcessEnv } from '../activities/movers/mover-job.js';
import { withoutProfile } from '../activities/process-profile.js';
import { noProgress } from '../activities/progress.js';
import type { ObjectStore } from '../activities/stores/object-store.js';
import { openStore } from '../activities/stores/open-store.js';
import { cliEnv } from '../cli/env.js';
import { applyEstate, deleteEstate, estatePresent } from '../scripts/gen-estate/apply.js';
import { buildEstate } from '../scripts/gen-estate/build.js';
import { bothSides } from './_alternate.js';
import { listFiles, writeDataset } from './_backup-dataset.js';
import type { Step, VolumeRunInput, VolumeRunResult } from './_backup-volume.js';
import { emptyStore } from './_store-cleanup.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const MiB = 1024 * 1024;
const out = (line: string) => process.stdout.write(`${line}\n`);
const f1 = (n: number) => n.toFixed(1);
const f2 = (n: number) => n.toFixed(2);

type StoreName = 's3' | 'gcs' | 'azure' | 'file';

function storeUrl(env: NodeJS.ProcessEnv, name: StoreName, prefix: string): string {
  switch (name) {
    case 's3':
      return `s3://${env.FERRY_S3_BUCKET}/${prefix}?endpoint=${env.FERRY_S3_ENDPOINT}&forcePathStyle=true`;
    case 'gcs':
      return `gs://${env.FERRY_GCS_BUCKET}/${prefix}`;
    case 'azure': {
      const account = /AccountName=([^;]+)/.exec(env.AZURE_STORAGE_CONNECTION_STRING ?? '')?.[1] ?? 'devstoreaccount1';
      return `azblob://${account}/${env.FERRY_AZURE_CONTAINER}/${prefix}`;
    }
    case 'file': {
      const dir = join(tmpdir(), 'ferry-bench-store', prefix);
      mkdirSync(dir, { recursive: true });
      return `file://${dir}`;
    }
  }
}

// ---- (a) manifests ----

interface ManifestFigures {
  readonly objects: number;
  readonly rawSeconds: number;
  readonly ferrySeconds: number;
}

interface BenchApp {
  readonly namespace: string;
  readonly name: string;
}

async function manifestsOnStore(
  cluster: Cluster,
  store: ObjectStore,
  apps: readonly BenchApp[],
  concurrency: number,
  keys: KeyRing,
  rounds: number,
): Promise<ManifestFigures> {
  const deps: ActivityDeps = {
    cluster: () => cluster,
    store: () => store,
    progress: () => noProgress,
    now: () => new Date(),
    readyTimeoutMs: 60_000,
    encryption: keys,
  };
  const { backupManifests } = createBackupActivities(deps);
  const { types } = await cluster.discover();
  // raw: what any exporter does at the least: per app, list every type of its namespace, one gzipped archive
  const raw = async (list: readonly BenchApp[]) => {
    let objects = 0;
    await mapLimit(list, concurrency, async (a) => {
      const { objects: listed } = await captureObjects(cluster, types, a.namespace);
      objects += listed.length + 1;
      const body = gzipSync(Buffer.from(JSON.stringify(listed)));
      await store.put(`bench-raw/${a.namespace}/${a.name}.json.gz`, body, { size: body.length });
    });
    return objects;
  };
  // Ferry: the backupManifests activity per app (capture, grouping, sanitizing, Secrets sealed, two objects)
  const ferry = (list: readonly BenchApp[]) =>
    mapLimit(list, concurrency, (a) =>
      backupManifests({
        campaign: 'bench',
        appId: `${a.namespace}/${a.name}`,
        namespace: a.namespace,
        app: a.name,
        storeUrl: store.url,
        backupId: 'b1',
        source: cluster.context,
      }),
    );
  // warm both paths (connections, discovery caches, JIT), then alternate them and keep each one's best
  // round: the machine is shared, and the best of several rounds is the least disturbed by others
  const warm = apps.slice(0, Math.min(10, apps.length));
  await raw(warm);
  await ferry(warm);
  let objects = 0;
  let rawSeconds = Number.POSITIVE_INFINITY;
  let ferrySeconds = Number.POSITIVE_INFINITY;
  for (let round = 0; round < rounds; round++) {
    const timeRaw = async () => {
      const started = performance.now();
      objects = await raw(apps);
      rawSeconds = Math.min(rawSeconds, (performance.now() - started) / 1000);
    };
    const timeFerry = async () => {
      const started = performance.now();
      await ferry(apps);
      ferrySeconds = Math.min(ferrySeconds, (performance.now() - started) / 1000);
    };
    await bothSides(round, timeRaw, timeFerry);
  }
  return { objects, rawSeconds, ferrySeconds };
}

async function runManifests(
  env: NodeJS.ProcessEnv,
  stores: readonly StoreName[],
  apps: number,
  concurrency: number,
  rounds: number,
  stamp: string,
): Promise<void> {
  const spec = { prefix: `bkb${apps}`, apps, teams: 12, seed: '1' };
  const target = { context: 'ferry-source', kubeconfig: env.KUBECONFIG };
  const estate = buildEstate(spec);
  if (!(await estatePresent(target, spec))) {
    out(`seeding ${apps} apps (${estate.objects.length} objects) on ferry-source`);
    const started = performance.now();
    await applyEstate(target, estate, { concurrency: 24 });
    out(`  seeded in ${f1((performance.now() - started) / 1000)} s`);
  }
  const cluster = Cluster.fromKubeconfig('ferry-source', env.KUBECONFIG);
  const namespaces = [...new Set(estate.apps.map((a) => a.namespace))].sort();
  const cleanUp = async () => {
    if (keepEstate) return;
    // the source cluster is shared: thousands of extra objects would slow everyone's inventories
    out('removing the benchmark estate from ferry-source (--keep-estate keeps it for later runs)');
    await deleteEstate(target, spec.prefix, { concurrency: 24 });
  };
  const keys = new KeyRing([EncryptionKey.generate()]);
  out(
    `\n(a) manifests: ${estate.apps.length} apps in ${namespaces.length} namespaces, ${concurrency} at once, best of ${rounds} alternating rounds; target ratio <= 1.3`,
  );
  out('store   objects  raw s   raw obj/s  ferry s  ferry obj/s  ratio (ferry time / raw time)');
  try {
    for (const name of stores) {
      const store = openStore(storeUrl(env, name, `bench-manifests-${stamp}`), { env });
      try {
        const m = await manifestsOnStore(cluster, store, estate.apps, concurrency, keys, rounds);
        out(
          `${name.padEnd(7)} ${String(m.objects).padStart(7)}  ${f1(m.rawSeconds).padStart(5)}  ${f1(m.objects / m.rawSeconds).padStart(9)}  ${f1(m.ferrySeconds).padStart(7)}  ${f1(m.objects / m.ferrySeconds).padStart(11)}  ${f2(m.ferrySeconds / m.rawSeconds)}`,
        );
      } finally {
        await emptyStore(store);
      }
    }
  } finally {
    cluster.close();
    await cleanUp();
  }
}

// ---- (b) volume ----

function dataset(mib: number): string {
  const dir = join(tmpdir(), `ferry-bench-volume-${mib}`);
  const marker = join(dir, '.complete');
  if (!existsSync(marker)) {
    out(`writing the ${mib} MiB dataset to ${dir} (kept for later runs)`);
    const shape = writeDataset(dir, mib);
    writeFileSync(marker, JSON.stringify(shape));
  }
  return dir;
}

let noProfile = false;
let keepEstate = false;
/** One random key per run, for every phase's child (each must read what the others wrote). */
const benchKey = randomBytes(32).toString('base64');

function runChild(input: VolumeRunInput): Promise<VolumeRunResult> {
  return new Promise((resolve, reject) => {
    // started as the mover Job's process is (scripts/launch.mjs, the Job's environment), or with every default
    const start = noProfile ? ['--import', 'tsx'] : [join(repoRoot, 'scripts', 'launch.mjs')];
    const child = spawn(process.execPath, [...start, join(repoRoot, 'bench', '_backup-volume.ts'), JSON.stringify(input)], {
      cwd: repoRoot,
      env: { ...(noProfile ? withoutProfile(process.env) : { ...process.env, ...moverProcessEnv }), FERRY_BENCH_KEY: benchKey },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let text = '';
    child.stdout.on('data', (c: Buffer) => {
      text += c.toString('utf8');
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(text.trim().split('\n').at(-1) ?? '{}') as VolumeRunResult)
        : reject(new Error(`volume run for ${input.storeUrl} exited ${code}`)),
    );
  });
}

interface VolumeFigures {
  readonly raw: { seconds: number; bytes: number; peakRssMiB: number };
  readonly ferry: VolumeRunResult;
  readonly restore?: { seconds: number; bytes: number; peakRssMiB: number };
}

/** The raw copy and the backups, each in a child of its own: each peak RSS is then that work's alone. */
async function volumeOnStore(input: Omit<VolumeRunInput, 'phase'>): Promise<VolumeFigures> {
  const raw = await runChild({ ...input, phase: 'raw' });
  const ferry = await runChild({ ...input, phase: 'backups' });
  const restore = input.restore ? await runChild({ ...input, phase: 'restore' }) : undefined;
  if (!raw.raw || !ferry.full || !ferry.unchanged || !ferry.changed)
    throw new Error(`volume run for ${input.storeUrl} reported no figures`);
  return {
    raw: { ...raw.raw, peakRssMiB: raw.peakRssMiB },
    ferry,
    ...(restore?.restore ? { restore: { ...restore.restore, peakRssMiB: restore.peakRssMiB } } : {}),
  };
}

function printVolume(name: string, v: VolumeFigures): void {
  const { full, unchanged, changed } = v.ferry as Required<VolumeRunResult>;
  const restore = v.restore;
  const rawRate = v.raw.bytes / MiB / v.raw.seconds;
  const rate = full.bytes / MiB / full.seconds;
  const pct = (s: { uploadedBytes: number; bytes: number }) => `${f2((100 * s.uploadedBytes) / s.bytes)}%`;
  out(
    [
      name.padEnd(7),
      f1(rawRate).padStart(9),
      f1(rate).padStart(11),
      f2(rate / rawRate).padStart(5),
      f1(full.uploadedBytes / MiB).padStart(8),
      pct(unchanged).padStart(9),
      `${pct(changed).padStart(9)} (${changed.changedFiles} files)`,
      f1(v.raw.peakRssMiB).padStart(11),
      `${f1(v.ferry.peakAfterFullMiB ?? 0).padStart(8)} / ${f1(v.ferry.peakRssMiB).padStart(5)}`,
      ...(restore ? [`${f1(restore.bytes / MiB / restore.seconds).padStart(8)} (RSS ${f1(restore.peakRssMiB)})`] : []),
    ].join('  '),
  );
}

async function runVolumes(
  stores: readonly StoreName[],
  mib: number,
  stamp: string,
  restore: boolean,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const dir = dataset(mib);
  const shape = JSON.parse(readFileSync(join(dir, '.complete'), 'utf8')) as { files: number; bytes: number };
  out(
    `\n(b) volume: ${shape.files} files, ${f1(shape.bytes / MiB)} MiB (40% random binaries, 30% logs, 20% JSON, 10% small files), brotli-1, AES-256-GCM`,
  );
  out(
    `    targets: throughput ratio >= 0.70; unchanged < 1%; 1% of files changed < 5%; peak RSS of the backups <= 256 MiB (${noProfile ? "Node's and glibc's defaults" : "the mover Job's process profile"})`,
  );
  out(
    `store    raw MiB/s  ferry MiB/s  ratio  sent MiB  unchanged  1% changed               raw RSS MiB  ferry RSS MiB${restore ? '  restore MiB/s' : ''}`,
  );
  let round = 0;
  for (const name of stores) {
    printVolume(
      name,
      await volumeOnStore({
        storeUrl: storeUrl(env, name, `bench-volume-${stamp}-${name}`),
        dir,
        compression: 'brotli',
        round: round++,
        restore,
      }),
    );
  }
}

// ---- codecs ----

async function runCodecs(store: StoreName, mib: number, stamp: string, env: NodeJS.ProcessEnv): Promise<void> {
  const dir = dataset(mib);
  // a sample of every kind of file, chunked as the mover chunks
  const kinds: [string, (f: string) => boolean, number][] = [
    ['binaries', (f) => f.startsWith('blobs/'), 1],
    ['logs', (f) => f.startsWith('logs/'), 2],
    ['json', (f) => f.startsWith('data/'), 40],
    ['small', (f) => f.startsWith('small/'), 800],
  ];
  const all = listFiles(dir);
  const codecs: [string, (b: Buffer) => Buffer][] = [
    ['gzip-1', (b) => gzipSync(b, { level: 1 })],
    [
      'brotli-1',
      (b) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 1, [constants.BROTLI_PARAM_SIZE_HINT]: b.length } }),
    ],
  ];
  out('\n(codecs) per kind of file, chunked as the mover does, one core; none stores 1.00 of the bytes at memory speed');
  out('kind       MiB   gzip-1 MiB/s  stored  brotli-1 MiB/s  stored');
  for (const [kind, match, count] of kinds) {
    const files = all.filter(match).slice(0, count);
    const chunks = files.flatMap((f) => chunkBuffer(readFileSync(join(dir, f))));
    const total = chunks.reduce((n, c) => n + c.length, 0);
    const cells = codecs.map(([, fn]) => {
      const started = performance.now();
      let stored = 0;
      for (const c of chunks) stored += Math.min(fn(c).length, c.length);
      return `${f1(total / MiB / ((performance.now() - started) / 1000)).padStart(12)}  ${f2(stored / total).padStart(6)}`;
    });
    out(`${kind.padEnd(9)} ${f1(total / MiB).padStart(5)}  ${cells.join('  ')}`);
  }
  out(`end to end on ${store} (full backup of the volume):`);
  out('codec      raw MiB/s  ferry MiB/s  ratio  sent MiB');
  for (const compression of ['none', 'gzip', 'brotli'] as Compression[]) {
    const v = await volumeOnStore({
      storeUrl: storeUrl(env, store, `bench-codec-${stamp}-${compression}`),
      dir,
      compression,
      round: 50,
      restore: false,
    });
    const full = v.ferry.full as Step;
    const rawRate = v.raw.bytes / MiB / v.raw.seconds;
    const rate = full.bytes / MiB / full.seconds;
    out(
      `${compression.padEnd(9)} ${f1(rawRate).padStart(10)}  ${f1(rate).padStart(11)}  ${f2(rate / rawRate).padStart(5)}  ${f1(full.uploadedBytes / MiB).padStart(8)}`,
    );
  }
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      stores: { type: 'string', default: 's3,gcs,azure,file' },
      apps: { type: 'string', default: '500' },
      'volume-mib': { type: 'string', default: '1024' },
      parts: { type: 'string', default: 'manifests,volume' },
      concurrency: { type: 'string', default: '8' },
      'codec-store': { type: 'string', default: 's3' },
      restore: { type: 'boolean', default: false },
      rounds: { type: 'string', default: '3' },
      'no-profile': { type: 'boolean', default: false },
      'keep-estate': { type: 'boolean', default: false },
    },
  });
  const stores = values.stores.split(',').filter((s): s is StoreName => ['s3', 'gcs', 'azure', 'file'].includes(s));
  const parts = new Set(values.parts.split(','));
  noProfile = values['no-profile'];
  keepEstate = values['keep-estate'];
  const env = cliEnv();
  // the store SDKs read their credentials and region from the process environment: give them the stack's
  for (const [k, v] of Object.entries(env)) process.env[k] ??= v;
  const stamp = Date.now().toString(36);
  if (parts.has('manifests'))
    await runManifests(env, stores, Number(values.apps), Number(values.concurrency), Number(values.rounds), stamp);
  if (parts.has('volume')) await runVolumes(stores, Number(values['volume-mib']), stamp, values.restore, env);
  if (parts.has('codecs')) await runCodecs(values['codec-store'] as StoreName, Number(values['volume-mib']), stamp, env);
}
