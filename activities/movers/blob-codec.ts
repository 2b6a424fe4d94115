// How the repository turns plaintext into stored bytes and back: chunk ids, compression, encryption,
// and the envelope of its small documents (snapshots, pack indexes). Pure apart from zlib's thread pool.
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { promisify } from 'node:util';
import { brotliCompress, brotliCompressSync, brotliDecompress, constants, createGzip, gunzip, gunzipSync, gzip, gzipSync } from 'node:zlib';
import { type EncryptionKey, KeyUnavailable } from '../backup/encryption.js';
import { ChecksumMismatch } from '../backup/errors.js';
import { freeOwnedMemory } from '../memory.js';
import { type GearTable, gearTable } from './chunker.js';

const brotliAsync = promisify(brotliCompress);
const unbrotliAsync = promisify(brotliDecompress);
const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/**
 * brotli at quality 1 by default: measured by `npm run bench -- backup` (and the table in the report) it
 * compresses text and JSON ~20% smaller than gzip level 1 at a similar or higher speed, and passes
 * incompressible data through ~20x faster than gzip (it detects it and emits stored blocks), which matters
 * for volumes full of already-compressed files. `none` saves CPU when the store is faster than compression.
 */
export type Compression = 'none' | 'gzip' | 'brotli';

/** The first byte of a blob's plaintext: how the rest is compressed. Stored per blob, so codecs can change. */
const codecByte = { none: 0, gzip: 1, brotli: 2 } as const;

/** A compressed blob must save at least this share, else it is stored as is (decompressing costs too). */
const worthwhile = 0.97;
/** How much of a large chunk is compressed first to see whether the rest is worth it. */
const sampleBytes = 16 * 1024;

/** Where a repository's objects are encrypted: `key-<key id>`; `plain` when no key is configured. */
export type Keyspace = string;

export interface DocumentHeader {
  readonly v: 1;
  readonly kind: string;
  readonly encryption: 'AES-256-GCM' | 'none';
  readonly keyId?: string;
}

/** An encoded blob as pieces to be written one after another. */
export interface EncodedBlob {
  readonly parts: readonly Buffer[];
  readonly length: number;
  /**
   * Frees the memory the encoding made (never the chunk's), once the parts are copied where they go: a backup
   * encodes a volume's size in such buffers, and left to the collector they piled up by tens of MiB.
   */
  release?(): void;
}

/** The pieces joined (tests, and callers that need one buffer). */
export function joinBlob(blob: EncodedBlob): Buffer {
  return Buffer.concat(blob.parts as Buffer[], blob.length);
}

export interface BlobCodecOptions {
  /** The repository's master key; undefined stores blobs compressed but in clear (ids are then SHA-256). */
  readonly key?: EncryptionKey;
  readonly compression?: Compression;
}

/** Encodes chunks and documents for one keyspace. */
export class BlobCodec {
  readonly keyspace: Keyspace;
  readonly keyId: string | undefined;
  readonly gear: GearTable;
  private readonly idKey: EncryptionKey | undefined;
  private readonly dataKey: EncryptionKey | undefined;
  private readonly compression: Compression;

  constructor(opts: BlobCodecOptions = {}) {
    this.compression = opts.compression ?? 'brotli';
    this.keyId = opts.key?.id;
    this.keyspace = opts.key ? `key-${opts.key.id}` : 'plain';
    this.idKey = opts.key?.derive('repository/chunk-id');
    this.dataKey = opts.key?.derive('repository/data');
    this.gear = opts.key ? gearTable(opts.key.derive('repository/gear').mac('gear')) : gearTable();
  }

  /** HMAC-SHA256 of the plaintext under the repository's id key (so ids reveal nothing), else SHA-256. */
  chunkId(plain: Buffer): string {
    return this.idKey ? this.idKey.mac(plain).toString('hex') : createHash('sha256').update(plain).digest('hex');
  }

  /**
   * Compresses (on zlib's thread pool, so the caller keeps chunking meanwhile), then seals. The result is in
   * pieces that the pack copies once into its buffer: joining them here would copy every byte twice more.
   */
  async encode(plain: Buffer): Promise<EncodedBlob> {
    let codec: Compression = 'none';
    let body = plain;
    if (this.compression !== 'none' && plain.length > 64 && this.mayCompress(plain)) {
      // one output buffer near the input's size instead of zlib's default 16 KiB pieces joined at the end
      const chunkSize = Math.min(Math.max(plain.length + 1024, 16 * 1024), 1024 * 1024);
      const packed =
        this.compression === 'brotli'
          ? await brotliAsync(plain, { ...brotliParams(plain.length), chunkSize })
          : await gzipAsync(plain, { level: 1, chunkSize });
      if (packed.length < plain.length * worthwhile) {
        codec = this.compression;
        body = packed;
      } else freeOwnedMemory(packed);
    }
    const head = Buffer.from([codecByte[codec]]);
    // zlib's output is this call's own; the chunk is the caller's
    const owned = body === plain ? [] : [body];
    if (!this.dataKey) return { parts: [head, body], length: 1 + body.length, release: () => owned.forEach(freeOwnedMemory) };
    const parts = this.dataKey.sealParts([head, body]);
    // sealed: the compressed text is no longer needed, and the cipher's output is ours alone too
    owned.forEach(freeOwnedMemory);
    return { parts, length: parts.reduce((n, b) => n + b.length, 0), release: () => parts.forEach(freeOwnedMemory) };
  }

  /**
   * Whether a chunk is worth compressing, judged on a sample from its start: already-compressed data (media,
   * archives, encrypted files) then costs neither the compression nor an output buffer thrown away.
   */
  private mayCompress(plain: Buffer): boolean {
    if (plain.length <= 2 * sampleBytes) return true;
    const sample = plain.subarray(0, sampleBytes);
    const packed = this.compression === 'brotli' ? brotliCompressSync(sample, brotliParams(sampleBytes)) : gzipSync(sample, { level: 1 });
    return packed.length < sampleBytes * worthwhile;
  }

  /**
   * The plaintext of a stored blob, refused unless it authenticates and hashes back to `id`:
   * ChecksumMismatch names `where` (the pack's key and offset).
   */
  async decode(blob: Buffer, id: string, where: string): Promise<Buffer> {
    let framed: Buffer;
    try {
      framed = this.dataKey ? this.dataKey.open(blob, where) : blob;
    } catch {
      throw new ChecksumMismatch(where, { problem: `blob ${id} does not authenticate` });
    }
    let plain: Buffer;
    try {
      const body = framed.subarray(1);
      switch (framed[0]) {
        case codecByte.none:
          plain = body;
          break;
        case codecByte.gzip:
          plain = await gunzipAsync(body);
          break;
        case codecByte.brotli:
          plain = await unbrotliAsync(body);
          break;
        default:
          throw new Error(`unknown codec ${framed[0]}`);
      }
    } catch {
      throw new ChecksumMismatch(where, { problem: `blob ${id} does not decompress` });
    }
    const actual = this.chunkId(plain);
    if (actual !== id) throw new ChecksumMismatch(where, { expected: id, actual });
    return plain;
  }

  /** A small JSON document: a header line naming the key id, then the gzipped JSON, sealed when encrypted. */
  sealDocument(kind: string, value: unknown): Buffer {
    return this.sealBody(kind, gzipSync(Buffer.from(JSON.stringify(value))));
  }

  private sealBody(kind: string, body: Buffer): Buffer {
    const header: DocumentHeader = this.keyId
      ? { v: 1, kind, encryption: 'AES-256-GCM', keyId: this.keyId }
      : { v: 1, kind, encryption: 'none' };
    return Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), this.dataKey ? this.dataKey.seal(body, Buffer.from(kind)) : body]);
  }

  /**
   * sealDocument for a document given as JSON text in pieces (snapshotJson): compressed as the pieces come, so
   * neither the whole text nor its bytes are ever held; only the compressed body is.
   */
  async sealDocumentFrom(kind: string, json: Iterable<string>): Promise<Buffer> {
    const gzip = createGzip();
    const out: Buffer[] = [];
    gzip.on('data', (c: Buffer) => out.push(c));
    const ended = once(gzip, 'end');
    for (const piece of json) if (!gzip.write(piece)) await once(gzip, 'drain');
    gzip.end();
    await ended;
    return this.sealBody(kind, out.length === 1 ? out[0] : Buffer.concat(out));
  }

  /** Opens a document; KeyUnavailable when it was sealed under a key this codec does not hold. */
  openDocument<T>(kind: string, bytes: Buffer, where: string): T {
    const nl = bytes.indexOf(0x0a);
    let header: DocumentHeader;
    try {
      header = JSON.parse(bytes.subarray(0, nl).toString('utf8')) as DocumentHeader;
    } catch {
      throw new ChecksumMismatch(where, { problem: `not a ${kind} document (no header)` });
    }
    if (header.kind !== kind) throw new ChecksumMismatch(where, { problem: `a ${header.kind} document where a ${kind} was expected` });
    const body = bytes.subarray(nl + 1);
    if (header.encryption === 'none') {
      if (this.dataKey) throw new ChecksumMismatch(where, { problem: `unencrypted, in a repository encrypted under key id ${this.keyId}` });
      return JSON.parse(gunzipSync(body).toString('utf8')) as T;
    }
    if (!this.dataKey || header.keyId !== this.keyId) {
      throw new KeyUnavailable(where, header.keyId ?? 'unknown', this.keyId ? [this.keyId] : []);
    }
    let plain: Buffer;
    try {
      plain = this.dataKey.open(body, where, Buffer.from(kind));
    } catch {
      throw new ChecksumMismatch(where, { problem: `the ${kind} document does not authenticate under key id ${this.keyId}` });
    }
    return JSON.parse(gunzipSync(plain).toString('utf8')) as T;
  }
}

/** Reads only the header: which key a document needs, without being able to open it. */
export function documentHeader(bytes: Buffer): DocumentHeader | undefined {
  const nl = bytes.indexOf(0x0a);
  if (nl < 0 || nl > 512) return undefined;
  try {
    return JSON.parse(bytes.subarray(0, nl).toString('utf8')) as DocumentHeader;
  } catch {
    return undefined;
  }
}

/**
 * Quality 1, and a window no larger than the chunk: the default 4 MiB window would make every encoder
 * allocate a 4 MiB ring buffer to compress ~1 MiB, and with several encoders at once that native memory
 * (outside V8's accounting) dominates the mover's footprint.
 */
function brotliParams(size: number) {
  const lgwin = Math.min(22, Math.max(16, Math.ceil(Math.log2(Math.max(size, 1)))));
  return {
    params: { [constants.BROTLI_PARAM_QUALITY]: 1, [constants.BROTLI_PARAM_SIZE_HINT]: size, [constants.BROTLI_PARAM_LGWIN]: lgwin },
  };
}
