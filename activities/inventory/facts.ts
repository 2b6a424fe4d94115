// One listed object reduced to the facts the app model reads, so a listing of tens of thousands of objects
// never holds their bodies: names, owner, labels, the annotations that matter, size, a digest and per-kind details.
// Pure. Secret values and kubectl's last-applied annotation (which repeats them) are never kept.
import { hash } from 'node:crypto';
import { MemberSet, mainManagers, type ServedText } from '../kube/list-body.js';
import { groupOf, type KubeObject } from '../kube/object.js';
import type { Interner } from './interner.js';
import { groupingAnnotations } from './marks.js';
import { type MemberFact, memberFactOf } from './membership.js';
import { type PodRefs, podRefs, podSpecKinds, podSpecOf, type ServiceHost, serviceHostsIn } from './pod-refs.js';

export interface ClaimFact {
  readonly storageClass?: string;
  readonly requested?: string;
  readonly accessModes: readonly string[];
  readonly volumeName?: string;
  readonly phase: string;
}

export interface VolumeFact {
  readonly source: string;
  readonly driver?: string;
  readonly capacity?: string;
  readonly reclaimPolicy?: string;
}

export interface ServiceFact {
  readonly type: string;
  readonly ports: readonly number[];
  readonly nodePorts: readonly number[];
  readonly addresses: readonly string[];
  readonly externalName?: string;
}

export interface IngressFact {
  readonly class?: string;
  readonly hosts: readonly string[];
  readonly tlsHosts: readonly string[];
  readonly tlsSecrets: readonly string[];
  readonly services: readonly string[];
}

export interface WorkloadFact {
  readonly refs: PodRefs;
  readonly claimTemplateClasses: readonly string[];
}

export interface BindingFact {
  readonly roleRef: { readonly kind: string; readonly name: string };
  readonly subjects: readonly { readonly kind: string; readonly name: string; readonly namespace?: string }[];
}

export interface CrdFact {
  readonly group: string;
  readonly kind: string;
}

export interface ObjectFact extends MemberFact {
  readonly group: string;
  readonly namespace?: string;
  readonly bytes: number;
  /** For objects no controller made: what `ferry inventory diff` compares. */
  readonly digest?: string;
  readonly managers: readonly string[];
  readonly claim?: ClaimFact;
  readonly volume?: VolumeFact;
  readonly service?: ServiceFact;
  readonly ingress?: IngressFact;
  readonly workload?: WorkloadFact;
  readonly binding?: BindingFact;
  readonly crd?: CrdFact;
  /** ServiceAccounts: the Secrets they name (image pull secrets, token secrets). */
  readonly accountSecrets?: readonly string[];
  /** ConfigMaps: service hosts in their data. */
  readonly hosts?: readonly ServiceHost[];
}

export const externalDnsPrefix = 'external-dns.alpha.kubernetes.io/';
const ingressClassAnnotation = 'kubernetes.io/ingress.class';

// Annotations that change without anyone changing the app: a diff must not report them.
const volatileAnnotations = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  'deployment.kubernetes.io/revision',
  'endpoints.kubernetes.io/last-change-trigger-time',
  'control-plane.alpha.kubernetes.io/leader',
  'pv.kubernetes.io/bind-completed',
  'pv.kubernetes.io/bound-by-controller',
  'volume.beta.kubernetes.io/storage-provisioner',
  'volume.kubernetes.io/storage-provisioner',
  'volume.kubernetes.io/selected-node',
]);

// Pods, ReplicaSets and Jobs made by the built-in controllers repeat their owner's template: read the owner's.
const templateOwners = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicationController']);

const hostScanLimit = 64 * 1024;

export interface FactOptions {
  readonly teamKeys: readonly string[];
  /** Shares the values facts repeat, when the caller keeps many facts. */
  readonly interner?: Interner;
}

const internedList = (opts: FactOptions, xs: readonly string[]) => (opts.interner ? opts.interner.list(xs) : xs);

function keptAnnotations(
  all: Record<string, string> | undefined,
  teamKeys: readonly string[],
  interner: Interner | undefined,
): Readonly<Record<string, string>> | undefined {
  if (!all) return undefined;
  let kept: Record<string, string> | undefined;
  for (const k in all) {
    if (groupingAnnotations.includes(k) || teamKeys.includes(k) || k.startsWith(externalDnsPrefix) || k === ingressClassAnnotation) {
      kept ??= {};
      kept[k] = all[k];
    }
  }
  return kept && interner ? interner.record(JSON.stringify(kept), kept) : kept;
}

/** The annotations a person set, as the digest reads them: `\u0000key=value` in key order. */
function annotationsText(annotations: Record<string, string>): string {
  // an API server writes them sorted: sorted again only when they are not
  let kept = '';
  let last = '';
  for (const k in annotations) {
    if (volatileAnnotations.has(k)) continue;
    if (k < last) {
      kept = '';
      for (const key of Object.keys(annotations).sort()) if (!volatileAnnotations.has(key)) kept += `\u0000${key}=${annotations[key]}`;
      break;
    }
    last = k;
    kept += `\u0000${k}=${annotations[k]}`;
  }
  return kept;
}

/** What the facts read of a set of annotations, worked out once for objects that share it (Served.annotations). */
export interface AnnotationsRead {
  readonly kept: Readonly<Record<string, string>> | undefined;
  readonly text: string;
}

export function annotationsRead(annotations: Record<string, string>, opts: FactOptions): AnnotationsRead {
  return { kept: keptAnnotations(annotations, opts.teamKeys, opts.interner), text: annotationsText(annotations) };
}

// the few top-level keys objects have (apiVersion, kind, metadata, spec, ...), measured once
const keyBytesCache = new Map<string, number>();
function keyBytes(k: string): number {
  let n = keyBytesCache.get(k);
  if (n === undefined) {
    n = Buffer.byteLength(JSON.stringify(k));
    if (keyBytesCache.size < 1000) keyBytesCache.set(k, n);
  }
  return n;
}

/**
 * The object's size, exactly `Buffer.byteLength(JSON.stringify(obj))` (unless `served` gives it: its size as the
 * API server sent it), and when asked its digest: labels, the annotations a person set, and the text
 * (`"key":value`) of every top-level member but apiVersion, kind, metadata and status, as served when the listing
 * gives it, else as JSON.stringify writes it (the same text for what API servers write); for Secrets, their type
 * and key names only. Without a served size, each top-level member is serialized once and serves both.
 */
export function measure(
  obj: KubeObject,
  withDigest: boolean,
  served?: Pick<Served, 'bytes' | 'members' | 'annotations'>,
  labelsJson = JSON.stringify(obj.metadata.labels ?? null),
): { bytes: number; digest?: string } {
  if (!withDigest) return { bytes: served?.bytes ?? Buffer.byteLength(JSON.stringify(obj)) };
  const secret = obj.apiVersion === 'v1' && obj.kind === 'Secret';
  const { annotations } = obj.metadata;
  let head = labelsJson;
  if (annotations) head += served?.annotations?.text ?? annotationsText(annotations);
  head += '\u0001';
  if (secret) {
    const keys = new Set([
      ...Object.keys((obj.data as object | undefined) ?? {}),
      ...Object.keys((obj.stringData as object | undefined) ?? {}),
    ]);
    head += JSON.stringify([obj.type ?? null, [...keys].sort()]);
  }
  // the listing's own bytes: nothing is serialized again
  if (served?.members && !secret) return { bytes: served.bytes, digest: digestOfBytes(head, served.members) };
  // each top-level member serialized once, for the size and the digest alike
  let bytes = 2;
  let fields = 0;
  let content = '';
  for (const k of Object.keys(obj)) {
    const inDigest = !secret && k !== 'metadata' && k !== 'status' && k !== 'apiVersion' && k !== 'kind';
    // with the size known, the bulk of an object (metadata with its managed fields, status) is never serialized
    if (served !== undefined && !inDigest) continue;
    const text = JSON.stringify(obj[k]);
    // JSON.stringify leaves out fields whose value has no JSON form
    if (text === undefined) continue;
    bytes += (fields++ > 0 ? 1 : 0) + keyBytes(k) + 1 + Buffer.byteLength(text);
    if (inDigest) content += `${content ? ',' : ''}${JSON.stringify(k)}:${text}`;
  }
  return { bytes: served?.bytes ?? bytes, digest: short(head + content) };
}

// Hex output is hash()'s fast path (asked for a Buffer, it spends more on its arguments than on hashing small
// inputs). The 16 characters kept are copied out: a slice of the 64 would keep all 64 alive with every fact.
const digestText = Buffer.alloc(16);
function short(input: string | Buffer): string {
  digestText.write(hash('sha256', input), 0, 16, 'latin1');
  return digestText.toString('latin1', 0, 16);
}

// head and members copied into one buffer and hashed in one call: a hash object per object costs more than the
// hashing. Reused (hashing is synchronous), grown to the largest object seen.
let digestInput = Buffer.allocUnsafeSlow(64 * 1024);

function digestOfBytes(head: string, members: ServedText): string {
  const { body, spans } = members;
  let need = 3 * head.length + spans.length / 2;
  for (let i = 0; i < spans.length; i += 2) need += spans[i + 1] - spans[i];
  if (digestInput.length < need) digestInput = Buffer.allocUnsafeSlow(2 ** Math.ceil(Math.log2(need)));
  let n = digestInput.write(head, 0, 'utf8');
  for (let i = 0; i < spans.length; i += 2) {
    if (i > 0) digestInput[n++] = 0x2c;
    n += body.copy(digestInput, n, spans[i], spans[i + 1]);
  }
  return short(digestInput.subarray(0, n));
}

/** What `ferry inventory diff` compares (see measure). */
export function digestOf(obj: KubeObject): string {
  return measure(obj, true, { bytes: 0 }).digest as string;
}

const strings = (xs: unknown): string[] => (Array.isArray(xs) ? xs.filter((x): x is string => typeof x === 'string') : []);
const sortedUnique = (xs: readonly string[]) => [...new Set(xs)].sort();

function claimFact(spec: Record<string, unknown> | undefined, status: Record<string, unknown> | undefined): ClaimFact {
  const resources = spec?.resources as { requests?: { storage?: string } } | undefined;
  return {
    storageClass: spec?.storageClassName as string | undefined,
    requested: resources?.requests?.storage,
    accessModes: strings(spec?.accessModes),
    volumeName: (spec?.volumeName as string | undefined) || undefined,
    phase: (status?.phase as string | undefined) ?? 'Unknown',
  };
}

// PersistentVolume spec fields that are not the volume's source.
const volumeSpecFields = new Set([
  'accessModes',
  'capacity',
  'claimRef',
  'mountOptions',
  'nodeAffinity',
  'persistentVolumeReclaimPolicy',
  'storageClassName',
  'volumeMode',
  'volumeAttributesClassName',
]);

function volumeFact(spec: Record<string, unknown> | undefined): VolumeFact {
  const source = Object.keys(spec ?? {}).find((k) => !volumeSpecFields.has(k)) ?? 'unknown';
  const detail = spec?.[source] as { driver?: string } | undefined;
  return {
    source,
    driver: detail?.driver,
    capacity: (spec?.capacity as { storage?: string } | undefined)?.storage,
    reclaimPolicy: spec?.persistentVolumeReclaimPolicy as string | undefined,
  };
}

function serviceFact(spec: Record<string, unknown> | undefined, status: Record<string, unknown> | undefined): ServiceFact {
  const ports = (spec?.ports as { port?: number; nodePort?: number }[] | undefined) ?? [];
  const ingress = (status?.loadBalancer as { ingress?: { ip?: string; hostname?: string }[] } | undefined)?.ingress ?? [];
  return {
    type: (spec?.type as string | undefined) ?? 'ClusterIP',
    ports: ports.flatMap((p) => (typeof p.port === 'number' ? [p.port] : [])).sort((a, b) => a - b),
    nodePorts: ports.flatMap((p) => (typeof p.nodePort === 'number' ? [p.nodePort] : [])).sort((a, b) => a - b),
    addresses: sortedUnique([
      ...ingress.flatMap((i) => [i.ip, i.hostname].filter((x): x is string => Boolean(x))),
      ...strings(spec?.externalIPs),
    ]),
    externalName: spec?.externalName as string | undefined,
  };
}

interface IngressBackend {
  service?: { name?: string };
  serviceName?: string;
}
function ingressFact(spec: Record<string, unknown> | undefined, annotations: Record<string, string> | undefined): IngressFact {
  const rules = (spec?.rules as { host?: string; http?: { paths?: { backend?: IngressBackend }[] } }[] | undefined) ?? [];
  const tls = (spec?.tls as { hosts?: string[]; secretName?: string }[] | undefined) ?? [];
  const backends = [
    spec?.defaultBackend as IngressBackend | undefined,
    ...rules.flatMap((r) => (r.http?.paths ?? []).map((p) => p.backend)),
  ];
  return {
    class: (spec?.ingressClassName as string | undefined) ?? annotations?.[ingressClassAnnotation],
    hosts: sortedUnique(rules.flatMap((r) => (r.host ? [r.host] : []))),
    tlsHosts: sortedUnique(tls.flatMap((t) => strings(t.hosts))),
    tlsSecrets: sortedUnique(tls.flatMap((t) => (t.secretName ? [t.secretName] : []))),
    services: sortedUnique(backends.flatMap((b) => [b?.service?.name, b?.serviceName].filter((x): x is string => Boolean(x)))),
  };
}

function workloadFact(kind: string, spec: Record<string, unknown> | undefined): WorkloadFact | undefined {
  const pod = podSpecOf(kind, spec);
  if (!pod) return undefined;
  const templates = (spec?.volumeClaimTemplates as { spec?: { storageClassName?: string } }[] | undefined) ?? [];
  return {
    refs: podRefs(pod),
    claimTemplateClasses: sortedUnique(templates.flatMap((t) => (t.spec?.storageClassName ? [t.spec.storageClassName] : []))),
  };
}

function hostsInData(data: Record<string, unknown> | undefined): ServiceHost[] | undefined {
  if (!data) return undefined;
  const found = new Map<string, ServiceHost>();
  for (const v of Object.values(data)) {
    if (typeof v !== 'string') continue;
    for (const h of serviceHostsIn(v.length > hostScanLimit ? v.slice(0, hostScanLimit) : v)) found.set(h.host, h);
  }
  return found.size > 0 ? [...found.values()].sort((a, b) => (a.host < b.host ? -1 : 1)) : undefined;
}

// a handful of apiVersions for tens of thousands of objects
const groups = new Map<string, string>();
function groupOfVersion(apiVersion: string): string {
  let group = groups.get(apiVersion);
  if (group === undefined) {
    group = groupOf(apiVersion);
    if (groups.size < 1000) groups.set(apiVersion, group);
  }
  return group;
}

// What extractFact reads of an object besides its metadata, by type: a listing decodes nothing else (the digest is
// taken from the served text). A ConfigMap's data is read for the service hosts it names, so it is decoded only
// when its text names one.
const readMembers = {
  // a Secret's values are never decoded: its digest reads its key names
  secret: new MemberSet(['type', { name: 'data', keysOnly: true }, { name: 'stringData', keysOnly: true }]),
  configMap: new MemberSet([{ name: 'data', containing: ['.svc'] }]),
  claim: new MemberSet(['spec', 'status']),
  service: new MemberSet(['spec', 'status']),
  spec: new MemberSet(['spec']),
  // the spec of a Pod, ReplicaSet or Job a built-in controller made repeats its owner's template, read there
  ownSpec: new MemberSet([{ name: 'spec', unlessControlledBy: [...templateOwners] }]),
  serviceAccount: new MemberSet(['imagePullSecrets', 'secrets']),
  binding: new MemberSet(['roleRef', 'subjects']),
  none: new MemberSet([]),
};

/** The top-level members extractFact reads of an object of `group`/`kind` besides metadata, apiVersion and kind. */
export function factMembers(group: string, kind: string): MemberSet {
  if (group === '') {
    switch (kind) {
      case 'Secret':
        return readMembers.secret;
      case 'ConfigMap':
        return readMembers.configMap;
      case 'PersistentVolumeClaim':
        return readMembers.claim;
      case 'Service':
        return readMembers.service;
      case 'PersistentVolume':
        return readMembers.spec;
      case 'ServiceAccount':
        return readMembers.serviceAccount;
    }
  }
  if (kind === 'Ingress' && group === 'networking.k8s.io') return readMembers.spec;
  if ((kind === 'RoleBinding' || kind === 'ClusterRoleBinding') && group === 'rbac.authorization.k8s.io') return readMembers.binding;
  if (kind === 'CustomResourceDefinition' && group === 'apiextensions.k8s.io') return readMembers.spec;
  // a StatefulSet's spec is read for its claim templates too (memberFactOf), whatever made it
  if (kind === 'StatefulSet') return readMembers.spec;
  return podSpecKinds.has(kind) ? readMembers.ownSpec : readMembers.none;
}

/** What a listing knows of an object besides its decoded body (see list-body.ts readLean). */
export interface Served {
  /** Its size as the API server sent it. */
  readonly bytes: number;
  /** The managers named in its managedFields, which the listing did not decode. */
  readonly managers: readonly string[];
  /** The text of its members as served, for its digest (LeanItem.members). */
  readonly members?: ServedText;
  /** Its labels' text as served, when they came apart (LeanItem.labels): the labels are then already shared. */
  readonly labelsJson?: string;
  /** What the facts read of its annotations, when other objects share them (annotationsRead). */
  readonly annotations?: AnnotationsRead;
}

/**
 * The facts of one listed object; `obj` is not kept (nor changed), only small parts of it. `served`: what the
 * listing knows of it (else it is serialized to be measured and its managedFields read).
 */
export function extractFact(obj: KubeObject, opts: FactOptions, served?: Served): ObjectFact {
  // membership reads what memberFactOf reads, as the backup does: one derivation for both
  const member = memberFactOf(obj);
  const controller = member.controller;
  const group = groupOfVersion(obj.apiVersion);
  const spec = obj.spec as Record<string, unknown> | undefined;
  const status = obj.status as Record<string, unknown> | undefined;
  const core = group === '';
  const kind = obj.kind;
  const labelsJson = served?.labelsJson ?? JSON.stringify(obj.metadata.labels ?? null);
  const size = measure(obj, controller === undefined, served, labelsJson);
  let claim: ClaimFact | undefined;
  let volume: VolumeFact | undefined;
  let service: ServiceFact | undefined;
  let ingress: IngressFact | undefined;
  let workload: WorkloadFact | undefined;
  let binding: BindingFact | undefined;
  let crd: CrdFact | undefined;
  let accountSecrets: string[] | undefined;
  let hosts: ServiceHost[] | undefined;
  if (core && kind === 'PersistentVolumeClaim') claim = claimFact(spec, status);
  else if (core && kind === 'PersistentVolume') volume = volumeFact(spec);
  else if (core && kind === 'Service') service = serviceFact(spec, status);
  else if (core && kind === 'ServiceAccount') {
    const named = (xs: unknown) => ((xs as { name?: string }[] | undefined) ?? []).flatMap((x) => (x.name ? [x.name] : []));
    accountSecrets = sortedUnique([...named(obj.imagePullSecrets), ...named(obj.secrets)]);
  } else if (core && kind === 'ConfigMap') hosts = hostsInData(obj.data as Record<string, unknown> | undefined);
  else if (kind === 'Ingress' && group === 'networking.k8s.io') ingress = ingressFact(spec, obj.metadata.annotations);
  else if ((kind === 'RoleBinding' || kind === 'ClusterRoleBinding') && group === 'rbac.authorization.k8s.io') {
    const roleRef = obj.roleRef as { kind?: string; name?: string } | undefined;
    const subjects = (obj.subjects as { kind?: string; name?: string; namespace?: string }[] | undefined) ?? [];
    binding = {
      roleRef: { kind: roleRef?.kind ?? '', name: roleRef?.name ?? '' },
      subjects: subjects.flatMap((s) => (s.kind && s.name ? [{ kind: s.kind, name: s.name, namespace: s.namespace }] : [])),
    };
  } else if (kind === 'CustomResourceDefinition' && group === 'apiextensions.k8s.io') {
    const names = spec?.names as { kind?: string } | undefined;
    crd = { group: (spec?.group as string | undefined) ?? '', kind: names?.kind ?? '' };
  } else if (!(controller && templateOwners.has(controller.kind))) workload = workloadFact(kind, spec);
  // Every fact has every key, in one order: tens of thousands of facts of one hidden class keep the model's
  // property reads monomorphic (facts of a dozen shapes made them megamorphic, several times slower).
  return {
    apiVersion: member.apiVersion,
    kind,
    name: member.name,
    uid: member.uid,
    controller,
    labels:
      member.labels && opts.interner && served?.labelsJson === undefined ? opts.interner.record(labelsJson, member.labels) : member.labels,
    secretType: member.secretType,
    claimTemplates: member.claimTemplates,
    annotations: served?.annotations ? served.annotations.kept : keptAnnotations(obj.metadata.annotations, opts.teamKeys, opts.interner),
    group,
    namespace: opts.interner ? opts.interner.string(obj.metadata.namespace) : obj.metadata.namespace,
    bytes: size.bytes,
    digest: size.digest,
    // who wrote the object (kubectl, a CI system, a GitOps controller); status writers say nothing about that
    managers: internedList(opts, served ? served.managers : mainManagers(obj.metadata.managedFields as { manager?: string }[] | undefined)),
    claim,
    volume,
    service,
    ingress,
    workload,
    binding,
    crd,
    accountSecrets,
    hosts,
  };
}
