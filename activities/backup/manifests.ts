// The manifest half of a backup: capture an app's objects, fold generated ones under their owner,
// sanitize, and store both the restorable set and the raw capture (for audit).
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { captureObjects } from '../inventory/capture.js';
import { groupNamespace, memberFactOf } from '../inventory/membership.js';
import { type Cluster, discoveryWarning } from '../kube/cluster.js';
import { compareRefs, type KubeObject, refOf } from '../kube/object.js';
import { foldOwned } from '../transform/ownership.js';
import { runTransforms } from '../transform/runner.js';
import { sanitize, sanitizeContext } from '../transform/sanitize.js';
import type { SecretsEncoding } from './encryption.js';

export interface ManifestDocument {
  readonly apiVersion: 'ferry.dev/v1alpha1';
  readonly kind: 'ManifestBackup';
  readonly cluster: string;
  readonly namespace: string;
  readonly objects: KubeObject[];
  /** How Secret values are stored; absent in backups made before encryption (then in clear). */
  readonly secrets?: SecretsEncoding;
}

/** The app a backup names is not among the apps its namespace holds now (deleted or relabelled since the inventory). */
export class AppNotFound extends Error {
  constructor(
    readonly context: string,
    readonly namespace: string,
    readonly app: string,
    readonly apps: readonly string[],
  ) {
    super(`${context}: namespace ${namespace} holds no app "${app}" (apps there: ${apps.join(', ') || 'none'})`);
    this.name = 'AppNotFound';
  }
}

/**
 * The app's Namespace object and its member objects, raw, sorted: membership is decided by groupNamespace, the rule
 * the inventory groups by, so a backup holds exactly what the inventory lists. Given a namespace name alone (callers
 * that name no app), every capturable object of the namespace.
 */
export async function captureApp(
  cluster: Cluster,
  app: string | { readonly namespace: string; readonly app: string },
  onProgress?: (listed: number) => void,
): Promise<{ raw: KubeObject[]; warnings: string[] }> {
  const namespace = typeof app === 'string' ? app : app.namespace;
  const { types, failures } = await cluster.discover();
  const ns = await cluster.get({ apiVersion: 'v1', kind: 'Namespace', name: namespace });
  if (!ns) throw new Error(`${cluster.context}: namespace ${namespace} does not exist`);
  const captured = await captureObjects(cluster, types, namespace, { onProgress });
  const { objects } = captured;
  const warnings = [...failures.map(discoveryWarning), ...captured.warnings];
  let members = objects;
  if (typeof app !== 'string') {
    const apps = groupNamespace(namespace, objects.map(memberFactOf));
    const found = apps.find((a) => a.name === app.app);
    if (!found)
      throw new AppNotFound(
        cluster.context,
        namespace,
        app.app,
        apps.map((a) => a.name),
      );
    members = [...found.objects, ...found.generated].map((i) => objects[i]);
  }
  const raw = [{ ...ns, apiVersion: 'v1', kind: 'Namespace' }, ...members].sort((a, b) => compareRefs(refOf(a), refOf(b)));
  return { raw, warnings };
}

/** Pure: raw capture → the objects a restore applies. */
export function restorableObjects(raw: readonly KubeObject[]): { objects: KubeObject[]; folded: number; dropped: number } {
  const folded = foldOwned(raw);
  const run = runTransforms(folded.roots, [sanitize], sanitizeContext(raw));
  return { objects: run.objects, folded: folded.owned.length, dropped: run.dropped.length };
}

export function encodeDocument(doc: unknown): { body: Buffer; sha256: string } {
  const body = gzipSync(Buffer.from(JSON.stringify(doc)));
  return { body, sha256: createHash('sha256').update(body).digest('hex') };
}

export function decodeDocument<T>(body: Buffer): T {
  return JSON.parse(gunzipSync(body).toString('utf8')) as T;
}
