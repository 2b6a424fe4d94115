// Which app of its namespace each object belongs to: the one rule both the inventory and the backup use, so what a
// backup captures of an app is exactly what the inventory says the app holds. Pure, O(n) in the namespace's objects.
import type { KubeObject } from '../kube/object.js';
import { type Mark, markOf } from './marks.js';

/** The little of an object that membership reads. */
export interface MemberFact {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid?: string;
  /** The controller owner reference (controller: true). */
  readonly controller?: { readonly kind: string; readonly name: string; readonly uid: string };
  readonly labels?: Readonly<Record<string, string>>;
  /** At least the annotations in marks.ts groupingAnnotations. */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Secrets: their type. */
  readonly secretType?: string;
  /** StatefulSets: the names of their volumeClaimTemplates. */
  readonly claimTemplates?: readonly string[];
}

export interface AppMembers {
  readonly name: string;
  /** Indices (into the facts given) of the objects the app lists as its own, sorted by kind and name. */
  readonly objects: readonly number[];
  /** Indices of what controllers made and re-make (Pods, ReplicaSets, Jobs, EndpointSlices, Endpoints), sorted. */
  readonly generated: readonly number[];
}

export function memberFactOf(obj: KubeObject): MemberFact {
  const owner = obj.metadata.ownerReferences?.find((r) => r.controller === true);
  const spec = obj.spec as { volumeClaimTemplates?: { metadata?: { name?: string } }[] } | undefined;
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    name: obj.metadata.name,
    uid: obj.metadata.uid,
    controller: owner ? { kind: owner.kind, name: owner.name, uid: owner.uid } : undefined,
    labels: obj.metadata.labels,
    annotations: obj.metadata.annotations,
    secretType: obj.kind === 'Secret' ? (obj as { type?: string }).type : undefined,
    claimTemplates:
      obj.kind === 'StatefulSet'
        ? (spec?.volumeClaimTemplates ?? []).flatMap((t) => (t.metadata?.name ? [t.metadata.name] : []))
        : undefined,
  };
}

const isCore = (f: MemberFact) => f.apiVersion === 'v1';
const isClaim = (f: MemberFact) => isCore(f) && f.kind === 'PersistentVolumeClaim';

/** Objects each namespace gets from the control plane or a mesh; the target cluster makes its own. */
export function isClusterGeneratedFact(f: Pick<MemberFact, 'apiVersion' | 'kind' | 'name'>): boolean {
  return (
    f.apiVersion === 'v1' &&
    f.kind === 'ConfigMap' &&
    (f.name === 'kube-root-ca.crt' || f.name === 'openshift-service-ca.crt' || f.name === 'istio-ca-root-cert')
  );
}

/** Objects every namespace has, which never make an app of their own; they join the namespace's main app. */
function isAmbient(f: MemberFact): boolean {
  return isCore(f) && f.kind === 'ServiceAccount' && f.name === 'default';
}

const compareFacts = (a: MemberFact, b: MemberFact) =>
  a.kind < b.kind
    ? -1
    : a.kind > b.kind
      ? 1
      : a.apiVersion < b.apiVersion
        ? -1
        : a.apiVersion > b.apiVersion
          ? 1
          : a.name < b.name
            ? -1
            : a.name > b.name
              ? 1
              : 0;

/**
 * Groups one namespace's objects into apps:
 * - an object a controller made (owner reference with controller: true, or the Endpoints of a Service, or the claim
 *   of a StatefulSet's volumeClaimTemplate) belongs to its owner's app, as generated; when the owner is not among the
 *   facts, to the app its own marks name, still as generated;
 * - any other object belongs to the app its marks name (markOf: Argo CD, Flux, Helm 3 and 2, app.kubernetes.io
 *   part-of and instance); a Flux HelmRelease takes the records of the Helm release it drives;
 * - what no mark claims belongs to the app named after the namespace, which also exists when nothing is marked:
 *   a namespace is never without an app;
 * - the default ServiceAccount joins the app named after the namespace when it exists, else the first app by name.
 * Cluster-generated objects (kube-root-ca.crt) belong to no app.
 */
export function groupNamespace(namespace: string, facts: readonly MemberFact[]): AppMembers[] {
  return new NamespaceGrouping(namespace, facts).apps();
}

const claimOrdinal = /^(.*-)\d+$/;

// Run once per namespace: a class with plain loops rather than one function with closures, so that V8's optimizing
// compilers spend little on it (as one function it cost them tens of ms of CPU per compile).
class NamespaceGrouping {
  private readonly byUid = new Map<string, number>();
  private readonly services = new Map<string, number>();
  private readonly claimPrefixes = new Map<string, number>();
  private readonly rootOf: Int32Array;
  /** null: not read yet */
  private readonly marks: (Mark | undefined | null)[];
  /** A Flux HelmRelease names its Helm release differently; the release's records and annotations follow Flux's name. */
  private readonly releaseAlias = new Map<string, string>();
  private readonly appOfRoot = new Map<number, string | null>();
  private readonly members = new Map<string, { objects: number[]; generated: number[] }>();

  constructor(
    private readonly namespace: string,
    private readonly facts: readonly MemberFact[],
  ) {
    const n = facts.length;
    // only the objects some controller reference names are looked up by uid
    const owners = new Set<string>();
    for (let i = 0; i < n; i++) {
      const c = facts[i].controller;
      if (c) owners.add(c.uid);
    }
    for (let i = 0; i < n; i++) {
      const f = facts[i];
      if (f.uid !== undefined && owners.has(f.uid) && !this.byUid.has(f.uid)) this.byUid.set(f.uid, i);
      if (isCore(f) && f.kind === 'Service') this.services.set(f.name, i);
      const templates = f.claimTemplates;
      if (f.kind === 'StatefulSet' && templates)
        for (let k = 0; k < templates.length; k++) this.claimPrefixes.set(`${templates[k]}-${f.name}-`, i);
    }
    this.rootOf = new Int32Array(n).fill(-1);
    this.marks = new Array<Mark | undefined | null>(n).fill(null);
    this.findRoots();
    for (let i = 0; i < n; i++) {
      const m = this.rootOf[i] === i ? this.markAt(i) : undefined;
      if (m?.helmRelease && !this.releaseAlias.has(m.helmRelease)) this.releaseAlias.set(m.helmRelease, m.app);
    }
  }

  private ownerOf(i: number): number | undefined {
    const f = this.facts[i];
    const c = f.controller;
    if (c) {
      const found = this.byUid.get(c.uid);
      // a uid match with another kind or name is not the owner the reference describes
      if (found !== undefined && found !== i && this.facts[found].kind === c.kind && this.facts[found].name === c.name) return found;
    }
    if (isCore(f) && f.kind === 'Endpoints') return this.services.get(f.name);
    if (isClaim(f)) {
      const m = claimOrdinal.exec(f.name);
      return m ? this.claimPrefixes.get(m[1]) : undefined;
    }
    return undefined;
  }

  /** Owner chains are walked to their root; a cycle (odd data, never controllers) is cut at the object it meets again. */
  private findRoots(): void {
    const { rootOf } = this;
    for (let i = 0; i < rootOf.length; i++) {
      if (rootOf[i] >= 0) continue;
      const first = this.ownerOf(i);
      if (first === undefined) {
        rootOf[i] = i;
        continue;
      }
      const chain: number[] = [];
      const seen = new Set<number>();
      let at: number | undefined = i;
      while (at !== undefined && rootOf[at] < 0 && !seen.has(at)) {
        chain.push(at);
        seen.add(at);
        at = this.ownerOf(at);
      }
      const root = at === undefined ? chain[chain.length - 1] : rootOf[at] >= 0 ? rootOf[at] : at;
      for (let k = 0; k < chain.length; k++) rootOf[chain[k]] = root;
    }
  }

  private markAt(i: number): Mark | undefined {
    let m = this.marks[i];
    if (m === null) {
      m = markOf(this.facts[i]);
      this.marks[i] = m;
    }
    return m;
  }

  private appOf(root: number): string | null {
    let app = this.appOfRoot.get(root);
    if (app === undefined) {
      const m = this.markAt(root);
      // for every Helm 3 mark (annotation, record, labels) the mark's app is the release name
      app = m
        ? ((m.mechanism === 'helm3' ? this.releaseAlias.get(m.app) : undefined) ?? m.app)
        : isAmbient(this.facts[root])
          ? null
          : this.namespace;
      this.appOfRoot.set(root, app);
    }
    return app;
  }

  private join(app: string, i: number, generated: boolean): void {
    let m = this.members.get(app);
    if (!m) {
      m = { objects: [], generated: [] };
      this.members.set(app, m);
    }
    (generated ? m.generated : m.objects).push(i);
  }

  apps(): AppMembers[] {
    const { facts, rootOf, members, namespace } = this;
    const ambient: number[] = [];
    for (let i = 0; i < facts.length; i++) {
      if (isClusterGeneratedFact(facts[i])) continue;
      const root = rootOf[i];
      const app = this.appOf(root);
      // claims hold data: they stay listed as the app's own even when a controller made them. An object whose
      // controller is not among the facts (a cluster-scoped owner, or one made while the namespace was being listed,
      // or about to be collected) is the controller's all the same: never the app's own
      const generated = (root !== i || (facts[i].controller !== undefined && this.ownerOf(i) === undefined)) && !isClaim(facts[i]);
      if (app === null) ambient.push(i);
      else this.join(app, i, generated);
    }
    const home = members.size === 0 || members.has(namespace) ? namespace : Array.from(members.keys()).sort()[0];
    if (!members.has(home)) members.set(home, { objects: [], generated: [] });
    for (let k = 0; k < ambient.length; k++) this.join(home, ambient[k], rootOf[ambient[k]] !== ambient[k]);

    const byFact = (a: number, b: number) => compareFacts(facts[a], facts[b]);
    return Array.from(members.entries())
      .sort((a, b) => (a[0] < b[0] ? -1 : 1))
      .map(([name, m]) => ({ name, objects: m.objects.sort(byFact), generated: m.generated.sort(byFact) }));
  }
}
