// Ingresses to networking.k8s.io/v1: backends, default backend, path types and the class, converted exactly.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../activities/kube/object.js';
import { ApiConversionFailed } from '../../../activities/transform/api-version.js';
import { upgradeIngress } from '../../../activities/transform/upgrade-ingress.js';
import { patched } from './apply-result.js';
import { deepFreeze } from './deep-freeze.js';
import { ingress } from './fixtures.js';
import { extensionsIngress, modernServedVersions, networkingV1beta1Ingress } from './legacy-fixtures.js';

const ctx = { servedVersions: modernServedVersions };

describe('upgradeIngress', () => {
  it('converts an extensions/v1beta1 Ingress of 1.13', () => {
    const result = upgradeIngress.apply(extensionsIngress, ctx);
    expect(result.kind === 'patch' && result.reason).toBe(
      'extensions/v1beta1 → networking.k8s.io/v1; pathType ImplementationSpecific on 3 path(s) that had none; ' +
        'spec.ingressClassName nginx from the kubernetes.io/ingress.class annotation, which is kept',
    );
    expect(patched(extensionsIngress, result)).toEqual({
      ...extensionsIngress,
      apiVersion: 'networking.k8s.io/v1',
      spec: {
        defaultBackend: { service: { name: 'storefront', port: { number: 80 } } },
        ingressClassName: 'nginx',
        rules: [
          {
            host: 'shop.old.example',
            http: {
              paths: [
                { backend: { service: { name: 'storefront', port: { name: 'http' } } }, path: '/', pathType: 'ImplementationSpecific' },
                { backend: { service: { name: 'cart', port: { number: 8080 } } }, path: '/cart', pathType: 'ImplementationSpecific' },
              ],
            },
          },
          {
            host: 'api.shop.old.example',
            http: { paths: [{ backend: { service: { name: 'api', port: { number: 443 } } }, pathType: 'ImplementationSpecific' }] },
          },
        ],
        tls: [{ hosts: ['shop.old.example', 'api.shop.old.example'], secretName: 'shop-tls' }],
      },
    });
  });

  it('converts a networking.k8s.io/v1beta1 Ingress with a resource backend and its own class', () => {
    const result = upgradeIngress.apply(networkingV1beta1Ingress, ctx);
    expect(result.kind === 'patch' && result.reason).toBe('networking.k8s.io/v1beta1 → networking.k8s.io/v1');
    expect(patched(networkingV1beta1Ingress, result)).toEqual({
      ...networkingV1beta1Ingress,
      apiVersion: 'networking.k8s.io/v1',
      spec: {
        ingressClassName: 'internal',
        rules: [
          {
            host: 'assets.shop.old.example',
            http: {
              paths: [
                {
                  backend: { resource: { apiGroup: 'storage.example.com', kind: 'Bucket', name: 'static-assets' } },
                  path: '/static',
                  pathType: 'Prefix',
                },
                {
                  backend: { service: { name: 'thumbnails', port: { number: 8080 } } },
                  path: '/thumbs',
                  pathType: 'ImplementationSpecific',
                },
              ],
            },
          },
        ],
      },
    });
  });

  it('does not take a class annotation that is no valid IngressClass name', () => {
    const odd = deepFreeze({
      ...extensionsIngress,
      metadata: { ...extensionsIngress.metadata, annotations: { 'kubernetes.io/ingress.class': 'Nginx_Public' } },
    });
    const out = patched(odd, upgradeIngress.apply(odd, ctx));
    expect((out.spec as Record<string, unknown>).ingressClassName).toBeUndefined();
    expect(out.metadata.annotations).toEqual({ 'kubernetes.io/ingress.class': 'Nginx_Public' });
  });

  it('fails a service backend without a port', () => {
    const portless: KubeObject = deepFreeze({
      ...networkingV1beta1Ingress,
      spec: { rules: [{ http: { paths: [{ path: '/', backend: { serviceName: 'web' } }] } }] },
    });
    expect(() => upgradeIngress.apply(portless, ctx)).toThrow(ApiConversionFailed);
    expect(() => upgradeIngress.apply(portless, ctx)).toThrow(/spec.rules\[0\].http.paths\[0\] names service web without a servicePort/);
  });

  it('keeps v1 Ingresses, and old ones while the target serves them', () => {
    expect(upgradeIngress.apply(ingress, ctx)).toEqual({ kind: 'keep' });
    expect(upgradeIngress.apply(extensionsIngress, { servedVersions: new Set([...modernServedVersions, 'extensions/v1beta1']) })).toEqual({
      kind: 'keep',
    });
  });
});
