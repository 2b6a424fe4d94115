// Which objects a user's rule (labels, annotations, JSON patches) applies to: group, kind, name glob and label
// selector, each optional; an object matches when every field given matches it.
import { type LabelSelector, matchesLabelSelector, parseLabelSelector } from '../../config/label-selector.js';
import { groupOf, type KubeObject } from '../kube/object.js';

export interface ObjectMatcher {
  /** '' is the core group; absent matches every group. */
  readonly group?: string;
  readonly kind?: string;
  /** A glob: '*' any run of characters, '?' one. */
  readonly name?: string;
  readonly labelSelector?: LabelSelector;
}

/** The matcher as config writes it, with the selector as text. */
export interface ObjectMatcherSpec {
  readonly group?: string;
  readonly kind?: string;
  readonly name?: string;
  readonly labelSelector?: string;
}

export class InvalidObjectMatcher extends Error {
  override readonly name = 'InvalidObjectMatcher';
  constructor(
    readonly labelSelector: string,
    readonly reason: string,
  ) {
    super(`label selector "${labelSelector}": ${reason}`);
  }
}

/** Config is validated when loaded, so a selector that does not parse here is a programming error, thrown. */
export function compileMatcher(spec: ObjectMatcherSpec): ObjectMatcher {
  const { labelSelector, ...rest } = spec;
  if (labelSelector === undefined) return rest;
  const parsed = parseLabelSelector(labelSelector);
  if (!parsed.ok) throw new InvalidObjectMatcher(labelSelector, parsed.message);
  return { ...rest, labelSelector: parsed.selector };
}

export function globMatches(glob: string, value: string): boolean {
  const body = [...glob].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`).test(value);
}

export function matchesObject(matcher: ObjectMatcher, obj: Readonly<KubeObject>): boolean {
  return (
    (matcher.group === undefined || matcher.group === groupOf(obj.apiVersion)) &&
    (matcher.kind === undefined || matcher.kind === obj.kind) &&
    (matcher.name === undefined || globMatches(matcher.name, obj.metadata.name)) &&
    (matcher.labelSelector === undefined || matchesLabelSelector(matcher.labelSelector, obj.metadata.labels))
  );
}
