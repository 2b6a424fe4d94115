// Listing and modelling at once (collect.ts) over scripted listings, because a real API server always lists in key
// order and never starts a listing over on its own: here one lists out of order, one fails, one expires and is
// listed again. The apps must be those the model makes of the same objects all at once.
import { describe, expect, it } from 'vitest';
import { collect } from '../../../activities/inventory/collect.js';
import { inventoryDocument } from '../../../activities/inventory/document.js';
import { clusterContext, finishApps, modelNamespace } from '../../../activities/inventory/model.js';
import { compileOptions, defaultInventoryOptions } from '../../../activities/inventory/options.js';
import { latestTillerReleases } from '../../../activities/inventory/tiller.js';
import type { Cluster, ListPage, ResourceType } from '../../../activities/kube/cluster.js';
import { KubeApiError } from '../../../activities/kube/errors.js';
import { decodeList } from '../../../activities/kube/list-body.js';
import { groupOf, type KubeObject } from '../../../activities/kube/object.js';
import { inventoryOf, smallCluster } from './cluster.js';

type Script = (t: ResourceType, items: KubeObject[], attempt: number) => KubeObject[] | Error;

/**
 * A Cluster whose listings serve `objects` in pages of `pageSize`, each type's items as `script` says; the listings
 * of `late` kinds wait for the others to end before their second page.
 */
function scripted(objects: readonly KubeObject[], script: Script, late: readonly string[], pageSize = 2) {
  const types = new Map<string, ResourceType>();
  for (const o of objects) {
    const group = groupOf(o.apiVersion);
    const key = `${group}/${o.kind}`;
    if (types.has(key)) continue;
    types.set(key, {
      group,
      version: o.apiVersion.split('/').at(-1) ?? 'v1',
      apiVersion: o.apiVersion,
      kind: o.kind,
      plural: `${o.kind.toLowerCase()}s`,
      namespaced: o.metadata.namespace !== undefined,
      verbs: ['list'],
    });
  }
  const attempts = new Map<string, number>();
  const cluster = {
    context: 'scripted',
    async *listPages(t: ResourceType): AsyncGenerator<ListPage> {
      const attempt = (attempts.get(t.kind) ?? 0) + 1;
      attempts.set(t.kind, attempt);
      const keyOf = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
      const mine = objects.filter((o) => o.kind === t.kind && groupOf(o.apiVersion) === t.group);
      const items = script(
        t,
        [...mine].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1)),
        attempt,
      );
      // a failing listing fails after its first page
      const served = items instanceof Error ? mine.slice(0, pageSize) : items;
      for (let at = 0; ; at += pageSize) {
        // other listings go on between pages
        for (let turns = at > 0 && late.includes(t.kind) ? 200 : 1; turns > 0; turns--) await new Promise(setImmediate);
        if (items instanceof Error && at > 0) throw items;
        const body = Buffer.from(JSON.stringify({ metadata: {}, items: served.slice(at, at + pageSize) }));
        const page = decodeList<KubeObject>(body, { lean: true });
        yield { length: page.length, size: page.size, item: page.item, lean: page.lean };
        if (at + pageSize >= served.length && !(items instanceof Error)) return;
      }
    },
  };
  return { cluster: cluster as unknown as Cluster, types: [...types.values()] };
}

async function inventoryThrough(objects: readonly KubeObject[], script: Script, late: readonly string[] = []) {
  const { cluster, types } = scripted(objects, script, late);
  const compiled = compileOptions(defaultInventoryOptions);
  const modelled: string[] = [];
  const c = await collect(cluster, types, compiled, {
    start: (early) => clusterContext(early.namespaces, early.clusterObjects, compiled),
    model: (namespace, facts, context) => {
      modelled.push(namespace);
      return modelNamespace(namespace, facts, context);
    },
  });
  const model = finishApps(c.models, c.context, { services: c.services, tiller: latestTillerReleases(c.tiller), listed: c.listed });
  const doc = inventoryDocument({
    context: 'ferry-source',
    version: 'v1.36.3',
    takenAt: new Date('2026-01-01T00:00:00Z'),
    options: defaultInventoryOptions,
    types: [],
    apps: model.apps,
    warnings: model.warnings,
  });
  return { doc, warnings: c.warnings, modelledAgain: modelled.length - new Set(modelled).size };
}

describe('collect', () => {
  const objects = smallCluster();
  const expected = inventoryOf(objects);

  it('models every namespace as the model does all at once, whatever the order each type is listed in', async () => {
    for (const [script, late, again] of [
      [(_t, items) => items, ['ConfigMap'], false],
      // ServiceAccounts backwards, slowly: the namespaces their first page passed are modelled before the rest come
      // in, and modelled again then
      [(t, items) => (t.kind === 'ServiceAccount' ? items.reverse() : items), ['ServiceAccount'], true],
      // every type's odd items first
      [(_t, items) => [...items.filter((_, i) => i % 2 === 1), ...items.filter((_, i) => i % 2 === 0)], [], undefined],
    ] satisfies [Script, string[], boolean | undefined][]) {
      const { doc, warnings, modelledAgain } = await inventoryThrough(objects, script, late);
      expect(warnings).toEqual([]);
      expect(doc.apps).toEqual(expected.apps);
      expect(doc.digest).toBe(expected.digest);
      if (again !== undefined) expect(modelledAgain > 0).toBe(again);
    }
  });

  it('lists a type again when its continue token expires, and forgets what its first attempt gave', async () => {
    const { doc, warnings } = await inventoryThrough(objects, (t, items, attempt) =>
      t.kind === 'Secret' && attempt === 1 ? new KubeApiError('scripted', 'GET', '/api/v1/secrets', 410, 'Expired', 'too old') : items,
    );
    expect(warnings).toEqual([]);
    expect(doc.digest).toBe(expected.digest);
  });

  it('models without a type that fails, as the model does without its objects', async () => {
    const { doc, warnings } = await inventoryThrough(objects, (t, items) =>
      t.kind === 'Service' ? new KubeApiError('scripted', 'GET', '/api/v1/services', 403, 'Forbidden', 'no') : items,
    );
    expect(warnings).toEqual(['services: cannot list (forbidden to this identity); its objects are missing from the inventory']);
    expect(doc.apps).toEqual(inventoryOf(objects, { unlisted: ['/Service'] }).apps);
  });
});
