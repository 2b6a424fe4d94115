// Listing and modelling at once (collect.ts into inventory-builder.ts) over scripted listings, because a real API
// server always lists in key order and never starts a listing over on its own: here one lists out of order, one
// fails, one expires and is listed again. The apps must be those the model makes of the same objects all at once,
// whether the builder runs in this thread or in the inventory's own (inventory-thread.ts).
import { describe, expect, it } from 'vitest';
import { collect } from '../../../activities/inventory/collect.js';
import { InventoryBuilder } from '../../../activities/inventory/inventory-builder.js';
import { inventoryThreadPageMemory, threadedBuilder } from '../../../activities/inventory/inventory-thread.js';
import { defaultInventoryOptions } from '../../../activities/inventory/options.js';
import type { Cluster, ResourceType } from '../../../activities/kube/cluster.js';
import { KubeApiError } from '../../../activities/kube/errors.js';
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
    async *listBodies(t: ResourceType): AsyncGenerator<Buffer> {
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
        yield Buffer.from(JSON.stringify({ metadata: {}, items: served.slice(at, at + pageSize) }));
        if (at + pageSize >= served.length && !(items instanceof Error)) return;
      }
    },
  };
  return { cluster: cluster as unknown as Cluster, types: [...types.values()] };
}

const head = { context: 'ferry-source', version: 'v1.36.3', takenAt: new Date('2026-01-01T00:00:00Z'), warnings: [] };

async function inventoryThrough(objects: readonly KubeObject[], script: Script, late: readonly string[] = []) {
  const { cluster, types } = scripted(objects, script, late);
  const builder = new InventoryBuilder(types, defaultInventoryOptions);
  await collect(cluster, types, defaultInventoryOptions, builder);
  const doc = builder.finish(head);
  return { doc, modelledAgain: builder.modelled - doc.summary.namespaces };
}

/** The same through the inventory's thread. */
async function inventoryInThread(objects: readonly KubeObject[], script: Script, late: readonly string[] = []) {
  const { cluster, types } = scripted(objects, script, late);
  const listed: number[] = [];
  const builder = threadedBuilder(types, defaultInventoryOptions, (n) => listed.push(n));
  await collect(cluster, types, defaultInventoryOptions, builder);
  return { doc: await builder.finish(head), listed };
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
      const { doc, modelledAgain } = await inventoryThrough(objects, script, late);
      expect(doc.warnings).toEqual(expected.warnings);
      expect(doc.apps).toEqual(expected.apps);
      expect(doc.summary).toEqual(expected.summary);
      if (again !== undefined) expect(modelledAgain > 0).toBe(again);
    }
  });

  it('lists a type again when its continue token expires, and forgets what its first attempt gave', async () => {
    const { doc } = await inventoryThrough(objects, (t, items, attempt) =>
      t.kind === 'Secret' && attempt === 1 ? new KubeApiError('scripted', 'GET', '/api/v1/secrets', 410, 'Expired', 'too old') : items,
    );
    expect(doc.warnings).toEqual(expected.warnings);
    expect(doc.apps).toEqual(expected.apps);
  });

  it('models without a type that fails, as the model does without its objects', async () => {
    const { doc } = await inventoryThrough(objects, (t, items) =>
      t.kind === 'Service' ? new KubeApiError('scripted', 'GET', '/api/v1/services', 403, 'Forbidden', 'no') : items,
    );
    const without = inventoryOf(objects, { unlisted: ['/Service'] });
    expect(doc.warnings).toEqual(
      [...without.warnings, 'services: cannot list (forbidden to this identity); its objects are missing from the inventory'].sort(),
    );
    expect(doc.apps).toEqual(without.apps);
  });
});

describe("the inventory's thread", () => {
  const objects = smallCluster();

  it('builds the document this thread builds from the same listings, and tells the objects listed', async () => {
    for (const [script, late] of [
      [(_t, items) => items, ['ConfigMap']],
      [
        (t, items, attempt) =>
          t.kind === 'Secret' && attempt === 1 ? new KubeApiError('scripted', 'GET', '/', 410, 'Expired', 'old') : items,
        [],
      ],
      [(t, items) => (t.kind === 'Service' ? new KubeApiError('scripted', 'GET', '/', 403, 'Forbidden', 'no') : items), []],
    ] satisfies [Script, string[]][]) {
      const here = await inventoryThrough(objects, script, late);
      const there = await inventoryInThread(objects, script, late);
      expect(there.doc).toEqual(JSON.parse(JSON.stringify(here.doc)));
      expect(there.listed.at(-1)).toBeGreaterThanOrEqual(objects.length - 1);
    }
  });

  it('fails the inventory, naming the problem, when a page cannot be read, and stops its listing', async () => {
    const types: ResourceType[] = [
      { group: '', version: 'v1', apiVersion: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true, verbs: ['list'] },
    ];
    let served = 0;
    const cluster = {
      context: 'broken',
      async *listBodies(): AsyncGenerator<Buffer> {
        for (; served < 1000; served++) {
          // the builder answers between pages
          await new Promise(setImmediate);
          yield Buffer.from(served === 0 ? '{"items":[{"metadata":{"name":"a"' : '{"items":[]}');
        }
      },
    } as unknown as Cluster;
    const builder = threadedBuilder(types, defaultInventoryOptions);
    await expect(collect(cluster, types, defaultInventoryOptions, builder)).rejects.toThrow(/JSON/);
    expect(served).toBeLessThan(1000);
    await expect(builder.finish(head)).rejects.toThrow(/JSON/);
  });

  it('holds the listing back while the thread has more than a few MiB of pages to read, and reads them all', async () => {
    const types: ResourceType[] = [
      { group: '', version: 'v1', apiVersion: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true, verbs: ['list'] },
    ];
    const big = 'x'.repeat(4096);
    // 24 pages of ~1 MiB, sent without waiting for anything but the sink
    const pages = Array.from({ length: 24 }, (_, p) =>
      Buffer.from(
        JSON.stringify({
          metadata: {},
          items: Array.from({ length: 250 }, (_, k) => ({ metadata: { name: `cm-${p}-${k}`, namespace: 'ns' }, data: { big } })),
        }),
      ),
    );
    const cluster = {
      context: 'big',
      async *listBodies(): AsyncGenerator<Buffer> {
        yield* pages;
      },
    } as unknown as Cluster;
    const builder = threadedBuilder(types, defaultInventoryOptions);
    let heldBack = 0;
    const sink = {
      ...builder,
      page: (i: number, body: Buffer) => {
        const r = builder.page(i, body);
        if (r) heldBack++;
        return r;
      },
    };
    const before = inventoryThreadPageMemory().allocated;
    await collect(cluster, types, defaultInventoryOptions, sink);
    const doc = await builder.finish(head);
    expect(heldBack).toBeGreaterThan(0);
    // the pages' memory came back from the thread and took the next pages; freed once no inventory runs
    const memory = inventoryThreadPageMemory();
    expect(memory.allocated - before).toBeGreaterThan(0);
    expect(memory.allocated - before).toBeLessThan(pages.length);
    expect(memory.kept).toBe(0);
    expect(doc.types).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true, objects: 24 * 250 }]);
  });

  it('refuses options that do not compile, as this thread does', async () => {
    const options = { ...defaultInventoryOptions, appSelector: 'app in (' };
    expect(() => new InventoryBuilder([], options)).toThrow(/appSelector/);
    const builder = threadedBuilder([], options);
    await expect(builder.finish(head)).rejects.toThrow(/appSelector/);
  });
});
