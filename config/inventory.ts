// The Inventory document: what really runs on a cluster, grouped into apps. Versioned (apiVersion), content-hashed
// (digest), stored with each campaign and compared by `ferry inventory diff`. Secret values never appear in it.
import { z } from 'zod';

export const INVENTORY_API_VERSION = 'ferry.dev/v1alpha1';

const mechanism = z.enum(['helm3', 'helm2', 'argocd', 'flux', 'manual']);

const objectName = z.string().meta({ description: '`Kind/name` of an object in the same namespace as the app' });

const objectEntry = z.strictObject({
  apiVersion: z.string(),
  kind: z.string(),
  name: z.string(),
  bytes: z.int().nonnegative().meta({ description: 'size of the object as the API server returned it, in JSON bytes' }),
  digest: z
    .string()
    .regex(/^[0-9a-f]{16}$/)
    .optional()
    .meta({
      description:
        'sha256 (first 16 hex digits) of labels, annotations and everything but status; for Secrets only their type and key names. Absent for objects a controller made.',
    }),
  tracked: z.boolean().meta({ description: 'a git source (Argo CD, Flux) describes this object' }),
});

const volume = z.strictObject({
  claim: z.string(),
  storageClass: z.string().meta({ description: '"" when the claim names no class' }),
  requested: z.string().meta({ description: 'requested capacity as written (a Kubernetes quantity)' }),
  requestedBytes: z.int().nonnegative(),
  accessModes: z.array(z.string()),
  phase: z.string(),
  volume: z
    .strictObject({
      name: z.string(),
      kind: z.string().meta({ description: 'the PersistentVolume source: csi, hostPath, local, nfs, ...' }),
      driver: z.string().optional().meta({ description: 'CSI (or flex) driver' }),
      capacity: z.string().optional(),
      reclaimPolicy: z.string().optional(),
    })
    .optional()
    .meta({ description: 'the bound PersistentVolume, when the claim is bound and volumes could be listed' }),
});

const sideEffects = z.strictObject({
  loadBalancers: z.array(z.strictObject({ service: z.string(), addresses: z.array(z.string()), ports: z.array(z.int()) })),
  nodePorts: z.array(z.strictObject({ service: z.string(), ports: z.array(z.int()) })),
  ingresses: z.array(
    z.strictObject({ name: z.string(), class: z.string().optional(), hosts: z.array(z.string()), tlsHosts: z.array(z.string()) }),
  ),
  externalDns: z.array(z.strictObject({ object: objectName, hostnames: z.array(z.string()) })),
});

const objectDependency = z.strictObject({
  kind: z.enum(['ConfigMap', 'PersistentVolumeClaim', 'Secret', 'Service', 'ServiceAccount']),
  name: z.string(),
  status: z.enum(['member', 'other-app', 'missing', 'unlisted']).meta({
    description:
      'member: the app holds it; other-app: another app of the namespace does (see app); missing; unlisted: its type could not be listed',
  }),
  app: z.string().optional(),
  optional: z.boolean().meta({ description: 'every reference to it is marked optional' }),
});

const crossNamespace = z.strictObject({
  from: objectName,
  host: z.string(),
  namespace: z.string(),
  service: z.string(),
  status: z.enum(['app', 'outside-selection', 'missing']),
  app: z.string().optional(),
});

const clusterDependency = z.strictObject({
  kind: z.string(),
  name: z.string(),
  via: z.string().meta({ description: 'what makes the app need it, e.g. `ServiceAccount/api` or `Database/orders`' }),
  status: z.enum(['present', 'missing', 'unlisted']),
});

const source = z.strictObject({
  tool: mechanism,
  name: z
    .string()
    .meta({ description: 'Helm release, Argo CD Application, Flux Kustomization or HelmRelease; for manual apps the app name' }),
  kind: z.string().optional().meta({ description: 'Flux: Kustomization or HelmRelease' }),
  namespace: z.string().optional().meta({ description: 'Flux: the namespace of the Kustomization or HelmRelease' }),
  chart: z.string().optional(),
  revision: z.int().optional(),
  record: z.string().optional().meta({ description: 'where Helm keeps the release record, when found' }),
});

export const inventoryAppSchema = z.strictObject({
  id: z.string().meta({ description: '`<namespace>/<app>`' }),
  namespace: z.string(),
  name: z.string(),
  team: z.string(),
  teamFrom: z.enum(['object', 'namespace', 'none']),
  mechanism,
  source,
  gitops: z.strictObject({
    status: z.enum(['tracked', 'partial', 'untracked']),
    untracked: z
      .array(objectName)
      .meta({ description: 'objects of a tracked app that no git source describes (for untracked apps: every object, not repeated here)' }),
  }),
  managers: z.array(z.string()).meta({ description: 'field managers that wrote the app objects (kubectl, CI systems, controllers)' }),
  stateful: z.boolean(),
  counts: z.strictObject({
    objects: z.int().nonnegative().meta({ description: 'every member, generated ones included' }),
    generated: z.int().nonnegative().meta({ description: 'members a controller made (Pods, ReplicaSets, ...), folded under their owner' }),
    byKind: z.record(z.string(), z.int().nonnegative()),
  }),
  bytes: z.int().nonnegative(),
  capacityBytes: z.int().nonnegative().meta({ description: 'capacity its claims request' }),
  volumes: z.array(volume),
  sideEffects,
  dependencies: z.strictObject({
    objects: z.array(objectDependency),
    crossNamespace: z.array(crossNamespace),
    cluster: z.array(clusterDependency),
  }),
  objects: z.array(objectEntry).meta({ description: 'members other than generated ones, sorted' }),
  warnings: z.array(z.string()),
});

const selection = z.strictObject({
  includeNamespaces: z.array(z.string()),
  excludeNamespaces: z.array(z.string()),
  systemNamespaces: z.array(z.string()),
  namespaceSelector: z.string().optional(),
  appSelector: z.string().optional(),
  includeTypes: z.array(z.string()),
  excludeTypes: z.array(z.string()),
  teamKeys: z.array(z.string()),
  tillerNamespace: z.string(),
});

export const inventorySchema = z
  .strictObject({
    apiVersion: z.literal(INVENTORY_API_VERSION),
    kind: z.literal('Inventory'),
    cluster: z.strictObject({ context: z.string(), version: z.string() }),
    takenAt: z.string().meta({ description: 'ISO 8601 time the listing started' }),
    digest: z
      .string()
      .regex(/^sha256:[0-9a-f]{64}$/)
      .meta({ description: 'sha256 of the canonical JSON of the document without takenAt and digest: equal content, equal digest' }),
    selection,
    summary: z.strictObject({
      namespaces: z.int().nonnegative(),
      apps: z.int().nonnegative(),
      objects: z.int().nonnegative(),
      bytes: z.int().nonnegative(),
      capacityBytes: z.int().nonnegative(),
      teams: z.int().nonnegative(),
      byMechanism: z.record(z.string(), z.int().nonnegative()),
    }),
    types: z.array(
      z.strictObject({
        apiVersion: z.string(),
        kind: z.string(),
        plural: z.string(),
        namespaced: z.boolean(),
        objects: z.int().nonnegative().meta({ description: 'objects listed, in every namespace' }),
      }),
    ),
    apps: z.array(inventoryAppSchema),
    warnings: z.array(z.string()),
  })
  .meta({
    title: 'Ferry Inventory',
    description: 'What runs on a cluster, grouped into apps, with team, deployment mechanism, volumes, side effects and dependencies.',
  });

export type InventoryDocument = z.output<typeof inventorySchema>;
export type InventoryApp = z.output<typeof inventoryAppSchema>;
export type InventoryObject = InventoryApp['objects'][number];
export type InventoryVolume = InventoryApp['volumes'][number];
export type InventorySideEffects = InventoryApp['sideEffects'];
export type InventoryDependencies = InventoryApp['dependencies'];
export type InventorySource = InventoryApp['source'];

export type InventoryParse =
  | { readonly ok: true; readonly inventory: InventoryDocument }
  | { readonly ok: false; readonly issues: readonly z.core.$ZodIssue[] };

export function parseInventory(input: unknown): InventoryParse {
  const result = inventorySchema.safeParse(input);
  return result.success ? { ok: true, inventory: result.data } : { ok: false, issues: result.error.issues };
}
