// Packing and blob encoding: chunks concatenated with an index that finds each again, ids that are
// keyed when encrypted, compression only where it pays, and damage refused with the place it was found.
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EncryptionKey, KeyUnavailable } from '../../../activities/backup/encryption.js';
import { ChecksumMismatch } from '../../../activities/backup/errors.js';
import { BlobCodec, documentHeader, joinBlob } from '../../../activities/movers/blob-codec.js';
import { indexProblem, locationsOf, PackBuilder, type PackIndex } from '../../../activities/movers/pack.js';

const text = Buffer.from('a line of a log file that repeats\n'.repeat(2000));
const random = randomBytes(50_000);
const key = EncryptionKey.generate();

describe('PackBuilder', () => {
  it('concatenates blobs, names the pack by its sha256 and indexes every blob by offset', () => {
    const buffer = Buffer.alloc(64);
    const b = new PackBuilder(buffer);
    b.add('a'.repeat(64), Buffer.from('first'), 10);
    b.add('b'.repeat(64), { parts: [Buffer.from('sec'), Buffer.from('ond!')], length: 7 }, 20);
    expect(b.size).toBe(12);
    expect(b.has('a'.repeat(64))).toBe(true);
    const pack = b.finish();
    expect(pack.body.toString()).toBe('firstsecond!');
    expect(pack.id).toBe(createHash('sha256').update('firstsecond!').digest('hex'));
    expect(pack.blobs).toEqual([
      ['a'.repeat(64), 0, 5, 10],
      ['b'.repeat(64), 5, 7, 20],
    ]);
    // the body is a view of the buffer the repository lends, not a copy
    expect(pack.body.buffer).toBe(buffer.buffer);
    expect(() => b.add('c'.repeat(64), Buffer.from('late'), 4)).toThrow(/finished/);
    const index: PackIndex = { pack: pack.id, size: pack.body.length, blobs: pack.blobs };
    expect(indexProblem(index)).toBeUndefined();
    expect(locationsOf(index)[1]).toEqual(['b'.repeat(64), { pack: pack.id, offset: 5, length: 7, rawLength: 20 }]);
  });

  it.each([
    {
      name: 'overlapping blobs',
      blobs: [
        ['a'.repeat(64), 0, 5, 5],
        ['b'.repeat(64), 4, 2, 2],
      ],
      problem: /overlaps/,
    },
    { name: 'a blob past the end', blobs: [['a'.repeat(64), 0, 50, 5]], problem: /past the pack/ },
    { name: 'a bad chunk id', blobs: [['zz', 0, 5, 5]], problem: /not 64 hex/ },
  ])('refuses an index with $name', ({ blobs, problem }) => {
    const index = { pack: 'c'.repeat(64), size: 10, blobs } as unknown as PackIndex;
    expect(indexProblem(index)).toMatch(problem);
  });
});

describe('BlobCodec', () => {
  it('ids chunks by SHA-256 in clear and by a keyed HMAC when encrypted', () => {
    expect(new BlobCodec().chunkId(text)).toBe(createHash('sha256').update(text).digest('hex'));
    const keyed = new BlobCodec({ key }).chunkId(text);
    expect(keyed).toMatch(/^[0-9a-f]{64}$/);
    expect(keyed).not.toBe(new BlobCodec().chunkId(text));
    expect(new BlobCodec({ key: EncryptionKey.generate() }).chunkId(text)).not.toBe(keyed);
    expect(new BlobCodec({ key }).keyspace).toBe(`key-${key.id}`);
    expect(new BlobCodec().keyspace).toBe('plain');
  });

  it.each(['brotli', 'gzip', 'none'] as const)('frees what %s encoding made once released, never the chunk itself', async (compression) => {
    for (const codec of [new BlobCodec({ compression }), new BlobCodec({ key, compression })]) {
      for (const input of [text, random]) {
        const chunk = Buffer.from(input);
        const blob = await codec.encode(chunk);
        const copy = joinBlob(blob);
        blob.release?.();
        // the chunk is the caller's: untouched; what was copied out still decodes to it
        expect(chunk.equals(input)).toBe(true);
        expect((await codec.decode(copy, codec.chunkId(input), 'here')).equals(input)).toBe(true);
        // every big part the codec made is emptied (small ones may share Node's pool and are left alone)
        for (const p of blob.parts) if (p !== chunk) expect(p.length === 0 || p.buffer.byteLength <= Buffer.poolSize).toBe(true);
      }
    }
  });

  it.each(['brotli', 'gzip', 'none'] as const)(
    'round-trips with %s, compressing text and storing random bytes as they are',
    async (compression) => {
      for (const codec of [new BlobCodec({ compression }), new BlobCodec({ key, compression })]) {
        const enc = joinBlob(await codec.encode(text));
        if (compression !== 'none') expect(enc.length).toBeLessThan(text.length / 10);
        expect((await codec.decode(enc, codec.chunkId(text), 'w')).equals(text)).toBe(true);
        const encRandom = joinBlob(await codec.encode(random));
        expect(encRandom.length).toBeLessThanOrEqual(random.length + 1 + 28);
        expect((await codec.decode(encRandom, codec.chunkId(random), 'w')).equals(random)).toBe(true);
      }
    },
  );

  it('refuses a damaged blob or one under the wrong id, naming where it was read', async () => {
    for (const codec of [new BlobCodec(), new BlobCodec({ key })]) {
      const enc = joinBlob(await codec.encode(text));
      const bad = Buffer.from(enc);
      bad[bad.length >> 1] ^= 0x10;
      await expect(codec.decode(bad, codec.chunkId(text), 'pack P offset 7')).rejects.toThrow(ChecksumMismatch);
      await expect(codec.decode(bad, codec.chunkId(text), 'pack P offset 7')).rejects.toThrow(/^pack P offset 7: /);
      await expect(codec.decode(enc, codec.chunkId(random), 'here')).rejects.toThrow(ChecksumMismatch);
    }
  });

  it('seals documents with a header naming the key id, and refuses them without that key', () => {
    const codec = new BlobCodec({ key });
    const doc = codec.sealDocument('snapshot', { files: ['secret-name.db'] });
    expect(documentHeader(doc)).toEqual({ v: 1, kind: 'snapshot', encryption: 'AES-256-GCM', keyId: key.id });
    expect(doc.includes(Buffer.from('secret-name'))).toBe(false);
    expect(codec.openDocument('snapshot', doc, 'k')).toEqual({ files: ['secret-name.db'] });
    expect(() => new BlobCodec({ key: EncryptionKey.generate() }).openDocument('snapshot', doc, 'k')).toThrow(KeyUnavailable);
    expect(() => new BlobCodec().openDocument('snapshot', doc, 'k')).toThrow(new RegExp(key.id));
    expect(() => codec.openDocument('pack-index', doc, 'k')).toThrow(/a snapshot document where a pack-index was expected/);
    const plain = new BlobCodec().sealDocument('snapshot', { a: 1 });
    expect(new BlobCodec().openDocument('snapshot', plain, 'k')).toEqual({ a: 1 });
    // a repository with a key never accepts a clear document in its place
    expect(() => codec.openDocument('snapshot', plain, 'k')).toThrow(ChecksumMismatch);
  });

  it('seals a document given as JSON in pieces like one given whole', async () => {
    const value = { files: Array.from({ length: 3000 }, (_, i) => ({ path: `secret-name-${i}.db`, size: i })) };
    const text = JSON.stringify(value);
    const pieces = Array.from({ length: Math.ceil(text.length / 997) }, (_, i) => text.slice(i * 997, (i + 1) * 997));
    for (const codec of [new BlobCodec({ key }), new BlobCodec()]) {
      const doc = await codec.sealDocumentFrom('snapshot', pieces);
      expect(documentHeader(doc)).toEqual(documentHeader(codec.sealDocument('snapshot', value)));
      expect(codec.openDocument('snapshot', doc, 'k')).toEqual(value);
    }
  });
});
