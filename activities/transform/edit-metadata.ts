// Adds and removes labels or annotations on the objects a scope selects, and optionally on their pod templates
// (a sidecar-injection annotation, a team label the target's policies require).
import { type KubeObject, refKey, refOf } from '../kube/object.js';
import { matchesObject, type ObjectMatcher } from './object-match.js';
import { podMetadataPath, podSpecPathOf } from './pod-specs.js';
import { asArray, asRecord, pointer, type Segment, valueAt } from './pointer.js';
import { type Patch, patchOrKeep, type Transform, type TransformResult } from './types.js';

export interface MetadataEdit {
  /** Set, replacing any existing value. */
  readonly add: Readonly<Record<string, string>>;
  /** Removed when present. Removal happens before additions, so a key in both would end up added. */
  readonly remove: readonly string[];
  /** An object is edited when any matcher matches it, every object when there is none. */
  readonly scope: readonly ObjectMatcher[];
  /** Edit the pod templates of workloads too, so the pods carry the change. */
  readonly podTemplates: boolean;
}

export interface LabelEditContext {
  readonly labelEdit: MetadataEdit;
}

export interface AnnotationEditContext {
  readonly annotationEdit: MetadataEdit;
}

/** Editing a label a controller selects its pods by, in its pod template, would orphan the pods: refused. */
export class SelectorLabelEdit extends Error {
  override readonly name = 'SelectorLabelEdit';
  constructor(
    readonly object: string,
    readonly label: string,
  ) {
    super(`label "${label}" is in the selector of ${object}: changing it in the pod template would orphan its pods`);
  }
}

const isEmpty = (edit: MetadataEdit) => Object.keys(edit.add).length === 0 && edit.remove.length === 0;

function editAt(obj: Readonly<KubeObject>, at: readonly Segment[], field: 'labels' | 'annotations', edit: MetadataEdit): Patch[] {
  const current = asRecord(valueAt(obj, [...at, field]));
  const additions = Object.keys(edit.add).sort();
  if (current === undefined) {
    if (additions.length === 0) return [];
    return [{ op: 'add', path: pointer(...at, field), value: Object.fromEntries(additions.map((k) => [k, edit.add[k]])) }];
  }
  const patches: Patch[] = [];
  for (const key of [...edit.remove].sort()) {
    if (Object.hasOwn(current, key)) patches.push({ op: 'remove', path: pointer(...at, field, key) });
  }
  for (const key of additions) {
    const removed = edit.remove.includes(key);
    if (!removed && current[key] === edit.add[key]) continue;
    const op = Object.hasOwn(current, key) && !removed ? 'replace' : 'add';
    patches.push({ op, path: pointer(...at, field, key), value: edit.add[key] });
  }
  return patches;
}

/** Label keys a controller's selector uses: a LabelSelector, or a ReplicationController's plain map. */
function selectorKeys(selector: unknown): Set<string> {
  const record = asRecord(selector);
  if (record === undefined) return new Set();
  if (!Object.hasOwn(record, 'matchLabels') && !Object.hasOwn(record, 'matchExpressions')) return new Set(Object.keys(record));
  const keys = Object.keys(asRecord(record.matchLabels) ?? {});
  for (const expr of asArray(record.matchExpressions)) {
    const key = asRecord(expr)?.key;
    if (typeof key === 'string') keys.push(key);
  }
  return new Set(keys);
}

function templatePatches(obj: Readonly<KubeObject>, field: 'labels' | 'annotations', edit: MetadataEdit): Patch[] {
  const spec = podSpecPathOf(obj);
  // A Pod is its own template: its metadata was edited already.
  if (spec === undefined || spec.length === 1) return [];
  const meta = podMetadataPath(spec);
  if (field === 'labels') {
    const used = selectorKeys(valueAt(obj, [...spec.slice(0, -2), 'selector']));
    const templateLabels = asRecord(valueAt(obj, [...meta, 'labels'])) ?? {};
    const touched = [...edit.remove.filter((k) => Object.hasOwn(templateLabels, k)), ...Object.keys(edit.add)];
    const clash = touched.filter((k) => used.has(k) && templateLabels[k] !== edit.add[k]).sort()[0];
    if (clash !== undefined) throw new SelectorLabelEdit(refKey(refOf(obj)), clash);
  }
  return editAt(obj, meta, field, edit);
}

function describe(edit: MetadataEdit): string {
  const parts = [
    ...[...edit.remove].sort().map((k) => `-${k}`),
    ...Object.keys(edit.add)
      .sort()
      .map((k) => `+${k}=${edit.add[k]}`),
  ];
  return parts.join(' ');
}

function editor<C>(name: string, field: 'labels' | 'annotations', editOf: (ctx: C) => MetadataEdit): Transform<C> {
  return {
    name,
    apply(obj, ctx): TransformResult {
      const edit = editOf(ctx);
      if (isEmpty(edit)) return { kind: 'keep' };
      if (edit.scope.length > 0 && !edit.scope.some((m) => matchesObject(m, obj))) return { kind: 'keep' };
      const patches = editAt(obj, ['metadata'], field, edit);
      if (edit.podTemplates) patches.push(...templatePatches(obj, field, edit));
      return patchOrKeep(patches, `${field} ${describe(edit)}`);
    },
  };
}

export const editLabels: Transform<LabelEditContext> = editor('edit-labels', 'labels', (ctx) => ctx.labelEdit);
export const editAnnotations: Transform<AnnotationEditContext> = editor('edit-annotations', 'annotations', (ctx) => ctx.annotationEdit);
