// Helm 3 release records as Helm stores them in the cluster (storage driver "secret", the default, or
// "configmap"): finding them, and decoding and encoding their payload byte-compatibly with Helm's own codec.
import { gunzipSync, gzipSync } from 'node:zlib';
import { type KubeObject, refKey, refOf } from '../kube/object.js';
import { asRecord, asString } from './pointer.js';

export const HELM_RELEASE_TYPE = 'helm.sh/release.v1';
export const HELM_RELEASE_PREFIX = 'sh.helm.release.v1.';

export type HelmStorage = 'secret' | 'configmap';

/** A release payload that is not base64 of (gzipped) JSON: the object is reported, never restored half-read. */
export class HelmReleaseUnreadable extends Error {
  override readonly name = 'HelmReleaseUnreadable';
  constructor(
    readonly object: string,
    readonly reason: string,
  ) {
    super(`${object}: the Helm release payload cannot be read: ${reason}`);
  }
}

/** Where `obj` keeps a Helm 3 release, or undefined when it keeps none. */
export function helmStorageOf(obj: Readonly<KubeObject>): HelmStorage | undefined {
  if (obj.apiVersion !== 'v1' || asString(asRecord(obj.data)?.release) === undefined) return undefined;
  if (obj.kind === 'Secret' && obj.type === HELM_RELEASE_TYPE) return 'secret';
  if (obj.kind === 'ConfigMap' && obj.metadata.labels?.owner === 'helm' && obj.metadata.name.startsWith(HELM_RELEASE_PREFIX)) {
    return 'configmap';
  }
  return undefined;
}

const gzipMagic = [0x1f, 0x8b, 0x08];

/** Helm's decodeRelease: base64, then gunzip when the bytes start with gzip's magic, then JSON. */
export function decodeHelmPayload(payload: string): unknown {
  const bytes = Buffer.from(payload, 'base64');
  const json = gzipMagic.every((b, i) => bytes[i] === b) ? gunzipSync(bytes) : bytes;
  return JSON.parse(json.toString('utf8'));
}

/** Helm's encodeRelease: JSON, gzip at best compression, base64. */
export function encodeHelmPayload(release: unknown): string {
  return gzipSync(Buffer.from(JSON.stringify(release), 'utf8'), { level: 9 }).toString('base64');
}

/** The payload Helm wrote: a Secret's data holds it base64-encoded once more, as every Secret value is. */
export function storedPayload(obj: Readonly<KubeObject>, storage: HelmStorage): string {
  const stored = asString(asRecord(obj.data)?.release) ?? '';
  return storage === 'secret' ? Buffer.from(stored, 'base64').toString('latin1') : stored;
}

/** The value of `data.release` holding `payload` in the given storage. */
export function storeValue(payload: string, storage: HelmStorage): string {
  return storage === 'secret' ? Buffer.from(payload, 'latin1').toString('base64') : payload;
}

/** The decoded release record of a Helm 3 release object. */
export function readHelmRelease(obj: Readonly<KubeObject>, storage: HelmStorage): Record<string, unknown> {
  let release: unknown;
  try {
    release = decodeHelmPayload(storedPayload(obj, storage));
  } catch (err) {
    throw new HelmReleaseUnreadable(refKey(refOf(obj)), err instanceof Error ? err.message.split('\n')[0] : String(err));
  }
  const record = asRecord(release);
  if (record === undefined) throw new HelmReleaseUnreadable(refKey(refOf(obj)), 'the payload is not a JSON object');
  return { ...record };
}
