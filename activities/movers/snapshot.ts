// A volume snapshot: the file tree of one volume at backup time (path, mode, size, sha256 and chunk ids
// of every file) and where each chunk is stored. Restores and verification need nothing else. Pure.
import type { FileDigest } from './file-tree.js';
import type { BlobLocation } from './pack.js';

export interface SnapshotFile {
  readonly path: string;
  readonly mode: number;
  readonly size: number;
  readonly sha256: string;
  readonly mtimeMs: number;
  readonly uid: number;
  readonly gid: number;
  readonly chunks: readonly string[];
}

export interface Snapshot {
  readonly version: 1;
  readonly claim: string;
  readonly createdAt: string;
  readonly files: readonly SnapshotFile[];
  readonly dirs: readonly { readonly path: string; readonly mode: number; readonly mtimeMs: number }[];
  readonly symlinks: readonly { readonly path: string; readonly target: string }[];
  /** Sockets, FIFOs and devices found and not carried. */
  readonly skipped: readonly string[];
  readonly packs: readonly { readonly id: string; readonly size: number }[];
  /** chunk id → [index into packs, offset, length, raw length]. */
  readonly chunks: Readonly<Record<string, readonly [number, number, number, number]>>;
}

export const snapshotKind = 'snapshot';

/** A snapshot before its location table: what a backup gathers as it reads the volume. */
export type SnapshotParts = Omit<Snapshot, 'packs' | 'chunks'>;

/**
 * The JSON of the snapshot `parts` make with their location table (every chunk the files use, once, with its
 * pack's slot in `packs`, packs sorted), in pieces of about `piece` characters: a volume of many files is never
 * one string of tens of MiB, nor is its table built as objects first. Throws naming a chunk without a location
 * or a pack without a known size.
 */
export function* snapshotJson(
  parts: SnapshotParts,
  locate: (id: string) => BlobLocation | undefined,
  packSize: (pack: string) => number | undefined,
  piece = 256 * 1024,
): Generator<string> {
  const ids = [...new Set(parts.files.flatMap((f) => f.chunks))].sort();
  const packOf = (id: string) => {
    const loc = locate(id);
    if (!loc) throw new Error(`chunk ${id} has no stored location: its pack was not uploaded`);
    return loc;
  };
  const packIds = [...new Set(ids.map((id) => packOf(id).pack))].sort();
  const slot = new Map(packIds.map((id, i) => [id, i]));
  const packs = packIds.map((id) => {
    const size = packSize(id);
    if (size === undefined) throw new Error(`pack ${id} has no known size`);
    return { id, size };
  });
  let text = `{"version":${JSON.stringify(parts.version)},"claim":${JSON.stringify(parts.claim)},"createdAt":${JSON.stringify(parts.createdAt)}`;
  function* list(key: string, items: readonly unknown[]): Generator<string> {
    text += `,${JSON.stringify(key)}:[`;
    for (let i = 0; i < items.length; i++) {
      text += (i > 0 ? ',' : '') + JSON.stringify(items[i]);
      if (text.length >= piece) {
        yield text;
        text = '';
      }
    }
    text += ']';
  }
  yield* list('files', parts.files);
  yield* list('dirs', parts.dirs);
  yield* list('symlinks', parts.symlinks);
  yield* list('skipped', parts.skipped);
  yield* list('packs', packs);
  text += ',"chunks":{';
  for (let i = 0; i < ids.length; i++) {
    const l = packOf(ids[i]);
    text += `${i > 0 ? ',' : ''}"${ids[i]}":[${slot.get(l.pack)},${l.offset},${l.length},${l.rawLength}]`;
    if (text.length >= piece) {
      yield text;
      text = '';
    }
  }
  yield `${text}}}`;
}

/** A path a restore may write: relative, `/`-separated, no empty, `.` or `..` segment. */
export function safePath(path: string): boolean {
  if (path === '' || path.startsWith('/') || path.includes('\\') || path.includes('\0')) return false;
  return path.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}

/** Everything a restore relies on, checked before any byte is written; the first problem, or undefined. */
export function snapshotProblem(s: Snapshot): string | undefined {
  if (s.version !== 1) return `unknown snapshot version ${String(s.version)}`;
  const seen = new Set<string>();
  for (const p of [...s.dirs.map((d) => d.path), ...s.files.map((f) => f.path), ...s.symlinks.map((l) => l.path)]) {
    if (!safePath(p)) return `unsafe path ${JSON.stringify(p)}`;
    if (seen.has(p)) return `path ${JSON.stringify(p)} appears twice`;
    seen.add(p);
  }
  for (const f of s.files) {
    let size = 0;
    for (const id of f.chunks) {
      const c = s.chunks[id];
      if (!c) return `file ${f.path}: chunk ${id} has no location`;
      if (!s.packs[c[0]]) return `chunk ${id}: no pack ${c[0]}`;
      size += c[3];
    }
    if (size !== f.size) return `file ${f.path}: chunks add up to ${size} bytes, not ${f.size}`;
  }
  for (const [id, [pack, offset, length]] of Object.entries(s.chunks)) {
    const p = s.packs[pack];
    if (!p || offset < 0 || length <= 0 || offset + length > p.size) return `chunk ${id}: range outside its pack`;
  }
  return undefined;
}

/** The file list verification compares a restored volume against. */
export function snapshotDigests(s: Snapshot): FileDigest[] {
  return s.files.map((f) => ({ path: f.path, size: f.size, sha256: f.sha256, mode: f.mode }));
}

/** One write of a decoded chunk: into which file, at which offset. */
export interface ChunkTarget {
  readonly file: number;
  readonly position: number;
}

export interface PackReads {
  readonly pack: number;
  /** Chunks to read from the pack, by offset, each with every place it goes. */
  readonly reads: readonly {
    readonly id: string;
    readonly offset: number;
    readonly length: number;
    readonly targets: readonly ChunkTarget[];
  }[];
}

/** Which chunks each pack must give and where each goes, for the files `wanted` (indexes into s.files). Pure. */
export function planReads(s: Snapshot, wanted: readonly number[]): PackReads[] {
  const byPack = new Map<number, Map<string, { id: string; offset: number; length: number; targets: ChunkTarget[] }>>();
  for (const file of wanted) {
    let position = 0;
    for (const id of s.files[file].chunks) {
      const [pack, offset, length, rawLength] = s.chunks[id];
      let reads = byPack.get(pack);
      if (!reads) {
        reads = new Map();
        byPack.set(pack, reads);
      }
      let read = reads.get(id);
      if (!read) {
        read = { id, offset, length, targets: [] };
        reads.set(id, read);
      }
      read.targets.push({ file, position });
      position += rawLength;
    }
  }
  return [...byPack.entries()]
    .sort(([a], [b]) => a - b)
    .map(([pack, reads]) => ({ pack, reads: [...reads.values()].sort((a, b) => a.offset - b.offset) }));
}
