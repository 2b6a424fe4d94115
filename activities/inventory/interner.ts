// One copy of each value that tens of thousands of facts repeat (a namespace's name, a field manager's, the same
// list of managers). Facts outlive the listing, so each of their bytes is copied twice by young-generation
// collections before it settles: fewer bytes per fact is less time collecting.
const none: readonly string[] = Object.freeze([]);

export class Interner {
  private readonly strings = new Map<string, string>();
  private readonly lists = new Map<string, readonly string[]>();
  private readonly records = new Map<string, Readonly<Record<string, string>>>();

  string<S extends string | undefined>(s: S): S {
    if (s === undefined) return s;
    const seen = this.strings.get(s);
    if (seen !== undefined) return seen as S;
    this.strings.set(s, s);
    return s;
  }

  /** A frozen list equal to `xs`, shared by every caller that gives an equal one. */
  list(xs: readonly string[]): readonly string[] {
    if (xs.length === 0) return none;
    const key = xs.length === 1 ? xs[0] : xs.join('\u0000');
    const seen = this.lists.get(key);
    if (seen) return seen;
    const list = Object.freeze(xs.map((x) => this.string(x)));
    this.lists.set(key, list);
    return list;
  }

  /**
   * One object for every record with the same text `key` (its JSON): the objects of an app mostly carry the same
   * labels. Callers never change what they get.
   */
  record(key: string, r: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
    const seen = this.records.get(key);
    if (seen) return seen;
    this.records.set(key, r);
    return r;
  }
}
