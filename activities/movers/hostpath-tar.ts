// Volume data as a streamed tar: packs a directory (the PV's hostPath on the local stack) into a
// tar stream while hashing every file, and unpacks one into a directory, checking every file.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { lstat, mkdir, readdir, readlink, rm, symlink } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { PassThrough, Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';

export interface FileDigest {
  /** Path relative to the volume root, `/`-separated. */
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
  readonly mode: number;
}

export interface PackResult {
  readonly files: FileDigest[];
  readonly bytes: number;
}

/** Every regular file, directory and symlink under `root`, sorted, so the same tree gives the same tar. */
async function walk(root: string): Promise<string[]> {
  const out: string[] = [];
  const visit = async (dir: string) => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      const full = join(dir, e.name);
      out.push(full);
      if (e.isDirectory()) await visit(full);
    }
  };
  await visit(root);
  return out;
}

function hashing(onDone: (sha: string, size: number) => void): Transform {
  const h = createHash('sha256');
  let size = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      h.update(chunk);
      size += chunk.length;
      cb(null, chunk);
    },
    flush(cb) {
      onDone(h.digest('hex'), size);
      cb();
    },
  });
}

/**
 * Packs `root` into a tar stream. `result` resolves once the stream has been fully read, with a
 * sha256 per file computed from the very bytes that went into the tar.
 */
export function packDirectory(root: string, onFile?: (f: FileDigest) => void): { stream: Readable; result: Promise<PackResult> } {
  const pack = tar.pack();
  const files: FileDigest[] = [];
  let bytes = 0;
  const result = (async () => {
    for (const full of await walk(root)) {
      const st = await lstat(full);
      const name = relative(root, full).split(sep).join('/');
      if (st.isDirectory()) {
        await new Promise<void>((res, rej) => pack.entry({ name, type: 'directory', mode: st.mode & 0o7777 }, (e) => (e ? rej(e) : res())));
      } else if (st.isSymbolicLink()) {
        const target = await readlink(full);
        await new Promise<void>((res, rej) => pack.entry({ name, type: 'symlink', linkname: target }, (e) => (e ? rej(e) : res())));
      } else if (st.isFile()) {
        let digest: FileDigest | undefined;
        const entry = pack.entry({ name, size: st.size, mode: st.mode & 0o7777, mtime: st.mtime });
        await pipeline(
          createReadStream(full),
          hashing((sha256, size) => {
            digest = { path: name, size, sha256, mode: st.mode & 0o7777 };
          }),
          entry,
        );
        if (!digest) throw new Error(`${name}: not hashed`);
        files.push(digest);
        bytes += digest.size;
        onFile?.(digest);
      }
    }
    pack.finalize();
    return { files, bytes };
  })();
  result.catch((e) => pack.destroy(e));
  // tar-stream speaks streamx; callers get a Node stream
  return { stream: Readable.from(pack), result };
}

/** Unpacks a tar stream into `root`; refuses entries that would land outside it. */
export async function unpackInto(root: string, source: Readable): Promise<void> {
  const base = resolve(root);
  await mkdir(base, { recursive: true });
  const extract = tar.extract();
  const done = (async () => {
    for await (const entry of extract) {
      const h = entry.header;
      const dest = resolve(base, h.name);
      if (dest !== base && !dest.startsWith(base + sep)) throw new Error(`tar entry ${JSON.stringify(h.name)} escapes the volume root`);
      if (h.type === 'directory') {
        await mkdir(dest, { recursive: true, mode: h.mode });
        entry.resume();
      } else if (h.type === 'symlink') {
        await mkdir(dirname(dest), { recursive: true });
        await rm(dest, { force: true });
        await symlink(h.linkname ?? '', dest);
        entry.resume();
      } else if (h.type === 'file') {
        await mkdir(dirname(dest), { recursive: true });
        await pipeline(entry, createWriteStream(dest, { mode: h.mode }));
      } else {
        entry.resume();
      }
    }
  })();
  await Promise.all([pipeline(source, extract), done]);
}

/** Hashes every regular file under `root` (sorted), for verifying a restore against the backup's list. */
export async function digestDirectory(root: string): Promise<FileDigest[]> {
  const out: FileDigest[] = [];
  for (const full of await walk(root)) {
    const st = await lstat(full);
    if (!st.isFile()) continue;
    const h = createHash('sha256');
    await pipeline(createReadStream(full), new PassThrough().on('data', (c: Buffer) => h.update(c)).resume());
    out.push({ path: relative(root, full).split(sep).join('/'), size: st.size, sha256: h.digest('hex'), mode: st.mode & 0o7777 });
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
