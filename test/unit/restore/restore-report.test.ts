// The restore report builder: every object under the name it got, with its action and the transforms that
// changed it (namespace and storage class maps, a Helm release record), dropped objects with their reason,
// and never a Secret's data, neither from the objects nor from the transforms' patches.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../activities/kube/object.js';
import { describeObject, type RestoreEntry } from '../../../activities/restore/apply-objects.js';
import { prepareRestore } from '../../../activities/restore/pipeline.js';
import { buildRestoreReport, type ReportInput, ReportInputMismatch } from '../../../activities/restore/restore-report.js';
import { restoreReportTable } from '../../../cli/commands/restore-report.js';
import { deepFreeze } from '../transform/deep-freeze.js';
import { releaseSecret } from '../transform/helm-fixtures.js';

const ns = 'legacy-shop';
const password = 'hunter2-7f3a9c';
const b64 = (s: string) => Buffer.from(s).toString('base64');

const captured: KubeObject[] = deepFreeze([
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
  {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'db-credentials', namespace: ns },
    type: 'Opaque',
    data: { password: b64(password) },
  },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: ns }, data: { mode: 'backed-up' } },
  {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'data', namespace: ns },
    spec: { storageClassName: 'standard', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: ns },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'registry.example/web:1' }] } },
    },
  },
  releaseSecret,
  { apiVersion: 'policy/v1beta1', kind: 'PodSecurityPolicy', metadata: { name: 'restricted' }, spec: { privileged: false } },
]);

const prepared = prepareRestore(
  captured,
  { namespaceMap: { [ns]: 'shop-dr' }, storageClassMap: { standard: 'standard-rwo' } },
  new Set(['v1', 'apps/v1']),
);

/** What apply would have said: the ConfigMap existed with other content, the Secret belonged to someone else. */
function entryFor(o: KubeObject): RestoreEntry {
  const object = describeObject(o);
  if (o.kind === 'ConfigMap') return { object, action: 'changed', paths: ['/data/mode'] };
  if (o.kind === 'Secret' && o.metadata.name === 'db-credentials')
    return { object, action: 'skipped', reason: 'exists on the target and was not restored by Ferry (policy: skip)' };
  return { object, action: 'created' };
}

const input: ReportInput = {
  restoreId: 'restore_ferry-target_legacy-shop_legacy-shop_b1.0f7c',
  workflow: { workflowId: 'restore/ferry-target/legacy-shop/legacy-shop/b1', runId: '0f7c', attempt: 1 },
  app: { id: `${ns}/${ns}`, campaign: 'dr-2026', namespace: ns, name: ns },
  backupId: 'b1',
  store: 's3://ferry-backups/dr?endpoint=http%3A%2F%2F127.0.0.1%3A9100',
  source: 'ferry-source',
  target: 'ferry-target',
  mode: 'full',
  existingObjects: 'skip',
  existingNamespaces: 'merge',
  namespaceMap: { [ns]: 'shop-dr' },
  storageClassMap: { standard: 'standard-rwo' },
  startedAt: new Date('2026-04-01T10:00:00Z'),
  finishedAt: new Date('2026-04-01T10:00:07Z'),
  restored: prepared.ordered,
  entries: prepared.ordered.map(entryFor),
  origins: prepared.orderedOrigins,
  changes: prepared.changes,
  dropped: prepared.dropped,
  captured,
};

const report = buildRestoreReport(input);
const byName = (kind: string, name: string) => report.objects.find((o) => o.kind === kind && o.name === name);

/** Every property name anywhere in a JSON document. */
function keysOf(v: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(v)) for (const x of v) keysOf(x, out);
  else if (typeof v === 'object' && v !== null)
    for (const [k, x] of Object.entries(v)) {
      out.add(k);
      keysOf(x, out);
    }
  return out;
}

describe('buildRestoreReport', () => {
  it('lists every restored object in apply order under its new name, with its action', () => {
    expect(report.objects.map((o) => `${o.action} ${o.kind} ${o.namespace ?? ''}/${o.name}`)).toEqual([
      'created Namespace /shop-dr',
      'changed ConfigMap shop-dr/settings',
      'skipped Secret shop-dr/db-credentials',
      'created Secret shop-dr/sh.helm.release.v1.storefront.v4',
      'created PersistentVolumeClaim shop-dr/data',
      'created Deployment shop-dr/web',
    ]);
    expect(byName('ConfigMap', 'settings')?.paths).toEqual(['/data/mode']);
    expect(byName('Secret', 'db-credentials')?.reason).toBe('exists on the target and was not restored by Ferry (policy: skip)');
  });

  it('names each object as backed up when a transform renamed it, with the transforms and their reasons', () => {
    expect(byName('Namespace', 'shop-dr')).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      name: 'shop-dr',
      backedUpAs: { apiVersion: 'v1', kind: 'Namespace', name: ns },
      action: 'created',
      transforms: [
        { name: 'remap-namespace', reason: 'namespace map legacy-shop → shop-dr', patches: [{ op: 'replace', path: '/metadata/name' }] },
      ],
    });
    const claim = byName('PersistentVolumeClaim', 'data');
    expect(claim?.backedUpAs).toEqual({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: ns, name: 'data' });
    expect(claim?.transforms).toEqual([
      { name: 'remap-namespace', reason: 'namespace map legacy-shop → shop-dr', patches: [{ op: 'replace', path: '/metadata/namespace' }] },
      {
        name: 'remap-storage-class',
        reason: 'storage class standard → standard-rwo',
        patches: [{ op: 'replace', path: '/spec/storageClassName' }],
      },
    ]);
    expect(byName('Secret', releaseSecret.metadata.name)?.transforms.map((t) => t.name)).toEqual([
      'helm-release-namespace',
      'remap-namespace',
    ]);
  });

  it('lists dropped objects as backed up, with the transform and its reason', () => {
    expect(report.dropped).toEqual([
      {
        apiVersion: 'policy/v1beta1',
        kind: 'PodSecurityPolicy',
        name: 'restricted',
        transform: 'drop-pod-security-policy',
        reason: expect.stringContaining('the target does not serve policy/v1beta1 PodSecurityPolicy'),
      },
    ]);
  });

  it('counts what it lists, and says which run and settings produced it', () => {
    expect(report.counts).toEqual({
      objects: 6,
      created: 4,
      changed: 1,
      unchanged: 0,
      skipped: 1,
      failed: 0,
      dropped: 1,
      changedByTransforms: 8,
    });
    expect(report).toMatchObject({
      kind: 'FerryRestoreReport',
      formatVersion: 1,
      restoreId: input.restoreId,
      workflow: input.workflow,
      backupId: 'b1',
      source: 'ferry-source',
      target: 'ferry-target',
      mode: 'full',
      existingObjects: 'skip',
      existingNamespaces: 'merge',
      namespaceMap: { [ns]: 'shop-dr' },
      storageClassMap: { standard: 'standard-rwo' },
      startedAt: '2026-04-01T10:00:00.000Z',
      finishedAt: '2026-04-01T10:00:07.000Z',
    });
    expect(buildRestoreReport(input)).toEqual(report);
  });

  it('never carries a Secret value: not from the objects, not from a patch that wrote one', () => {
    const helmAfter = prepared.ordered.find((o) => o.metadata.name === releaseSecret.metadata.name) as KubeObject;
    const written = b64(`${password}-rotated`);
    // a transform that set a Secret value: its patch reaches the builder, its value must not reach the report
    const withValue = buildRestoreReport({
      ...input,
      changes: [
        ...input.changes,
        {
          ref: { group: '', kind: 'Secret', namespace: ns, name: 'db-credentials' },
          transform: 'user-patches',
          patches: [{ op: 'replace', path: '/data/password', value: written }],
        },
      ],
    });
    expect(byNameIn(withValue, 'db-credentials')?.transforms.at(-1)).toEqual({
      name: 'user-patches',
      patches: [{ op: 'replace', path: '/data/password' }],
    });
    const text = JSON.stringify(withValue);
    for (const secret of [
      password,
      b64(password),
      written,
      (releaseSecret.data as Record<string, string>).release,
      (helmAfter.data as Record<string, string>).release,
    ]) {
      expect(text).not.toContain(secret);
    }
    expect([...keysOf(withValue)].filter((k) => ['data', 'stringData', 'value', 'spec', 'metadata'].includes(k))).toEqual([]);
  });

  it('refuses entries that do not match the objects', () => {
    expect(() => buildRestoreReport({ ...input, entries: input.entries.slice(1) })).toThrow(ReportInputMismatch);
    expect(() => buildRestoreReport({ ...input, entries: [...input.entries].reverse() })).toThrow(/entry 0 is for Deployment shop-dr\/web/);
  });
});

function byNameIn(r: typeof report, name: string) {
  return r.objects.find((o) => o.name === name);
}

describe('restoreReportTable', () => {
  it('prints one row per object with its transforms, then the dropped ones', () => {
    const lines = restoreReportTable(report);
    expect(lines[0]).toBe(`restore ${input.restoreId}: legacy-shop/legacy-shop backup b1 from ferry-source onto ferry-target`);
    expect(lines[2]).toBe('6 objects: 4 created, 1 changed, 0 unchanged, 1 skipped, 0 failed; 1 dropped');
    const claimRow = lines.find((l) => l.includes('PersistentVolumeClaim shop-dr/data'));
    expect(claimRow?.split(/ {2,}/)).toEqual([
      'created',
      'PersistentVolumeClaim shop-dr/data',
      'PersistentVolumeClaim legacy-shop/data',
      'remap-namespace (namespace map legacy-shop → shop-dr); remap-storage-class (storage class standard → standard-rwo)',
    ]);
    expect(lines.find((l) => l.startsWith('changed'))).toMatch(/ConfigMap shop-dr\/settings .* fields: \/data\/mode$/);
    expect(lines.at(-1)).toMatch(/^ {2}PodSecurityPolicy restricted: drop-pod-security-policy: the target does not serve/);
  });
});
