// CustomResourceDefinitions to apiextensions.k8s.io/v1: the exact v1 definition, schemas structural and still
// keeping unknown fields where v1beta1 kept them.
import { describe, expect, it } from 'vitest';
import { ApiConversionFailed } from '../../../activities/transform/api-version.js';
import { upgradeCrd } from '../../../activities/transform/upgrade-crd.js';
import { patched } from './apply-result.js';
import { deepFreeze } from './deep-freeze.js';
import { customResourceDefinition } from './fixtures.js';
import { betaCrd, modernServedVersions, webhookCrd } from './legacy-fixtures.js';

const ctx = { servedVersions: modernServedVersions };
const keep = { 'x-kubernetes-preserve-unknown-fields': true };

describe('upgradeCrd', () => {
  it('moves the shared schema, subresources and columns into the version, keeping unknown fields at every level', () => {
    const result = upgradeCrd.apply(betaCrd, ctx);
    expect(result.kind === 'patch' && result.reason).toBe(
      'apiextensions.k8s.io/v1beta1 → apiextensions.k8s.io/v1; ' +
        'spec.validation, spec.subresources, spec.additionalPrinterColumns moved into every version; ' +
        'preserveUnknownFields (true) kept as x-kubernetes-preserve-unknown-fields on every object schema',
    );
    expect(patched(betaCrd, result)).toEqual({
      ...betaCrd,
      apiVersion: 'apiextensions.k8s.io/v1',
      spec: {
        group: 'certmanager.k8s.io',
        names: (betaCrd.spec as Record<string, unknown>).names,
        scope: 'Namespaced',
        versions: [
          {
            name: 'v1alpha1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                ...keep,
                properties: {
                  spec: {
                    type: 'object',
                    ...keep,
                    required: ['secretName'],
                    properties: {
                      dnsNames: { type: 'array', items: { type: 'string' } },
                      issuerRef: {
                        type: 'object',
                        ...keep,
                        required: ['name'],
                        properties: { kind: { type: 'string' }, name: { type: 'string' } },
                      },
                      secretName: { type: 'string' },
                      acme: { description: 'ACME solver configuration, any shape', ...keep },
                    },
                  },
                },
              },
            },
            subresources: { status: {} },
            additionalPrinterColumns: [
              { jsonPath: '.status.conditions[?(@.type=="Ready")].status', name: 'Ready', type: 'string' },
              { jsonPath: '.spec.secretName', name: 'Secret', type: 'string' },
              {
                jsonPath: '.metadata.creationTimestamp',
                description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
                name: 'Age',
                type: 'date',
              },
            ],
          },
        ],
      },
    });
  });

  it('keeps per-version schemas of a pruning CRD as they are, and moves the webhook config', () => {
    const result = upgradeCrd.apply(webhookCrd, ctx);
    expect(result.kind === 'patch' && result.reason).toBe('apiextensions.k8s.io/v1beta1 → apiextensions.k8s.io/v1');
    const spec = webhookCrd.spec as { versions: Record<string, unknown>[] };
    expect(patched(webhookCrd, result)).toEqual({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.shop.example.com' },
      spec: {
        conversion: {
          strategy: 'Webhook',
          webhook: {
            conversionReviewVersions: ['v1beta1'],
            clientConfig: {
              caBundle: 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t',
              service: { name: 'widget-conversion', namespace: 'legacy-shop', path: '/convert' },
            },
          },
        },
        group: 'shop.example.com',
        names: { kind: 'Widget', plural: 'widgets' },
        scope: 'Namespaced',
        versions: [
          { ...spec.versions[0], additionalPrinterColumns: [{ jsonPath: '.spec.size', name: 'Size', type: 'integer' }] },
          spec.versions[1],
        ],
      },
    });
  });

  it('gives a CRD without a schema one that accepts any object, from its single spec.version', () => {
    const schemaless = deepFreeze({
      apiVersion: 'apiextensions.k8s.io/v1beta1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'backups.ops.example.com' },
      spec: {
        group: 'ops.example.com',
        names: { kind: 'Backup', plural: 'backups' },
        scope: 'Namespaced',
        version: 'v1',
        conversion: { strategy: 'None' },
      },
    });
    const result = upgradeCrd.apply(schemaless, ctx);
    expect(result.kind === 'patch' && result.reason).toBe(
      'apiextensions.k8s.io/v1beta1 → apiextensions.k8s.io/v1; 1 version(s) without a schema get one accepting any object, as before; ' +
        'preserveUnknownFields (true) kept as x-kubernetes-preserve-unknown-fields on every object schema',
    );
    expect(patched(schemaless, result).spec).toEqual({
      group: 'ops.example.com',
      names: { kind: 'Backup', plural: 'backups' },
      scope: 'Namespaced',
      conversion: { strategy: 'None' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', ...keep } } }],
    });
  });

  it('fails a CRD that names no version', () => {
    const versionless = deepFreeze({ ...betaCrd, spec: { group: 'x.example.com', names: { kind: 'X', plural: 'xs' }, scope: 'Cluster' } });
    expect(() => upgradeCrd.apply(versionless, ctx)).toThrow(ApiConversionFailed);
  });

  it('keeps v1 CRDs', () => {
    expect(upgradeCrd.apply(customResourceDefinition, ctx)).toEqual({ kind: 'keep' });
  });
});
