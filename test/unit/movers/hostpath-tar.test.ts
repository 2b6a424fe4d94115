// The tar mover on real directories: what is packed unpacks to the same bytes, every file hashed.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { compareDigests, digestDirectory, packDirectory, unpackInto } from '../../../activities/movers/hostpath-tar.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('hostpath tar mover', () => {
  it('round-trips a tree with nested dirs, an empty file, a large file and a symlink', async () => {
    const src = mkdtempSync(join(tmpdir(), 'ferry-src-'));
    const big = randomBytes(3 * 1024 * 1024 + 17);
    mkdirSync(join(src, 'db', 'wal'), { recursive: true });
    writeFileSync(join(src, 'db', 'data.bin'), big);
    writeFileSync(join(src, 'db', 'wal', '0001.log'), 'first\n');
    writeFileSync(join(src, 'empty'), '');
    symlinkSync('db/data.bin', join(src, 'current'));

    const { stream, result } = packDirectory(src);
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    const packed = await result;
    expect(packed.files.map((f) => f.path)).toEqual(['db/data.bin', 'db/wal/0001.log', 'empty']);
    expect(packed.files[0].sha256).toBe(sha(big));
    expect(packed.bytes).toBe(big.length + 6);

    const dst = mkdtempSync(join(tmpdir(), 'ferry-dst-'));
    await unpackInto(dst, Readable.from([Buffer.concat(chunks)]));
    expect(readFileSync(join(dst, 'db', 'data.bin')).equals(big)).toBe(true);
    expect(readFileSync(join(dst, 'current')).equals(big)).toBe(true);
    expect(compareDigests(packed.files, await digestDirectory(dst))).toEqual([]);
  });

  it('reports a changed and a missing file by path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-cmp-'));
    writeFileSync(join(dir, 'a'), 'A');
    const expected = [
      { path: 'a', size: 1, sha256: sha(Buffer.from('B')), mode: 0o644 },
      { path: 'b', size: 1, sha256: sha(Buffer.from('B')), mode: 0o644 },
    ];
    const problems = compareDigests(expected, await digestDirectory(dir));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^a: sha256 /);
    expect(problems[1]).toBe('b: missing');
  });

  it('refuses a tar entry that escapes the volume root', async () => {
    const pack = tar.pack();
    pack.entry({ name: '../outside', size: 1 }, 'x');
    pack.finalize();
    const dst = mkdtempSync(join(tmpdir(), 'ferry-evil-'));
    await expect(unpackInto(join(dst, 'vol'), Readable.from(pack))).rejects.toThrow(/escapes the volume root/);
  });
});
