// A volume's directory tree as movers see it: every entry in sorted order, and the sha256 of every
// regular file, for comparing a restored volume with its backup.
import { createHash } from 'node:crypto';
import { lstat, open, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';

export interface FileDigest {
  /** Path relative to the volume root, `/`-separated. */
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
  readonly mode: number;
}

export type TreeEntry =
  | { readonly type: 'dir'; readonly path: string; readonly mode: number; readonly mtimeMs: number }
  | {
      readonly type: 'file';
      readonly path: string;
      readonly mode: number;
      readonly size: number;
      readonly mtimeMs: number;
      readonly uid: number;
      readonly gid: number;
    }
  | { readonly type: 'symlink'; readonly path: string; readonly target: string }
  /** Sockets, FIFOs, devices: nothing a backup can carry. */
  | { readonly type: 'other'; readonly path: string };

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Every entry under `root` (not `root` itself), depth first, names sorted: the same tree always walks the same. */
export async function* walkTree(root: string): AsyncGenerator<TreeEntry> {
  async function* visit(rel: string): AsyncGenerator<TreeEntry> {
    const entries = (await readdir(rel === '' ? root : join(root, rel), { withFileTypes: true })).sort(byName);
    for (const e of entries) {
      const path = rel === '' ? e.name : `${rel}/${e.name}`;
      const full = join(root, path);
      const st = await lstat(full);
      if (st.isDirectory()) {
        yield { type: 'dir', path, mode: st.mode & 0o7777, mtimeMs: st.mtimeMs };
        yield* visit(path);
      } else if (st.isFile()) {
        yield { type: 'file', path, mode: st.mode & 0o7777, size: st.size, mtimeMs: st.mtimeMs, uid: st.uid, gid: st.gid };
      } else if (st.isSymbolicLink()) {
        yield { type: 'symlink', path, target: await readlink(full) };
      } else {
        yield { type: 'other', path };
      }
    }
  }
  yield* visit('');
}

/**
 * The sha256 and size of a file, read through one buffer no larger than the file (up to 1 MiB): hashing
 * thousands of small files must not allocate a 1 MiB stream buffer for each.
 */
export async function sha256File(path: string): Promise<{ sha256: string; size: number }> {
  const h = createHash('sha256');
  const fh = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(Math.max(1, Math.min(hashPiece, (await fh.stat()).size)));
    let size = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      h.update(buffer.subarray(0, bytesRead));
      size += bytesRead;
    }
    return { sha256: h.digest('hex'), size };
  } finally {
    await fh.close();
  }
}

const hashPiece = 1024 * 1024;

/** Hashes every regular file under `root` (sorted), for verifying a restore against the backup's list. */
export async function digestDirectory(root: string): Promise<FileDigest[]> {
  const out: FileDigest[] = [];
  for await (const e of walkTree(root)) {
    if (e.type !== 'file') continue;
    const { sha256, size } = await sha256File(join(root, e.path));
    out.push({ path: e.path, size, sha256, mode: e.mode });
  }
  return out;
}

/** Compares what is on disk with the backup's list; returns every difference, by path. */
export function compareDigests(expected: readonly FileDigest[], actual: readonly FileDigest[]): string[] {
  const got = new Map(actual.map((f) => [f.path, f]));
  const problems: string[] = [];
  for (const f of expected) {
    const a = got.get(f.path);
    if (!a) problems.push(`${f.path}: missing`);
    else if (a.sha256 !== f.sha256) problems.push(`${f.path}: sha256 ${a.sha256} != ${f.sha256}`);
  }
  return problems;
}
