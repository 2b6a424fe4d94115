// One store's volume benchmark, run in a child process of its own so that its peak RSS is the mover's:
// a raw streamed copy of the dataset's bytes, then a full, an unchanged and a 1%-changed backup.
// Usage (by bench/backup.ts): tsx bench/_backup-volume.ts '<json VolumeRunInput>'; prints one JSON line.
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { keyRingFromEnv } from '../activities/backup/encryption.js';
import type { Compression } from '../activities/movers/blob-codec.js';
import { ChunkMover } from '../activities/movers/chunk-mover.js';
import { compareDigests, digestDirectory } from '../activities/movers/file-tree.js';
import { loadStore } from '../activities/stores/load-store.js';
import type { ObjectStore } from '../activities/stores/object-store.js';
import { changeFiles, listFiles } from './_backup-dataset.js';
import { emptyStore } from './_store-cleanup.js';

export interface VolumeRunInput {
  readonly storeUrl: string;
  readonly dir: string;
  readonly compression: Compression;
  /** 'raw': the raw streamed copy; 'backups': the three backups; 'restore': a restore of the last one. Each in a
   * process of its own, so each peak RSS is its own. */
  readonly phase: 'raw' | 'backups' | 'restore';
  /** Which 1% of files to change (so runs on several stores change different files). */
  readonly round: number;
  readonly restore: boolean;
}

export interface Step {
  readonly seconds: number;
  readonly bytes: number;
  readonly uploadedBytes: number;
}

export interface VolumeRunResult {
  readonly raw?: { seconds: number; bytes: number };
  readonly full?: Step;
  readonly unchanged?: Step;
  readonly changed?: Step & { changedFiles: number };
  readonly restore?: { seconds: number; bytes: number };
  /** Peak RSS once the first (full) backup is done, and at the end (after all three backups in this one process). */
  readonly peakAfterFullMiB?: number;
  readonly peakRssMiB: number;
}

const rawKey = 'bench-raw/volume.bin';

async function rawCopy(store: ObjectStore, dir: string): Promise<{ seconds: number; bytes: number }> {
  const files = listFiles(dir);
  let bytes = 0;
  async function* concatenated() {
    for (const f of files) {
      for await (const c of createReadStream(join(dir, f), { highWaterMark: 1024 * 1024 })) {
        bytes += (c as Buffer).length;
        yield c as Buffer;
      }
    }
  }
  const started = performance.now();
  await store.put(rawKey, Readable.from(concatenated()));
  return { seconds: (performance.now() - started) / 1000, bytes };
}

async function timed(mover: ChunkMover, dir: string, key: string): Promise<Step> {
  const started = performance.now();
  const s = await mover.backup({ claim: 'bench', dir, snapshotKey: key });
  return { seconds: (performance.now() - started) / 1000, bytes: s.bytes, uploadedBytes: s.uploadedBytes };
}

/** Runs in a child whose environment the parent completed from the stack's exports. */
export async function runVolume(input: VolumeRunInput): Promise<VolumeRunResult> {
  // the store's adapter alone, as the mover loads it
  const store = await loadStore(input.storeUrl, { env: process.env });
  // the parent gives every phase of a run the same random key, through the environment like a worker's
  const keys = keyRingFromEnv({ FERRY_ENCRYPTION_KEY: process.env.FERRY_BENCH_KEY }, () => '');
  if (!keys) throw new Error('FERRY_BENCH_KEY is not set: run this through bench/backup.ts');
  // a new mover per backup, as each backup activity gets: pack indexes are read from the store each time
  const mover = () => new ChunkMover({ store, keys, now: () => new Date(), compression: input.compression });
  const snapshot = (n: number) => `campaigns/bench/apps/bench/bench/backups/b${n}/volumes/bench/snapshot`;
  if (input.phase === 'raw') {
    const raw = await rawCopy(store, input.dir);
    const peakRssMiB = process.resourceUsage().maxRSS / 1024;
    await emptyStore(store);
    return { raw, peakRssMiB };
  }
  if (input.phase === 'restore') {
    const dst = mkdtempSync(join(tmpdir(), 'ferry-bench-restore-'));
    try {
      const started = performance.now();
      const bytes = await restoreLatest(mover(), store, snapshot(3), dst);
      const restore = { seconds: (performance.now() - started) / 1000, bytes };
      const problems = compareDigests(await digestDirectory(input.dir), await digestDirectory(dst));
      if (problems.length > 0) throw new Error(`restored volume differs: ${problems.slice(0, 5).join('; ')}`);
      return { restore, peakRssMiB: process.resourceUsage().maxRSS / 1024 };
    } finally {
      rmSync(dst, { recursive: true, force: true });
      await emptyStore(store);
    }
  }
  const full = await timed(mover(), input.dir, snapshot(1));
  const peakAfterFullMiB = process.resourceUsage().maxRSS / 1024;
  const unchanged = await timed(mover(), input.dir, snapshot(2));
  const change = await changeFiles(input.dir, 0.01, input.round);
  const changed = { ...(await timed(mover(), input.dir, snapshot(3))), changedFiles: change.files };
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  // a restore follows in a process of its own, from what the backups left; without one, leave nothing behind
  if (!input.restore) await emptyStore(store);
  return { full, unchanged, changed, peakAfterFullMiB, peakRssMiB };
}

/** The bench has no backup index: the snapshot's digest is taken from the store, as the index would give it. */
async function restoreLatest(mover: ChunkMover, store: ObjectStore, key: string, dst: string): Promise<number> {
  const parts: Buffer[] = [];
  for await (const c of await store.get(key)) parts.push(c as Buffer);
  const body = Buffer.concat(parts);
  const r = await mover.restore({
    snapshot: { key, size: body.length, sha256: createHash('sha256').update(body).digest('hex') },
    dir: dst,
  });
  return r.bytes;
}

if (process.argv[1]?.endsWith('_backup-volume.ts')) {
  const input = JSON.parse(process.argv[2]) as VolumeRunInput;
  runVolume(input).then(
    (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
