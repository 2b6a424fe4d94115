// Objects as the API server lists them (uids, owner references, managedFields, status), built tersely for the
// inventory's table tests. Each builder returns a fresh object; uids derive from kind, namespace and name.
import { createHash } from 'node:crypto';
import type { KubeObject, OwnerReference } from '../../../activities/kube/object.js';

const apiVersions: Record<string, string> = {
  ConfigMap: 'v1',
  Endpoints: 'v1',
  Namespace: 'v1',
  PersistentVolume: 'v1',
  PersistentVolumeClaim: 'v1',
  Pod: 'v1',
  Secret: 'v1',
  Service: 'v1',
  ServiceAccount: 'v1',
  ControllerRevision: 'apps/v1',
  DaemonSet: 'apps/v1',
  Deployment: 'apps/v1',
  ReplicaSet: 'apps/v1',
  StatefulSet: 'apps/v1',
  CronJob: 'batch/v1',
  Job: 'batch/v1',
  EndpointSlice: 'discovery.k8s.io/v1',
  Ingress: 'networking.k8s.io/v1',
  IngressClass: 'networking.k8s.io/v1',
  ClusterRole: 'rbac.authorization.k8s.io/v1',
  ClusterRoleBinding: 'rbac.authorization.k8s.io/v1',
  Role: 'rbac.authorization.k8s.io/v1',
  RoleBinding: 'rbac.authorization.k8s.io/v1',
  CustomResourceDefinition: 'apiextensions.k8s.io/v1',
  PriorityClass: 'scheduling.k8s.io/v1',
  StorageClass: 'storage.k8s.io/v1',
};

export function uidOf(kind: string, namespace: string | undefined, name: string): string {
  const h = createHash('sha256')
    .update(`${kind}/${namespace ?? ''}/${name}`)
    .digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export interface ObjectOptions {
  readonly namespace?: string;
  readonly apiVersion?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
  /** The controller that made it. */
  readonly owner?: KubeObject;
  readonly managers?: readonly string[];
  readonly body?: Record<string, unknown>;
}

export function object(kind: string, name: string, opts: ObjectOptions = {}): KubeObject {
  const apiVersion = opts.apiVersion ?? apiVersions[kind];
  if (!apiVersion) throw new Error(`test fixture: no apiVersion known for kind ${kind}; pass opts.apiVersion`);
  const owner: OwnerReference | undefined = opts.owner
    ? {
        apiVersion: opts.owner.apiVersion,
        kind: opts.owner.kind,
        name: opts.owner.metadata.name,
        uid: opts.owner.metadata.uid as string,
        controller: true,
        blockOwnerDeletion: true,
      }
    : undefined;
  return {
    apiVersion,
    kind,
    metadata: {
      name,
      ...(opts.namespace ? { namespace: opts.namespace } : {}),
      uid: uidOf(kind, opts.namespace, name),
      resourceVersion: '4711',
      creationTimestamp: '2025-06-01T08:00:00Z',
      ...(opts.labels ? { labels: opts.labels } : {}),
      ...(opts.annotations ? { annotations: opts.annotations } : {}),
      ...(owner ? { ownerReferences: [owner] } : {}),
      managedFields: (opts.managers ?? ['kubectl-client-side-apply']).map((manager) => ({
        apiVersion,
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:metadata': {} },
        manager,
        operation: 'Update',
        time: '2025-06-01T08:00:00Z',
      })),
    },
    ...opts.body,
  };
}

/** A namespaced builder: `ns('shop')('Deployment', 'web', {...})`. */
export const inNamespace =
  (namespace: string) =>
  (kind: string, name: string, opts: Omit<ObjectOptions, 'namespace'> = {}): KubeObject =>
    object(kind, name, { ...opts, namespace });

export function podTemplate(spec: Record<string, unknown>, labels: Record<string, string> = { app: 'x' }) {
  return { selector: { matchLabels: labels }, template: { metadata: { labels }, spec } };
}

export const helm3Marks = (release: string, namespace: string, chart = 'app-1.2.3') => ({
  labels: { 'app.kubernetes.io/managed-by': 'Helm', 'app.kubernetes.io/instance': release, 'helm.sh/chart': chart },
  annotations: { 'meta.helm.sh/release-name': release, 'meta.helm.sh/release-namespace': namespace },
});

export const argoMarks = (app: string, namespace: string, kind: string, name: string, group = '') => ({
  labels: { 'app.kubernetes.io/instance': app },
  annotations: { 'argocd.argoproj.io/tracking-id': `${app}:${group}/${kind}:${namespace}/${name}` },
});
