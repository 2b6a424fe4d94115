// The volume tree as movers walk it: sorted, typed entries, and digests compared by path.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareDigests, digestDirectory, walkTree } from '../../../activities/movers/file-tree.js';

const sha = (b: string) => createHash('sha256').update(b).digest('hex');

describe('file tree', () => {
  it('walks depth first in name order with each entry typed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-tree-'));
    mkdirSync(join(dir, 'b', 'c'), { recursive: true });
    writeFileSync(join(dir, 'b', 'c', 'f'), 'F');
    writeFileSync(join(dir, 'a'), 'A');
    symlinkSync('a', join(dir, 'z'));
    const entries: string[] = [];
    for await (const e of walkTree(dir)) entries.push(`${e.type} ${e.path}`);
    expect(entries).toEqual(['file a', 'dir b', 'dir b/c', 'file b/c/f', 'symlink z']);
    expect(await digestDirectory(dir)).toEqual([
      { path: 'a', size: 1, sha256: sha('A'), mode: expect.any(Number) },
      { path: 'b/c/f', size: 1, sha256: sha('F'), mode: expect.any(Number) },
    ]);
  });

  it('reports a changed and a missing file by path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-cmp-'));
    writeFileSync(join(dir, 'a'), 'A');
    const expected = [
      { path: 'a', size: 1, sha256: sha('B'), mode: 0o644 },
      { path: 'b', size: 1, sha256: sha('B'), mode: 0o644 },
    ];
    const problems = compareDigests(expected, await digestDirectory(dir));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^a: sha256 /);
    expect(problems[1]).toBe('b: missing');
  });
});
