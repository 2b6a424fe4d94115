// What an app needs besides its own objects: the Secrets, ConfigMaps, ServiceAccounts, claims and Services it
// references (and which app holds them), services of other namespaces it calls, and the cluster-scoped objects
// the target must have first (CRDs, ClusterRoles, StorageClasses, PriorityClasses, IngressClasses). Pure.
import type { InventoryDependencies } from '../../config/inventory.js';
import type { ObjectFact } from './facts.js';
import type { PodRefs, ServiceHost } from './pod-refs.js';

type ObjectKind = InventoryDependencies['objects'][number]['kind'];

/** Cluster-scoped kinds apps depend on, with their API group. */
export const clusterKinds: Readonly<Record<string, string>> = {
  ClusterRole: 'rbac.authorization.k8s.io',
  ClusterRoleBinding: 'rbac.authorization.k8s.io',
  CustomResourceDefinition: 'apiextensions.k8s.io',
  IngressClass: 'networking.k8s.io',
  PriorityClass: 'scheduling.k8s.io',
  RuntimeClass: 'node.k8s.io',
  StorageClass: 'storage.k8s.io',
};

/** What the cluster-scoped objects say, known before any namespace is modelled. */
export interface ClusterIndex {
  /** API group → Kind of its custom resources → the name of their CRD. */
  readonly crds: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** `<namespace>/<serviceaccount>` → the ClusterRoleBindings naming it, and their ClusterRoles. */
  readonly clusterRoleBindings: ReadonlyMap<string, readonly { readonly binding: string; readonly role: string }[]>;
  /** Cluster-scoped objects by kind (the keys of clusterKinds) → names. */
  readonly clusterNames: ReadonlyMap<string, ReadonlySet<string>>;
}

/** What only the whole listing knows: which app holds what, every Service, which types were listed. */
export interface DependencyIndex extends ClusterIndex {
  /** The id of the app holding the core Secret, ConfigMap, ServiceAccount, claim or Service, if an app does. */
  appHolding(namespace: string, kind: string, name: string): string | undefined;
  /** Whether objects of this type could be listed (a reference to an unlisted type is not "missing"). */
  readonly listed: (group: string, kind: string) => boolean;
  /** Every Service of the cluster, `<namespace>/<name>`, selected or not. */
  readonly services: ReadonlySet<string>;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function clusterIndex(clusterObjects: readonly ObjectFact[]): ClusterIndex {
  const crds = new Map<string, Map<string, string>>();
  const clusterRoleBindings = new Map<string, { binding: string; role: string }[]>();
  const clusterNames = new Map<string, Set<string>>();
  for (const f of clusterObjects) {
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
  return { crds, clusterRoleBindings, clusterNames };
}

interface Reference {
  readonly kind: ObjectKind;
  readonly name: string;
  readonly optional: boolean;
  readonly from: string;
}

/**
 * What an app's objects reference, each once, in output order (by `<Kind>/<name>`), before anything is known of
 * the rest of the cluster's namespaces: resolveDependencies then only looks them up.
 */
export interface References {
  /** Objects of the app's namespace; `from`: the first referrer (by `<Kind>/<name>`). */
  readonly objects: readonly (Reference & { readonly key: string })[];
  /** Services of other namespaces called by DNS name, once per referrer and host. */
  readonly crossNamespace: readonly { readonly from: string; readonly host: ServiceHost }[];
  /** Cluster-scoped objects; `via`: the first referrer. */
  readonly cluster: readonly { readonly key: string; readonly kind: string; readonly name: string; readonly via: string }[];
}

// referencesOf reads every object of every namespace: it is written as small functions with plain loops (no
// closure per object, no iterator per loop), which V8's optimizing compilers compile quickly and once, where one
// large function took them 100-250 ms of CPU, again and again, through the first inventories of a process.

/** What an app's objects reference, as they are read (see referencesOf). */
interface Gathered {
  readonly namespace: string;
  readonly refs: Reference[];
  readonly hosts: { from: string; host: ServiceHost }[];
  readonly cluster: { kind: string; name: string; via: string }[];
}

/** Most objects (ConfigMaps, Secrets, ...) reference nothing: they are skipped before anything is built. */
const referencesNothing = (f: ObjectFact, isAccount: boolean, crd: string | undefined) =>
  !f.workload &&
  !f.claim?.storageClass &&
  !f.ingress &&
  !f.accountSecrets?.length &&
  !f.hosts &&
  !f.service?.externalName &&
  !f.binding &&
  !isAccount &&
  !crd;

function addRef(g: Gathered, kind: ObjectKind, name: string, optional: boolean, from: string): void {
  g.refs.push({ kind, name, optional, from });
}

function addCluster(g: Gathered, kind: string, name: string, via: string): void {
  g.cluster.push({ kind, name, via });
}

function addHosts(g: Gathered, hosts: readonly ServiceHost[], from: string): void {
  for (let i = 0; i < hosts.length; i++) g.hosts.push({ from, host: hosts[i] });
}

function workloadReferences(g: Gathered, w: PodRefs, from: string): void {
  for (let i = 0; i < w.secrets.length; i++) addRef(g, 'Secret', w.secrets[i].name, w.secrets[i].optional, from);
  for (let i = 0; i < w.configMaps.length; i++) addRef(g, 'ConfigMap', w.configMaps[i].name, w.configMaps[i].optional, from);
  for (let i = 0; i < w.claims.length; i++) addRef(g, 'PersistentVolumeClaim', w.claims[i], false, from);
  // every namespace has its default ServiceAccount: naming it is no dependency
  if (w.serviceAccount && w.serviceAccount !== 'default') addRef(g, 'ServiceAccount', w.serviceAccount, false, from);
  addHosts(g, w.hosts, from);
  if (w.priorityClass) addCluster(g, 'PriorityClass', w.priorityClass, from);
  if (w.runtimeClass) addCluster(g, 'RuntimeClass', w.runtimeClass, from);
}

function ingressReferences(g: Gathered, ingress: NonNullable<ObjectFact['ingress']>, from: string): void {
  for (let i = 0; i < ingress.tlsSecrets.length; i++) addRef(g, 'Secret', ingress.tlsSecrets[i], false, from);
  for (let i = 0; i < ingress.services.length; i++) addRef(g, 'Service', ingress.services[i], false, from);
  if (ingress.class) addCluster(g, 'IngressClass', ingress.class, from);
}

const serviceDnsName = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc(\.cluster\.local)?$/;

function externalNameReference(g: Gathered, externalName: string, from: string): void {
  const name = externalName.replace(/\.$/, '');
  const m = serviceDnsName.exec(name);
  if (m) g.hosts.push({ from, host: { host: name, service: m[1], namespace: m[2] } });
}

function roleBindingReferences(g: Gathered, binding: NonNullable<ObjectFact['binding']>, from: string): void {
  for (let i = 0; i < binding.subjects.length; i++) {
    const s = binding.subjects[i];
    if (s.kind === 'ServiceAccount' && (s.namespace ?? g.namespace) === g.namespace && s.name !== 'default') {
      addRef(g, 'ServiceAccount', s.name, false, from);
    }
  }
  if (binding.roleRef.kind === 'ClusterRole') addCluster(g, 'ClusterRole', binding.roleRef.name, from);
}

function accountReferences(g: Gathered, f: ObjectFact, index: ClusterIndex, from: string): void {
  const bindings = index.clusterRoleBindings.get(`${g.namespace}/${f.name}`);
  if (!bindings) return;
  for (let i = 0; i < bindings.length; i++) {
    addCluster(g, 'ClusterRoleBinding', bindings[i].binding, from);
    addCluster(g, 'ClusterRole', bindings[i].role, `ClusterRoleBinding/${bindings[i].binding}`);
  }
}

function objectReferences(g: Gathered, f: ObjectFact, index: ClusterIndex, isAccount: boolean, crd: string | undefined): void {
  const from = `${f.kind}/${f.name}`;
  const w = f.workload;
  if (w) {
    workloadReferences(g, w.refs, from);
    for (let i = 0; i < w.claimTemplateClasses.length; i++) addCluster(g, 'StorageClass', w.claimTemplateClasses[i], from);
  }
  if (f.claim?.storageClass) addCluster(g, 'StorageClass', f.claim.storageClass, from);
  if (f.ingress) ingressReferences(g, f.ingress, from);
  if (f.accountSecrets) for (let i = 0; i < f.accountSecrets.length; i++) addRef(g, 'Secret', f.accountSecrets[i], false, from);
  if (f.hosts) addHosts(g, f.hosts, from);
  if (f.service?.externalName) externalNameReference(g, f.service.externalName, from);
  if (f.binding && f.kind === 'RoleBinding') roleBindingReferences(g, f.binding, from);
  if (isAccount) accountReferences(g, f, index, from);
  if (crd) addCluster(g, 'CustomResourceDefinition', crd, from);
}

export function referencesOf(namespace: string, members: readonly ObjectFact[], index: ClusterIndex): References {
  const g: Gathered = { namespace, refs: [], hosts: [], cluster: [] };
  for (let i = 0; i < members.length; i++) {
    const f = members[i];
    const isAccount = f.apiVersion === 'v1' && f.kind === 'ServiceAccount';
    const crd = f.group === '' ? undefined : index.crds.get(f.group)?.get(f.kind);
    if (!referencesNothing(f, isAccount, crd)) objectReferences(g, f, index, isAccount, crd);
  }
  // a service of the app's own namespace, called by its DNS name, is a reference like any other
  for (let i = 0; i < g.hosts.length; i++) {
    const { from, host } = g.hosts[i];
    if (host.namespace === namespace) g.refs.push({ kind: 'Service', name: host.service, optional: false, from });
  }
  return {
    objects: uniqueReferences(g.refs),
    crossNamespace: crossNamespaceHosts(g.hosts, namespace),
    cluster: uniqueClusterReferences(g.cluster),
  };
}

/** Each referenced object once, as its first referrer (by `<Kind>/<name>`) names it; required wins over optional. */
function uniqueReferences(refs: readonly Reference[]): References['objects'] {
  const objects = new Map<string, Reference & { key: string }>();
  const sorted = [...refs].sort((a, b) => compare(a.from, b.from));
  for (let i = 0; i < sorted.length; i++) {
    const r = sorted[i];
    const key = `${r.kind}/${r.name}`;
    const seen = objects.get(key);
    if (!seen) objects.set(key, { ...r, key });
    else if (!r.optional && seen.optional) objects.set(key, { ...seen, optional: false });
  }
  return byKey(objects);
}

/** Services of other namespaces, once per referrer and host. */
function crossNamespaceHosts(hosts: readonly { from: string; host: ServiceHost }[], namespace: string): References['crossNamespace'] {
  const crossNamespace = new Map<string, { from: string; host: ServiceHost }>();
  for (let i = 0; i < hosts.length; i++) {
    const h = hosts[i];
    const key = `${h.from}\u0000${h.host.host}`;
    if (h.host.namespace !== namespace && !crossNamespace.has(key)) crossNamespace.set(key, h);
  }
  return byKey(crossNamespace);
}

/** Each cluster-scoped object once, through its first referrer. */
function uniqueClusterReferences(cluster: readonly { kind: string; name: string; via: string }[]): References['cluster'] {
  const clusterRefs = new Map<string, References['cluster'][number]>();
  const sorted = [...cluster].sort((a, b) => compare(a.via, b.via));
  for (let i = 0; i < sorted.length; i++) {
    const c = sorted[i];
    const key = `${c.kind}/${c.name}`;
    if (!clusterRefs.has(key)) clusterRefs.set(key, { key, ...c });
  }
  return byKey(clusterRefs);
}

const byKey = <T>(m: Map<string, T>) => [...m.entries()].sort((a, b) => compare(a[0], b[0])).map((e) => e[1]);

/** The references' status: in the app, in another app, missing or of a type that could not be listed. */
export function resolveDependencies(
  appId: string,
  namespace: string,
  refs: References,
  index: DependencyIndex,
): { dependencies: InventoryDependencies; warnings: string[] } {
  const warnings: string[] = [];
  const objects = refs.objects.map((r): InventoryDependencies['objects'][number] => {
    const app = index.appHolding(namespace, r.kind, r.name);
    const status = app === appId ? 'member' : app !== undefined ? 'other-app' : index.listed('', r.kind) ? 'missing' : 'unlisted';
    if (status === 'missing' && !r.optional) warnings.push(`${r.from}: references ${r.key}, which does not exist`);
    return { kind: r.kind, name: r.name, status, app: status === 'other-app' ? app : undefined, optional: r.optional };
  });
  const crossNamespace = refs.crossNamespace.map(({ from, host }): InventoryDependencies['crossNamespace'][number] => {
    const app = index.appHolding(host.namespace, 'Service', host.service);
    const exists = index.services.has(`${host.namespace}/${host.service}`);
    return {
      from,
      host: host.host,
      namespace: host.namespace,
      service: host.service,
      status: app !== undefined ? 'app' : exists || !index.listed('', 'Service') ? 'outside-selection' : 'missing',
      app,
    };
  });
  const cluster = refs.cluster.map((c): InventoryDependencies['cluster'][number] => {
    const status = index.clusterNames.get(c.kind)?.has(c.name)
      ? 'present'
      : index.listed(clusterKinds[c.kind] ?? '', c.kind)
        ? 'missing'
        : 'unlisted';
    if (status === 'missing') warnings.push(`${c.via}: needs ${c.key}, which does not exist`);
    return { kind: c.kind, name: c.name, via: c.via, status };
  });
  return { dependencies: { objects, crossNamespace, cluster }, warnings: warnings.sort() };
}
