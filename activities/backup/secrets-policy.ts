// What happens to Secret values in a backup: sealed under the worker's current key; with no key, the
// backup is refused unless the operator explicitly allowed clear text. And the reverse for restores.
import type { KubeObject } from '../kube/object.js';
import {
  algorithm,
  countSecretsWithValues,
  type KeyRing,
  KeyUnavailable,
  openSecrets,
  type SecretsEncoding,
  sealSecrets,
} from './encryption.js';

/** A backup would store Secret values in clear and the worker was not told that is acceptable. */
export class SecretsNotEncrypted extends Error {
  constructor(
    readonly what: string,
    readonly secrets: number,
  ) {
    super(
      `${what}: ${secrets} Secret(s) would be stored in clear text; give the worker an encryption key ` +
        '(FERRY_ENCRYPTION_KEY, base64 of 32 bytes, or FERRY_ENCRYPTION_KEY_FILE) or allow it with FERRY_ALLOW_PLAINTEXT_SECRETS=true',
    );
    this.name = 'SecretsNotEncrypted';
  }
}

export interface SecretsPolicy {
  readonly keys?: KeyRing;
  readonly allowPlaintext?: boolean;
}

/** The objects as they may be stored, and how their Secrets are encoded; `what` names the backup in errors. */
export function protectSecrets(
  objects: readonly KubeObject[],
  policy: SecretsPolicy,
  what: string,
): { objects: KubeObject[]; secrets: SecretsEncoding } {
  if (policy.keys) {
    const key = policy.keys.current;
    return { objects: sealSecrets(objects, key), secrets: { encryption: algorithm, keyId: key.id } };
  }
  const count = countSecretsWithValues(objects);
  if (count > 0 && !policy.allowPlaintext) throw new SecretsNotEncrypted(what, count);
  return { objects: [...objects], secrets: { encryption: 'none' } };
}

/** The objects with their Secret values usable again; KeyUnavailable (naming the key id) without the key. */
export function revealSecrets(
  objects: readonly KubeObject[],
  secrets: SecretsEncoding | undefined,
  keys: KeyRing | undefined,
  what: string,
): KubeObject[] {
  if (!secrets || secrets.encryption === 'none') return [...objects];
  if (!keys) throw new KeyUnavailable(what, secrets.keyId, []);
  return openSecrets(objects, keys.require(secrets.keyId, what), what);
}
