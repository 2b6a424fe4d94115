// What a pod template needs from its namespace and cluster (Secrets, ConfigMaps, claims, ServiceAccount, classes)
// and the in-cluster service names it reaches (`api.shop.svc.cluster.local`). Pure; reads names, never values.

export interface NamedRef {
  readonly name: string;
  readonly optional: boolean;
}

/** `<service>.<namespace>.svc[.cluster.local]` found in a text. */
export interface ServiceHost {
  readonly host: string;
  readonly service: string;
  readonly namespace: string;
}

export interface PodRefs {
  readonly secrets: readonly NamedRef[];
  readonly configMaps: readonly NamedRef[];
  readonly claims: readonly string[];
  readonly serviceAccount?: string;
  readonly priorityClass?: string;
  readonly runtimeClass?: string;
  readonly hosts: readonly ServiceHost[];
}

interface KeyRef {
  name?: string;
  optional?: boolean;
}
interface Container {
  env?: { value?: string; valueFrom?: { secretKeyRef?: KeyRef; configMapKeyRef?: KeyRef } }[];
  envFrom?: { secretRef?: KeyRef; configMapRef?: KeyRef }[];
  command?: string[];
  args?: string[];
}
interface ProjectedSource {
  secret?: KeyRef;
  configMap?: KeyRef;
}
export interface PodSpec {
  containers?: Container[];
  initContainers?: Container[];
  ephemeralContainers?: Container[];
  volumes?: {
    secret?: { secretName?: string; optional?: boolean };
    configMap?: KeyRef;
    persistentVolumeClaim?: { claimName?: string };
    projected?: { sources?: ProjectedSource[] };
  }[];
  imagePullSecrets?: { name?: string }[];
  serviceAccountName?: string;
  serviceAccount?: string;
  priorityClassName?: string;
  runtimeClassName?: string;
}

const label = '[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?';
const hostPattern = new RegExp(`\\b(${label})\\.(${label})\\.svc(?:\\.cluster\\.local)?\\b`, 'g');

/** Every service host in a text, in order of appearance, each once. */
export function serviceHostsIn(text: string): ServiceHost[] {
  if (!text.includes('.svc')) return [];
  const out: ServiceHost[] = [];
  const seen = new Set<string>();
  for (const m of text.matchAll(hostPattern)) {
    if (seen.has(m[0])) continue;
    seen.add(m[0]);
    out.push({ host: m[0], service: m[1], namespace: m[2] });
  }
  return out;
}

/** The kinds podSpecOf finds a pod spec in. */
export const podSpecKinds: ReadonlySet<string> = new Set([
  'Pod',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
  'Job',
  'CronJob',
]);

/** The pod spec inside a workload of any built-in kind, or undefined for kinds that hold none (see podSpecKinds). */
export function podSpecOf(kind: string, spec: unknown): PodSpec | undefined {
  const s = spec as
    | { template?: { spec?: PodSpec }; jobTemplate?: { spec?: { template?: { spec?: PodSpec } } } }
    | (PodSpec & Record<string, unknown>)
    | undefined;
  if (!s) return undefined;
  switch (kind) {
    case 'Pod':
      return s as PodSpec;
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'ReplicationController':
    case 'Job':
      return (s as { template?: { spec?: PodSpec } }).template?.spec;
    case 'CronJob':
      return (s as { jobTemplate?: { spec?: { template?: { spec?: PodSpec } } } }).jobTemplate?.spec?.template?.spec;
    default:
      return undefined;
  }
}

export function podRefs(spec: PodSpec): PodRefs {
  const secrets = new Map<string, boolean>();
  const configMaps = new Map<string, boolean>();
  const claims = new Set<string>();
  const hosts: ServiceHost[] = [];
  // a name is optional only when every reference to it says so
  const add = (into: Map<string, boolean>, ref: KeyRef | undefined) => {
    if (!ref?.name) return;
    into.set(ref.name, (into.get(ref.name) ?? true) && ref.optional === true);
  };
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? []), ...(spec.ephemeralContainers ?? [])]) {
    for (const e of c.env ?? []) {
      if (e.value) hosts.push(...serviceHostsIn(e.value));
      add(secrets, e.valueFrom?.secretKeyRef);
      add(configMaps, e.valueFrom?.configMapKeyRef);
    }
    for (const e of c.envFrom ?? []) {
      add(secrets, e.secretRef);
      add(configMaps, e.configMapRef);
    }
    for (const arg of [...(c.command ?? []), ...(c.args ?? [])]) hosts.push(...serviceHostsIn(arg));
  }
  for (const v of spec.volumes ?? []) {
    if (v.secret?.secretName) add(secrets, { name: v.secret.secretName, optional: v.secret.optional });
    add(configMaps, v.configMap);
    if (v.persistentVolumeClaim?.claimName) claims.add(v.persistentVolumeClaim.claimName);
    for (const p of v.projected?.sources ?? []) {
      add(secrets, p.secret);
      add(configMaps, p.configMap);
    }
  }
  for (const p of spec.imagePullSecrets ?? []) add(secrets, { name: p.name, optional: false });
  const named = (m: Map<string, boolean>) =>
    [...m.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([name, optional]) => ({ name, optional }));
  const uniqueHosts = [...new Map(hosts.map((h) => [h.host, h])).values()].sort((a, b) => (a.host < b.host ? -1 : 1));
  return {
    secrets: named(secrets),
    configMaps: named(configMaps),
    claims: [...claims].sort(),
    serviceAccount: spec.serviceAccountName ?? spec.serviceAccount,
    priorityClass: spec.priorityClassName,
    runtimeClass: spec.runtimeClassName,
    hosts: uniqueHosts,
  };
}
