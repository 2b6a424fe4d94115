// The contract of a restore transform (after crane-lib's transform plugins): it reads one object and answers
// keep, patch or drop; it never mutates the object, so the runner can record exactly what each one changed.
import type { Operation } from 'fast-json-patch';
import type { KubeObject } from '../kube/object.js';

export type Patch = Operation;

export type TransformResult = { kind: 'keep' } | { kind: 'patch'; patches: Patch[]; reason?: string } | { kind: 'drop'; reason: string };

export interface Transform<C> {
  readonly name: string;
  /** Must not mutate `obj`; patches are RFC 6902 operations against it. */
  apply(obj: Readonly<KubeObject>, ctx: C): TransformResult;
}

export const keep: TransformResult = { kind: 'keep' };

/** `keep` when there is nothing to patch, so the runner never records empty changes. */
export function patchOrKeep(patches: Patch[], reason?: string): TransformResult {
  if (patches.length === 0) return keep;
  return reason === undefined ? { kind: 'patch', patches } : { kind: 'patch', patches, reason };
}
