// The manifest half of a backup: capture an app's objects, fold generated ones under their owner,
// sanitize, and store both the restorable set and the raw capture (for audit).
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { captureObjects } from '../inventory/capture.js';
import type { Cluster } from '../kube/cluster.js';
import { compareRefs, type KubeObject, refOf } from '../kube/object.js';
import { foldOwned } from '../transform/ownership.js';
import { runTransforms } from '../transform/runner.js';
import { sanitize, sanitizeContext } from '../transform/sanitize.js';

export interface ManifestDocument {
  readonly apiVersion: 'ferry.dev/v1alpha1';
  readonly kind: 'ManifestBackup';
  readonly cluster: string;
  readonly namespace: string;
  readonly objects: KubeObject[];
}

/** The app's namespace object and every capturable object in it, raw, sorted. */
export async function captureApp(
  cluster: Cluster,
  namespace: string,
  onProgress?: (listed: number) => void,
): Promise<{ raw: KubeObject[]; warnings: string[] }> {
  const types = await cluster.discover();
  const ns = await cluster.get({ apiVersion: 'v1', kind: 'Namespace', name: namespace });
  if (!ns) throw new Error(`${cluster.context}: namespace ${namespace} does not exist`);
  const { objects, warnings } = await captureObjects(cluster, types, namespace, { onProgress });
  const raw = [{ ...ns, apiVersion: 'v1', kind: 'Namespace' }, ...objects].sort((a, b) => compareRefs(refOf(a), refOf(b)));
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
