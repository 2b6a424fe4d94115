// JSON Pointers (RFC 6901) for patch paths, escaping '~' and '/' (annotation keys are full of '/'), and
// reading the value a path points at inside an untyped Kubernetes object.

export type Segment = string | number;

/** `pointer('metadata', 'annotations', 'pv.kubernetes.io/bind-completed')` → `/metadata/annotations/pv.kubernetes.io~1bind-completed`. */
export function pointer(...segments: readonly Segment[]): string {
  // '~' first: escaping '/' to '~1' must not be escaped again.
  return segments.map((s) => `/${String(s).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

export function asRecord(value: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The value at `segments`, or undefined when any step is missing or of the wrong shape. */
export function valueAt(root: unknown, segments: readonly Segment[]): unknown {
  let at: unknown = root;
  for (const s of segments) {
    if (typeof s === 'number') at = Array.isArray(at) ? at[s] : undefined;
    else {
      const record = asRecord(at);
      at = record !== undefined && Object.hasOwn(record, s) ? record[s] : undefined;
    }
    if (at === undefined) return undefined;
  }
  return at;
}
