// Two inventories compared: apps added and removed, and per app what changed (team, mechanism, volumes, side
// effects, dependencies) and which objects were added, removed or changed (by digest). Pure.
import type { InventoryApp, InventoryDocument } from '../../config/inventory.js';
import { groupOf } from '../kube/object.js';

/** A value that changed, or entries of a list that were added and removed. */
export type FieldChange =
  | { readonly field: string; readonly before: string; readonly after: string }
  | { readonly field: string; readonly added: readonly string[]; readonly removed: readonly string[] };

export interface AppChange {
  readonly id: string;
  readonly fields: readonly FieldChange[];
  /** `Kind/name` of objects, each list sorted. */
  readonly objects: { readonly added: readonly string[]; readonly removed: readonly string[]; readonly changed: readonly string[] };
}

export interface AppBrief {
  readonly id: string;
  readonly team: string;
  readonly mechanism: string;
  readonly objects: number;
}

export interface InventoryDiff {
  readonly same: boolean;
  readonly added: readonly AppBrief[];
  readonly removed: readonly AppBrief[];
  readonly changed: readonly AppChange[];
}

const brief = (a: InventoryApp): AppBrief => ({ id: a.id, team: a.team, mechanism: a.mechanism, objects: a.counts.objects });
const byId = (apps: readonly InventoryApp[]) => new Map(apps.map((a) => [a.id, a]));
const sortedKeys = (m: ReadonlyMap<string, unknown>) => [...m.keys()].sort();

/** Fields whose values are lists: reported as `+added -removed` of their entries. */
function setChange(field: string, before: readonly string[], after: readonly string[]): FieldChange | undefined {
  const b = new Set(before);
  const a = new Set(after);
  const added = [...a].filter((x) => !b.has(x)).sort();
  const removed = [...b].filter((x) => !a.has(x)).sort();
  if (added.length === 0 && removed.length === 0) return undefined;
  return { field, added, removed };
}

function valueChange(field: string, before: string, after: string): FieldChange | undefined {
  return before === after ? undefined : { field, before, after };
}

function appChanges(a: InventoryApp, b: InventoryApp): FieldChange[] {
  const s = (x: unknown) => JSON.stringify(x);
  const volumes = (x: InventoryApp) =>
    x.volumes.map((v) => `${v.claim}(${v.storageClass || 'no class'},${v.requested},${v.accessModes.join('+')})`);
  const effects = (x: InventoryApp) => [
    ...x.sideEffects.loadBalancers.map((l) => `LoadBalancer ${l.service}[${l.addresses.join(',')}]`),
    ...x.sideEffects.nodePorts.map((n) => `NodePort ${n.service}[${n.ports.join(',')}]`),
    ...x.sideEffects.ingresses.map((i) => `Ingress ${i.name}[${i.class ?? ''}:${i.hosts.join(',')}]`),
    ...x.sideEffects.externalDns.map((d) => `DNS ${d.object}[${d.hostnames.join(',')}]`),
  ];
  const deps = (x: InventoryApp) => [
    ...x.dependencies.objects.map((d) => `${d.kind}/${d.name}:${d.status}${d.app ? `@${d.app}` : ''}`),
    ...x.dependencies.crossNamespace.map((c) => `${c.host}:${c.status}`),
    ...x.dependencies.cluster.map((c) => `${c.kind}/${c.name}:${c.status}`),
  ];
  return [
    valueChange('team', a.team, b.team),
    valueChange('mechanism', a.mechanism, b.mechanism),
    valueChange('source', s(a.source), s(b.source)),
    valueChange('gitops', a.gitops.status, b.gitops.status),
    setChange('untracked', a.gitops.untracked, b.gitops.untracked),
    setChange('volumes', volumes(a), volumes(b)),
    setChange('sideEffects', effects(a), effects(b)),
    setChange('dependencies', deps(a), deps(b)),
  ].filter((c): c is FieldChange => c !== undefined);
}

function objectChanges(a: InventoryApp, b: InventoryApp): AppChange['objects'] {
  const key = (o: InventoryApp['objects'][number]) => `${groupOf(o.apiVersion)}/${o.kind}/${o.name}`;
  const before = new Map(a.objects.map((o) => [key(o), o]));
  const after = new Map(b.objects.map((o) => [key(o), o]));
  const label = (o: InventoryApp['objects'][number]) => `${o.kind}/${o.name}`;
  const added: string[] = [];
  const removed: string[] = [];
  const changed: string[] = [];
  for (const k of sortedKeys(after)) {
    const was = before.get(k);
    const now = after.get(k);
    if (!now) continue;
    if (!was) added.push(label(now));
    // objects a controller made carry no digest: their churn is not a change of the app
    else if (was.digest !== undefined && now.digest !== undefined && was.digest !== now.digest) changed.push(label(now));
  }
  for (const k of sortedKeys(before)) {
    const was = before.get(k);
    if (was && !after.has(k)) removed.push(label(was));
  }
  return { added: added.sort(), removed: removed.sort(), changed: changed.sort() };
}

export function diffInventories(before: InventoryDocument, after: InventoryDocument): InventoryDiff {
  const a = byId(before.apps);
  const b = byId(after.apps);
  const added = sortedKeys(b)
    .filter((id) => !a.has(id))
    .map((id) => brief(b.get(id) as InventoryApp));
  const removed = sortedKeys(a)
    .filter((id) => !b.has(id))
    .map((id) => brief(a.get(id) as InventoryApp));
  const changed: AppChange[] = [];
  for (const id of sortedKeys(a)) {
    const x = a.get(id);
    const y = b.get(id);
    if (!x || !y) continue;
    const fields = appChanges(x, y);
    const objects = objectChanges(x, y);
    if (fields.length > 0 || objects.added.length > 0 || objects.removed.length > 0 || objects.changed.length > 0) {
      changed.push({ id, fields, objects });
    }
  }
  return { same: added.length === 0 && removed.length === 0 && changed.length === 0, added, removed, changed };
}
