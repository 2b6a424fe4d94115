// The in-cluster mover: on a real cluster the data mover runs as a Job next to the data, mounting the
// claim (read-only for a backup), with store credentials and the encryption key from Secrets. Pure: the
// Job object only; creating and watching it is the activity's job.
import { createHash } from 'node:crypto';
import type { StoredObject } from '../../workflows/types.js';
import type { KubeObject } from '../kube/object.js';
import { allocatorEnv, nodeOptions, profileMarker } from '../process-profile.js';

export type MoverMode = 'backup' | 'restore';

export interface MoverJobInput {
  readonly mode: MoverMode;
  readonly namespace: string;
  /** The claim to mount: the app's own, or the temporary one restored from a CSI snapshot. */
  readonly claim: string;
  /** The claim the data belongs to (differs from `claim` when moving from a snapshot). */
  readonly sourceClaim?: string;
  readonly image: string;
  /** A store URL carries no credentials (store-url.ts refuses them), so it may sit in the Job spec. */
  readonly storeUrl: string;
  /** Backup: where the snapshot goes. Restore: the snapshot to restore, with its digest from the backup index. */
  readonly snapshot: { readonly key: string } | StoredObject;
  /** A Secret in `namespace` whose keys are the store SDK's variables (AWS_*, AZURE_STORAGE_CONNECTION_STRING, …). */
  readonly credentialsSecret?: string;
  /** A Secret in `namespace` holding the encryption key file under the key `key`. */
  readonly encryptionKeySecret?: string;
  readonly campaign: string;
  readonly backupId: string;
  readonly activeDeadlineSeconds?: number;
  readonly resources?: { readonly requests?: Record<string, string>; readonly limits?: Record<string, string> };
  /** Pin to the node where the claim is attached (a ReadWriteOnce volume cannot be mounted on another node). */
  readonly nodeName?: string;
  readonly serviceAccountName?: string;
}

export const moverLabels = {
  managedBy: 'app.kubernetes.io/managed-by',
  component: 'app.kubernetes.io/component',
  mode: 'ferry.dev/mover-mode',
  claim: 'ferry.dev/claim',
  backup: 'ferry.dev/backup',
} as const;

/** A mover stays well under the 256 MiB its benchmark peaks at, plus headroom for page cache churn. */
export const defaultMoverResources = { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } };
export const defaultMoverDeadlineSeconds = 6 * 60 * 60;

/**
 * The mover runs with Ferry's process profile (heap shape and allocator settings), as the worker does; marked as
 * applied, so that its launcher runs it in the container's one process instead of starting a second.
 */
export const moverProcessEnv: Readonly<Record<string, string>> = {
  ...allocatorEnv,
  NODE_OPTIONS: nodeOptions.join(' '),
  [profileMarker]: '1',
};
const dataPath = '/data';
const keyDir = '/etc/ferry/key';

const short = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 10);

/** A label value: at most 63 characters of [A-Za-z0-9._-], starting and ending alphanumeric; else a readable prefix and a hash. */
export function labelValue(value: string): string {
  if (/^(?:[A-Za-z0-9](?:[A-Za-z0-9._-]{0,61}[A-Za-z0-9])?)?$/.test(value)) return value;
  const cleaned = value.replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return `${cleaned.slice(0, 51).replace(/[^A-Za-z0-9]+$/, '')}-${short(value)}`.replace(/^-/, '');
}

/**
 * The Job's name is derived from what it moves, so a retried activity finds the Job it created before
 * instead of starting a second mover on the same volume.
 */
export function moverJobName(input: Pick<MoverJobInput, 'mode' | 'namespace' | 'claim' | 'snapshot'>): string {
  return `ferry-${input.mode}-${short(`${input.namespace}/${input.claim}/${input.snapshot.key}`)}`;
}

export function buildMoverJob(input: MoverJobInput): KubeObject {
  const backup = input.mode === 'backup';
  const labels = {
    [moverLabels.managedBy]: 'ferry',
    [moverLabels.component]: 'mover',
    [moverLabels.mode]: input.mode,
    [moverLabels.claim]: labelValue(input.sourceClaim ?? input.claim),
    [moverLabels.backup]: labelValue(input.backupId),
  };
  const snapshotArgs =
    'sha256' in input.snapshot
      ? ['--snapshot-key', input.snapshot.key, '--snapshot-sha256', input.snapshot.sha256, '--snapshot-size', String(input.snapshot.size)]
      : ['--snapshot-key', input.snapshot.key];
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: moverJobName(input),
      namespace: input.namespace,
      labels,
      annotations: {
        'ferry.dev/campaign': input.campaign,
        'ferry.dev/snapshot-key': input.snapshot.key,
        'ferry.dev/store': input.storeUrl,
      },
    },
    spec: {
      // retries are Temporal's: a failed mover is reported to the activity, which decides
      backoffLimit: 0,
      activeDeadlineSeconds: input.activeDeadlineSeconds ?? defaultMoverDeadlineSeconds,
      ttlSecondsAfterFinished: 24 * 60 * 60,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          ...(input.serviceAccountName ? { serviceAccountName: input.serviceAccountName } : {}),
          // the mover talks to the store, never to the Kubernetes API
          automountServiceAccountToken: false,
          ...(input.nodeName ? { nodeName: input.nodeName } : {}),
          securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'mover',
              image: input.image,
              args: [
                'mover',
                input.mode,
                '--store',
                input.storeUrl,
                ...snapshotArgs,
                '--dir',
                dataPath,
                '--claim',
                input.sourceClaim ?? input.claim,
              ],
              env: [
                ...Object.entries(moverProcessEnv).map(([name, value]) => ({ name, value })),
                ...(input.encryptionKeySecret ? [{ name: 'FERRY_ENCRYPTION_KEY_FILE', value: `${keyDir}/key` }] : []),
              ],
              ...(input.credentialsSecret ? { envFrom: [{ secretRef: { name: input.credentialsSecret } }] } : {}),
              resources: input.resources ?? defaultMoverResources,
              securityContext: {
                // root, to read and restore files of any owner; only the capabilities that needs (all within
                // Pod Security "baseline"): DAC_OVERRIDE to read, CHOWN/FOWNER to give restored files their owners
                runAsUser: 0,
                runAsGroup: 0,
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'], add: backup ? ['DAC_OVERRIDE'] : ['CHOWN', 'DAC_OVERRIDE', 'FOWNER'] },
              },
              volumeMounts: [
                { name: 'data', mountPath: dataPath, readOnly: backup },
                { name: 'tmp', mountPath: '/tmp' },
                ...(input.encryptionKeySecret ? [{ name: 'key', mountPath: keyDir, readOnly: true }] : []),
              ],
            },
          ],
          volumes: [
            { name: 'data', persistentVolumeClaim: { claimName: input.claim, readOnly: backup } },
            { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
            ...(input.encryptionKeySecret ? [{ name: 'key', secret: { secretName: input.encryptionKeySecret, defaultMode: 0o400 } }] : []),
          ],
        },
      },
    },
  };
}
