// Verifying an object as restored: the live object, seen only through the fields Ferry applied,
// must have the digest of the expected object. Server defaults and status are outside that view.
import { createHash } from 'node:crypto';
import type { KubeObject } from '../kube/object.js';

/** JSON with object keys sorted, so equal values always digest alike. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    // null and absent are the same to the API server (kubectl prints `creationTimestamp: null` in templates)
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function digest(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/** `live` cut down to the shape of `expected`: only keys expected has, arrays element by element. */
export function project(expected: unknown, live: unknown): unknown {
  if (Array.isArray(expected)) {
    if (!Array.isArray(live) || live.length !== expected.length) return live;
    return expected.map((e, i) => project(e, live[i]));
  }
  if (expected !== null && typeof expected === 'object') {
    if (live === null || typeof live !== 'object' || Array.isArray(live)) return live;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(expected as Record<string, unknown>))
      out[k] = project((expected as Record<string, unknown>)[k], (live as Record<string, unknown>)[k]);
    return out;
  }
  return live;
}

/** The form the API server stores: a Secret's stringData becomes base64 data. */
export function asStored(obj: KubeObject): KubeObject {
  if (obj.apiVersion !== 'v1' || obj.kind !== 'Secret') return obj;
  const s = obj as KubeObject & { data?: Record<string, string>; stringData?: Record<string, string> };
  if (!s.stringData) return obj;
  const { stringData, ...rest } = s;
  const data = { ...(s.data ?? {}) };
  for (const [k, v] of Object.entries(stringData)) data[k] = Buffer.from(v, 'utf8').toString('base64');
  return { ...rest, data } as KubeObject;
}

/** Paths where the live object differs from what was applied (empty when it matches). */
export function differences(expected: unknown, live: unknown, path = ''): string[] {
  if (Array.isArray(expected)) {
    if (!Array.isArray(live)) return [path || '/'];
    if (live.length !== expected.length) return [`${path}/ (length ${live.length}, expected ${expected.length})`];
    return expected.flatMap((e, i) => differences(e, live[i], `${path}/${i}`));
  }
  if (expected !== null && typeof expected === 'object') {
    if (live === null || typeof live !== 'object') return [path || '/'];
    return Object.keys(expected as Record<string, unknown>)
      .sort()
      .filter((k) => (expected as Record<string, unknown>)[k] !== null)
      .flatMap((k) => differences((expected as Record<string, unknown>)[k], (live as Record<string, unknown>)[k], `${path}/${k}`));
  }
  return canonicalJson(expected) === canonicalJson(live) ? [] : [path || '/'];
}

export interface ObjectCheck {
  readonly expectedDigest: string;
  readonly liveDigest: string;
  readonly differences: readonly string[];
}

export function checkObject(expected: KubeObject, live: KubeObject): ObjectCheck {
  const want = asStored(expected);
  const seen = project(want, live);
  return { expectedDigest: digest(want), liveDigest: digest(seen), differences: differences(want, live) };
}
