// Content-defined chunking (FastCDC with normalized chunking over a 32-bit gear hash): cut points depend
// on the bytes around them, not on offsets, so an insertion shifts only the chunks it touches. Pure.
import { createHash } from 'node:crypto';
import { freeBuffer } from '../memory.js';

export interface ChunkerParams {
  /** No cut before this many bytes; a file smaller than this is one chunk. */
  readonly minSize: number;
  /** The size chunks gather around (a power of two). */
  readonly avgSize: number;
  /** A cut is forced here. */
  readonly maxSize: number;
}

/**
 * restic's sizes: 1 MiB chunks keep the index small (a 64-hex id per MiB) and each blob big enough to
 * compress and encrypt efficiently, while a changed region still costs about one MiB of upload.
 */
export const defaultChunkerParams: ChunkerParams = { minSize: 512 * 1024, avgSize: 1024 * 1024, maxSize: 8 * 1024 * 1024 };

export class InvalidChunkerParams extends Error {
  constructor(problem: string) {
    super(`chunker parameters: ${problem}`);
    this.name = 'InvalidChunkerParams';
  }
}

/** 256 pseudo-random 32-bit values, one per byte value. Derived from a seed so that it never changes by accident. */
export type GearTable = Uint32Array;

/**
 * The gear table from a seed. An encrypted repository seeds it from its key, so chunk boundaries (and the
 * sizes they reveal) cannot be predicted for known content by someone who can only read the store.
 */
export function gearTable(seed: Buffer | string = 'ferry-gear-v1'): GearTable {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    table[i] = createHash('sha256').update(seed).update(String(i)).digest().readUInt32BE(0);
  }
  return table;
}

/** A mask of `bits` one-bits at the top of 32: those bits depend on the most bytes of the rolling window. */
function topBits(bits: number): number {
  return (0xffffffff << (32 - bits)) | 0;
}

function check(p: ChunkerParams): void {
  const bits = Math.log2(p.avgSize);
  if (!Number.isInteger(bits) || bits < 6 || bits > 28)
    throw new InvalidChunkerParams(`avgSize ${p.avgSize} must be a power of two in 64..256Mi`);
  if (!(p.minSize > 0 && p.minSize <= p.avgSize && p.avgSize <= p.maxSize)) {
    throw new InvalidChunkerParams(`need 0 < minSize (${p.minSize}) <= avgSize (${p.avgSize}) <= maxSize (${p.maxSize})`);
  }
}

/**
 * Splits a byte stream into chunks as it arrives: push() returns the chunks completed so far, end() the
 * rest. Normalized chunking (FastCDC level 2): a harder mask before avgSize and an easier one after it,
 * so sizes cluster around avgSize instead of spreading geometrically.
 *
 * The chunks push() and end() return are views, valid until the next push() or end(): into the caller's
 * buffer, or into one of two accumulation buffers that alternate (a chunk that spans reads). The caller
 * hashes each and copies only the new ones, so data already stored costs no allocation at all; and it may
 * reuse its read buffer for the next read. After end() the chunker takes the next file.
 */
export class Chunker {
  private readonly gear: GearTable;
  private readonly minSize: number;
  private readonly avgSize: number;
  private readonly maxSize: number;
  private readonly maskS: number;
  private readonly maskL: number;
  /** Two accumulation buffers, used in turn: a chunk returned from one stays valid while the other fills. */
  private readonly accs: (Buffer | undefined)[] = [undefined, undefined];
  private which = 0;
  /** Bytes of the current chunk held in accs[which]. */
  private filled = 0;
  /** Bytes of the current (unfinished) chunk. */
  private size = 0;
  private hash = 0;

  constructor(params: ChunkerParams = defaultChunkerParams, gear: GearTable = gearTable()) {
    check(params);
    const bits = Math.log2(params.avgSize);
    this.gear = gear;
    this.minSize = params.minSize;
    this.avgSize = params.avgSize;
    this.maxSize = params.maxSize;
    this.maskS = topBits(bits + 2);
    this.maskL = topBits(bits - 2);
  }

  push(data: Buffer): Buffer[] {
    const out: Buffer[] = [];
    let start = 0;
    while (start < data.length) {
      const cut = this.scan(data, start);
      if (cut >= 0 && this.filled === 0) {
        // the whole chunk is in `data`
        out.push(data.subarray(start, cut));
        this.reset();
      } else {
        this.append(data, start, cut < 0 ? data.length : cut);
        if (cut < 0) break;
        out.push(this.takeAccumulated());
      }
      start = cut;
    }
    return out;
  }

  /** The last chunk (undefined for an empty stream); the chunker is then ready for the next stream. */
  end(): Buffer | undefined {
    const last = this.filled > 0 ? this.takeAccumulated() : undefined;
    this.reset();
    return last;
  }

  private takeAccumulated(): Buffer {
    const chunk = (this.accs[this.which] as Buffer).subarray(0, this.filled);
    this.which ^= 1;
    this.reset();
    return chunk;
  }

  private append(data: Buffer, start: number, end: number): void {
    const acc = this.accs[this.which];
    const need = this.filled + (end - start);
    if (!acc || need > acc.length) {
      const grown = Buffer.allocUnsafeSlow(Math.min(this.maxSize, Math.max(need, (acc?.length ?? 0) * 2, 64 * 1024)));
      if (acc) {
        acc.copy(grown, 0, 0, this.filled);
        // the chunks handed out of it expired two pushes ago
        freeBuffer(acc);
      }
      this.accs[this.which] = grown;
    }
    this.filled += data.copy(this.accs[this.which] as Buffer, this.filled, start, end);
  }

  /** Frees the chunker's buffers: the chunks it handed out are empty afterwards. */
  release(): void {
    for (const acc of this.accs) if (acc) freeBuffer(acc);
    this.accs.fill(undefined);
    this.reset();
  }

  private reset(): void {
    this.filled = 0;
    this.size = 0;
    this.hash = 0;
  }

  /** Index in `data` just after the cut point, or -1 when the chunk goes on past `data`; advances the state. */
  private scan(data: Buffer, from: number): number {
    const gear = this.gear;
    const n = data.length;
    // the current chunk's size when it reaches data[i] is base + i
    const base = this.size - from;
    let h = this.hash;
    let i = from;
    // no cut can fall in the first minSize bytes: skip them without hashing (a 32-bit gear hash only
    // depends on the last 32 bytes, so hashing from there on finds the same cut points)
    if (base + i < this.minSize) {
      i = Math.min(n, this.minSize - base);
      if (base + i < this.minSize) {
        this.size = base + n;
        return -1;
      }
    }
    const maskS = this.maskS;
    const normalEnd = Math.min(n, this.avgSize - base);
    for (; i < normalEnd; i++) {
      h = ((h << 1) + gear[data[i]]) | 0;
      if ((h & maskS) === 0) return i + 1;
    }
    const maskL = this.maskL;
    const hardEnd = Math.min(n, this.maxSize - base);
    for (; i < hardEnd; i++) {
      h = ((h << 1) + gear[data[i]]) | 0;
      if ((h & maskL) === 0) return i + 1;
    }
    if (base + i >= this.maxSize) return i;
    this.size = base + n;
    this.hash = h;
    return -1;
  }
}

/** Chunks a whole buffer (tests, small inputs), each chunk a copy of its own. */
export function chunkBuffer(data: Buffer, params: ChunkerParams = defaultChunkerParams, gear?: GearTable): Buffer[] {
  const c = new Chunker(params, gear);
  const out = c.push(data).map((v) => Buffer.from(v));
  const last = c.end();
  return last ? [...out, Buffer.from(last)] : out;
}
