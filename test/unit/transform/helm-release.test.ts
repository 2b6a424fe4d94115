// The Helm 3 release codec: which objects hold releases, and payloads that read and write as Helm's own do.
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../activities/kube/object.js';
import {
  decodeHelmPayload,
  encodeHelmPayload,
  type HelmStorage,
  helmStorageOf,
  readHelmRelease,
  storedPayload,
} from '../../../activities/transform/helm-release.js';
import { configMap, secret } from './fixtures.js';
import { releaseConfigMap, releaseSecret, storefrontRelease } from './helm-fixtures.js';

describe('helmStorageOf', () => {
  const cases: [string, KubeObject, HelmStorage | undefined][] = [
    ['a release Secret', releaseSecret, 'secret'],
    ['a release ConfigMap (HELM_DRIVER=configmap)', releaseConfigMap, 'configmap'],
    ['an Opaque Secret', secret, undefined],
    ['a ConfigMap of no release', configMap, undefined],
  ];
  it.each(cases)('%s', (_, obj, storage) => {
    expect(helmStorageOf(obj)).toBe(storage);
  });
});

describe('the payload codec', () => {
  it.each([releaseSecret, releaseConfigMap])('reads the release in a $kind', (obj) => {
    const storage = helmStorageOf(obj);
    if (storage === undefined) throw new Error('not a release object');
    expect(readHelmRelease(obj, storage)).toEqual(storefrontRelease);
  });

  it('writes gzip at best compression of the JSON, base64-encoded, as Helm does', () => {
    const payload = encodeHelmPayload(storefrontRelease);
    expect(Buffer.from(payload, 'base64').subarray(0, 3)).toEqual(Buffer.from([0x1f, 0x8b, 0x08]));
    expect(JSON.parse(gunzipSync(Buffer.from(payload, 'base64')).toString())).toEqual(storefrontRelease);
    expect(decodeHelmPayload(payload)).toEqual(storefrontRelease);
  });

  it('reads payloads Helm wrote without gzip, as Helm still does', () => {
    expect(decodeHelmPayload(Buffer.from(JSON.stringify({ name: 'plain' })).toString('base64'))).toEqual({ name: 'plain' });
  });

  it('finds the payload under the Secret’s own base64', () => {
    expect(storedPayload(releaseSecret, 'secret')).toBe((releaseConfigMap.data as Record<string, string>).release);
  });
});
