// The inventory document: valid by its own schema, its JSON Schema file up to date, a digest equal content
// always gets (whenever taken, whatever key order), and the small summary a workflow carries per app.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { appSummary, contentDigest, inventoryDocumentWithJson } from '../../../activities/inventory/document.js';
import { defaultInventoryOptions } from '../../../activities/inventory/options.js';
import { INVENTORY_SCHEMA_PATH, inventoryJsonSchemaText } from '../../../config/export-schema.js';
import { parseInventory } from '../../../config/inventory.js';
import { helm3ReleaseSecret } from '../../../scripts/gen-estate/helm-records.js';
import { inventoryOf, smallCluster } from './cluster.js';
import { inNamespace, object } from './objects.js';

describe('inventory document', () => {
  const doc = inventoryOf(smallCluster());

  it('satisfies its schema', () => {
    const parsed = parseInventory(JSON.parse(JSON.stringify(doc)));
    expect(parsed.ok ? [] : parsed.issues).toEqual([]);
  });

  it('names the field of each problem in a bad document', () => {
    const bad = JSON.parse(JSON.stringify(doc));
    bad.apps[0].mechanism = 'ansible';
    delete bad.summary;
    const parsed = parseInventory(bad);
    expect(parsed.ok ? [] : parsed.issues.map((i) => i.path.join('.')).sort()).toEqual(['apps.0.mechanism', 'summary']);
  });

  it('has a JSON Schema file that is up to date (regenerate with `npm run schema`)', async () => {
    expect(await readFile(INVENTORY_SCHEMA_PATH, 'utf8')).toBe(inventoryJsonSchemaText());
  });

  it('digests content, not the time it was taken nor the key order of its JSON', () => {
    const later = inventoryOf(smallCluster(), { takenAt: new Date('2026-06-30T12:00:00Z') });
    expect(later.takenAt).not.toBe(doc.takenAt);
    expect(later.digest).toBe(doc.digest);
    const reread = parseInventory(JSON.parse(JSON.stringify(doc)));
    expect(reread.ok && contentDigest(reread.inventory)).toBe(doc.digest);
    expect(doc.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('is written out once with its digest: the text is the JSON of the document', () => {
    const { document, json } = inventoryDocumentWithJson({
      context: 'ferry-source',
      version: 'v1.36.3',
      takenAt: new Date('2026-01-01T00:00:00Z'),
      options: { ...defaultInventoryOptions, namespaceSelector: 'team=a' },
      types: [{ apiVersion: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true, objects: 3 }],
      apps: doc.apps,
      warnings: ['b', 'a'],
    });
    expect(json).toBe(JSON.stringify(document));
    expect(document.digest).toBe(contentDigest(document));
  });

  it('gets another digest when the cluster changes', () => {
    const objects = smallCluster().filter((o) => o.metadata.name !== 'hotfix');
    expect(inventoryOf(objects).digest).not.toBe(doc.digest);
  });

  it('is built with its keys in schema order, as a document read back has them (the digest relies on it)', () => {
    const apps = inNamespace('apps');
    const flux = {
      labels: {
        'helm.toolkit.fluxcd.io/name': 'cache',
        'helm.toolkit.fluxcd.io/namespace': 'flux-system',
        'helm.sh/chart': 'redis-17.1.0',
      },
      annotations: { 'meta.helm.sh/release-name': 'apps-cache', 'meta.helm.sh/release-namespace': 'apps' },
    };
    const everyShape = inventoryOf([
      ...smallCluster(),
      object('Namespace', 'apps'),
      apps('Deployment', 'cache', flux),
      apps('ConfigMap', 'admin', {
        labels: { 'kustomize.toolkit.fluxcd.io/name': 'admin', 'kustomize.toolkit.fluxcd.io/namespace': 'flux-system' },
      }),
      helm3ReleaseSecret({
        name: 'apps-cache',
        namespace: 'apps',
        chart: 'redis',
        chartVersion: '17.1.0',
        revision: 1,
        status: 'deployed',
      }),
    ]);
    expect(everyShape.apps.map((a) => `${a.id} ${a.mechanism} ${a.source.kind}`)).toContain('apps/cache flux HelmRelease');
    const reread = parseInventory(JSON.parse(JSON.stringify(everyShape)));
    expect(reread.ok && JSON.stringify(reread.inventory)).toBe(JSON.stringify(everyShape));
  });

  it('summarizes what it holds', () => {
    expect(doc.summary).toEqual({
      namespaces: 3,
      apps: 4,
      objects: doc.apps.reduce((n, a) => n + a.counts.objects, 0),
      bytes: doc.apps.reduce((n, a) => n + a.bytes, 0),
      capacityBytes: 5 * 2 ** 30 + 2 ** 30,
      teams: 3,
      byMechanism: { argocd: 1, helm2: 1, helm3: 1, manual: 1 },
    });
  });

  it('gives a workflow names, counts and claims only', () => {
    const checkout = doc.apps.find((a) => a.id === 'shop/checkout');
    expect(checkout && appSummary(checkout)).toEqual({
      id: 'shop/checkout',
      namespace: 'shop',
      name: 'checkout',
      team: 'payments',
      mechanism: 'helm3',
      stateful: true,
      volumes: [{ claim: 'checkout-cache', storageClass: 'fast-ssd', size: '5Gi' }],
      objectCount: checkout?.counts.objects,
    });
  });
});
