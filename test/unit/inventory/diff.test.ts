// Comparing two inventories: apps added and removed, fields that changed, objects added, removed and changed by
// digest; churn of what controllers make is no change.
import { describe, expect, it } from 'vitest';
import { diffInventories } from '../../../activities/inventory/diff.js';
import type { KubeObject } from '../../../activities/kube/object.js';
import { diffLines } from '../../../cli/commands/inventory.js';
import { inventoryOf, smallCluster } from './cluster.js';
import { inNamespace } from './objects.js';

const edit = (objects: KubeObject[], name: string, fn: (o: KubeObject) => KubeObject) =>
  objects.map((o) => (o.metadata.name === name ? fn(o) : o));

describe('diffInventories', () => {
  const before = inventoryOf(smallCluster());

  it('finds nothing between equal inventories taken at different times', () => {
    const again = inventoryOf(smallCluster(), { takenAt: new Date('2026-02-01T00:00:00Z') });
    expect(diffInventories(before, again)).toEqual({ same: true, added: [], removed: [], changed: [] });
  });

  it('reports apps, fields and objects that changed', () => {
    let objects = smallCluster().filter(
      (o) => o.metadata.name !== 'hotfix' && o.metadata.namespace !== 'finance' && o.metadata.name !== 'finance',
    );
    objects = edit(objects, 'shop', (o) => ({ ...o, metadata: { ...o.metadata, labels: { 'ferry.dev/team': 'checkout-team' } } }));
    objects = edit(objects, 'checkout-env', (o) => ({ ...o, data: { LOG_LEVEL: 'debug' } }));
    // a Pod replaced by its controller is churn, not change
    objects = edit(objects, 'sessions-0', (o) => ({ ...o, metadata: { ...o.metadata, uid: 'another-uid', resourceVersion: '5' } }));
    objects.push(inNamespace('shop')('ConfigMap', 'checkout-banner', { annotations: { 'meta.helm.sh/release-name': 'checkout' } }));
    objects.push(inNamespace('search')('Deployment', 'indexer'), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'search' } });
    const after = inventoryOf(objects);

    const diff = diffInventories(before, after);
    expect(diff.same).toBe(false);
    expect(diff.added.map((a) => a.id)).toEqual(['search/search']);
    expect(diff.removed.map((a) => a.id)).toEqual(['finance/ledger-v1']);
    expect(diff.changed.map((c) => c.id)).toEqual(['auth/auth', 'shop/checkout', 'shop/shop']);
    const byId = Object.fromEntries(diff.changed.map((c) => [c.id, c]));
    expect(byId['auth/auth'].fields).toEqual([
      { field: 'gitops', before: 'partial', after: 'tracked' },
      { field: 'untracked', added: [], removed: ['Secret/hotfix'] },
    ]);
    expect(byId['auth/auth'].objects).toEqual({ added: [], removed: ['Secret/hotfix'], changed: [] });
    expect(byId['shop/checkout'].fields).toEqual([
      { field: 'team', before: 'payments', after: 'checkout-team' },
      {
        field: 'dependencies',
        added: ['ledger.finance.svc.cluster.local:missing'],
        removed: ['ledger.finance.svc.cluster.local:app'],
      },
    ]);
    expect(byId['shop/checkout'].objects).toEqual({
      added: ['ConfigMap/checkout-banner'],
      removed: [],
      changed: ['ConfigMap/checkout-env'],
    });

    const text = diffLines(diff, before, after).join('\n');
    expect(text).toContain('apps: +1 -1 ~3');
    expect(text).toContain('+ search/search  (unowned, manual, 1 objects)');
    expect(text).toContain('    team: payments → checkout-team');
    expect(text).toContain('    objects: +ConfigMap/checkout-banner ~ConfigMap/checkout-env');
  });
});
