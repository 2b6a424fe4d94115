// Strips what only made sense on the source cluster (identity, status, allocated IPs and ports, bindings to
// source volumes and nodes) and drops objects the target regenerates. Run after foldOwned, before remaps.
import { groupOf, type KubeObject } from '../kube/object.js';
import { containerLists } from './pod-template.js';
import { asArray, asRecord, asString, pointer, type Segment, valueAt } from './pointer.js';
import { type Patch, patchOrKeep, type Transform, type TransformResult } from './types.js';

export interface SanitizeContext {
  /** `namespace/name` of every captured Service with a selector: their Endpoints and EndpointSlices are regenerated. */
  readonly selectorServices: ReadonlySet<string>;
}

const serviceKey = (namespace: string | undefined, name: string) => `${namespace ?? ''}/${name}`;

export function sanitizeContext(objects: readonly Readonly<KubeObject>[]): SanitizeContext {
  const selectorServices = new Set<string>();
  for (const obj of objects) {
    if (obj.apiVersion === 'v1' && obj.kind === 'Service' && Object.keys(asRecord(valueAt(obj, ['spec', 'selector'])) ?? {}).length > 0) {
      selectorServices.add(serviceKey(obj.metadata.namespace, obj.metadata.name));
    }
  }
  return { selectorServices };
}

// Server-populated, so meaningless or rejected on create. ownerReferences go too: owner uids differ on the
// target, and a reference to a missing uid gets the object garbage-collected. Objects whose owner was captured
// are folded under it (foldOwned) and never reach this point.
// kubectl.kubernetes.io/last-applied-configuration is KEPT: it records what the team's pipeline last applied,
// and `kubectl apply` needs it on the target to compute its three-way merge once the pipeline is resynced.
const serverMetadata = [
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'selfLink',
  'managedFields',
  'ownerReferences',
];

// Bookkeeping of the source's workload controllers: the target's controllers write their own, and a copied
// value would fight them (a Deployment restored at revision 12 is at revision 1 on the target).
const controllerAnnotations = [
  'deployment.kubernetes.io/revision',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.daemonset.template.generation',
];

// Written by the PV controller and the scheduler about the source's volumes and nodes.
const pvcBindingAnnotations = [
  'pv.kubernetes.io/bind-completed',
  'pv.kubernetes.io/bound-by-controller',
  'volume.kubernetes.io/selected-node',
  'volume.beta.kubernetes.io/storage-provisioner',
  'volume.kubernetes.io/storage-provisioner',
];

// Set by the Job controller from the Job's uid; left in place, the re-created Job's selector would not match
// the uid the target assigns it and the apiserver rejects it.
const jobControllerLabels = ['batch.kubernetes.io/controller-uid', 'controller-uid', 'batch.kubernetes.io/job-name', 'job-name'];

const regeneratingSliceManagers = new Set(['endpointslice-controller.k8s.io', 'endpointslicemirroring-controller.k8s.io']);

class PatchList {
  readonly patches: Patch[] = [];
  constructor(private readonly obj: Readonly<KubeObject>) {}

  remove(...segments: Segment[]): void {
    if (valueAt(this.obj, segments) !== undefined) this.patches.push({ op: 'remove', path: pointer(...segments) });
  }
  removeKeys(at: readonly Segment[], keys: readonly string[]): void {
    const map = asRecord(valueAt(this.obj, at));
    if (!map) return;
    const present = keys.filter((k) => map[k] !== undefined);
    // A map emptied by sanitizing goes as a whole: `{}` and no map mean the same to the target, but a backup
    // taken before a controller added its keys would lack the map, and a later one would own `{}` — a
    // difference that makes a re-run restore change objects it should leave alone.
    if (present.length > 0 && present.length === Object.keys(map).length) this.remove(...at);
    else for (const key of present) this.remove(...at, key);
  }
}

function dropReason(obj: Readonly<KubeObject>, ctx: SanitizeContext): string | undefined {
  const group = groupOf(obj.apiVersion);
  const ns = obj.metadata.namespace;
  switch (`${group}/${obj.kind}`) {
    case '/PersistentVolume':
      return 'the target provisions its own volumes; the data moves with the claim';
    case '/Event':
    case 'events.k8s.io/Event':
      return "events are the source cluster's history";
    case '/Secret':
      return obj.type === 'kubernetes.io/service-account-token'
        ? "its token is signed by the source cluster's key and is invalid on the target"
        : undefined;
    case '/Endpoints':
      return ctx.selectorServices.has(serviceKey(ns, obj.metadata.name))
        ? `the endpoints controller regenerates it for Service ${obj.metadata.name}`
        : undefined;
    case 'discovery.k8s.io/EndpointSlice': {
      const labels = obj.metadata.labels ?? {};
      const manager = labels['endpointslice.kubernetes.io/managed-by'];
      const service = labels['kubernetes.io/service-name'];
      if (manager !== undefined && regeneratingSliceManagers.has(manager)) return `${manager} regenerates it`;
      if (service !== undefined && ctx.selectorServices.has(serviceKey(ns, service))) {
        return `the endpointslice controller regenerates it for Service ${service}`;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

function servicePatches(p: PatchList, obj: Readonly<KubeObject>): void {
  // Headless Services keep "None": it is what makes them headless. Other IPs are allocated by the target.
  if (valueAt(obj, ['spec', 'clusterIP']) !== 'None') {
    p.remove('spec', 'clusterIP');
    p.remove('spec', 'clusterIPs');
  }
  p.remove('spec', 'healthCheckNodePort');
  // NodePorts are dropped so the target allocates free ones: its range and the ports in use differ, and a
  // taken port would fail the whole restore. Traffic moves at cutover through DNS or load balancers anyway.
  asArray(valueAt(obj, ['spec', 'ports'])).forEach((_, i) => {
    p.remove('spec', 'ports', i, 'nodePort');
  });
}

function podPatches(p: PatchList, obj: Readonly<KubeObject>): void {
  p.remove('spec', 'nodeName');
  // Computed by admission from priorityClassName; a stale value that differs on the target is rejected.
  p.remove('spec', 'priority');
  // Cannot be set on create.
  p.remove('spec', 'ephemeralContainers');
  // The projected token volume admission injected: admission injects a new one on the target, and two would
  // mount at the same path.
  const volumes = asArray(valueAt(obj, ['spec', 'volumes']));
  const injected = new Set(
    volumes.flatMap((v) => {
      const name = asString(asRecord(v)?.name);
      return name?.startsWith('kube-api-access-') && valueAt(v, ['projected']) !== undefined ? [name] : [];
    }),
  );
  for (const list of containerLists) {
    const containers = asArray(valueAt(obj, ['spec', list]));
    containers.forEach((c, ci) => {
      const mounts = asArray(valueAt(c, ['volumeMounts']));
      for (let mi = mounts.length - 1; mi >= 0; mi--) {
        if (injected.has(asString(asRecord(mounts[mi])?.name) ?? '')) p.remove('spec', list, ci, 'volumeMounts', mi);
      }
    });
  }
  // Highest index first, so earlier removals do not shift later ones.
  for (let vi = volumes.length - 1; vi >= 0; vi--) {
    if (injected.has(asString(asRecord(volumes[vi])?.name) ?? '')) p.remove('spec', 'volumes', vi);
  }
}

function jobPatches(p: PatchList, obj: Readonly<KubeObject>): void {
  // With manualSelector the user owns the selector and its labels; otherwise the apiserver generates them again.
  if (valueAt(obj, ['spec', 'manualSelector']) === true) return;
  p.remove('spec', 'selector');
  p.removeKeys(['metadata', 'labels'], jobControllerLabels);
  p.removeKeys(['spec', 'template', 'metadata', 'labels'], jobControllerLabels);
}

export const sanitize: Transform<SanitizeContext> = {
  name: 'sanitize',
  apply(obj, ctx): TransformResult {
    const reason = dropReason(obj, ctx);
    if (reason !== undefined) return { kind: 'drop', reason };
    const p = new PatchList(obj);
    p.removeKeys(['metadata'], serverMetadata);
    p.removeKeys(['metadata', 'annotations'], controllerAnnotations);
    p.remove('status');
    switch (`${groupOf(obj.apiVersion)}/${obj.kind}`) {
      case '/Service':
        servicePatches(p, obj);
        break;
      case '/PersistentVolumeClaim':
        p.remove('spec', 'volumeName');
        p.removeKeys(['metadata', 'annotations'], pvcBindingAnnotations);
        break;
      case '/Pod':
        podPatches(p, obj);
        break;
      case 'batch/Job':
        jobPatches(p, obj);
        break;
    }
    return patchOrKeep(p.patches, 'fields only meaningful on the source cluster');
  },
};
