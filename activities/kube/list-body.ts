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
const MANAGED_FIELDS = Buffer.from('managedFields');
const MANAGER = Buffer.from('manager');
const SUBRESOURCE = Buffer.from('subresource');
const API_VERSION = Buffer.from('apiVersion');
const KIND = Buffer.from('kind');

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
function sameBytes(body: Uint8Array, from: number, to: number, word: Uint8Array): boolean {
  if (to - from !== word.length) return false;
  for (let k = 0; k < word.length; k++) if (body[from + k] !== word[k]) return false;
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

/** A list's envelope and its items, each decoded when asked for (and then the caller's alone). */
export interface DecodedList<T> {
  readonly envelope: { metadata?: { continue?: string } };
  readonly length: number;
  /** JSON bytes of item `i` as served. */
  size(i: number): number;
  /** Decodes item `i` afresh on each call: an item handled and dropped before the next is decoded dies young. */
  item(i: number): T;
  /**
   * Item `i` without metadata.managedFields, and the managers named there: for callers that only want their
   * names, whose decoding would otherwise be a third of the list's.
   */
  lean(i: number): LeanItem<T>;
}

/**
 * Reads a list body (see above); a body of another shape is parsed whole and its items measured. `lean`: the
 * caller will take every item through `lean`, whose layouts (itemLayout) are then found in the same pass.
 */
export function decodeList<T>(body: Buffer, opts: { lean?: boolean } = {}): DecodedList<T> {
  const items: ItemLayout[] = [];
  const layout = listLayout(
    body,
    opts.lean
      ? (start) => {
          const item = scanItem(body, start, body.length);
          items.push(item);
          return item.close;
        }
      : undefined,
  );
  if (!layout) {
    const whole = JSON.parse(body.toString('utf8')) as { metadata?: { continue?: string }; items?: T[] | null };
    const items = whole.items ?? [];
    return {
      envelope: whole,
      length: items.length,
      size: (i) => Buffer.byteLength(JSON.stringify(items[i])),
      item: (i) => items[i],
      lean: (i) => withoutManagedFields(items[i]),
    };
  }
  const { spans, open, close } = layout;
  return {
    envelope: JSON.parse(body.toString('utf8', 0, open + 1) + body.toString('utf8', close)) as DecodedList<T>['envelope'],
    length: spans.length / 2,
    size: (i) => spans[2 * i + 1] - spans[2 * i],
    item: (i) => JSON.parse(body.toString('utf8', spans[2 * i], spans[2 * i + 1])) as T,
    lean: (i) => decodeLean<T>(body, spans[2 * i], spans[2 * i + 1], items[i]),
  };
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

/**
 * Scans a managedFields array from its `[` for what mainManagers reads of its entries (manager and subresource);
 * the index after its `]`. The entries' fieldsV1 (most of the bytes) are walked over, never decoded.
 */
function scanManagedFields(body: Buffer, open: number, end: number): { after: number; managers: string[] } {
  const managers: string[] = [];
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
      if (depth === 2 && manager && !subresource && !managers.includes(manager)) managers.push(manager);
      depth--;
      if (depth === 0) break;
    }
  }
  return { after: Math.min(i + 1, end), managers: managers.length > 1 ? managers.sort() : managers };
}

/**
 * Scans metadata from its `{` for managedFields: the index of its `}`, and the managedFields member to cut (with
 * one comma) and the managers it names, when it is an array.
 */
function scanMetadata(body: Buffer, open: number, end: number): { close: number; cut?: { from: number; to: number }; managers: string[] } {
  let depth = 0;
  let cut: { from: number; to: number } | undefined;
  let managers: string[] = [];
  for (let i = open; i < end; i++) {
    const c = body[i];
    if (c === QUOTE) {
      const from = i;
      i = stringEnd(body, i, end);
      if (depth !== 1 || cut || !sameBytes(body, from + 1, i, MANAGED_FIELDS)) continue;
      const v = valueOfKey(body, i, end);
      if (v < 0 || body[v] !== OPEN_ARRAY) continue;
      const scanned = scanManagedFields(body, v, end);
      managers = scanned.managers;
      const next = nextToken(body, scanned.after, end);
      if (body[next] === COMMA) cut = { from, to: next + 1 };
      else {
        // the last member of metadata: the comma before it goes instead
        let p = from - 1;
        while (p > open && isSpace(body[p])) p--;
        cut = { from: body[p] === COMMA ? p : from, to: scanned.after };
      }
      i = scanned.after - 1;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth++;
    else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth--;
      if (depth === 0) return { close: i, cut, managers };
    }
  }
  return { close: end, cut, managers };
}

const STATUS = Buffer.from('status');

/** How an object's bytes are laid out, as far as a reader of its metadata needs (see itemLayout). */
export interface ItemLayout {
  /** metadata.managedFields with one comma, to be cut out, when they are an array. */
  readonly cut?: { readonly from: number; readonly to: number };
  /** The managers mainManagers reads there. */
  readonly managers: string[];
  /**
   * `[from, to)` pairs: the text (`"key":value`) of the top-level members other than apiVersion, kind, metadata and
   * status, in order; one pair may span several members. Undefined when metadata is not an object.
   */
  readonly members?: number[];
}

/** itemLayout, for an object starting at `start` and ending before `bound`; `close`: the index of its `}`, or -1. */
function scanItem(body: Buffer, start: number, bound: number): ItemLayout & { close: number } {
  const members: number[] = [];
  let cut: ItemLayout['cut'];
  let managers: string[] = [];
  let metadata = false;
  let usable = true;
  let memberStart = -1;
  let skipped = false;
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
      if (!metadata && sameBytes(body, from + 1, i, METADATA)) {
        metadata = true;
        skipped = true;
        if (body[v] !== OPEN_OBJECT) usable = false;
        else {
          const m = scanMetadata(body, v, bound);
          cut = m.cut;
          managers = m.managers;
          // at metadata's closing brace, still at depth 1
          i = m.close;
        }
        continue;
      }
      skipped = sameBytes(body, from + 1, i, API_VERSION) || sameBytes(body, from + 1, i, KIND) || sameBytes(body, from + 1, i, STATUS);
    } else if (c === COMMA && depth === 1) {
      if (memberStart >= 0 && !skipped) keepMember(body, members, memberStart, i);
      memberStart = -1;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth++;
    else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth--;
      if (depth === 0) {
        if (memberStart >= 0 && !skipped) keepMember(body, members, memberStart, i);
        return { close: i, cut, managers, members: metadata && usable ? members : undefined };
      }
    }
  }
  return { close: -1, managers: [] };
}

/** Adds the member text `body[from, to)` (trailing space trimmed) to `members`' pairs. */
function keepMember(body: Uint8Array, members: number[], from: number, to: number): void {
  let end = to;
  while (end > from && isSpace(body[end - 1])) end--;
  // a member right after the last one kept joins its pair: the digest joins pairs with the comma between them
  const n = members.length;
  if (n > 0 && members[n - 1] + 1 === from) members[n - 1] = end;
  else members.push(from, end);
}

/**
 * Reads the object in `body[start, end)` for what a reader of its metadata needs: metadata.managedFields (walked
 * over, not decoded) with their managers, and where its other members' text lies.
 */
export function itemLayout(body: Buffer, start: number, end: number): ItemLayout {
  const { close: _, ...layout } = scanItem(body, start, end);
  return layout;
}

type WithMetadata = { metadata?: { managedFields?: { manager?: string; subresource?: string }[] } };

function withoutManagedFields<T>(item: T): LeanItem<T> {
  const metadata = (item as WithMetadata).metadata;
  if (!metadata?.managedFields) return { object: item, managers: [] };
  const { managedFields, ...rest } = metadata;
  return { object: { ...item, metadata: rest }, managers: mainManagers(managedFields) };
}

// The bytes of an object around its managedFields, copied together so that one string is decoded: two strings
// joined would be copied once more, as a whole, when parsed. Reused from object to object (JSON.parse is
// synchronous), grown to the largest object seen.
let joined = Buffer.allocUnsafeSlow(64 * 1024);

/**
 * The object in `body[start, end)` decoded without metadata.managedFields, and its members' text; `layout`: its
 * itemLayout when already known.
 */
export function decodeLean<T>(body: Buffer, start: number, end: number, layout?: ItemLayout): LeanItem<T> {
  const { cut, managers, members } = layout ?? itemLayout(body, start, end);
  const text = members && { body, spans: members };
  if (!cut) return { object: JSON.parse(body.toString('utf8', start, end)) as T, managers, members: text };
  const head = cut.from - start;
  const n = head + end - cut.to;
  if (joined.length < n) joined = Buffer.allocUnsafeSlow(2 ** Math.ceil(Math.log2(n)));
  body.copy(joined, 0, start, cut.from);
  body.copy(joined, head, cut.to, end);
  return { object: JSON.parse(joined.toString('utf8', 0, n)) as T, managers, members: text };
}
