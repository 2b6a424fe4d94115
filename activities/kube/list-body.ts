// A list response read from its bytes: the envelope (kind, metadata with the continue token) and each element of
// its top-level `items` array apart, decoded only when the caller gets to it. A page decoded whole (a string of
// megabytes, then thousands of objects) outlives young-generation collections while it is handled and piles up
// in the old generation; an item decoded, reduced and dropped dies young. Each item's size as served comes for
// free. Pure.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;
const ITEMS = [0x69, 0x74, 0x65, 0x6d, 0x73]; // items
const METADATA = Buffer.from('metadata');
const LAST_APPLIED = Buffer.from('kubectl.kubernetes.io/last-applied-configuration');
const MANAGER = Buffer.from('manager');
const SUBRESOURCE = Buffer.from('subresource');
const API_VERSION = Buffer.from('apiVersion');
const KIND = Buffer.from('kind');

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
/** Whether `body[from, to)` holds the bytes of `word`. A loop: Buffer.compare's checks of its arguments cost more for short texts. */
export function sameBytes(body: Uint8Array, from: number, to: number, word: Uint8Array): boolean {
  return to - from === word.length && sameBytesAt(body, from, word, word.length);
}

/** Whether `body[from, from + n)` and `other[0, n)` hold the same bytes. */
export function sameBytesAt(body: Uint8Array, from: number, other: Uint8Array, n: number): boolean {
  for (let k = 0; k < n; k++) if (body[from + k] !== other[k]) return false;
  return true;
}

/** The index of the string's closing quote; `i` is at its opening one. */
function stringEnd(body: Uint8Array, i: number, end: number): number {
  for (i++; i < end; ) {
    const d = body[i];
    if (d === QUOTE) return i;
    i += d === BACKSLASH ? 2 : 1;
  }
  return end;
}

function nextToken(body: Uint8Array, i: number, end: number): number {
  while (i < end && isSpace(body[i])) i++;
  return i;
}

/** Where the value starts when the string closed at `close` is a key (a colon follows it); -1 when it is a value. */
function valueOfKey(body: Uint8Array, close: number, end: number): number {
  const colon = nextToken(body, close + 1, end);
  return body[colon] === COLON ? nextToken(body, colon + 1, end) : -1;
}

export interface ListLayout {
  /** `[start, end)` byte offsets of each element of `items`, in order. */
  readonly spans: readonly number[];
  /** Offsets of the items array's `[` and `]`. */
  readonly open: number;
  readonly close: number;
}

/**
 * Where the elements of the top-level `"items"` array of a JSON object lie; undefined when the body is not such an
 * object (the caller then parses it whole). One pass over the bytes: strings are skipped (escapes included),
 * brackets counted outside them. `scanItem`, when given, reads each object element from its `{` instead and
 * answers the index of its `}` (or -1), so that a caller reading every item sees each byte once.
 */
export function listLayout(body: Uint8Array, scanItem?: (start: number) => number): ListLayout | undefined {
  const spans: number[] = [];
  const n = body.length;
  let depth = 0;
  // the last string seen at depth 1 was the key "items"
  let keyIsItems = false;
  let inItems = false;
  let open = -1;
  let close = -1;
  let start = -1;
  for (let i = 0; i < n; i++) {
    const c = body[i];
    if (c === QUOTE) {
      const from = i + 1;
      i = from;
      while (i < n) {
        const d = body[i];
        if (d === QUOTE) break;
        i += d === BACKSLASH ? 2 : 1;
      }
      if (i >= n) return undefined;
      if (depth === 1) keyIsItems = i - from === 5 && ITEMS.every((b, k) => body[from + k] === b);
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      depth++;
      if (depth === 2 && c === OPEN_ARRAY && keyIsItems && open < 0) {
        inItems = true;
        open = i;
      } else if (depth === 3 && inItems) {
        start = i;
        if (scanItem && c === OPEN_OBJECT) {
          // the caller reads the item on the way: its closing brace
          const close = scanItem(i);
          if (close < 0) return undefined;
          spans.push(start, close + 1);
          i = close;
          depth--;
        }
      }
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      if (depth === 3 && inItems && c === CLOSE_OBJECT) spans.push(start, i + 1);
      else if (depth === 2 && inItems) {
        inItems = false;
        close = i;
      }
      depth--;
      if (depth < 0) return undefined;
    }
  }
  return depth === 0 && open >= 0 && close > open ? { spans, open, close } : undefined;
}

/**
 * The continue token of a list from the first bytes of its body, as soon as they reach the items array (an API
 * server writes kind, apiVersion and metadata first): `{}` when none comes before the items (a last page, or
 * metadata written after them: the whole page tells then); undefined while the bytes stop short of the items,
 * and when the body is not such an object.
 */
export function listHead(prefix: Uint8Array): { continue?: string } | undefined {
  let depth = 0;
  const n = prefix.length;
  for (let i = 0; i < n; i++) {
    const c = prefix[i];
    if (c === QUOTE) {
      const from = i;
      i = stringEnd(prefix, i, n);
      if (i >= n) return undefined;
      if (depth !== 1 || i - from - 1 !== ITEMS.length || !ITEMS.every((b, k) => prefix[from + 1 + k] === b)) continue;
      if (valueOfKey(prefix, i, n) < 0) continue;
      let head = from - 1;
      while (head > 0 && isSpace(prefix[head])) head--;
      if (prefix[head] === COMMA) head--;
      try {
        const envelope = JSON.parse(`${Buffer.from(prefix.buffer, prefix.byteOffset, head + 1).toString('utf8')}}`) as {
          metadata?: { continue?: string };
        };
        const cont = envelope.metadata?.continue;
        return cont ? { continue: cont } : {};
      } catch {
        return undefined;
      }
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth++;
    else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth--;
      if (depth <= 0) return undefined;
    }
  }
  return undefined;
}

/** The continue token of a whole list body (listHead reads it from the first bytes); undefined on a last page. */
export function listContinue(body: Buffer): string | undefined {
  const layout = listLayout(body);
  const envelope = JSON.parse(
    layout ? body.toString('utf8', 0, layout.open + 1) + body.toString('utf8', layout.close) : body.toString('utf8'),
  ) as { metadata?: { continue?: string } };
  return envelope.metadata?.continue || undefined;
}

/** A list's envelope and its items, each decoded when asked for (and then the caller's alone). */
export interface DecodedList<T> {
  readonly envelope: { metadata?: { continue?: string } };
  readonly length: number;
  /** JSON bytes of item `i` as served. */
  size(i: number): number;
  /** Decodes item `i` afresh on each call: an item handled and dropped before the next is decoded dies young. */
  item(i: number): T;
  /**
   * Item `i` without metadata.managedFields (the managers named there instead) and the last-applied annotation,
   * `only` its metadata and the members named when given (decodeLean): for callers that read a few parts of many
   * objects, whose decoding would otherwise be most of the list's.
   */
  lean(i: number, only?: MemberSet): LeanItem<T>;
}

/** Reads a list body (see above); a body of another shape is parsed whole and its items measured. */
export function decodeList<T>(body: Buffer): DecodedList<T> {
  const layout = listLayout(body);
  if (!layout) {
    const whole = JSON.parse(body.toString('utf8')) as { metadata?: { continue?: string }; items?: T[] | null };
    const items = whole.items ?? [];
    return {
      envelope: whole,
      length: items.length,
      size: (i) => Buffer.byteLength(JSON.stringify(items[i])),
      item: (i) => items[i],
      lean: (i, only) => leanOf(items[i], only),
    };
  }
  const { spans, open, close } = layout;
  return {
    envelope: JSON.parse(body.toString('utf8', 0, open + 1) + body.toString('utf8', close)) as DecodedList<T>['envelope'],
    length: spans.length / 2,
    size: (i) => spans[2 * i + 1] - spans[2 * i],
    item: (i) => JSON.parse(body.toString('utf8', spans[2 * i], spans[2 * i + 1])) as T,
    lean: (i, only) => decodeLean<T>(body, spans[2 * i], spans[2 * i + 1], undefined, only),
  };
}

/**
 * Reads a list body's items in order, each decoded as decodeLean decodes it (`only` the members named) as soon as
 * it is scanned, while its bytes are still at hand, and handed to `each` with its `[start, end)`. What `each` gets is
 * valid only during the call: the reader reuses its memory for the next item. False when the body is not a list
 * object (the caller reads it another way); throws when a list object is cut short after some items were read.
 */
export function readLean<T>(body: Buffer, only: MemberSet, each: (item: LeanItem<T>, start: number, end: number) => void): boolean {
  const scratch = new ItemScratch();
  let read = 0;
  const layout = listLayout(body, (start) => {
    const item = scanItem(body, start, body.length, scratch);
    if (item.close < 0) return -1;
    each(decodeLean<T>(body, start, item.close + 1, item, only), start, item.close + 1);
    read++;
    return item.close;
  });
  if (!layout && read > 0) throw new SyntaxError(`a list body ends before its items do (after ${read} items)`);
  return layout !== undefined;
}

/** The field managers that wrote the object itself (not a subresource such as status), each once, sorted. */
export function mainManagers(entries: readonly { manager?: string; subresource?: string }[] | undefined): string[] {
  const out: string[] = [];
  for (const f of entries ?? []) if (f.manager && !f.subresource && !out.includes(f.manager)) out.push(f.manager);
  return out.length > 1 ? out.sort() : out;
}

/** Text as served: `[from, to)` pairs of offsets into `body`, to be joined with commas. */
export interface ServedText {
  readonly body: Buffer;
  readonly spans: readonly number[];
}

/** An object decoded without its metadata.managedFields, and what mainManagers reads of them. */
export interface LeanItem<T> {
  readonly object: T;
  readonly managers: readonly string[];
  /**
   * The text of its top-level members but apiVersion, kind, metadata and status, as served (see itemLayout), in
   * the page's bytes: valid while the page is.
   */
  readonly members?: ServedText;
  /**
   * metadata.labels and metadata.annotations, as served (one `[from, to)` pair each), when the decode left them out
   * of the object (decodeLean with `only`): the caller decodes them, or takes an equal set it has already.
   */
  readonly labels?: ServedText;
  readonly annotations?: ServedText;
}

// Manager names decoded once each: a handful (kubectl, helm, the controllers) recur across thousands of objects.
const managerNames: { readonly text: Buffer; readonly name: string }[] = [];

/** The manager name whose JSON string is `body[from, to)`, quotes included. */
function managerName(body: Buffer, from: number, to: number): string {
  for (const m of managerNames) if (sameBytes(body, from, to, m.text)) return m.name;
  const name = JSON.parse(body.toString('utf8', from, to)) as string;
  if (managerNames.length < 64) managerNames.push({ text: Buffer.from(body.subarray(from, to)), name });
  return name;
}

// Lists of managers given out so far: a handful recur across thousands of objects, and an object gets the same
// (frozen) list as the others with those managers, not a new one.
const managerLists: (readonly string[])[] = [];
// the managers of the managedFields being scanned (their first `found` entries), reused from object to object
const scanned: string[] = [];

/** The shared list of the first `n` entries of `scanned` (sorted, each once). */
function managerList(n: number): readonly string[] {
  if (n === 0) return none;
  for (const list of managerLists) {
    if (list.length !== n) continue;
    let k = 0;
    while (k < n && list[k] === scanned[k]) k++;
    if (k === n) return list;
  }
  const list = Object.freeze(scanned.slice(0, n));
  if (managerLists.length < 64) managerLists.push(list);
  return list;
}

/**
 * Scans a managedFields array from its `[` for what mainManagers reads of its entries (manager and subresource),
 * into `m.managers`; the index after its `]`. The entries' fieldsV1 (most of the bytes) are walked over, never
 * decoded.
 */
function scanManagedFields(body: Buffer, open: number, end: number, m: MetadataSpans): number {
  let found = 0;
  let manager: string | undefined;
  let subresource = false;
  let depth = 0;
  let i = open;
  for (; i < end; i++) {
    const c = body[i];
    if (c === QUOTE) {
      const from = i;
      i = stringEnd(body, i, end);
      if (depth !== 2) continue;
      const v = valueOfKey(body, i, end);
      if (v < 0) continue;
      const isManager = sameBytes(body, from + 1, i, MANAGER);
      if (!isManager && !sameBytes(body, from + 1, i, SUBRESOURCE)) continue;
      if (body[v] !== QUOTE) continue;
      i = stringEnd(body, v, end);
      if (isManager) manager = managerName(body, v, i + 1);
      // "" is no subresource
      else subresource = i - v > 1;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      depth++;
      if (depth === 2) {
        manager = undefined;
        subresource = false;
      }
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      if (depth === 2 && manager && !subresource) found = insertSorted(found, manager);
      depth--;
      if (depth === 0) break;
    }
  }
  m.managers = managerList(found);
  return Math.min(i + 1, end);
}

/** Puts `name` in its place among the first `n` (sorted) entries of `scanned` unless it is there; the new count. */
function insertSorted(n: number, name: string): number {
  let k = 0;
  while (k < n && scanned[k] < name) k++;
  if (k < n && scanned[k] === name) return n;
  for (let j = n; j > k; j--) scanned[j] = scanned[j - 1];
  scanned[k] = name;
  return n + 1;
}

// metadata's members read by their key's length first: one comparison of bytes at most per member
const KEYS = {
  name: Buffer.from('name'),
  namespace: Buffer.from('namespace'),
  uid: Buffer.from('uid'),
  labels: Buffer.from('labels'),
  annotations: Buffer.from('annotations'),
  ownerReferences: Buffer.from('ownerReferences'),
  managedFields: Buffer.from('managedFields'),
};
type MetadataKey = keyof typeof KEYS;
const keyByLength = new Map<number, MetadataKey>(Object.entries(KEYS).map(([k, b]) => [b.length, k as MetadataKey]));

/** Whether the string whose quotes are at `from` and `to` holds a backslash. */
function hasEscape(body: Uint8Array, from: number, to: number): boolean {
  for (let i = from + 1; i < to; i++) if (body[i] === BACKSLASH) return true;
  return false;
}

/** What scanMetadata finds: offsets into the page, -1 for what is not there. A reader fills one item after item. */
class MetadataSpans {
  /** The index of metadata's `}`. */
  close = -1;
  /** Members to cut, `[from, to)` pairs in order, key to value, without commas (copyCut mends them). */
  cuts: number[] = [];
  /** The managers mainManagers reads in managedFields. */
  managers: readonly string[] = none;
  /** name, namespace and uid when strings: `[from, to)` of each, quotes included. */
  name = -1;
  nameEnd = -1;
  namespace = -1;
  namespaceEnd = -1;
  uid = -1;
  uidEnd = -1;
  /** Whether one of those strings holds an escape (it is then decoded as JSON). */
  escaped = false;
  /** labels and annotations when objects, ownerReferences when an array: `[from, to)` of each value. */
  labels = -1;
  labelsEnd = -1;
  annotations = -1;
  annotationsEnd = -1;
  owners = -1;
  ownersEnd = -1;

  reset(): this {
    this.close = -1;
    this.cuts.length = 0;
    this.managers = none;
    this.name = this.nameEnd = this.namespace = this.namespaceEnd = this.uid = this.uidEnd = -1;
    this.escaped = false;
    this.labels = this.labelsEnd = this.annotations = this.annotationsEnd = this.owners = this.ownersEnd = -1;
    return this;
  }
}

export type MetadataLayout = Readonly<Omit<MetadataSpans, 'reset'>>;

const none: readonly string[] = Object.freeze([]);

/**
 * Scans metadata from its `{` into `m` (see MetadataLayout): where the members a lean decode reads lie, and what it
 * leaves out: managedFields when they are an array (their managers named instead) and the last-applied annotation.
 */
function scanMetadata(body: Buffer, open: number, end: number, m: MetadataSpans): MetadataLayout {
  m.reset();
  m.close = end;
  let depth = 0;
  let managedFields = false;
  // the object or array member being read (its value's end is found where depth comes back to 1)
  let reading: 'labels' | 'annotations' | 'ownerReferences' | undefined;
  for (let i = open; i < end; i++) {
    const c = body[i];
    if (c === QUOTE) {
      const from = i;
      i = stringEnd(body, i, end);
      if (depth === 2 && reading === 'annotations') {
        if (!sameBytes(body, from + 1, i, LAST_APPLIED)) continue;
        const v = valueOfKey(body, i, end);
        if (v < 0 || body[v] !== QUOTE) continue;
        const after = stringEnd(body, v, end) + 1;
        m.cuts.push(from, after);
        i = after - 1;
        continue;
      }
      if (depth !== 1) continue;
      const key = keyByLength.get(i - from - 1);
      if (key === undefined || !sameBytes(body, from + 1, i, KEYS[key])) continue;
      const v = valueOfKey(body, i, end);
      if (v < 0) continue;
      const open = body[v];
      if (key === 'name' || key === 'namespace' || key === 'uid') {
        if (open !== QUOTE) continue;
        const close = stringEnd(body, v, end);
        if (!m.escaped) m.escaped = hasEscape(body, v, close);
        if (key === 'name') {
          m.name = v;
          m.nameEnd = close + 1;
        } else if (key === 'namespace') {
          m.namespace = v;
          m.namespaceEnd = close + 1;
        } else {
          m.uid = v;
          m.uidEnd = close + 1;
        }
        i = close;
      } else if (key === 'managedFields') {
        if (managedFields || open !== OPEN_ARRAY) continue;
        managedFields = true;
        const after = scanManagedFields(body, v, end, m);
        m.cuts.push(from, after);
        i = after - 1;
      } else if (open === (key === 'ownerReferences' ? OPEN_ARRAY : OPEN_OBJECT)) {
        reading = key;
        if (key === 'labels') m.labels = v;
        else if (key === 'annotations') m.annotations = v;
        else m.owners = v;
        i = v - 1;
      }
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth++;
    else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth--;
      if (depth === 1 && reading) {
        if (reading === 'labels') m.labelsEnd = i + 1;
        else if (reading === 'annotations') m.annotationsEnd = i + 1;
        else m.ownersEnd = i + 1;
        reading = undefined;
      } else if (depth === 0) {
        m.close = i;
        return m;
      }
    }
  }
  // an object cut short: nothing of it is read
  m.reset().close = end;
  return m;
}

const STATUS = Buffer.from('status');

/** How an object's bytes are laid out, as far as a lean decode and a reader of its metadata need (see itemLayout). */
export interface ItemLayout {
  /** Its metadata, when an object. */
  readonly metadata?: MetadataLayout;
  /**
   * `[from, to)` pairs: the text (`"key":value`) of the top-level members other than apiVersion, kind, metadata and
   * status, in order; one pair may span several members. Undefined when metadata is not an object.
   */
  readonly members?: number[];
  /**
   * For every top-level member but apiVersion, kind and metadata: its key's opening and closing quotes, where its
   * value starts and where it ends. Undefined with `members`.
   */
  readonly fields?: number[];
}

/** What a reader reuses from item to item: the layout's arrays and metadata. */
class ItemScratch {
  readonly members: number[] = [];
  readonly fields: number[] = [];
  readonly metadata = new MetadataSpans();
}

/**
 * itemLayout, for an object starting at `start` and ending before `bound`; `close`: the index of its `}`, or -1.
 * The layout lives in `scratch`: valid until the next item is scanned into it.
 */
function scanItem(body: Buffer, start: number, bound: number, scratch: ItemScratch): ItemLayout & { close: number } {
  const { members, fields } = scratch;
  members.length = 0;
  fields.length = 0;
  let meta: MetadataLayout | undefined;
  let metadata = false;
  let usable = true;
  let memberStart = -1;
  // the member being read: its key's closing quote and its value's start; whether the digest skips it, and fields
  let keyClose = -1;
  let valueStart = -1;
  let skipped = false;
  let field = false;
  let depth = 0;
  for (let i = start; i < bound; i++) {
    const c = body[i];
    if (c === QUOTE) {
      const from = i;
      i = stringEnd(body, i, bound);
      if (depth !== 1) continue;
      const v = valueOfKey(body, i, bound);
      // a string member's value, not a key
      if (v < 0) continue;
      memberStart = from;
      keyClose = i;
      valueStart = v;
      if (!metadata && sameBytes(body, from + 1, i, METADATA)) {
        metadata = true;
        skipped = true;
        field = false;
        if (body[v] !== OPEN_OBJECT) usable = false;
        else {
          meta = scanMetadata(body, v, bound, scratch.metadata);
          // at metadata's closing brace, still at depth 1
          i = meta.close;
        }
        continue;
      }
      field = !(sameBytes(body, from + 1, i, API_VERSION) || sameBytes(body, from + 1, i, KIND));
      skipped = !field || sameBytes(body, from + 1, i, STATUS);
    } else if (c === COMMA && depth === 1) {
      if (memberStart >= 0) memberEnds(body, members, skipped, fields, field, memberStart, keyClose, valueStart, i);
      memberStart = -1;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth++;
    else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth--;
      if (depth === 0) {
        if (memberStart >= 0) memberEnds(body, members, skipped, fields, field, memberStart, keyClose, valueStart, i);
        const whole = metadata && usable;
        return { close: i, metadata: meta, members: whole ? members : undefined, fields: whole ? fields : undefined };
      }
    }
  }
  return { close: -1 };
}

/** Records the member that starts at `from` and ends before `at` (space trimmed) in the layout's members and fields. */
function memberEnds(
  body: Uint8Array,
  members: number[],
  skipped: boolean,
  fields: number[],
  field: boolean,
  from: number,
  keyClose: number,
  valueStart: number,
  at: number,
): void {
  let to = at;
  while (to > valueStart && isSpace(body[to - 1])) to--;
  if (field) fields.push(from, keyClose, valueStart, to);
  if (skipped) return;
  // a member right after the last one kept joins its pair: the digest joins pairs with the comma between them
  const n = members.length;
  if (n > 0 && members[n - 1] + 1 === from) members[n - 1] = to;
  else members.push(from, to);
}

/**
 * Reads the object in `body[start, end)` for what a reader of its metadata needs: metadata.managedFields (walked
 * over, not decoded) with their managers, and where its other members' text lies.
 */
export function itemLayout(body: Buffer, start: number, end: number): ItemLayout {
  const { close: _, ...layout } = scanItem(body, start, end, new ItemScratch());
  return layout;
}

/** How a lean decode keeps a member (MemberSet). */
export type MemberRule =
  | string
  /** kept only when its value's text holds one of these strings (as the JSON writer wrote it: escapes stay escaped) */
  | { readonly name: string; readonly containing: readonly string[] }
  /** an object kept with its keys only, every value null: a Secret's data is read for its keys, never decoded */
  | { readonly name: string; readonly keysOnly: true }
  /** kept unless the object's controller (its owner reference with controller: true) is of one of these kinds */
  | { readonly name: string; readonly unlessControlledBy: readonly string[] };

/** A MemberRule as MemberSet reads it: every field in one shape. */
interface CompiledRule {
  readonly name: Buffer;
  readonly needles: readonly Buffer[] | undefined;
  readonly keysOnly: boolean;
  readonly unlessControlledBy: readonly string[] | undefined;
}

/** The top-level members a lean decode keeps besides metadata, each by its rule. */
export class MemberSet {
  private readonly rules: readonly CompiledRule[];
  /** Whether a rule reads the object's controller (decodeLean then finds it before the members). */
  readonly readsController: boolean;

  constructor(members: readonly MemberRule[]) {
    this.rules = members.map((m) => {
      const r = typeof m === 'string' ? { name: m } : m;
      return {
        name: Buffer.from(r.name),
        needles: 'containing' in r ? r.containing.map((c) => Buffer.from(c)) : undefined,
        keysOnly: 'keysOnly' in r,
        unlessControlledBy: 'unlessControlledBy' in r ? r.unlessControlledBy : undefined,
      };
    });
    this.readsController = this.rules.some((r) => r.unlessControlledBy !== undefined);
  }

  /**
   * How the member with key text `body[keyFrom, keyTo)` (no quotes) and value `body[valueFrom, valueTo)` of an object
   * whose controller is of kind `controller` is kept: WHOLE, KEYS_ONLY or DROPPED.
   */
  rule(body: Buffer, keyFrom: number, keyTo: number, valueFrom: number, valueTo: number, controller: string | undefined): number {
    for (const r of this.rules) {
      if (!sameBytes(body, keyFrom, keyTo, r.name)) continue;
      if (r.keysOnly) return body[valueFrom] === OPEN_OBJECT ? KEYS_ONLY : WHOLE;
      if (r.unlessControlledBy) return controller !== undefined && r.unlessControlledBy.includes(controller) ? DROPPED : WHOLE;
      if (!r.needles) return WHOLE;
      for (const n of r.needles) if (holds(body, valueFrom, valueTo, n)) return WHOLE;
      return DROPPED;
    }
    return DROPPED;
  }

  /** rule, for a member of an object decoded whole: the value kept (undefined when dropped). */
  keptValue(key: string, value: unknown, controller: string | undefined): unknown {
    const r = this.rules.find((r) => r.name.toString() === key);
    if (!r) return undefined;
    if (r.keysOnly) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
      return Object.fromEntries(Object.keys(value).map((key) => [key, null]));
    }
    if (r.unlessControlledBy) return controller !== undefined && r.unlessControlledBy.includes(controller) ? undefined : value;
    if (!r.needles) return value;
    const text = JSON.stringify(value) ?? '';
    return r.needles.some((n) => text.includes(n.toString())) ? value : undefined;
  }
}

const DROPPED = 0;
const WHOLE = 1;
const KEYS_ONLY = 2;

/** Whether `body[from, to)` holds the bytes of `needle` (a search in place: no view of the range is made). */
function holds(body: Buffer, from: number, to: number, needle: Uint8Array): boolean {
  const first = needle[0];
  const last = to - needle.length;
  for (let i = from; i <= last; i++) {
    if (body[i] !== first) continue;
    let k = 1;
    while (k < needle.length && body[i + k] === needle[k]) k++;
    if (k === needle.length) return true;
  }
  return false;
}

/**
 * Writes the object whose `{` is at `body[open]` into `joined` at `n` with its keys only (each value null); the
 * new length. A key and its null take at most 3 bytes more than the key and its value did, and a member is at least
 * 4 bytes (`"":0`): room for twice the object is enough.
 */
function copyKeys(body: Buffer, open: number, end: number, n: number): number {
  room(n + 2 * (end - open) + 2, n);
  joined[n++] = OPEN_OBJECT;
  let depth = 0;
  let first = true;
  for (let i = open; i < end; i++) {
    const c = body[i];
    if (c === QUOTE) {
      const from = i;
      i = stringEnd(body, i, end);
      if (depth !== 1 || valueOfKey(body, i, end) < 0) continue;
      if (!first) joined[n++] = COMMA;
      first = false;
      n += body.copy(joined, n, from, i + 1);
      joined[n++] = COLON;
      for (const b of NULL) joined[n++] = b;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth++;
    else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      if (--depth === 0) break;
    }
  }
  joined[n++] = CLOSE_OBJECT;
  return n;
}

const NULL = Buffer.from('null');

const LAST_APPLIED_KEY = 'kubectl.kubernetes.io/last-applied-configuration';

type WithMetadata = {
  metadata?: {
    managedFields?: { manager?: string; subresource?: string }[];
    annotations?: Record<string, string>;
    labels?: unknown;
    ownerReferences?: unknown;
  };
};

/** The kind of the owner reference with controller: true, if any. */
function controllerKind(owners: unknown): string | undefined {
  if (!Array.isArray(owners)) return undefined;
  for (const r of owners as { controller?: unknown; kind?: unknown }[]) {
    if (typeof r === 'object' && r !== null && r.controller === true) return typeof r.kind === 'string' ? r.kind : undefined;
  }
  return undefined;
}

/** decodeLean's answer for an object already decoded (a body of another shape than a list's). */
function leanOf<T>(item: T, only?: MemberSet): LeanItem<T> {
  const metadata = (item as WithMetadata).metadata;
  if (typeof metadata !== 'object' || metadata === null) return { object: item, managers: [] };
  const lean: Record<string, unknown> = { ...metadata };
  const fields = Array.isArray(metadata.managedFields) ? metadata.managedFields : undefined;
  if (fields) delete lean.managedFields;
  if (typeof metadata.annotations?.[LAST_APPLIED_KEY] === 'string') {
    const { [LAST_APPLIED_KEY]: _, ...kept } = metadata.annotations;
    lean.annotations = kept;
  }
  const object: Record<string, unknown> = {};
  const controller = only?.readsController ? controllerKind(metadata.ownerReferences) : undefined;
  for (const [k, v] of Object.entries(item as Record<string, unknown>)) {
    if (k === 'metadata') object.metadata = lean;
    else if (!only || k === 'apiVersion' || k === 'kind') object[k] = v;
    else {
      const kept = only.keptValue(k, v, controller);
      if (kept !== undefined) object[k] = kept;
    }
  }
  return { object: object as T, managers: fields ? mainManagers(fields) : [] };
}

// The bytes of an object without what a lean decode leaves out, copied together so that one string is decoded: two
// strings joined would be copied once more, as a whole, when parsed. Reused from object to object (JSON.parse is
// synchronous), grown to the largest object seen.
let joined = Buffer.allocUnsafeSlow(64 * 1024);

/** Makes `joined` at least `n` bytes long, its first `kept` bytes kept. */
function room(n: number, kept = 0): void {
  if (joined.length >= n) return;
  const bigger = Buffer.allocUnsafeSlow(2 ** Math.ceil(Math.log2(n)));
  joined.copy(bigger, 0, 0, kept);
  joined = bigger;
}

/**
 * Copies `body[from, to)` into `joined` at `n` but for the members `cuts` names within it; the new length. A cut
 * member's comma goes with it: the one after it when a `{` or a `,` was written last, else the one written last
 * when a `}` follows.
 */
function copyCut(body: Buffer, from: number, to: number, cuts: readonly number[], n: number): number {
  let at = from;
  for (let k = 0; k < cuts.length; k += 2) {
    if (cuts[k] < from || cuts[k] >= to) continue;
    n += body.copy(joined, n, at, cuts[k]);
    at = cuts[k + 1];
    const next = nextToken(body, at, to);
    let last = n - 1;
    while (last > 0 && isSpace(joined[last])) last--;
    if (body[next] === COMMA && (joined[last] === OPEN_OBJECT || joined[last] === COMMA)) at = next + 1;
    else if (body[next] === CLOSE_OBJECT && joined[last] === COMMA) n = last;
  }
  return n + body.copy(joined, n, at, to);
}

/** Whether one of the `[from, to)` pairs of `cuts` starts within `(from, to)`. */
function cutWithin(cuts: readonly number[], from: number, to: number): boolean {
  for (let k = 0; k < cuts.length; k += 2) if (cuts[k] > from && cuts[k] < to) return true;
  return false;
}

/** `body[from, to)` without the members `cuts` names, decoded. */
function parseCut(body: Buffer, from: number, to: number, cuts: readonly number[]): unknown {
  room(to - from);
  return JSON.parse(joined.toString('utf8', 0, copyCut(body, from, to, cuts, 0)));
}

/** The string whose JSON text (quotes included) is `body[from, to)`. */
const stringAt = (body: Buffer, from: number, to: number, escaped: boolean): string =>
  escaped ? (JSON.parse(body.toString('utf8', from, to)) as string) : body.toString('utf8', from + 1, to - 1);

// The namespace of the last object decoded: a list comes namespace by namespace, so its objects share one string.
let lastNamespace = { text: Buffer.alloc(0), name: '' };

function namespaceAt(body: Buffer, from: number, to: number, escaped: boolean): string {
  if (sameBytes(body, from, to, lastNamespace.text)) return lastNamespace.name;
  const name = stringAt(body, from, to, escaped);
  lastNamespace = { text: Buffer.from(body.subarray(from, to)), name };
  return name;
}

/**
 * The object in `body[start, end)` decoded without metadata.managedFields (their managers named instead) and the
 * last-applied annotation (a copy of the object as kubectl applied it), and its members' text. `layout`: its
 * itemLayout when already known.
 * `only`: decodes what a reader of many objects' metadata wants of them, and the members named: metadata's name,
 * namespace, uid and ownerReferences are read from the scan; its labels, and its annotations when none is left out,
 * are given apart as text (LeanItem.labels, .annotations), for the caller to decode or to take an equal set it has.
 */
export function decodeLean<T>(body: Buffer, start: number, end: number, layout?: ItemLayout, only?: MemberSet): LeanItem<T> {
  const { metadata: m, members, fields } = layout ?? itemLayout(body, start, end);
  const managers = m?.managers ?? [];
  const text = members && { body, spans: members };
  if (!(only && m && fields)) {
    const object = (m?.cuts.length ? parseCut(body, start, end, m.cuts) : JSON.parse(body.toString('utf8', start, end))) as T;
    return { object, managers, members: text };
  }
  // one shape for every metadata decoded this way, so that the code reading them keeps one
  const metadata: { name?: string; namespace?: string; uid?: string; labels?: unknown; annotations?: unknown; ownerReferences?: unknown } =
    {
      name: m.name >= 0 ? stringAt(body, m.name, m.nameEnd, m.escaped) : undefined,
      namespace: m.namespace >= 0 ? namespaceAt(body, m.namespace, m.namespaceEnd, m.escaped) : undefined,
      uid: m.uid >= 0 ? stringAt(body, m.uid, m.uidEnd, m.escaped) : undefined,
      labels: undefined,
      annotations: undefined,
      ownerReferences: m.owners >= 0 ? JSON.parse(body.toString('utf8', m.owners, m.ownersEnd)) : undefined,
    };
  let annotations: ServedText | undefined;
  if (m.annotations >= 0) {
    if (cutWithin(m.cuts, m.annotations, m.annotationsEnd)) metadata.annotations = parseCut(body, m.annotations, m.annotationsEnd, m.cuts);
    else annotations = { body, spans: [m.annotations, m.annotationsEnd] };
  }
  const labels: ServedText | undefined = m.labels >= 0 ? { body, spans: [m.labels, m.labelsEnd] } : undefined;
  const controller = only.readsController ? controllerKind(metadata.ownerReferences) : undefined;
  // the members asked for, in one text
  let n = -1;
  for (let k = 0; k < fields.length; k += 4) {
    const rule = only.rule(body, fields[k] + 1, fields[k + 1], fields[k + 2], fields[k + 3], controller);
    if (rule === DROPPED) continue;
    if (n < 0) {
      room(end - start + 2);
      joined[0] = OPEN_OBJECT;
      n = 1;
    } else joined[n++] = COMMA;
    if (rule === WHOLE) n += body.copy(joined, n, fields[k], fields[k + 3]);
    else {
      n += body.copy(joined, n, fields[k], fields[k + 2]);
      n = copyKeys(body, fields[k + 2], fields[k + 3], n);
    }
  }
  let object: Record<string, unknown>;
  if (n < 0) object = { metadata };
  else {
    joined[n++] = CLOSE_OBJECT;
    object = JSON.parse(joined.toString('utf8', 0, n)) as Record<string, unknown>;
    object.metadata = metadata;
  }
  return { object: object as T, managers, members: text, labels, annotations };
}
