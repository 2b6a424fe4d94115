// What activities are given instead of reaching for globals: clusters and stores by name, progress.
import type { KeyRing } from './backup/encryption.js';
import type { BackupLockPolicy } from './backup/immutability.js';
import type { PodExec } from './backup/pod-exec.js';
import type { ActivityExecution } from './execution.js';
import type { Cluster } from './kube/cluster.js';
import type { Progress } from './progress.js';
import type { ObjectStore } from './stores/object-store.js';

export interface ActivityDeps {
  /** A cluster by kubeconfig context name; the worker maps names to credentials. */
  readonly cluster: (context: string) => Cluster;
  /** A store by URL; credentials come from the worker's environment, never from the URL. */
  readonly store: (url: string) => ObjectStore;
  readonly progress: () => Progress;
  readonly now: () => Date;
  /** The workflow run the current activity works for; undefined (or absent) outside an activity. */
  readonly execution?: () => ActivityExecution | undefined;
  /** How long restores wait for workloads and volumes on the target. */
  readonly readyTimeoutMs: number;
  /** Keys for client-side encryption of Secret values and volume data; undefined when none is configured. */
  readonly encryption?: KeyRing;
  /** Without a key, store Secret values in clear instead of refusing the backup (an explicit opt-out). */
  readonly allowPlaintextSecrets?: boolean;
  /** Lock backups for a retention period on stores that can (S3 Object Lock); undefined: no lock. */
  readonly backupLock?: BackupLockPolicy;
  /** Runs backup hook commands in pods of a cluster (by context); undefined: hooks cannot run and are reported as failed. */
  readonly podExec?: (context: string) => PodExec;
}
