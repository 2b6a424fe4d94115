// `ferry mover backup|restore`: the data mover as a process of its own, what the in-cluster mover Job runs next to
// the volume it mounts (activities/movers/mover-job.ts builds that Job with these arguments). The store's
// credentials, the encryption key and the lock policy come from its environment, as a worker's do. It prints one
// JSON line, the summary, on stdout; progress goes to stderr. Only the store's own SDK is loaded.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { InvalidEncryptionKey, keyRingFromEnv } from '../../activities/backup/encryption.js';
import { InvalidLockPolicy, lockPlan } from '../../activities/backup/immutability.js';
import { ChunkMover } from '../../activities/movers/chunk-mover.js';
import type { MoverProgress } from '../../activities/movers/data-mover.js';
import { loadStore } from '../../activities/stores/load-store.js';
import { StoreError } from '../../activities/stores/object-store.js';
import { InvalidStoreUrl } from '../../activities/stores/store-url.js';
import { backupLockFromEnv, InvalidWorkerSetting } from '../../workers/settings.js';
import type { Io } from '../io.js';
import { moverUsage } from './mover-usage.js';
import { UsageError } from './usage-error.js';

function required(values: Record<string, string | undefined>, names: readonly string[], mode: string): Record<string, string> {
  const missing = names.filter((n) => !values[n]);
  if (missing.length > 0) throw new UsageError(`ferry mover ${mode}: ${missing.map((n) => `--${n}`).join(', ')} required`);
  return values as Record<string, string>;
}

export async function runMover(argv: string[], env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  const [mode, ...rest] = argv;
  if (mode !== 'backup' && mode !== 'restore')
    throw new UsageError(`ferry mover: backup or restore, not ${JSON.stringify(mode ?? '')}\n${moverUsage}`);
  const { values } = parseArgs({
    args: rest,
    options: {
      store: { type: 'string' },
      'snapshot-key': { type: 'string' },
      'snapshot-sha256': { type: 'string' },
      'snapshot-size': { type: 'string' },
      dir: { type: 'string' },
      claim: { type: 'string' },
    },
  });
  const store = await loadStore(required(values, ['store'], mode).store, { env });
  const keys = keyRingFromEnv(env, (path) => readFileSync(path, 'utf8'));
  const now = () => new Date();
  const mover = new ChunkMover({ store, keys, now, lock: lockPlan(backupLockFromEnv(env), store.capabilities, now()) });
  let last = 0;
  const onProgress = (p: MoverProgress) => {
    // a line every few seconds is enough for a Job's log
    if (Date.now() - last < 5_000) return;
    last = Date.now();
    io.progress(`${p.files} files, ${p.bytes} bytes, ${p.uploadedBytes} bytes sent`);
  };
  if (mode === 'backup') {
    const v = required(values, ['snapshot-key', 'dir', 'claim'], mode);
    const s = await mover.backup({ claim: v.claim, dir: v.dir, snapshotKey: v['snapshot-key'], onProgress });
    io.out(JSON.stringify(s));
    return 0;
  }
  const v = required(values, ['snapshot-key', 'snapshot-sha256', 'snapshot-size', 'dir'], mode);
  const size = Number(v['snapshot-size']);
  if (!Number.isInteger(size) || size < 0)
    throw new UsageError(`ferry mover restore: --snapshot-size must be a byte count, not ${v['snapshot-size']}`);
  const s = await mover.restore({ snapshot: { key: v['snapshot-key'], sha256: v['snapshot-sha256'], size }, dir: v.dir, onProgress });
  io.out(JSON.stringify(s));
  return 0;
}

/**
 * `ferry mover …` with its exit codes: 2 for arguments or settings that cannot work, 1 for a failed move (a store
 * fault, a damaged backup). Apart from the rest of the CLI, so the mover's process loads nothing else.
 */
export async function moverMain(argv: string[], env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  try {
    return await runMover(argv, env, io);
  } catch (e) {
    const settings = [UsageError, InvalidStoreUrl, InvalidEncryptionKey, InvalidLockPolicy, InvalidWorkerSetting];
    if (settings.some((c) => e instanceof c)) {
      io.err(`ferry: ${(e as Error).message}`);
      return 2;
    }
    io.err(`ferry: mover ${argv[0]} failed: ${e instanceof StoreError || e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}
