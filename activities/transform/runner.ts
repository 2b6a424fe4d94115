// Runs transforms over captured objects in order, on copies, and records which transform changed, dropped or
// failed on which object: the audit trail a team reads before cutover. Output is sorted by ref.
import jsonPatch from 'fast-json-patch';
import { compareRefs, type KubeObject, type ObjectRef, refOf } from '../kube/object.js';
import type { Patch, Transform } from './types.js';

export interface TransformChange {
  readonly ref: ObjectRef;
  readonly transform: string;
  readonly patches: Patch[];
  readonly reason?: string;
}

export interface TransformDrop {
  readonly ref: ObjectRef;
  readonly transform: string;
  readonly reason: string;
}

/** A transform that threw, or whose patch did not apply: the object is left out rather than restored half-transformed. */
export interface TransformFailure {
  readonly ref: ObjectRef;
  readonly transform: string;
  readonly message: string;
}

/** An object's full name as one cluster knows it: a transform may change any part of it (namespace remap, API upgrades). */
export interface ObjectId {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

export const idOf = (o: Readonly<KubeObject>): ObjectId =>
  o.metadata.namespace === undefined
    ? { apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name }
    : { apiVersion: o.apiVersion, kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name };

export interface TransformRun {
  readonly objects: KubeObject[];
  /** Each object of `objects` (same index) as captured: changes are recorded under that name, not the new one. */
  readonly origins: ObjectId[];
  readonly changes: TransformChange[];
  readonly dropped: TransformDrop[];
  readonly failed: TransformFailure[];
}

/**
 * fast-json-patch appends the whole document to its messages, Secret data included, and failures travel into
 * workflow history: keep its first line, its error name and where the operation pointed, nothing else.
 */
function messageOf(err: unknown): string {
  if (err instanceof jsonPatch.JsonPatchError) {
    const op: unknown = err.operation;
    const where = typeof op === 'object' && op !== null ? ` (${String(Reflect.get(op, 'op'))} ${String(Reflect.get(op, 'path'))})` : '';
    return `${err.name}: ${err.message.split('\n')[0]}${where}`;
  }
  return err instanceof Error ? err.message : String(err);
}

// Transforms see frozen objects, so one that mutates instead of patching fails loudly (ESM is strict mode)
// instead of making a change nobody recorded.
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/**
 * `ctx` is the union of what the transforms need (e.g. SanitizeContext & NamespaceRemapContext); it alone
 * fixes C, so a list of transforms with narrower contexts type-checks against it.
 */
export function runTransforms<C>(
  objects: readonly Readonly<KubeObject>[],
  transforms: readonly Transform<NoInfer<C>>[],
  ctx: C,
): TransformRun {
  const run: Omit<TransformRun, 'objects' | 'origins'> = { changes: [], dropped: [], failed: [] };
  const kept: { object: KubeObject; origin: ObjectId }[] = [];
  const sorted = [...objects].sort((a, b) => compareRefs(refOf(a), refOf(b)));
  for (const original of sorted) {
    // The ref is taken before any transform: changes are reported under the name the source cluster knows.
    const ref = refOf(original);
    let current: KubeObject = deepFreeze(jsonPatch.deepClone(original));
    let outcome: 'kept' | 'dropped' | 'failed' = 'kept';
    for (const transform of transforms) {
      try {
        const result = transform.apply(current, ctx);
        if (result.kind === 'drop') {
          run.dropped.push({ ref, transform: transform.name, reason: result.reason });
          outcome = 'dropped';
        } else if (result.kind === 'patch' && result.patches.length > 0) {
          // Validated and applied to a copy: a bad patch throws before any of it lands. The patches are
          // cloned so the record and the object never share values.
          const patches: Patch[] = jsonPatch.deepClone(result.patches);
          current = deepFreeze(jsonPatch.applyPatch(current, jsonPatch.deepClone(patches), true, false).newDocument);
          const change: TransformChange = { ref, transform: transform.name, patches };
          run.changes.push(result.reason === undefined ? change : { ...change, reason: result.reason });
        }
      } catch (err) {
        run.failed.push({ ref, transform: transform.name, message: messageOf(err) });
        outcome = 'failed';
      }
      if (outcome !== 'kept') break;
    }
    if (outcome === 'kept') kept.push({ object: jsonPatch.deepClone(current), origin: idOf(original) });
  }
  // Transforms may rename (namespace remap), so the output is sorted again under the new refs.
  kept.sort((a, b) => compareRefs(refOf(a.object), refOf(b.object)));
  return { ...run, objects: kept.map((k) => k.object), origins: kept.map((k) => k.origin) };
}
