// Client-side encryption for backups: AES-256-GCM with a random 96-bit nonce per message, keys named
// by a short id (never shown), and the Secret-value sealing the manifests document uses. Pure.
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createSecretKey,
  hkdfSync,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import { inspect } from 'node:util';
import type { KubeObject } from '../kube/object.js';

const nonceBytes = 12;
const tagBytes = 16;
/** Bytes a sealed message adds to its plaintext: the nonce before it, the tag after it. */
export const sealOverhead = nonceBytes + tagBytes;
export const algorithm = 'AES-256-GCM';

/** A key that is not 32 bytes of base64; names where it came from (env var, file), never its value. */
export class InvalidEncryptionKey extends Error {
  constructor(
    readonly source: string,
    problem: string,
  ) {
    super(`${source}: ${problem}`);
    this.name = 'InvalidEncryptionKey';
  }
}

/** A message that does not authenticate under the key: altered, truncated, or sealed under another key. */
export class DecryptionFailed extends Error {
  constructor(
    readonly what: string,
    readonly keyId: string,
  ) {
    super(`${what}: does not decrypt under key id ${keyId}: altered, truncated or sealed under another key; refusing to use it`);
    this.name = 'DecryptionFailed';
  }
}

/** The backup was encrypted under a key this worker was not given; names the key id only. */
export class KeyUnavailable extends Error {
  constructor(
    readonly what: string,
    readonly keyId: string,
    readonly available: readonly string[],
  ) {
    super(
      `${what}: encrypted with key id ${keyId}, which this worker does not have ` +
        `(it has ${available.length > 0 ? `key id ${available.join(', ')}` : 'no key'}); ` +
        'give it that key in FERRY_ENCRYPTION_KEY or FERRY_ENCRYPTION_KEY_FILE',
    );
    this.name = 'KeyUnavailable';
  }
}

/**
 * A 256-bit key. The bytes stay in a private field and the object prints and serializes as its id only,
 * so a key passed around in deps cannot end up in a log line, an error or workflow history by accident.
 */
export class EncryptionKey {
  /** The first 16 hex digits of the key's SHA-256: names a key without revealing it. */
  readonly id: string;
  readonly #secret: Buffer;
  /** The same bytes as a KeyObject: OpenSSL gets the key once, not on every chunk. */
  readonly #keyObject: KeyObject;

  private constructor(secret: Buffer, id: string) {
    this.#secret = secret;
    this.#keyObject = createSecretKey(secret);
    this.id = id;
  }

  static fromBytes(bytes: Buffer, source = 'encryption key'): EncryptionKey {
    if (bytes.length !== 32) throw new InvalidEncryptionKey(source, `must be 32 bytes, got ${bytes.length}`);
    return new EncryptionKey(Buffer.from(bytes), keyIdOf(bytes));
  }

  /** Parses base64 (standard or URL-safe, surrounding whitespace ignored). */
  static parse(text: string, source: string): EncryptionKey {
    const trimmed = text.trim();
    if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed))
      throw new InvalidEncryptionKey(source, 'must be base64 (e.g. `openssl rand -base64 32`)');
    return EncryptionKey.fromBytes(Buffer.from(trimmed, 'base64'), source);
  }

  static generate(): EncryptionKey {
    return EncryptionKey.fromBytes(randomBytes(32));
  }

  /** nonce ‖ ciphertext ‖ tag. `aad` binds the message to its context (which field, which object). */
  seal(plaintext: Buffer, aad?: Buffer): Buffer {
    const nonce = randomBytes(nonceBytes);
    const cipher = createCipheriv('aes-256-gcm', this.#keyObject, nonce);
    if (aad) cipher.setAAD(aad);
    const body = cipher.update(plaintext);
    const final = cipher.final();
    return Buffer.concat([nonce, body, final, cipher.getAuthTag()]);
  }

  /** seal() of the pieces' concatenation, returned as pieces (nonce, ciphertext…, tag) without joining them. */
  sealParts(pieces: readonly Buffer[], aad?: Buffer): Buffer[] {
    const nonce = randomBytes(nonceBytes);
    const cipher = createCipheriv('aes-256-gcm', this.#keyObject, nonce);
    if (aad) cipher.setAAD(aad);
    const out = [nonce, ...pieces.map((p) => cipher.update(p)), cipher.final()];
    out.push(cipher.getAuthTag());
    return out;
  }

  /** Throws DecryptionFailed naming `what` (an object key, a field) when the message does not authenticate. */
  open(sealed: Buffer, what: string, aad?: Buffer): Buffer {
    if (sealed.length < sealOverhead) throw new DecryptionFailed(what, this.id);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#keyObject, sealed.subarray(0, nonceBytes));
      if (aad) decipher.setAAD(aad);
      decipher.setAuthTag(sealed.subarray(sealed.length - tagBytes));
      return Buffer.concat([decipher.update(sealed.subarray(nonceBytes, sealed.length - tagBytes)), decipher.final()]);
    } catch {
      throw new DecryptionFailed(what, this.id);
    }
  }

  /** A subkey for one purpose (HKDF-SHA256), so chunk ids, chunk boundaries and ciphertexts never share a key. */
  derive(purpose: string): EncryptionKey {
    const bytes = Buffer.from(hkdfSync('sha256', this.#secret, Buffer.alloc(0), Buffer.from(`ferry/${purpose}`), 32));
    return new EncryptionKey(bytes, `${this.id}/${purpose}`);
  }

  /** HMAC-SHA256 under this key. */
  mac(data: Buffer | string): Buffer {
    return createHmac('sha256', this.#keyObject).update(data).digest();
  }

  toJSON(): { id: string } {
    return { id: this.id };
  }

  [inspect.custom](): string {
    return `EncryptionKey(${this.id})`;
  }
}

export function keyIdOf(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 16);
}

/** The keys a worker holds: the first encrypts new backups, any of them decrypts old ones (key rotation). */
export class KeyRing {
  readonly keys: readonly EncryptionKey[];

  constructor(keys: readonly EncryptionKey[]) {
    if (keys.length === 0) throw new InvalidEncryptionKey('key ring', 'needs at least one key');
    this.keys = keys;
  }

  get current(): EncryptionKey {
    return this.keys[0];
  }

  /** The key with this id, or KeyUnavailable naming `what` and the ids this ring does have. */
  require(keyId: string, what: string): EncryptionKey {
    const key = this.keys.find((k) => k.id === keyId);
    if (!key)
      throw new KeyUnavailable(
        what,
        keyId,
        this.keys.map((k) => k.id),
      );
    return key;
  }

  toJSON(): { keys: string[] } {
    return { keys: this.keys.map((k) => k.id) };
  }
}

/**
 * The keys from a worker's environment: FERRY_ENCRYPTION_KEY (one base64 key) and/or the file named by
 * FERRY_ENCRYPTION_KEY_FILE (one base64 key per line; `#` comments). The env key, else the file's first, is
 * current. `readFile` is passed in so that this stays pure; undefined when neither is set.
 */
export function keyRingFromEnv(env: NodeJS.ProcessEnv, readFile: (path: string) => string): KeyRing | undefined {
  const keys: EncryptionKey[] = [];
  const inline = env.FERRY_ENCRYPTION_KEY;
  if (inline !== undefined && inline.trim() !== '') keys.push(EncryptionKey.parse(inline, 'FERRY_ENCRYPTION_KEY'));
  const file = env.FERRY_ENCRYPTION_KEY_FILE;
  if (file !== undefined && file !== '') {
    const lines = readFile(file)
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    if (lines.length === 0) throw new InvalidEncryptionKey(`FERRY_ENCRYPTION_KEY_FILE ${file}`, 'holds no key');
    lines.forEach((l, i) => {
      keys.push(EncryptionKey.parse(l, `FERRY_ENCRYPTION_KEY_FILE ${file} line ${i + 1}`));
    });
  }
  const unique = keys.filter((k, i) => keys.findIndex((o) => o.id === k.id) === i);
  return unique.length > 0 ? new KeyRing(unique) : undefined;
}

// ---- Secret values in a manifests document ----

/** How the Secrets of a manifests document are stored. */
export type SecretsEncoding = { readonly encryption: typeof algorithm; readonly keyId: string } | { readonly encryption: 'none' };

const sealedPrefix = 'ferry-sealed:v1:';
const lastApplied = 'kubectl.kubernetes.io/last-applied-configuration';

const isSecret = (o: KubeObject) => o.apiVersion === 'v1' && o.kind === 'Secret';

/** Secrets that carry a value worth protecting (data, stringData, or kubectl's copy of them). */
export function countSecretsWithValues(objects: readonly KubeObject[]): number {
  return objects.filter((o) => isSecret(o) && sealableFields(o).length > 0).length;
}

type SecretField = { path: string; get: () => string; set: (o: Record<string, unknown>, v: string) => void };

/** Every value of a Secret that may hold secret material, with the AAD path that binds its ciphertext to it. */
function sealableFields(o: KubeObject): SecretField[] {
  const fields: SecretField[] = [];
  for (const section of ['data', 'stringData'] as const) {
    const values = o[section] as Record<string, unknown> | undefined;
    if (!values || typeof values !== 'object') continue;
    for (const name of Object.keys(values).sort()) {
      const v = values[name];
      if (typeof v !== 'string') continue;
      fields.push({
        path: `${section}/${name}`,
        get: () => v,
        set: (copy, nv) => {
          (copy[section] as Record<string, string>)[name] = nv;
        },
      });
    }
  }
  const applied = o.metadata.annotations?.[lastApplied];
  // kubectl apply keeps the whole Secret, values included, in this annotation
  if (typeof applied === 'string') {
    fields.push({
      path: `metadata/annotations/${lastApplied}`,
      get: () => applied,
      set: (copy, nv) => {
        const meta = copy.metadata as KubeObject['metadata'];
        meta.annotations = { ...meta.annotations, [lastApplied]: nv };
      },
    });
  }
  return fields;
}

function aadFor(o: KubeObject, path: string): Buffer {
  return Buffer.from(`${o.metadata.namespace ?? ''}/${o.metadata.name}/${path}`);
}

function copySecret(o: KubeObject): Record<string, unknown> {
  return {
    ...o,
    metadata: { ...o.metadata, ...(o.metadata.annotations ? { annotations: { ...o.metadata.annotations } } : {}) },
    ...(o.data ? { data: { ...(o.data as Record<string, unknown>) } } : {}),
    ...(o.stringData ? { stringData: { ...(o.stringData as Record<string, unknown>) } } : {}),
  };
}

/** Returns the objects with every Secret value sealed; inputs are not modified. */
export function sealSecrets(objects: readonly KubeObject[], key: EncryptionKey): KubeObject[] {
  return objects.map((o) => {
    if (!isSecret(o)) return o;
    const fields = sealableFields(o);
    if (fields.length === 0) return o;
    const copy = copySecret(o);
    for (const f of fields) f.set(copy, sealedPrefix + key.seal(Buffer.from(f.get(), 'utf8'), aadFor(o, f.path)).toString('base64'));
    return copy as KubeObject;
  });
}

/**
 * Returns the objects with every sealed Secret value opened. `what` names the document in errors.
 * A value without the sealed prefix is refused: a sealed document is sealed throughout.
 */
export function openSecrets(objects: readonly KubeObject[], key: EncryptionKey, what: string): KubeObject[] {
  return objects.map((o) => {
    if (!isSecret(o)) return o;
    const fields = sealableFields(o);
    if (fields.length === 0) return o;
    const copy = copySecret(o);
    for (const f of fields) {
      const where = `${what}: Secret ${o.metadata.namespace ?? ''}/${o.metadata.name} ${f.path}`;
      const value = f.get();
      if (!value.startsWith(sealedPrefix)) throw new DecryptionFailed(`${where} is not sealed`, key.id);
      const plain = key.open(Buffer.from(value.slice(sealedPrefix.length), 'base64'), where, aadFor(o, f.path));
      f.set(copy, plain.toString('utf8'));
    }
    return copy as KubeObject;
  });
}
