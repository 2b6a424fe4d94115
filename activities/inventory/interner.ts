// One copy of each value that tens of thousands of facts repeat (a namespace's name, a field manager's, the same
// list of managers). Facts outlive the listing, so each of their bytes is copied twice by young-generation
// collections before it settles: fewer bytes per fact is less time collecting.
import { type ServedText, sameBytesAt } from '../kube/list-body.js';

const none: readonly string[] = Object.freeze([]);
const recentRecords = 8;

/** A record as served (labels, annotations): its text, and the record decoded. */
export interface ServedRecord {
  readonly json: string;
  readonly record: Readonly<Record<string, string>>;
  /** What a reader worked out of the record, for the next objects that share it. */
  read?: unknown;
}

/**
 * Records read from their text as served (LeanItem.labels, .annotations): the same as for the last few equal texts,
 * which are compared as bytes, so that a record met again (an app's objects share their labels) is neither decoded
 * nor written out again.
 */
export class ServedRecords {
  /** The last few records, and a copy of their bytes: slot `next` is the next to be taken. */
  private readonly recent: (ServedRecord | undefined)[] = new Array(recentRecords).fill(undefined);
  // copies made into memory of their own, reused from record to record: a new small buffer for each of the ~12,000
  // texts decoded in an inventory of 23,000 objects cost ~3% of its builder's time
  private readonly copies: Buffer[] = Array.from({ length: recentRecords }, () => Buffer.allocUnsafeSlow(256));
  private readonly lengths: number[] = new Array(recentRecords).fill(-1);
  private next = 0;

  /** The record whose JSON text is `text` (one `[from, to)` pair), and that text. */
  get(text: ServedText): ServedRecord {
    const { body, spans } = text;
    const from = spans[0];
    const to = spans[1];
    const n = to - from;
    // the most recent first
    for (let k = 1; k <= recentRecords; k++) {
      const slot = (this.next - k + recentRecords) % recentRecords;
      if (this.lengths[slot] === n && sameBytesAt(body, from, this.copies[slot], n)) return this.recent[slot] as ServedRecord;
    }
    const json = body.toString('utf8', from, to);
    const r: ServedRecord = { json, record: JSON.parse(json) as Record<string, string> };
    const slot = this.next;
    if (this.copies[slot].length < n) this.copies[slot] = Buffer.allocUnsafeSlow(2 ** Math.ceil(Math.log2(n)));
    body.copy(this.copies[slot], 0, from, to);
    this.lengths[slot] = n;
    this.recent[slot] = r;
    this.next = (slot + 1) % recentRecords;
    return r;
  }
}

export class Interner {
  private readonly strings = new Map<string, string>();
  private readonly lists = new Map<string, readonly string[]>();
  /** key, record, key, record... the most recent last. */
  private readonly recent: (string | Readonly<Record<string, string>>)[] = [];
  readonly labels = new ServedRecords();
  readonly annotations = new ServedRecords();

  string<S extends string | undefined>(s: S): S {
    if (s === undefined) return s;
    const seen = this.strings.get(s);
    if (seen !== undefined) return seen as S;
    this.strings.set(s, s);
    return s;
  }

  /** A frozen list equal to `xs`: `xs` itself when it is frozen already, else one shared by every caller that gives an equal list. */
  list(xs: readonly string[]): readonly string[] {
    if (xs.length === 0) return none;
    // a list that cannot change is shared already (the listing gives the objects of a set of managers one list)
    if (Object.isFrozen(xs)) return xs;
    const key = xs.length === 1 ? xs[0] : xs.join('\u0000');
    const seen = this.lists.get(key);
    if (seen) return seen;
    const list = Object.freeze(xs.map((x) => this.string(x)));
    this.lists.set(key, list);
    return list;
  }

  /**
   * The same object as the last records given with the same text `key` (their JSON): objects listed one after the
   * other (an app's ConfigMaps, Secrets...) mostly carry the same labels. Only the last few are remembered: looking
   * a long key up in a map costs more than the collections it saves. Callers never change what they get.
   */
  record(key: string, r: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
    const recent = this.recent;
    for (let i = 0; i < recent.length; i += 2) if (recent[i] === key) return recent[i + 1] as Readonly<Record<string, string>>;
    if (recent.length >= 2 * recentRecords) recent.splice(0, 2);
    recent.push(key, r);
    return r;
  }
}
