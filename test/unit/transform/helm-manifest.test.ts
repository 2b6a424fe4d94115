// Manifest namespace rewriting: the same edits remapNamespace makes to live objects, and not one byte more.
import { describe, expect, it } from 'vitest';
import { remapManifestNamespaces } from '../../../activities/transform/helm-manifest.js';
import { storefrontManifest } from './helm-fixtures.js';

describe('remapManifestNamespaces', () => {
  it('rewrites namespaces and service host names in place, keeping quoting, comments and everything else', () => {
    const out = remapManifestNamespaces(storefrontManifest, { namespaceMap: { 'legacy-shop': 'shop' } });
    expect(out).toBe(
      storefrontManifest
        .replace('  name: storefront\n  namespace: legacy-shop\n', '  name: storefront\n  namespace: shop\n')
        .replace('namespace: "legacy-shop"', 'namespace: "shop"')
        .replace("namespace: 'legacy-shop'", "namespace: 'shop'")
        .replace(
          'value: http://ledger.legacy-shop.svc.cluster.local:8080 # the ledger API',
          'value: http://ledger.shop.svc.cluster.local:8080 # the ledger API',
        ),
    );
    // ConfigMap data is not an object reference remapNamespace follows, so the manifest keeps it as the live object does.
    expect(out).toContain('ledger: "http://ledger.legacy-shop.svc:8080"');
  });

  it('quotes a new namespace that would read back as another type', () => {
    const out = remapManifestNamespaces(storefrontManifest, { namespaceMap: { 'legacy-shop': '2024' } });
    expect(out).toContain('  name: storefront\n  namespace: "2024"\n');
    expect(out).toContain("namespace: '2024'");
    expect(out).toContain('value: http://ledger.2024.svc.cluster.local:8080 # the ledger API');
  });

  it('returns the text unchanged when nothing refers to a mapped namespace', () => {
    expect(remapManifestNamespaces(storefrontManifest, { namespaceMap: { billing: 'payments' } })).toBe(storefrontManifest);
    expect(remapManifestNamespaces('', { namespaceMap: { 'legacy-shop': 'shop' } })).toBe('');
  });
});
