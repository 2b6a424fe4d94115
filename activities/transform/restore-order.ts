// The order objects are applied on the target, as data with the reason for each place (after Velero's
// restore priorities): what others reference or need at admission goes first, custom resources last.
import { compareRefs, groupOf, type KubeObject, refOf } from '../kube/object.js';

export interface GroupKind {
  readonly group: string;
  readonly kind: string;
}

export interface RestoreTier {
  readonly name: string;
  /** Empty for the catch-all tiers, which `tierOf` picks by group instead. */
  readonly kinds: readonly GroupKind[];
  readonly reason: string;
}

const core = (...kinds: string[]) => kinds.map((kind) => ({ group: '', kind }));
const of = (group: string, ...kinds: string[]) => kinds.map((kind) => ({ group, kind }));
const rbac = 'rbac.authorization.k8s.io';

export const RESTORE_TIERS: readonly RestoreTier[] = [
  {
    name: 'definitions',
    kinds: of('apiextensions.k8s.io', 'CustomResourceDefinition'),
    reason: 'custom resources cannot be created until their definition is established',
  },
  { name: 'namespaces', kinds: core('Namespace'), reason: 'every namespaced object needs its namespace first' },
  {
    name: 'identity',
    kinds: [...core('ServiceAccount'), ...of(rbac, 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding')],
    reason: 'admission rejects pods whose ServiceAccount is missing, and workloads call the API as soon as they start',
  },
  {
    name: 'configuration',
    kinds: core('ConfigMap', 'Secret'),
    reason: 'pods that mount or read a missing ConfigMap or Secret do not start',
  },
  {
    name: 'limits',
    kinds: core('LimitRange', 'ResourceQuota'),
    reason: 'admission applies defaults and quotas when a pod is created, never to pods created before them',
  },
  {
    name: 'classes',
    kinds: [
      ...of('storage.k8s.io', 'StorageClass'),
      ...of('scheduling.k8s.io', 'PriorityClass'),
      ...of('node.k8s.io', 'RuntimeClass'),
      ...of('networking.k8s.io', 'IngressClass'),
    ],
    reason: 'claims, pods and ingresses name these classes, and admission rejects pods whose priority or runtime class is missing',
  },
  {
    name: 'claims',
    kinds: core('PersistentVolumeClaim'),
    reason: 'volumes are provisioned and their data restored before any pod mounts them',
  },
  {
    name: 'services',
    kinds: core('Service'),
    reason: 'pods get environment variables only for Services that exist when they start, and StatefulSets need their governing Service',
  },
  {
    name: 'workloads',
    kinds: [
      ...of('apps', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'),
      ...of('batch', 'Job', 'CronJob'),
      ...core('Pod', 'ReplicationController'),
    ],
    reason: 'everything they reference exists by now, so they start cleanly on the first try',
  },
  {
    name: 'scaling',
    kinds: [...of('policy', 'PodDisruptionBudget'), ...of('autoscaling', 'HorizontalPodAutoscaler')],
    reason: 'they act on workloads, and an autoscaler without its target only reports errors',
  },
  {
    name: 'network policies',
    kinds: of('networking.k8s.io', 'NetworkPolicy'),
    reason: 'they select pods by label and nothing waits on them; restored workloads are up before traffic rules apply',
  },
  {
    name: 'ingresses',
    kinds: of('networking.k8s.io', 'Ingress'),
    reason: 'routes are published only once the Services and pods behind them exist',
  },
  { name: 'other built-in', kinds: [], reason: 'nothing above depends on them' },
  {
    name: 'custom resources',
    kinds: [],
    reason: 'their operators, restored as workloads above, must be running, and they often reference built-in objects',
  },
  {
    name: 'admission and aggregation',
    kinds: [
      ...of(
        'admissionregistration.k8s.io',
        'ValidatingWebhookConfiguration',
        'MutatingWebhookConfiguration',
        'ValidatingAdmissionPolicy',
        'ValidatingAdmissionPolicyBinding',
      ),
      ...of('apiregistration.k8s.io', 'APIService'),
    ],
    reason:
      'a webhook or APIService whose backend is not ready yet would fail every create after it; the objects above were valid on the source',
  },
];

// Groups served by Kubernetes itself; any other group is a custom resource (some CRDs live under *.k8s.io, like
// snapshot.storage.k8s.io and gateway.networking.k8s.io, so the suffix alone does not tell).
const builtInGroups = new Set([
  '',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'apps',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'events.k8s.io',
  'extensions',
  'flowcontrol.apiserver.k8s.io',
  'internal.apiserver.k8s.io',
  'networking.k8s.io',
  'node.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'resource.k8s.io',
  'scheduling.k8s.io',
  'storage.k8s.io',
  'storagemigration.k8s.io',
]);

// Within a tier, kinds keep their listed order: Roles before the bindings that reference them (RBAC's
// escalation check resolves the Role), Deployments before the Pods of nobody.
const placeOf = new Map<string, { tier: number; position: number }>();
RESTORE_TIERS.forEach((tier, i) => {
  tier.kinds.forEach((gk, position) => {
    placeOf.set(`${gk.group}/${gk.kind}`, { tier: i, position });
  });
});
const otherBuiltIn = RESTORE_TIERS.findIndex((t) => t.name === 'other built-in');
const customResources = RESTORE_TIERS.findIndex((t) => t.name === 'custom resources');

function placeFor(gk: GroupKind): { tier: number; position: number } {
  return placeOf.get(`${gk.group}/${gk.kind}`) ?? { tier: builtInGroups.has(gk.group) ? otherBuiltIn : customResources, position: 0 };
}

/** Index into RESTORE_TIERS of the tier an object is restored in. */
export function tierOf(gk: GroupKind): number {
  return placeFor(gk).tier;
}

/** A new array: by tier, by kind in the tier's order, then by ref, so the same objects always restore alike. */
export function orderForRestore<T extends Readonly<KubeObject>>(objects: readonly T[]): T[] {
  return objects
    .map((obj) => ({ obj, ref: refOf(obj), place: placeFor({ group: groupOf(obj.apiVersion), kind: obj.kind }) }))
    .sort((a, b) => a.place.tier - b.place.tier || a.place.position - b.place.position || compareRefs(a.ref, b.ref))
    .map((e) => e.obj);
}
