// The in-cluster mover Job's shape. It cannot run here: KWOK nodes start no containers, so the Job
// would stay pending; this test checks the spec a real cluster would get.
import { describe, expect, it } from 'vitest';
import { buildMoverJob, labelValue, type MoverJobInput, moverJobName } from '../../../activities/movers/mover-job.js';

interface Container {
  args: string[];
  env: { name: string; value?: string }[];
  envFrom?: { secretRef: { name: string } }[];
  securityContext: { capabilities: { add: string[]; drop: string[] }; readOnlyRootFilesystem: boolean; allowPrivilegeEscalation: boolean };
  volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[];
  resources: { limits: Record<string, string> };
}
interface JobShape {
  metadata: { name: string; labels: Record<string, string> };
  spec: {
    backoffLimit: number;
    activeDeadlineSeconds: number;
    template: {
      metadata: { labels: Record<string, string> };
      spec: {
        automountServiceAccountToken: boolean;
        restartPolicy: string;
        containers: Container[];
        volumes: { name: string; persistentVolumeClaim?: { claimName: string; readOnly: boolean }; secret?: { secretName: string } }[];
      };
    };
  };
}

const input: MoverJobInput = {
  mode: 'backup',
  namespace: 'shop',
  claim: 'data-db-0',
  image: 'registry.example/ferry:1.0.0',
  storeUrl: 's3://backups/ferry?region=eu-west-1',
  snapshot: { key: 'campaigns/c/apps/shop/shop/backups/b1/volumes/data-db-0/snapshot' },
  credentialsSecret: 'ferry-store-credentials',
  encryptionKeySecret: 'ferry-encryption-key',
  campaign: 'upgrade-2026',
  backupId: 'b1',
};
const job = (over: Partial<MoverJobInput> = {}) => buildMoverJob({ ...input, ...over }) as unknown as JobShape;

describe('mover Job', () => {
  it('mounts the claim read-only for a backup, read-write for a restore', () => {
    const backup = job();
    expect(backup.spec.template.spec.volumes[0]).toEqual({
      name: 'data',
      persistentVolumeClaim: { claimName: 'data-db-0', readOnly: true },
    });
    expect(backup.spec.template.spec.containers[0].volumeMounts[0]).toEqual({ name: 'data', mountPath: '/data', readOnly: true });
    const restore = job({ mode: 'restore', snapshot: { key: input.snapshot.key, sha256: 'f'.repeat(64), size: 123 } });
    expect(restore.spec.template.spec.volumes[0].persistentVolumeClaim?.readOnly).toBe(false);
    expect(restore.spec.template.spec.containers[0].args).toEqual(
      expect.arrayContaining(['restore', '--snapshot-sha256', 'f'.repeat(64), '--snapshot-size', '123']),
    );
  });

  it('takes credentials and the key from Secrets, never inline', () => {
    const c = job().spec.template.spec.containers[0];
    expect(c.envFrom).toEqual([{ secretRef: { name: 'ferry-store-credentials' } }]);
    expect(c.env).toContainEqual({ name: 'FERRY_ENCRYPTION_KEY_FILE', value: '/etc/ferry/key/key' });
    // every env value is a constant: nothing secret is inlined
    expect(c.env.map((e) => e.name).sort()).toEqual([
      'FERRY_ENCRYPTION_KEY_FILE',
      'FERRY_PROCESS_PROFILE',
      'MALLOC_ARENA_MAX',
      'MALLOC_MMAP_THRESHOLD_',
      'MALLOC_TRIM_THRESHOLD_',
      'NODE_OPTIONS',
    ]);
    expect(job().spec.template.spec.volumes.find((v) => v.name === 'key')?.secret?.secretName).toBe('ferry-encryption-key');
    const text = JSON.stringify(job());
    expect(text).not.toMatch(/AWS_SECRET|AccountKey|password/i);
  });

  it('runs locked down: no token, read-only root, no escalation, only the capabilities its mode needs', () => {
    const spec = job().spec.template.spec;
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.restartPolicy).toBe('Never');
    const sc = spec.containers[0].securityContext;
    expect(sc).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(sc.capabilities).toEqual({ drop: ['ALL'], add: ['DAC_OVERRIDE'] });
    expect(job({ mode: 'restore' }).spec.template.spec.containers[0].securityContext.capabilities.add).toEqual([
      'CHOWN',
      'DAC_OVERRIDE',
      'FOWNER',
    ]);
    expect(spec.containers[0].resources.limits.memory).toBe('512Mi');
  });

  it('has a deadline, no Kubernetes retries, and labels to find it', () => {
    const j = job({ activeDeadlineSeconds: 600, sourceClaim: 'data-db-0' });
    expect(j.spec.activeDeadlineSeconds).toBe(600);
    expect(j.spec.backoffLimit).toBe(0);
    expect(j.metadata.labels).toEqual({
      'app.kubernetes.io/managed-by': 'ferry',
      'app.kubernetes.io/component': 'mover',
      'ferry.dev/mover-mode': 'backup',
      'ferry.dev/claim': 'data-db-0',
      'ferry.dev/backup': 'b1',
    });
    expect(j.spec.template.metadata.labels).toEqual(j.metadata.labels);
  });

  it('is named by what it moves, so a retry finds the same Job', () => {
    expect(moverJobName(input)).toBe(moverJobName({ ...input }));
    expect(moverJobName(input)).not.toBe(moverJobName({ ...input, claim: 'other' }));
    expect(moverJobName(input)).toMatch(/^ferry-backup-[0-9a-f]{10}$/);
  });

  it.each([
    ['b1', 'b1'],
    ['20260101T000000Z-abc', '20260101T000000Z-abc'],
  ])('keeps a valid label value %j', (v, expected) => {
    expect(labelValue(v)).toBe(expected);
  });

  it('shortens and hashes an invalid or long label value', () => {
    const v = labelValue(`${'x'.repeat(80)}/weird`);
    expect(v.length).toBeLessThanOrEqual(63);
    expect(v).toMatch(/^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/);
  });
});
