// What an app needs besides its own objects: the Secrets, ConfigMaps, ServiceAccounts, claims and Services it
// references (and which app holds them), services of other namespaces it calls, and the cluster-scoped objects
// the target must have first (CRDs, ClusterRoles, StorageClasses, PriorityClasses, IngressClasses). Pure.
import type { InventoryDependencies } from '../../config/inventory.js';
import type { ObjectFact } from './facts.js';
import type { ServiceHost } from './pod-refs.js';

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

export function referencesOf(namespace: string, members: readonly ObjectFact[], index: ClusterIndex): References {
  const refs: Reference[] = [];
  const hosts: { from: string; host: ServiceHost }[] = [];
  const cluster: { kind: string; name: string; via: string }[] = [];
  for (const f of members) {
    const isAccount = f.apiVersion === 'v1' && f.kind === 'ServiceAccount';
    const crd = f.group === '' ? undefined : index.crds.get(f.group)?.get(f.kind);
    // most objects (ConfigMaps, Secrets, ...) reference nothing: skip them before building anything
    if (
      !f.workload &&
      !f.claim?.storageClass &&
      !f.ingress &&
      !f.accountSecrets?.length &&
      !f.hosts &&
      !f.service?.externalName &&
      !f.binding &&
      !isAccount &&
      !crd
    ) {
      continue;
    }
    const from = `${f.kind}/${f.name}`;
    const ref = (kind: ObjectKind, name: string, optional = false) => refs.push({ kind, name, optional, from });
    const w = f.workload?.refs;
    if (w) {
      for (const s of w.secrets) ref('Secret', s.name, s.optional);
      for (const c of w.configMaps) ref('ConfigMap', c.name, c.optional);
      for (const c of w.claims) ref('PersistentVolumeClaim', c);
      // every namespace has its default ServiceAccount: naming it is no dependency
      if (w.serviceAccount && w.serviceAccount !== 'default') ref('ServiceAccount', w.serviceAccount);
      for (const h of w.hosts) hosts.push({ from, host: h });
      if (w.priorityClass) cluster.push({ kind: 'PriorityClass', name: w.priorityClass, via: from });
      if (w.runtimeClass) cluster.push({ kind: 'RuntimeClass', name: w.runtimeClass, via: from });
    }
    for (const c of f.workload?.claimTemplateClasses ?? []) cluster.push({ kind: 'StorageClass', name: c, via: from });
    if (f.claim?.storageClass) cluster.push({ kind: 'StorageClass', name: f.claim.storageClass, via: from });
    if (f.ingress) {
      for (const s of f.ingress.tlsSecrets) ref('Secret', s);
      for (const s of f.ingress.services) ref('Service', s);
      if (f.ingress.class) cluster.push({ kind: 'IngressClass', name: f.ingress.class, via: from });
    }
    for (const s of f.accountSecrets ?? []) ref('Secret', s);
    for (const h of f.hosts ?? []) hosts.push({ from, host: h });
    if (f.service?.externalName) {
      const name = f.service.externalName.replace(/\.$/, '');
      const m = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc(\.cluster\.local)?$/.exec(name);
      if (m) hosts.push({ from, host: { host: name, service: m[1], namespace: m[2] } });
    }
    if (f.binding && f.kind === 'RoleBinding') {
      for (const s of f.binding.subjects) {
        if (s.kind === 'ServiceAccount' && (s.namespace ?? namespace) === namespace && s.name !== 'default') ref('ServiceAccount', s.name);
      }
      if (f.binding.roleRef.kind === 'ClusterRole') cluster.push({ kind: 'ClusterRole', name: f.binding.roleRef.name, via: from });
    }
    if (isAccount) {
      for (const b of index.clusterRoleBindings.get(`${namespace}/${f.name}`) ?? []) {
        cluster.push({ kind: 'ClusterRoleBinding', name: b.binding, via: from });
        cluster.push({ kind: 'ClusterRole', name: b.role, via: `ClusterRoleBinding/${b.binding}` });
      }
    }
    if (crd) cluster.push({ kind: 'CustomResourceDefinition', name: crd, via: from });
  }
  // a service of the app's own namespace, called by its DNS name, is a reference like any other
  for (const { from, host } of hosts)
    if (host.namespace === namespace) refs.push({ kind: 'Service', name: host.service, optional: false, from });

  const objects = new Map<string, Reference & { key: string }>();
  for (const r of [...refs].sort((a, b) => compare(a.from, b.from))) {
    const key = `${r.kind}/${r.name}`;
    const seen = objects.get(key);
    if (!seen) objects.set(key, { ...r, key });
    else if (!r.optional && seen.optional) objects.set(key, { ...seen, optional: false });
  }
  const crossNamespace = new Map<string, { from: string; host: ServiceHost }>();
  for (const h of hosts) {
    const key = `${h.from}\u0000${h.host.host}`;
    if (h.host.namespace !== namespace && !crossNamespace.has(key)) crossNamespace.set(key, h);
  }
  const clusterRefs = new Map<string, References['cluster'][number]>();
  for (const c of [...cluster].sort((a, b) => compare(a.via, b.via))) {
    const key = `${c.kind}/${c.name}`;
    if (!clusterRefs.has(key)) clusterRefs.set(key, { key, ...c });
  }
  return { objects: byKey(objects), crossNamespace: byKey(crossNamespace), cluster: byKey(clusterRefs) };
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
