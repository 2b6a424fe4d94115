// The backup benchmark's volume: ~1 GiB of mixed files (incompressible binaries, logs, JSON, many small
// files) written deterministically from a seed, and the "1% of files changed" edit.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';

const MiB = 1024 * 1024;

/** A fast deterministic byte stream: SHA-256 in counter mode (incompressible). */
function randomBytesFrom(seed: string, size: number): Buffer {
  const out = Buffer.allocUnsafe(size);
  const base = createHash('sha256').update(seed);
  for (let o = 0, i = 0; o < size; o += 32, i++) {
    base
      .copy()
      .update(String(i))
      .digest()
      .copy(out, o, 0, Math.min(32, size - o));
  }
  return out;
}

const words = 'request response user order payment cart item price error warn info debug latency cache miss hit db query ok'.split(' ');

/** Log-like text: compresses ~4-6x, like real logs. */
function logText(seed: number, size: number): Buffer {
  const lines: string[] = [];
  let n = 0;
  let x = seed * 2654435761;
  while (n < size) {
    x = (x * 1103515245 + 12345) >>> 0;
    const line = `2026-01-${String((x % 28) + 1).padStart(2, '0')}T${String(x % 24).padStart(2, '0')}:${String(x % 60).padStart(2, '0')}:00Z ${words[x % words.length]} ${words[(x >> 5) % words.length]} id=${x % 1_000_000} ms=${x % 997}\n`;
    lines.push(line);
    n += line.length;
  }
  return Buffer.from(lines.join('')).subarray(0, size);
}

function jsonText(seed: number, size: number): Buffer {
  const rows: string[] = [];
  let n = 0;
  let x = seed * 40503;
  while (n < size) {
    x = (x * 1664525 + 1013904223) >>> 0;
    const row = JSON.stringify({
      id: x,
      name: `user-${x % 100_000}`,
      email: `u${x % 100_000}@example.com`,
      score: (x % 10_000) / 100,
      tags: [words[x % words.length]],
    });
    rows.push(row);
    n += row.length + 2;
  }
  return Buffer.from(`[${rows.join(',\n')}]`).subarray(0, size);
}

export interface DatasetShape {
  readonly files: number;
  readonly bytes: number;
}

/** Writes the dataset under `dir` (scaled by `mib`, 1024 by default): 40% binaries, 30% logs, 20% JSON, 10% small files. */
export function writeDataset(dir: string, mib = 1024): DatasetShape {
  const scale = mib / 1024;
  let files = 0;
  let bytes = 0;
  const put = (path: string, data: Buffer) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), data);
    files++;
    bytes += data.length;
  };
  const bigCount = Math.max(1, Math.round(8 * scale));
  for (let i = 0; i < bigCount; i++) put(`blobs/archive-${i}.bin`, randomBytesFrom(`big-${i}`, Math.round(51.2 * MiB)));
  const logCount = Math.max(1, Math.round(30 * scale));
  for (let i = 0; i < logCount; i++) put(`logs/app-${i}.log`, logText(i + 1, Math.round(10.24 * MiB)));
  const jsonCount = Math.max(1, Math.round(1000 * scale));
  for (let i = 0; i < jsonCount; i++)
    put(`data/part-${String(Math.floor(i / 100)).padStart(2, '0')}/rows-${i}.json`, jsonText(i + 7, 200 * 1024 + (i % 97)));
  const smallCount = Math.max(1, Math.round(20_000 * scale));
  for (let i = 0; i < smallCount; i++) {
    const body = i % 3 === 0 ? randomBytesFrom(`small-${i}`, 5 * 1024) : logText(i + 11, 5 * 1024 + (i % 31));
    put(`small/${String(Math.floor(i / 500)).padStart(3, '0')}/f-${i}.dat`, body);
  }
  return { files, bytes };
}

/** Every file path under `dir`, sorted; dot files (the bench's own marker) are not part of the dataset. */
export function listFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(dir, rel)).sort()) {
    if (name.startsWith('.')) continue;
    const path = rel ? `${rel}/${name}` : name;
    if (statSync(join(dir, path)).isDirectory()) out.push(...listFiles(dir, path));
    else out.push(path);
  }
  return out;
}

/** Changes `share` of the files (every 1/share-th, from an offset per round): 4 KiB in the middle of each overwritten with new random bytes. */
export async function changeFiles(dir: string, share: number, round: number): Promise<{ files: number; bytes: number }> {
  const all = listFiles(dir);
  const every = Math.max(1, Math.round(1 / share));
  let files = 0;
  let bytes = 0;
  for (let i = round % every; i < all.length; i += every) {
    const fh = await open(join(dir, all[i]), 'r+');
    try {
      const size = (await fh.stat()).size;
      // fresh random bytes: the dataset is kept between runs, and a patch derived from the round alone would
      // write what an earlier run already wrote there, changing nothing
      const patch = randomBytes(Math.min(4096, size));
      await fh.write(patch, 0, patch.length, Math.max(0, Math.floor(size / 2) - patch.length / 2));
      files++;
      bytes += size;
    } finally {
      await fh.close();
    }
  }
  return { files, bytes };
}
