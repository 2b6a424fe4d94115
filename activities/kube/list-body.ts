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
const ITEMS = [0x69, 0x74, 0x65, 0x6d, 0x73]; // items

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
 * brackets counted outside them.
 */
export function listLayout(body: Uint8Array): ListLayout | undefined {
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
      } else if (depth === 3 && inItems) start = i;
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

/** A list's envelope and its items, each decoded when asked for (and then the caller's alone). */
export interface DecodedList<T> {
  readonly envelope: { metadata?: { continue?: string } };
  readonly length: number;
  /** JSON bytes of item `i` as served. */
  size(i: number): number;
  /** Decodes item `i` afresh on each call: an item handled and dropped before the next is decoded dies young. */
  item(i: number): T;
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
    };
  }
  const { spans, open, close } = layout;
  return {
    envelope: JSON.parse(body.toString('utf8', 0, open + 1) + body.toString('utf8', close)) as DecodedList<T>['envelope'],
    length: spans.length / 2,
    size: (i) => spans[2 * i + 1] - spans[2 * i],
    item: (i) => JSON.parse(body.toString('utf8', spans[2 * i], spans[2 * i + 1])) as T,
  };
}
