// The app model: the facts of a cluster's selected namespaces grouped into apps (membership.ts), each with team,
// mechanism and its source, GitOps tracking, volumes, side effects, dependencies, counts and sizes. Pure.
// In two steps, so that a listing can model each namespace as soon as it has all of the namespace's objects:
// modelNamespace needs only the namespace's facts and the cluster-scoped ones (listed first); finishApps then
// adds what only the whole listing knows (which app holds what, Helm and Tiller records, which types were listed).
import type { InventoryApp, InventorySource } from '../../config/inventory.js';
import { type ClusterIndex, clusterIndex, type References, referencesOf, resolveDependencies } from './dependencies.js';
import type { ObjectFact } from './facts.js';
import { helmRecordRelease, type Mark, markKeys, markOf } from './marks.js';
import { appMechanism } from './mechanism.js';
import { groupNamespace } from './membership.js';
import type { CompiledOptions } from './options.js';
import { sideEffectsOf } from './side-effects.js';
import { teamOf } from './team.js';
import type { TillerRelease } from './tiller.js';
import { volumesOf } from './volumes.js';

export interface ModelInput {
  /** The selected namespaces' Namespace objects; when Namespaces could not be listed, the namespaces seen in `objects`. */
  readonly namespaces: readonly ObjectFact[];
  /** Namespaced objects of the selected namespaces. */
  readonly objects: readonly ObjectFact[];
  /** Cluster-scoped objects of the kinds dependencies and volumes read. */
  readonly clusterObjects: readonly ObjectFact[];
  /** Every Service of the cluster, `<namespace>/<name>`. */
  readonly services: ReadonlySet<string>;
  readonly tiller: readonly TillerRelease[];
  /** `<group>/<Kind>` of every type listed completely. */
  readonly listed: ReadonlySet<string>;
  readonly options: CompiledOptions;
}

interface AppName {
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
}

interface Draft extends AppName {
  readonly objects: readonly ObjectFact[];
  readonly generated: readonly ObjectFact[];
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const isAmbient = (f: ObjectFact) => f.apiVersion === 'v1' && f.kind === 'ServiceAccount' && f.name === 'default';
const referable = new Set(['Secret', 'ConfigMap', 'ServiceAccount', 'PersistentVolumeClaim', 'Service']);

interface HelmRecord {
  readonly object: string;
  readonly revision: number;
  readonly deployed: boolean;
}

/** The Helm 3 release records of the cluster's selected namespaces, `<namespace>/<release>` → latest record. */
function helmRecords(objects: readonly ObjectFact[]): Map<string, HelmRecord> {
  const out = new Map<string, HelmRecord>();
  for (const f of objects) {
    const release = helmRecordRelease(f);
    if (!release) continue;
    const rec = {
      object: `${f.namespace}/${f.kind}/${f.name}`,
      revision: Number(f.labels?.version) || 0,
      deployed: f.labels?.status === 'deployed',
    };
    const key = `${f.namespace}/${release}`;
    const seen = out.get(key);
    // the deployed revision is the release; later failed or pending ones are attempts
    if (!seen || (rec.deployed && !seen.deployed) || (rec.deployed === seen.deployed && rec.revision > seen.revision)) out.set(key, rec);
  }
  return out;
}

function mostCommon(values: readonly (string | undefined)[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || compare(a[0], b[0]))[0]?.[0];
}

/** What sourceOf reads of an app's objects, read while they are at hand (see NamespaceApp). */
interface SourceHints {
  /** The most common helm.sh/chart label. */
  readonly chart?: string;
  /** The most common meta.helm.sh/release-namespace annotation. */
  readonly releaseNamespace?: string;
  /** The most common chart label (Helm 2's). */
  readonly tillerChart?: string;
}

function sourceHints(objects: readonly ObjectFact[], mechanism: InventoryApp['mechanism']): SourceHints {
  switch (mechanism) {
    case 'flux':
      return { chart: mostCommon(objects.map((f) => f.labels?.[markKeys.helmChart])) };
    case 'helm3':
      return {
        chart: mostCommon(objects.map((f) => f.labels?.[markKeys.helmChart])),
        releaseNamespace: mostCommon(objects.map((f) => f.annotations?.[markKeys.helmReleaseNamespace])),
      };
    case 'helm2':
      return { tillerChart: mostCommon(objects.map((f) => f.labels?.chart)) };
    default:
      return {};
  }
}

function sourceOf(
  draft: AppName,
  hints: SourceHints,
  mark: Mark | undefined,
  mechanism: InventoryApp['mechanism'],
  ctx: {
    helm: Map<string, HelmRecord>;
    tiller: Map<string, TillerRelease>;
    listed: ReadonlySet<string>;
    selected: ReadonlySet<string>;
    tillerNamespace: string;
  },
): { source: InventorySource; warnings: string[] } {
  const warnings: string[] = [];
  const name = mark?.app ?? draft.name;
  switch (mechanism) {
    case 'argocd':
      return { source: { tool: 'argocd', name }, warnings };
    case 'flux':
      return {
        source: {
          tool: 'flux',
          name,
          kind: mark?.rule === 'flux-helmrelease' ? 'HelmRelease' : mark?.rule === 'flux-kustomization' ? 'Kustomization' : undefined,
          namespace: mark?.sourceNamespace,
          chart: hints.chart,
        },
        warnings,
      };
    case 'helm3': {
      const releaseNamespace = hints.releaseNamespace ?? draft.namespace;
      const record = ctx.helm.get(`${releaseNamespace}/${name}`);
      // a record in a namespace outside the selection was not listed: its absence says nothing
      if (!record && ctx.listed.has('/Secret') && ctx.selected.has(releaseNamespace)) {
        warnings.push(`Helm 3 release ${name}: no release record in namespace ${releaseNamespace}; Helm no longer manages these objects`);
      }
      return {
        source: {
          tool: 'helm3',
          name,
          chart: hints.chart,
          revision: record?.revision || undefined,
          record: record?.object,
        },
        warnings,
      };
    }
    case 'helm2': {
      const record = ctx.tiller.get(name);
      if (!record && ctx.listed.has('/ConfigMap')) {
        warnings.push(`Helm 2 release ${name}: no Tiller release record in namespace ${ctx.tillerNamespace}`);
      } else if (record?.namespace && record.namespace !== draft.namespace) {
        warnings.push(`Helm 2 release ${name}: Tiller records it in namespace ${record.namespace}, its objects are in ${draft.namespace}`);
      }
      return {
        source: {
          tool: 'helm2',
          name,
          chart: record?.chart ?? hints.tillerChart,
          revision: record?.revision,
          record: record?.record,
        },
        warnings,
      };
    }
    case 'manual':
      return { source: { tool: 'manual', name }, warnings };
  }
}

/** What modelNamespace reads besides the namespace's own facts: known once the cluster-scoped types are listed. */
export interface ClusterContext {
  /** The selected namespaces' Namespace objects, by name (a namespace's team). */
  readonly namespaces: ReadonlyMap<string, ObjectFact>;
  /** PersistentVolumes by name. */
  readonly volumes: ReadonlyMap<string, ObjectFact>;
  readonly index: ClusterIndex;
  readonly options: CompiledOptions;
}

export function clusterContext(
  namespaces: readonly ObjectFact[],
  clusterObjects: readonly ObjectFact[],
  options: CompiledOptions,
): ClusterContext {
  return {
    namespaces: new Map(namespaces.map((n) => [n.name, n])),
    volumes: new Map(clusterObjects.filter((f) => f.volume !== undefined).map((f) => [f.name, f])),
    index: clusterIndex(clusterObjects),
    options,
  };
}

/** An app as far as its namespace tells; finishApps completes it. Its objects' facts are not kept. */
interface NamespaceApp {
  readonly draft: AppName;
  readonly hints: SourceHints;
  readonly mark: Mark | undefined;
  readonly mechanism: InventoryApp['mechanism'];
  readonly team: ReturnType<typeof teamOf>;
  readonly gitops: InventoryApp['gitops'];
  readonly managers: string[];
  readonly counts: InventoryApp['counts'];
  readonly bytes: number;
  readonly volumes: InventoryApp['volumes'];
  readonly sideEffects: InventoryApp['sideEffects'];
  readonly objects: InventoryApp['objects'];
  readonly references: References;
  readonly unbound: string[];
}

/** One namespace modelled: its apps, and what it adds to the cluster-wide lookups. */
export interface NamespaceModel {
  readonly namespace: string;
  readonly apps: readonly NamespaceApp[];
  /** Kind → name → app id, for every referable core object of its apps (see DependencyIndex.appHolding). */
  readonly holders: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** The Helm 3 release records among its objects, `<namespace>/<release>` → latest. */
  readonly helm: ReadonlyMap<string, HelmRecord>;
}

/** What an app's objects say of who deploys and tracks it (see modelApp). */
interface Marked {
  readonly marks: (Mark | undefined)[];
  /** Release records and the default ServiceAccount say nothing about who owns, deploys or tracks the app. */
  readonly telling: boolean[];
  readonly tellingObjects: ObjectFact[];
  readonly tellingManagers: string[];
  readonly managers: Set<string>;
  /** Claims a tracked StatefulSet made are as tracked as the StatefulSet. */
  readonly trackedTemplates: Set<string>;
}

// modelApp and its helpers run once per app: written with plain loops and no closures, so that V8's optimizing
// compilers spend little on them (they cost it tens of ms of CPU per compile as one function with iterators).
function marked(objects: readonly ObjectFact[]): Marked {
  const n = objects.length;
  const m: Marked = {
    marks: new Array(n),
    telling: new Array(n),
    tellingObjects: [],
    tellingManagers: [],
    managers: new Set(),
    trackedTemplates: new Set(),
  };
  for (let i = 0; i < n; i++) {
    const f = objects[i];
    const ambient = isAmbient(f);
    const tells = !ambient && helmRecordRelease(f) === undefined;
    const mark = ambient ? undefined : markOf(f);
    m.marks[i] = mark;
    m.telling[i] = tells;
    for (let k = 0; k < f.managers.length; k++) m.managers.add(f.managers[k]);
    if (tells) {
      m.tellingObjects.push(f);
      for (let k = 0; k < f.managers.length; k++) m.tellingManagers.push(f.managers[k]);
    }
    const templates = f.claimTemplates;
    if (mark?.gitops && f.kind === 'StatefulSet' && templates) {
      for (let k = 0; k < templates.length; k++) m.trackedTemplates.add(`${templates[k]}-${f.name}-`);
    }
  }
  return m;
}

/** The app's objects as the document lists them, with what GitOps does not track; counts by kind and bytes. */
function appObjects(draft: Draft, m: Marked, gitopsApp: boolean) {
  const n = draft.objects.length;
  const untracked: string[] = [];
  const objects: InventoryApp['objects'] = new Array(n);
  const kinds = new Map<string, number>();
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const f = draft.objects[i];
    const tracked =
      m.marks[i]?.gitops === true ||
      (m.trackedTemplates.size > 0 && f.kind === 'PersistentVolumeClaim' && m.trackedTemplates.has(f.name.replace(/\d+$/, '')));
    if (gitopsApp && !tracked && m.telling[i]) untracked.push(`${f.kind}/${f.name}`);
    objects[i] = { apiVersion: f.apiVersion, kind: f.kind, name: f.name, bytes: f.bytes, digest: f.digest, tracked };
    kinds.set(f.kind, (kinds.get(f.kind) ?? 0) + 1);
    bytes += f.bytes;
  }
  for (let i = 0; i < draft.generated.length; i++) {
    const f = draft.generated[i];
    kinds.set(f.kind, (kinds.get(f.kind) ?? 0) + 1);
    bytes += f.bytes;
  }
  const names = Array.from(kinds.keys()).sort(compare);
  const byKind: Record<string, number> = {};
  for (let i = 0; i < names.length; i++) byKind[names[i]] = kinds.get(names[i]) ?? 0;
  return { objects, untracked, byKind, bytes };
}

function modelApp(draft: Draft, context: ClusterContext): NamespaceApp {
  const m = marked(draft.objects);
  const { mechanism, mark } = appMechanism(m.marks, m.tellingManagers);
  const team = teamOf(m.tellingObjects, context.namespaces.get(draft.namespace), context.options.options.teamKeys);
  const gitopsApp = mechanism === 'argocd' || mechanism === 'flux';
  const { objects, untracked, byKind, bytes } = appObjects(draft, m, gitopsApp);
  const volumes = volumesOf(draft.objects, context.volumes);
  const unbound: string[] = [];
  for (let i = 0; i < volumes.length; i++) {
    if (volumes[i].phase !== 'Bound') unbound.push(`PersistentVolumeClaim/${volumes[i].claim}: ${volumes[i].phase}, not Bound`);
  }
  return {
    draft: { id: draft.id, namespace: draft.namespace, name: draft.name },
    hints: sourceHints(draft.objects, mechanism),
    mark,
    mechanism,
    team,
    gitops: { status: !gitopsApp ? 'untracked' : untracked.length > 0 ? 'partial' : 'tracked', untracked },
    managers: Array.from(m.managers).sort(compare),
    counts: { objects: draft.objects.length + draft.generated.length, generated: draft.generated.length, byKind },
    bytes,
    volumes,
    sideEffects: sideEffectsOf(draft.objects),
    objects,
    references: referencesOf(draft.namespace, draft.objects, context.index),
    unbound,
  };
}

/** The apps of one selected namespace, from its facts (in a fixed order: the listing's, type by type). */
export function modelNamespace(namespace: string, facts: readonly ObjectFact[], context: ClusterContext): NamespaceModel {
  const holders = new Map<string, Map<string, string>>();
  const apps: NamespaceApp[] = [];
  const selection = context.options;
  for (const app of groupNamespace(namespace, facts)) {
    const draft: Draft = {
      id: `${namespace}/${app.name}`,
      namespace,
      name: app.name,
      objects: app.objects.map((i) => facts[i]),
      generated: app.generated.map((i) => facts[i]),
    };
    // an app the selector leaves out still holds what other apps reference
    for (const f of draft.objects) {
      if (f.apiVersion !== 'v1' || !referable.has(f.kind)) continue;
      let byName = holders.get(f.kind);
      if (!byName) {
        byName = new Map();
        holders.set(f.kind, byName);
      }
      byName.set(f.name, draft.id);
    }
    if (selection.hasAppSelector && !draft.objects.some((f) => selection.appLabelsMatch(f.labels))) continue;
    apps.push(modelApp(draft, context));
  }
  return { namespace, apps, holders, helm: helmRecords(facts) };
}

/** What only the whole listing knows (see ModelInput). */
export interface ClusterWide {
  readonly services: ReadonlySet<string>;
  readonly tiller: readonly TillerRelease[];
  readonly listed: ReadonlySet<string>;
}

/** The apps of every selected namespace (`models`, one per namespace), completed; and the cluster's own warnings. */
export function finishApps(
  models: readonly NamespaceModel[],
  context: ClusterContext,
  wide: ClusterWide,
): { apps: InventoryApp[]; warnings: string[] } {
  const sorted = [...models].sort((a, b) => compare(a.namespace, b.namespace));
  const byNamespace = new Map(sorted.map((m) => [m.namespace, m]));
  const helm = new Map<string, HelmRecord>();
  for (const m of sorted) for (const [k, v] of m.helm) helm.set(k, v);
  const index = {
    ...context.index,
    appHolding: (namespace: string, kind: string, name: string) => byNamespace.get(namespace)?.holders.get(kind)?.get(name),
    listed: (group: string, kind: string) => wide.listed.has(`${group}/${kind}`),
    services: wide.services,
  };
  const selected = new Set(sorted.map((m) => m.namespace));
  const ctx = {
    helm,
    tiller: new Map(wide.tiller.map((t) => [t.name, t])),
    listed: wide.listed,
    selected,
    tillerNamespace: context.options.options.tillerNamespace,
  };
  const apps: InventoryApp[] = [];
  const releasesFound = new Set<string>();
  for (const m of sorted) {
    for (const a of m.apps) {
      const { draft, mark, mechanism } = a;
      if (mechanism === 'helm2') releasesFound.add(mark?.app ?? draft.name);
      const { source, warnings: sourceWarnings } = sourceOf(draft, a.hints, mark, mechanism, ctx);
      const { dependencies, warnings: depWarnings } = resolveDependencies(draft.id, draft.namespace, a.references, index);
      apps.push({
        id: draft.id,
        namespace: draft.namespace,
        name: draft.name,
        team: a.team.team,
        teamFrom: a.team.from,
        mechanism,
        source,
        gitops: a.gitops,
        managers: a.managers,
        stateful: a.volumes.length > 0,
        counts: a.counts,
        bytes: a.bytes,
        capacityBytes: a.volumes.reduce((sum, v) => sum + v.requestedBytes, 0),
        volumes: a.volumes,
        sideEffects: a.sideEffects,
        dependencies,
        objects: a.objects,
        warnings: [...sourceWarnings, ...a.unbound, ...depWarnings],
      });
    }
  }

  const warnings: string[] = [];
  for (const t of wide.tiller) {
    if (releasesFound.has(t.name) || (t.namespace !== undefined && !selected.has(t.namespace))) continue;
    warnings.push(
      `Helm 2 release ${t.name} (${t.record}): no objects labelled release=${t.name}, heritage=Tiller in the selected namespaces`,
    );
  }
  return { apps, warnings };
}

/** Both steps at once, for facts already grouped by nobody: every namespace of `input.namespaces` is modelled. */
export function buildApps(input: ModelInput): { apps: InventoryApp[]; warnings: string[] } {
  const context = clusterContext(input.namespaces, input.clusterObjects, input.options);
  const byNamespace = new Map<string, ObjectFact[]>();
  for (const ns of input.namespaces) byNamespace.set(ns.name, []);
  for (const f of input.objects) {
    const ns = f.namespace ?? '';
    let list = byNamespace.get(ns);
    if (!list) {
      list = [];
      byNamespace.set(ns, list);
    }
    list.push(f);
  }
  const models = [...byNamespace].map(([ns, facts]) => modelNamespace(ns, facts, context));
  return finishApps(models, context, input);
}
