// The real adapters a worker gives its activities: clusters from the kubeconfig, stores from URLs,
// credentials and the encryption key only from this process's environment (read here, at the edge).
import { readFileSync } from 'node:fs';
import { keyRingFromEnv } from '../activities/backup/encryption.js';
import { checkLockPolicy } from '../activities/backup/immutability.js';
import { kubePodExec, type PodExec } from '../activities/backup/pod-exec.js';
import type { ActivityDeps } from '../activities/deps.js';
import { temporalExecution } from '../activities/execution.js';
import { Cluster } from '../activities/kube/cluster.js';
import { temporalProgress } from '../activities/progress.js';
import type { ObjectStore } from '../activities/stores/object-store.js';
import { openStore } from '../activities/stores/open-store.js';

/** A malformed worker setting, named by its variable (never with a secret value). */
export class InvalidWorkerSetting extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
    this.name = 'InvalidWorkerSetting';
  }
}

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const v = env[name];
  if (v === undefined || v === '' || v === 'false') return false;
  if (v === 'true') return true;
  throw new InvalidWorkerSetting(name, `must be true or false, not ${JSON.stringify(v)}`);
}

function days(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const v = env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new InvalidWorkerSetting(name, `must be a number of days, not ${JSON.stringify(v)}`);
  return n;
}

/**
 * Encryption: FERRY_ENCRYPTION_KEY (base64 of 32 bytes) and/or FERRY_ENCRYPTION_KEY_FILE (one key per line,
 * the first current, the others for reading older backups). Without a key, backups of apps with Secrets are
 * refused unless FERRY_ALLOW_PLAINTEXT_SECRETS=true. Object lock: FERRY_BACKUP_LOCK_DAYS (and optionally
 * FERRY_BACKUP_PACK_REUSE_DAYS) on stores that support it.
 */
export function workerDeps(env: NodeJS.ProcessEnv = process.env): ActivityDeps {
  const clusters = new Map<string, Cluster>();
  const stores = new Map<string, ObjectStore>();
  const execs = new Map<string, PodExec>();
  const encryption = keyRingFromEnv(env, (path) => readFileSync(path, 'utf8'));
  const lockDays = days(env, 'FERRY_BACKUP_LOCK_DAYS');
  const reuseDays = days(env, 'FERRY_BACKUP_PACK_REUSE_DAYS');
  return {
    cluster(context) {
      let c = clusters.get(context);
      if (!c) {
        c = Cluster.fromKubeconfig(context, env.KUBECONFIG);
        clusters.set(context, c);
      }
      return c;
    },
    store(url) {
      let s = stores.get(url);
      if (!s) {
        s = openStore(url, { env });
        stores.set(url, s);
      }
      return s;
    },
    progress: temporalProgress,
    now: () => new Date(),
    execution: temporalExecution,
    readyTimeoutMs: Number(env.FERRY_READY_TIMEOUT_MS ?? 300_000),
    ...(encryption ? { encryption } : {}),
    allowPlaintextSecrets: flag(env, 'FERRY_ALLOW_PLAINTEXT_SECRETS'),
    ...(lockDays
      ? { backupLock: checkLockPolicy({ days: lockDays, ...(reuseDays === undefined ? {} : { packReuseDays: reuseDays }) }) }
      : {}),
    podExec(context) {
      let e = execs.get(context);
      if (!e) {
        e = kubePodExec(context, env.KUBECONFIG);
        execs.set(context, e);
      }
      return e;
    },
  };
}
