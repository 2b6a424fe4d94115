// Applies a transform's answer to its input the way the runner does, so tests compare whole resulting objects.
import jsonPatch from 'fast-json-patch';
import type { KubeObject } from '../../../activities/kube/object.js';
import type { TransformResult } from '../../../activities/transform/types.js';

/** The object after `result`'s patches; throws on keep or drop, which a conversion test does not expect. */
export function patched(obj: KubeObject, result: TransformResult): KubeObject {
  if (result.kind !== 'patch') throw new Error(`expected patches, got ${result.kind}`);
  return jsonPatch.applyPatch(obj, jsonPatch.deepClone(result.patches), true, false).newDocument;
}
