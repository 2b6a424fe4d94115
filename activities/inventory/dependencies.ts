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

export interface DependencyIndex {
  /** `<namespace>/<Kind>/<name>` of every core Secret, ConfigMap, ServiceAccount, claim and Service in an app → its app id. */
  readonly memberApp: ReadonlyMap<string, string>;
  /** Whether objects of this type could be listed (a reference to an unlisted type is not "missing"). */
  readonly listed: (group: string, kind: string) => boolean;
  /** Every Service of the cluster, `<namespace>/<name>`, selected or not. */
  readonly services: ReadonlySet<string>;
  /** API group → Kind of its custom resources → the name of their CRD. */
  readonly crds: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** `<namespace>/<serviceaccount>` → the ClusterRoleBindings naming it, and their ClusterRoles. */
  readonly clusterRoleBindings: ReadonlyMap<string, readonly { readonly binding: string; readonly role: string }[]>;
  /** Cluster-scoped objects by kind (the keys of clusterKinds) → names. */
  readonly clusterNames: ReadonlyMap<string, ReadonlySet<string>>;
}

interface Reference {
  readonly kind: ObjectKind;
  readonly name: string;
  readonly optional: boolean;
  readonly from: string;
}

export function dependenciesOf(
  appId: string,
  namespace: string,
  members: readonly ObjectFact[],
  index: DependencyIndex,
): { dependencies: InventoryDependencies; warnings: string[] } {
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

  const warnings: string[] = [];
  const objects = new Map<string, InventoryDependencies['objects'][number]>();
  const firstFrom = new Map<string, string>();
  for (const r of [...refs].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0))) {
    const key = `${r.kind}/${r.name}`;
    const seen = objects.get(key);
    if (seen) {
      if (!r.optional && seen.optional) objects.set(key, { ...seen, optional: false });
      continue;
    }
    firstFrom.set(key, r.from);
    const app = index.memberApp.get(`${namespace}/${key}`);
    const status = app === appId ? 'member' : app !== undefined ? 'other-app' : index.listed('', r.kind) ? 'missing' : 'unlisted';
    objects.set(key, { kind: r.kind, name: r.name, status, app: status === 'other-app' ? app : undefined, optional: r.optional });
  }
  for (const [key, d] of objects) {
    if (d.status === 'missing' && !d.optional) warnings.push(`${firstFrom.get(key)}: references ${key}, which does not exist`);
  }

  const crossNamespace = new Map<string, InventoryDependencies['crossNamespace'][number]>();
  for (const { from, host } of hosts) {
    if (host.namespace === namespace) continue;
    const key = `${from}\u0000${host.host}`;
    if (crossNamespace.has(key)) continue;
    const app = index.memberApp.get(`${host.namespace}/Service/${host.service}`);
    const exists = index.services.has(`${host.namespace}/${host.service}`);
    crossNamespace.set(key, {
      from,
      host: host.host,
      namespace: host.namespace,
      service: host.service,
      status: app !== undefined ? 'app' : exists || !index.listed('', 'Service') ? 'outside-selection' : 'missing',
      app,
    });
  }

  const clusterDeps = new Map<string, InventoryDependencies['cluster'][number]>();
  for (const c of [...cluster].sort((a, b) => (a.via < b.via ? -1 : a.via > b.via ? 1 : 0))) {
    const key = `${c.kind}/${c.name}`;
    if (clusterDeps.has(key)) continue;
    const names = index.clusterNames.get(c.kind);
    const status = names?.has(c.name) ? 'present' : index.listed(clusterKinds[c.kind] ?? '', c.kind) ? 'missing' : 'unlisted';
    if (status === 'missing') warnings.push(`${c.via}: needs ${key}, which does not exist`);
    clusterDeps.set(key, { kind: c.kind, name: c.name, via: c.via, status });
  }

  const byKey = <T>(m: Map<string, T>) => [...m.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map((e) => e[1]);
  return {
    dependencies: { objects: byKey(objects), crossNamespace: byKey(crossNamespace), cluster: byKey(clusterDeps) },
    warnings: warnings.sort(),
  };
}
