// Client-side encryption: AES-256-GCM round trips, tampering and wrong keys refused, keys never printed,
// Secret values sealed in place (data, stringData, kubectl's copy) and bound to where they were.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  DecryptionFailed,
  EncryptionKey,
  InvalidEncryptionKey,
  KeyRing,
  KeyUnavailable,
  keyRingFromEnv,
  openSecrets,
  sealOverhead,
  sealSecrets,
} from '../../../activities/backup/encryption.js';
import { protectSecrets, revealSecrets, SecretsNotEncrypted } from '../../../activities/backup/secrets-policy.js';
import type { KubeObject } from '../../../activities/kube/object.js';

const base64Key = Buffer.alloc(32, 7).toString('base64');
const key = EncryptionKey.parse(base64Key, 'test');

const secret = (over: Partial<KubeObject> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: {
    name: 'db',
    namespace: 'shop',
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"password":"aHVudGVyMg=="}}', team: 'payments' },
  },
  type: 'Opaque',
  data: { password: 'aHVudGVyMg==', user: 'YWRtaW4=' },
  stringData: { extra: 'plain value' },
  ...over,
});
const configMap: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'shop' }, data: { a: 'b' } };

describe('EncryptionKey', () => {
  it('seals with a fresh nonce each time and opens to the same bytes', () => {
    const msg = Buffer.from('the quick brown fox');
    const a = key.seal(msg);
    const b = key.seal(msg);
    expect(a.length).toBe(msg.length + sealOverhead);
    expect(a.equals(b)).toBe(false);
    expect(key.open(a, 'msg').equals(msg)).toBe(true);
  });

  it.each([
    {
      name: 'a flipped ciphertext bit',
      alter: (s: Buffer) => Buffer.concat([s.subarray(0, 14), Buffer.from([s[14] ^ 1]), s.subarray(15)]),
    },
    { name: 'a truncated message', alter: (s: Buffer) => s.subarray(0, s.length - 1) },
    { name: 'a message shorter than nonce and tag', alter: (s: Buffer) => s.subarray(0, 10) },
  ])('refuses $name, naming what and the key id', ({ alter }) => {
    const sealed = key.seal(Buffer.from('payload'));
    expect(() => key.open(alter(sealed), 'obj 1')).toThrow(DecryptionFailed);
    expect(() => key.open(alter(sealed), 'obj 1')).toThrow(new RegExp(`obj 1: does not decrypt under key id ${key.id}`));
  });

  it('refuses a message sealed under another key or another context', () => {
    const other = EncryptionKey.generate();
    expect(() => other.open(key.seal(Buffer.from('x')), 'x')).toThrow(DecryptionFailed);
    expect(() => key.open(key.seal(Buffer.from('x'), Buffer.from('here')), 'x', Buffer.from('there'))).toThrow(DecryptionFailed);
  });

  it('is named by the first 16 hex digits of its SHA-256, and never prints or serializes its bytes', () => {
    expect(key.id).toMatch(/^[0-9a-f]{16}$/);
    const shown = [JSON.stringify({ key }), inspect(key), String(JSON.stringify(new KeyRing([key])))].join(' ');
    expect(shown).toContain(key.id);
    expect(shown).not.toContain(base64Key);
    expect(shown).not.toContain(Buffer.alloc(32, 7).toString('hex'));
  });

  it('derives distinct subkeys per purpose', () => {
    expect(key.derive('a').mac('x').equals(key.derive('b').mac('x'))).toBe(false);
    expect(key.derive('a').mac('x').equals(key.derive('a').mac('x'))).toBe(true);
  });

  it.each([
    { text: 'not base64!', problem: /must be base64/ },
    { text: Buffer.alloc(16).toString('base64'), problem: /must be 32 bytes, got 16/ },
  ])('refuses a malformed key ($text) naming its source, not its value', ({ text, problem }) => {
    const err = (() => {
      try {
        EncryptionKey.parse(text, 'FERRY_ENCRYPTION_KEY');
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err).toBeInstanceOf(InvalidEncryptionKey);
    expect(err?.message).toMatch(/^FERRY_ENCRYPTION_KEY: /);
    expect(err?.message).toMatch(problem);
    expect(err?.message).not.toContain(text);
  });
});

describe('keys from the environment', () => {
  const other = Buffer.alloc(32, 9).toString('base64');
  const files: Record<string, string> = { '/keys': `# rotated 2026-01\n${other}\n\n${base64Key}\n`, '/empty': '# nothing\n' };
  const read = (p: string) => files[p];

  it('takes the inline key as current and the file keys for older backups', () => {
    const ring = keyRingFromEnv({ FERRY_ENCRYPTION_KEY: base64Key, FERRY_ENCRYPTION_KEY_FILE: '/keys' }, read);
    expect(ring?.keys.map((k) => k.id)).toEqual([key.id, EncryptionKey.parse(other, 'x').id]);
    expect(keyRingFromEnv({ FERRY_ENCRYPTION_KEY_FILE: '/keys' }, read)?.current.id).toBe(EncryptionKey.parse(other, 'x').id);
  });

  it('gives no ring without a key, and refuses a key file without keys, naming the line or file', () => {
    expect(keyRingFromEnv({}, read)).toBeUndefined();
    expect(() => keyRingFromEnv({ FERRY_ENCRYPTION_KEY_FILE: '/empty' }, read)).toThrow(/\/empty: holds no key/);
    files['/bad'] = `${base64Key}\nshort\n`;
    expect(() => keyRingFromEnv({ FERRY_ENCRYPTION_KEY_FILE: '/bad' }, read)).toThrow(/\/bad line 2/);
  });

  it('finds a key by id or names the missing id and the ids it has', () => {
    const ring = new KeyRing([key]);
    expect(ring.require(key.id, 'x')).toBe(key);
    expect(() => ring.require('0123456789abcdef', 'backup b1')).toThrow(KeyUnavailable);
    expect(() => ring.require('0123456789abcdef', 'backup b1')).toThrow(
      `backup b1: encrypted with key id 0123456789abcdef, which this worker does not have (it has key id ${key.id})`,
    );
  });
});

describe('Secret values', () => {
  it('seals data, stringData and the last-applied annotation, leaving everything else alone', () => {
    const input = [secret(), configMap];
    const before = JSON.stringify(input);
    const [sealed, cm] = sealSecrets(input, key);
    expect(JSON.stringify(input)).toBe(before);
    expect(cm).toBe(configMap);
    const values = [
      ...Object.values(sealed.data as object),
      ...Object.values(sealed.stringData as object),
      sealed.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'],
    ];
    for (const v of values) expect(v).toMatch(/^ferry-sealed:v1:/);
    expect(JSON.stringify(sealed)).not.toContain('aHVudGVyMg==');
    expect(sealed.metadata.annotations?.team).toBe('payments');
    expect(openSecrets([sealed, cm], key, 'doc')).toEqual(input);
  });

  it('binds each value to its Secret and field: a value moved elsewhere does not open', () => {
    const [sealed] = sealSecrets([secret()], key);
    const data = sealed.data as Record<string, string>;
    const swapped = { ...sealed, data: { password: data.user, user: data.password } };
    expect(() => openSecrets([swapped], key, 'doc')).toThrow(/Secret shop\/db data\/password/);
    const renamed = { ...sealed, metadata: { ...sealed.metadata, name: 'other' } };
    expect(() => openSecrets([renamed], key, 'doc')).toThrow(DecryptionFailed);
  });

  it('refuses a clear value in a sealed document', () => {
    expect(() => openSecrets([secret()], key, 'doc')).toThrow(/is not sealed/);
  });

  it('refuses to store Secrets in clear without a key unless allowed; a Secret-free app needs no key', () => {
    expect(() => protectSecrets([secret(), configMap], {}, 'backup b1')).toThrow(SecretsNotEncrypted);
    expect(() => protectSecrets([secret()], {}, 'backup b1')).toThrow(
      /backup b1: 1 Secret\(s\) would be stored in clear text.*FERRY_ALLOW_PLAINTEXT_SECRETS=true/,
    );
    expect(protectSecrets([secret()], { allowPlaintext: true }, 'b').secrets).toEqual({ encryption: 'none' });
    expect(
      protectSecrets([configMap, secret({ data: undefined, stringData: undefined, metadata: { name: 'empty' } })], {}, 'b').secrets,
    ).toEqual({ encryption: 'none' });
    const ring = new KeyRing([key]);
    const sealed = protectSecrets([secret()], { keys: ring }, 'b');
    expect(sealed.secrets).toEqual({ encryption: 'AES-256-GCM', keyId: key.id });
    expect(revealSecrets(sealed.objects, sealed.secrets, ring, 'b')).toEqual([secret()]);
    expect(() => revealSecrets(sealed.objects, sealed.secrets, undefined, 'b')).toThrow(KeyUnavailable);
  });
});
