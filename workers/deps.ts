// The real adapters a worker gives its activities: clusters from the kubeconfig, stores from URLs,
// credentials and the encryption key only from this process's environment (read here, at the edge).
import { readFileSync } from 'node:fs';
import { keyRingFromEnv } from '../activities/backup/encryption.js';
import { kubePodExec, type PodExec } from '../activities/backup/pod-exec.js';
import type { ActivityDeps } from '../activities/deps.js';
import { temporalExecution } from '../activities/execution.js';
import { Cluster } from '../activities/kube/cluster.js';
import { temporalProgress } from '../activities/progress.js';
import type { ObjectStore } from '../activities/stores/object-store.js';
import { openStore } from '../activities/stores/open-store.js';
import { backupLockFromEnv, flag } from './settings.js';

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
  const backupLock = backupLockFromEnv(env);
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
    ...(backupLock ? { backupLock } : {}),
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
