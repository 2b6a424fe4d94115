// Helm 3 releases across a namespace remap: the stored record, manifest and hooks follow, ownership annotations
// too, and the result decodes the way Helm decodes it.
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../activities/kube/object.js';
import { remapManifestNamespaces } from '../../../activities/transform/helm-manifest.js';
import { HelmReleaseUnreadable } from '../../../activities/transform/helm-release.js';
import { remapHelmReleaseNamespace } from '../../../activities/transform/helm-release-namespace.js';
import { patched } from './apply-result.js';
import { deepFreeze } from './deep-freeze.js';
import { configMap } from './fixtures.js';
import { releaseConfigMap, releaseSecret, releaseServiceAccount, storefrontRelease } from './helm-fixtures.js';

const ctx = { namespaceMap: { 'legacy-shop': 'shop' } };

/** As Helm reads data.release: base64 (plus the Secret's own), gunzip, JSON. */
function decode(obj: KubeObject): unknown {
  const stored = (obj.data as Record<string, string>).release;
  const payload = obj.kind === 'Secret' ? Buffer.from(stored, 'base64').toString() : stored;
  return JSON.parse(gunzipSync(Buffer.from(payload, 'base64')).toString());
}

const expectedRelease = {
  ...storefrontRelease,
  namespace: 'shop',
  manifest: remapManifestNamespaces(storefrontRelease.manifest, ctx),
  hooks: [{ ...storefrontRelease.hooks[0], manifest: storefrontRelease.hooks[0].manifest.replace(/legacy-shop/g, 'shop') }],
};

describe('remapHelmReleaseNamespace', () => {
  it.each([releaseSecret, releaseConfigMap])('rewrites the release stored in a $kind', (obj) => {
    const result = remapHelmReleaseNamespace.apply(obj, ctx);
    expect(result.kind === 'patch' && result.reason).toBe('release storefront v4 namespace legacy-shop → shop');
    expect(result.kind === 'patch' && result.patches.map((p) => p.path)).toEqual(['/data/release']);
    const out = patched(obj, result);
    expect(decode(out)).toEqual(expectedRelease);
    expect(out.metadata).toEqual(obj.metadata);
  });

  it('rewrites the manifest as the live objects are rewritten', () => {
    const release = decode(patched(releaseSecret, remapHelmReleaseNamespace.apply(releaseSecret, ctx))) as { manifest: string };
    expect(release.manifest).toContain('  name: storefront\n  namespace: shop\n');
    expect(release.manifest).toContain('value: http://ledger.shop.svc.cluster.local:8080 # the ledger API');
    expect(release.manifest).toContain('    namespace: monitoring\n');
  });

  it('moves the release-namespace annotation Helm checks ownership by', () => {
    expect(remapHelmReleaseNamespace.apply(releaseServiceAccount, ctx)).toEqual({
      kind: 'patch',
      patches: [{ op: 'replace', path: '/metadata/annotations/meta.helm.sh~1release-namespace', value: 'shop' }],
      reason: 'meta.helm.sh/release-namespace legacy-shop → shop',
    });
  });

  it('keeps releases of namespaces that stay, and objects of no release', () => {
    expect(remapHelmReleaseNamespace.apply(releaseSecret, { namespaceMap: { billing: 'payments' } })).toEqual({ kind: 'keep' });
    expect(remapHelmReleaseNamespace.apply(configMap, ctx)).toEqual({ kind: 'keep' });
  });

  it('rewrites the manifest of a release that stays when it references a namespace that moves', () => {
    const result = remapHelmReleaseNamespace.apply(releaseSecret, { namespaceMap: { monitoring: 'observability' } });
    expect(result.kind === 'patch' && result.reason).toBe('release storefront v4 namespace references');
    const release = decode(patched(releaseSecret, result)) as { namespace: string; manifest: string; hooks: unknown };
    expect(release.namespace).toBe('legacy-shop');
    expect(release.manifest).toBe(storefrontRelease.manifest.replace('    namespace: monitoring\n', '    namespace: observability\n'));
    expect(release.hooks).toEqual(storefrontRelease.hooks);
  });

  it('fails a release payload it cannot read', () => {
    const corrupt = deepFreeze({ ...releaseSecret, data: { release: Buffer.from('H4sIAAAA-not-gzip').toString('base64') } });
    expect(() => remapHelmReleaseNamespace.apply(corrupt, ctx)).toThrow(HelmReleaseUnreadable);
  });
});
