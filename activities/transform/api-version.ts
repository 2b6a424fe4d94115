// What the API-version upgrades share: when one applies (the target no longer serves the captured version), the
// errors it reports, and how a converted object becomes the patches the runner records.
import jsonPatch from 'fast-json-patch';
import { type KubeObject, refKey, refOf } from '../kube/object.js';
import { patchOrKeep, type TransformResult } from './types.js';

export interface ApiUpgradeContext {
  /** `group/version` strings the target serves (`v1` for the core group, `apps/v1`, ...), from its discovery API. */
  readonly servedVersions: ReadonlySet<string>;
}

export interface ApiUpgradeRoute {
  readonly kinds: readonly string[];
  readonly from: readonly string[];
  readonly to: string;
}

/** Permanent: the target cannot store this kind in any version Ferry can convert it to. */
export class UnservedApiVersion extends Error {
  override readonly name = 'UnservedApiVersion';
  constructor(
    readonly object: string,
    readonly apiVersion: string,
    readonly upgradeTo: string,
  ) {
    super(`the target serves neither ${apiVersion} nor ${upgradeTo} for ${object}`);
  }
}

/** Permanent: the captured object lacks what the new version requires and nothing to derive it from. */
export class ApiConversionFailed extends Error {
  override readonly name = 'ApiConversionFailed';
  constructor(
    readonly object: string,
    readonly apiVersion: string,
    readonly reason: string,
  ) {
    super(`cannot convert ${object} from ${apiVersion}: ${reason}`);
  }
}

/**
 * The version to convert to, or undefined when the route does not cover the object or the target still serves
 * its version: then it is restored exactly as captured, the smallest change.
 */
export function upgradeTarget(obj: Readonly<KubeObject>, ctx: ApiUpgradeContext, route: ApiUpgradeRoute): string | undefined {
  if (!route.kinds.includes(obj.kind) || !route.from.includes(obj.apiVersion) || ctx.servedVersions.has(obj.apiVersion)) return undefined;
  if (!ctx.servedVersions.has(route.to)) throw new UnservedApiVersion(refKey(refOf(obj)), obj.apiVersion, route.to);
  return route.to;
}

/** A mutable copy to convert: the input stays untouched, and the copy's differences become the patches. */
export function workingCopy(obj: Readonly<KubeObject>): KubeObject {
  return structuredClone(obj) as KubeObject;
}

/** `value` as a record of the working copy, to change in place; undefined when it is not an object. */
export function mutableRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** The record at `key` of `parent` in the working copy, or undefined when absent or not an object. */
export function recordAt(parent: Record<string, unknown>, key: string): Record<string, unknown> | undefined {
  return mutableRecord(parent[key]);
}

/** The record at `key`, created empty when absent. */
export function ensureRecord(parent: Record<string, unknown>, key: string): Record<string, unknown> {
  const existing = recordAt(parent, key);
  if (existing !== undefined) return existing;
  const created: Record<string, unknown> = {};
  parent[key] = created;
  return created;
}

/** Patches from the captured object to its converted copy; the reason names both versions and the notes. */
export function converted(obj: Readonly<KubeObject>, result: KubeObject, notes: readonly string[]): TransformResult {
  const reason = [`${obj.apiVersion} → ${result.apiVersion}`, ...notes].join('; ');
  return patchOrKeep(jsonPatch.compare(obj, result), reason);
}
