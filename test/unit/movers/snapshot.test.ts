// Snapshots: the location table built from the repository, consistency checks before a restore writes
// anything, and the plan of which pack gives which chunk to which file offset.
import { describe, expect, it } from 'vitest';
import type { BlobLocation } from '../../../activities/movers/pack.js';
import {
  planReads,
  type Snapshot,
  type SnapshotFile,
  type SnapshotParts,
  safePath,
  snapshotDigests,
  snapshotJson,
  snapshotProblem,
} from '../../../activities/movers/snapshot.js';

const id = (c: string) => c.repeat(64);
const P1 = id('1');
const P2 = id('2');
const where: Record<string, BlobLocation> = {
  [id('a')]: { pack: P1, offset: 0, length: 10, rawLength: 100 },
  [id('b')]: { pack: P2, offset: 0, length: 20, rawLength: 200 },
  [id('c')]: { pack: P1, offset: 10, length: 5, rawLength: 50 },
};
const file = (path: string, chunks: string[], size: number): SnapshotFile => ({
  path,
  mode: 0o644,
  size,
  sha256: id('f'),
  mtimeMs: 0,
  uid: 0,
  gid: 0,
  chunks,
});
const files = [file('x', [id('a'), id('b')], 300), file('dir/y', [id('c'), id('a')], 150), file('empty', [], 0)];

const packSizes = (p: string) => (p === P1 ? 15 : 20);
const json = (parts: SnapshotParts, piece?: number) => [...snapshotJson(parts, (i) => where[i], packSizes, piece)];
const table: Pick<Snapshot, 'packs' | 'chunks'> = {
  packs: [
    { id: P1, size: 15 },
    { id: P2, size: 20 },
  ],
  chunks: { [id('a')]: [0, 0, 10, 100], [id('b')]: [1, 0, 20, 200], [id('c')]: [0, 10, 5, 50] },
};
const parts: SnapshotParts = {
  version: 1,
  claim: 'data',
  createdAt: '2026-01-01T00:00:00Z',
  files,
  dirs: [{ path: 'dir', mode: 0o755, mtimeMs: 0 }],
  symlinks: [{ path: 'link', target: 'x' }],
  skipped: [],
};

function snapshot(over: Partial<Snapshot> = {}): Snapshot {
  return { ...(JSON.parse(json(parts).join('')) as Snapshot), ...over };
}

describe('snapshot', () => {
  it('tables every chunk once with its pack slot, packs sorted, and fails naming what has no location', () => {
    expect(snapshot()).toEqual({ ...parts, ...table });
    expect(() => json({ ...parts, files: [file('z', [id('d')], 1)] })).toThrow(/chunk d+ has no stored location/);
    expect(() => [
      ...snapshotJson(
        parts,
        (i) => where[i],
        () => undefined,
      ),
    ]).toThrow(/pack 1+ has no known size/);
  });

  it('writes the same snapshot as JSON in pieces, whatever their size', () => {
    const odd = { ...parts, skipped: ['fifo'], symlinks: [{ path: 'l "quoted" ü', target: '../x' }] };
    for (const piece of [1, 40, 1 << 20]) {
      const pieces = json(odd, piece);
      expect(JSON.parse(pieces.join(''))).toEqual({ ...odd, ...table });
      if (piece === 1) expect(pieces.length).toBeGreaterThan(files.length);
    }
  });

  it('plans reads by pack and offset, each chunk once with every place it goes', () => {
    expect(planReads(snapshot(), [0, 1, 2])).toEqual([
      {
        pack: 0,
        reads: [
          {
            id: id('a'),
            offset: 0,
            length: 10,
            targets: [
              { file: 0, position: 0 },
              { file: 1, position: 50 },
            ],
          },
          { id: id('c'), offset: 10, length: 5, targets: [{ file: 1, position: 0 }] },
        ],
      },
      { pack: 1, reads: [{ id: id('b'), offset: 0, length: 20, targets: [{ file: 0, position: 100 }] }] },
    ]);
    expect(planReads(snapshot(), [1]).map((p) => p.pack)).toEqual([0]);
  });

  it('accepts a consistent snapshot and gives the digests verification compares', () => {
    expect(snapshotProblem(snapshot())).toBeUndefined();
    expect(snapshotDigests(snapshot())[1]).toEqual({ path: 'dir/y', size: 150, sha256: id('f'), mode: 0o644 });
  });

  it.each([
    { name: 'a path escaping the volume', over: { symlinks: [{ path: '../etc/passwd', target: 'x' }] }, problem: /unsafe path/ },
    { name: 'an absolute path', over: { dirs: [{ path: '/abs', mode: 0o755, mtimeMs: 0 }] }, problem: /unsafe path/ },
    { name: 'a path twice', over: { symlinks: [{ path: 'x', target: 'y' }] }, problem: /appears twice/ },
    { name: 'sizes that do not add up', over: { files: [file('x', [id('a')], 101)] }, problem: /add up to 100 bytes, not 101/ },
    {
      name: 'a chunk outside its pack',
      over: {
        packs: [
          { id: P1, size: 12 },
          { id: P2, size: 20 },
        ],
      },
      problem: /outside its pack/,
    },
  ])('refuses $name', ({ over, problem }) => {
    expect(snapshotProblem(snapshot(over as Partial<Snapshot>))).toMatch(problem);
  });

  it.each([
    ['a/b', true],
    ['a', true],
    ['', false],
    ['a//b', false],
    ['./a', false],
    ['a/..', false],
    ['a\\b', false],
  ])('safePath(%j) is %s', (p, ok) => {
    expect(safePath(p)).toBe(ok);
  });
});
