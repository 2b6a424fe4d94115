// Applies the RFC 6902 JSON patches a campaign lists for the objects their targets select: the escape hatch for
// any change no built-in transform makes. A patch that does not apply fails that object, naming entry and op.
import jsonPatch from 'fast-json-patch';
import { type KubeObject, refKey, refOf } from '../kube/object.js';
import { matchesObject, type ObjectMatcher } from './object-match.js';
import { type Patch, patchOrKeep, type Transform, type TransformResult } from './types.js';

export interface UserPatch {
  readonly target: ObjectMatcher;
  readonly patch: readonly Patch[];
}

export interface UserPatchContext {
  /** Applied in order; every entry whose target matches the object applies, each on the result of the previous. */
  readonly userPatches: readonly UserPatch[];
}

/** Permanent: the same patch fails the same way on every retry. */
export class UserPatchFailed extends Error {
  override readonly name = 'UserPatchFailed';
  constructor(
    readonly object: string,
    /** Index into the campaign's patches list. */
    readonly entry: number,
    /** Index of the failing operation in that entry's patch. */
    readonly operation: number,
    readonly op: string,
    readonly path: string,
    readonly reason: string,
  ) {
    super(`patches[${entry}].patch[${operation}] (${op} ${path}) does not apply to ${object}: ${reason}`);
  }
}

/**
 * fast-json-patch appends the whole document to its messages and objects may be Secrets: only its error name
 * and the message's first line are kept.
 */
function reasonOf(err: unknown): string {
  if (err instanceof jsonPatch.JsonPatchError) return `${err.name}: ${err.message.split('\n')[0]}`;
  return err instanceof Error ? err.message.split('\n')[0] : String(err);
}

/** One operation at a time: fast-json-patch's own error index is not reliable when it validates. */
function tryEntry(doc: KubeObject, patch: readonly Patch[], entry: number, object: string): KubeObject {
  let at = doc;
  patch.forEach((op, index) => {
    try {
      at = jsonPatch.applyPatch(at, [jsonPatch.deepClone(op)], true, false).newDocument;
    } catch (err) {
      throw new UserPatchFailed(object, entry, index, op.op, op.path, reasonOf(err));
    }
  });
  return at;
}

export const applyUserPatches: Transform<UserPatchContext> = {
  name: 'user-patches',
  apply(obj, ctx): TransformResult {
    const matching = ctx.userPatches.flatMap((p, entry) => (matchesObject(p.target, obj) ? [{ ...p, entry }] : []));
    if (matching.length === 0) return { kind: 'keep' };
    // Tried here, entry by entry, so a failure names the entry and operation; the runner then applies the same
    // operations in one go.
    const object = refKey(refOf(obj));
    let doc: KubeObject = obj;
    for (const m of matching) doc = tryEntry(doc, m.patch, m.entry, object);
    return patchOrKeep(
      matching.flatMap((m) => [...m.patch]),
      `patches ${matching.map((m) => `[${m.entry}]`).join(', ')}`,
    );
  },
};
