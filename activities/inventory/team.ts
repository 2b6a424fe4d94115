// Who owns an app: the team its objects name (configurable label or annotation keys, the most common value wins),
// else the team its namespace names, else "unowned". Pure.

export interface Labelled {
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

export type TeamFrom = 'object' | 'namespace' | 'none';

export const UNOWNED = 'unowned';

/** The first key (in the configured order) that the object carries as a label, else as an annotation. */
export function teamOn(o: Labelled | undefined, keys: readonly string[]): string | undefined {
  if (!o) return undefined;
  for (const k of keys) {
    const v = o.labels?.[k] || o.annotations?.[k];
    if (v) return v;
  }
  return undefined;
}

export function teamOf(
  objects: readonly Labelled[],
  namespace: Labelled | undefined,
  keys: readonly string[],
): { team: string; from: TeamFrom } {
  const counts = new Map<string, number>();
  for (const o of objects) {
    const t = teamOn(o, keys);
    if (t) counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  const best = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))[0];
  if (best) return { team: best[0], from: 'object' };
  const fromNamespace = teamOn(namespace, keys);
  return fromNamespace ? { team: fromNamespace, from: 'namespace' } : { team: UNOWNED, from: 'none' };
}
