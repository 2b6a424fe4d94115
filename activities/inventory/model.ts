// The app model: the facts of a cluster's selected namespaces grouped into apps (membership.ts), each with team,
// mechanism and its source, GitOps tracking, volumes, side effects, dependencies, counts and sizes. Pure.
import type { InventoryApp, InventorySource } from '../../config/inventory.js';
import { type DependencyIndex, dependenciesOf } from './dependencies.js';
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

interface Draft {
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  readonly objects: readonly ObjectFact[];
  readonly generated: readonly ObjectFact[];
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const isAmbient = (f: ObjectFact) => f.apiVersion === 'v1' && f.kind === 'ServiceAccount' && f.name === 'default';

function drafts(input: ModelInput): Draft[] {
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
  const out: Draft[] = [];
  for (const ns of [...byNamespace.keys()].sort(compare)) {
    const facts = byNamespace.get(ns) ?? [];
    for (const app of groupNamespace(ns, facts)) {
      out.push({
        id: `${ns}/${app.name}`,
        namespace: ns,
        name: app.name,
        objects: app.objects.map((i) => facts[i]),
        generated: app.generated.map((i) => facts[i]),
      });
    }
  }
  return out;
}

function dependencyIndex(input: ModelInput, apps: readonly Draft[]): DependencyIndex {
  const memberApp = new Map<string, string>();
  const referable = new Set(['Secret', 'ConfigMap', 'ServiceAccount', 'PersistentVolumeClaim', 'Service']);
  for (const app of apps) {
    for (const f of app.objects)
      if (f.apiVersion === 'v1' && referable.has(f.kind)) memberApp.set(`${app.namespace}/${f.kind}/${f.name}`, app.id);
  }
  const crds = new Map<string, Map<string, string>>();
  const clusterRoleBindings = new Map<string, { binding: string; role: string }[]>();
  const clusterNames = new Map<string, Set<string>>();
  for (const f of input.clusterObjects) {
    let names = clusterNames.get(f.kind);
    if (!names) {
      names = new Set();
      clusterNames.set(f.kind, names);
    }
    names.add(f.name);
    if (f.crd) {
      let kinds = crds.get(f.crd.group);
      if (!kinds) {
        kinds = new Map();
        crds.set(f.crd.group, kinds);
      }
      kinds.set(f.crd.kind, f.name);
    }
    if (f.binding && f.kind === 'ClusterRoleBinding' && f.binding.roleRef.kind === 'ClusterRole') {
      for (const s of f.binding.subjects) {
        if (s.kind !== 'ServiceAccount' || !s.namespace) continue;
        const key = `${s.namespace}/${s.name}`;
        clusterRoleBindings.set(key, [...(clusterRoleBindings.get(key) ?? []), { binding: f.name, role: f.binding.roleRef.name }]);
      }
    }
  }
  for (const list of clusterRoleBindings.values()) list.sort((a, b) => compare(a.binding, b.binding));
  return {
    memberApp,
    listed: (group, kind) => input.listed.has(`${group}/${kind}`),
    services: input.services,
    crds,
    clusterRoleBindings,
    clusterNames,
  };
}

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

function sourceOf(
  draft: Draft,
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
          chart: mostCommon(draft.objects.map((f) => f.labels?.[markKeys.helmChart])),
        },
        warnings,
      };
    case 'helm3': {
      const releaseNamespace = mostCommon(draft.objects.map((f) => f.annotations?.[markKeys.helmReleaseNamespace])) ?? draft.namespace;
      const record = ctx.helm.get(`${releaseNamespace}/${name}`);
      // a record in a namespace outside the selection was not listed: its absence says nothing
      if (!record && ctx.listed.has('/Secret') && ctx.selected.has(releaseNamespace)) {
        warnings.push(`Helm 3 release ${name}: no release record in namespace ${releaseNamespace}; Helm no longer manages these objects`);
      }
      return {
        source: {
          tool: 'helm3',
          name,
          chart: mostCommon(draft.objects.map((f) => f.labels?.[markKeys.helmChart])),
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
          chart: record?.chart ?? mostCommon(draft.objects.map((f) => f.labels?.chart)),
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

export function buildApps(input: ModelInput): { apps: InventoryApp[]; warnings: string[] } {
  const all = drafts(input);
  const index = dependencyIndex(input, all);
  const namespaces = new Map(input.namespaces.map((n) => [n.name, n]));
  const volumes = new Map(input.clusterObjects.filter((f) => f.volume !== undefined).map((f) => [f.name, f]));
  const ctx = {
    helm: helmRecords(input.objects),
    tiller: new Map(input.tiller.map((t) => [t.name, t])),
    listed: input.listed,
    selected: new Set(namespaces.keys()),
    tillerNamespace: input.options.options.tillerNamespace,
  };
  const keys = input.options.options.teamKeys;
  const apps: InventoryApp[] = [];
  const releasesFound = new Set<string>();
  const appMatch = input.options.appLabelsMatch;
  for (const draft of all) {
    if (appMatch && !draft.objects.some((f) => appMatch(f.labels))) continue;
    const n = draft.objects.length;
    const marks: (Mark | undefined)[] = new Array(n);
    // release records and the default ServiceAccount say nothing about who owns, deploys or tracks the app
    const telling: boolean[] = new Array(n);
    const tellingObjects: ObjectFact[] = [];
    const tellingManagers: string[] = [];
    const managers = new Set<string>();
    // claims a tracked StatefulSet made are as tracked as the StatefulSet
    const trackedTemplates = new Set<string>();
    for (let i = 0; i < n; i++) {
      const f = draft.objects[i];
      const tells = !isAmbient(f) && helmRecordRelease(f) === undefined;
      const mark = isAmbient(f) ? undefined : markOf(f);
      marks[i] = mark;
      telling[i] = tells;
      for (const m of f.managers) managers.add(m);
      if (tells) {
        tellingObjects.push(f);
        tellingManagers.push(...f.managers);
      }
      if (mark?.gitops && f.kind === 'StatefulSet') for (const t of f.claimTemplates ?? []) trackedTemplates.add(`${t}-${f.name}-`);
    }
    const { mechanism, mark } = appMechanism(marks, tellingManagers);
    if (mechanism === 'helm2') releasesFound.add(mark?.app ?? draft.name);
    const { source, warnings: sourceWarnings } = sourceOf(draft, mark, mechanism, ctx);
    const team = teamOf(tellingObjects, namespaces.get(draft.namespace), keys);
    const gitopsApp = mechanism === 'argocd' || mechanism === 'flux';

    const untracked: string[] = [];
    const objects: InventoryApp['objects'] = new Array(n);
    const kinds = new Map<string, number>();
    let bytes = 0;
    for (let i = 0; i < n; i++) {
      const f = draft.objects[i];
      const tracked =
        marks[i]?.gitops === true ||
        (trackedTemplates.size > 0 && f.kind === 'PersistentVolumeClaim' && trackedTemplates.has(f.name.replace(/\d+$/, '')));
      if (gitopsApp && !tracked && telling[i]) untracked.push(`${f.kind}/${f.name}`);
      objects[i] = { apiVersion: f.apiVersion, kind: f.kind, name: f.name, bytes: f.bytes, digest: f.digest, tracked };
      kinds.set(f.kind, (kinds.get(f.kind) ?? 0) + 1);
      bytes += f.bytes;
    }
    for (const f of draft.generated) {
      kinds.set(f.kind, (kinds.get(f.kind) ?? 0) + 1);
      bytes += f.bytes;
    }
    const byKind: Record<string, number> = {};
    for (const k of [...kinds.keys()].sort(compare)) byKind[k] = kinds.get(k) ?? 0;

    const vols = volumesOf(draft.objects, volumes);
    const { dependencies, warnings: depWarnings } = dependenciesOf(draft.id, draft.namespace, draft.objects, index);
    const unbound = vols.filter((v) => v.phase !== 'Bound').map((v) => `PersistentVolumeClaim/${v.claim}: ${v.phase}, not Bound`);
    apps.push({
      id: draft.id,
      namespace: draft.namespace,
      name: draft.name,
      team: team.team,
      teamFrom: team.from,
      mechanism,
      source,
      gitops: { status: !gitopsApp ? 'untracked' : untracked.length > 0 ? 'partial' : 'tracked', untracked },
      managers: [...managers].sort(compare),
      stateful: vols.length > 0,
      counts: { objects: n + draft.generated.length, generated: draft.generated.length, byKind },
      bytes,
      capacityBytes: vols.reduce((sum, v) => sum + v.requestedBytes, 0),
      volumes: vols,
      sideEffects: sideEffectsOf(draft.objects),
      dependencies,
      objects,
      warnings: [...sourceWarnings, ...unbound, ...depWarnings],
    });
  }

  const warnings: string[] = [];
  const selected = new Set(namespaces.keys());
  for (const t of input.tiller) {
    if (releasesFound.has(t.name) || (t.namespace !== undefined && !selected.has(t.namespace))) continue;
    warnings.push(
      `Helm 2 release ${t.name} (${t.record}): no objects labelled release=${t.name}, heritage=Tiller in the selected namespaces`,
    );
  }
  return { apps, warnings };
}
