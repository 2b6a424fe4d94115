// CustomResourceDefinitions from apiextensions.k8s.io/v1beta1 (removed in Kubernetes 1.22) to v1: schema,
// subresources and printer columns move into every version, and v1beta1's "keep unknown fields" default
// (preserveUnknownFields: true, v1 forbids it) becomes x-kubernetes-preserve-unknown-fields in the schemas.
import { type KubeObject, refKey, refOf } from '../kube/object.js';
import {
  ApiConversionFailed,
  type ApiUpgradeContext,
  type ApiUpgradeRoute,
  converted,
  mutableRecord,
  recordAt,
  upgradeTarget,
  workingCopy,
} from './api-version.js';
import { asArray } from './pointer.js';
import type { Transform, TransformResult } from './types.js';

const route: ApiUpgradeRoute = {
  kinds: ['CustomResourceDefinition'],
  from: ['apiextensions.k8s.io/v1beta1'],
  to: 'apiextensions.k8s.io/v1',
};

const preserveUnknown = 'x-kubernetes-preserve-unknown-fields';
const intOrString = 'x-kubernetes-int-or-string';

/**
 * v1 requires structural schemas: a type on every node (or one of the two extensions standing for "any"). A
 * v1beta1 CRD that kept unknown fields could omit them, so types are filled in from what a node holds
 * (properties: object, items: array, nothing: any value), and every object node keeps unknown fields, since v1
 * would otherwise prune them at every level that lists properties. Maps (additionalProperties) prune nothing.
 * Value validations (allOf, anyOf, oneOf, not) are left alone: structural schemas forbid types inside them.
 */
function keepUnknownFields(node: Record<string, unknown>, isRoot: boolean): void {
  if (node.type === undefined && node[intOrString] !== true && node[preserveUnknown] !== true) {
    if (node.properties !== undefined || isRoot) node.type = 'object';
    else if (node.items !== undefined) node.type = 'array';
    else node[preserveUnknown] = true;
  }
  if (node.type === 'object' && mutableRecord(node.additionalProperties) === undefined) node[preserveUnknown] = true;
  const properties = mutableRecord(node.properties) ?? {};
  for (const [name, child] of Object.entries(properties)) {
    // The root's metadata may only restrict name and generateName; the apiserver owns the rest of it.
    const schema = mutableRecord(child);
    if (schema !== undefined && !(isRoot && name === 'metadata')) keepUnknownFields(schema, false);
  }
  const items = Array.isArray(node.items) ? node.items : [node.items];
  for (const item of items) {
    const schema = mutableRecord(item);
    if (schema !== undefined) keepUnknownFields(schema, false);
  }
  const additional = mutableRecord(node.additionalProperties);
  if (additional !== undefined) keepUnknownFields(additional, false);
}

function v1Schema(schema: unknown, preserveUnknownFields: boolean): Record<string, unknown> {
  const copy = mutableRecord(structuredClone(schema));
  if (copy === undefined) return { type: 'object', [preserveUnknown]: true };
  if (preserveUnknownFields) keepUnknownFields(copy, true);
  else copy.type ??= 'object';
  return copy;
}

function v1Column(column: unknown): unknown {
  const c = mutableRecord(structuredClone(column));
  if (c === undefined || c.JSONPath === undefined) return c;
  const { JSONPath, ...rest } = c;
  return { ...rest, jsonPath: JSONPath };
}

function v1Conversion(conversion: Record<string, unknown>): Record<string, unknown> {
  if (conversion.strategy !== 'Webhook') return { strategy: conversion.strategy ?? 'None' };
  // v1 requires the review versions; v1beta1 defaulted them to the only one webhooks then spoke.
  const webhook: Record<string, unknown> = { conversionReviewVersions: conversion.conversionReviewVersions ?? ['v1beta1'] };
  if (conversion.webhookClientConfig !== undefined) webhook.clientConfig = conversion.webhookClientConfig;
  return { strategy: 'Webhook', webhook };
}

function versionsOf(obj: Readonly<KubeObject>, spec: Record<string, unknown>): Record<string, unknown>[] {
  const listed = asArray(spec.versions).flatMap((v) => {
    const record = mutableRecord(v);
    return record === undefined ? [] : [record];
  });
  if (listed.length > 0) return listed;
  if (typeof spec.version === 'string') return [{ name: spec.version, served: true, storage: true }];
  throw new ApiConversionFailed(refKey(refOf(obj)), obj.apiVersion, 'neither spec.version nor spec.versions names a version');
}

export const upgradeCrd: Transform<ApiUpgradeContext> = {
  name: 'upgrade-crd',
  apply(obj, ctx): TransformResult {
    const to = upgradeTarget(obj, ctx, route);
    if (to === undefined) return { kind: 'keep' };
    const out = workingCopy(obj);
    out.apiVersion = to;
    const spec = recordAt(out, 'spec') ?? {};
    const notes: string[] = [];
    // v1beta1 defaulted it to true: unknown fields were stored, not pruned.
    const preserve = spec.preserveUnknownFields !== false;
    const sharedSchema = recordAt(spec, 'validation')?.openAPIV3Schema;
    const versions = versionsOf(obj, spec);
    let schemaless = 0;
    for (const version of versions) {
      const schema = recordAt(version, 'schema')?.openAPIV3Schema ?? sharedSchema;
      if (schema === undefined) schemaless++;
      version.schema = { openAPIV3Schema: v1Schema(schema, preserve) };
      if (version.subresources === undefined && spec.subresources !== undefined) version.subresources = structuredClone(spec.subresources);
      const columns = version.additionalPrinterColumns ?? spec.additionalPrinterColumns;
      if (columns !== undefined) version.additionalPrinterColumns = asArray(columns).map(v1Column);
    }
    spec.versions = versions;
    const moved = ['validation', 'subresources', 'additionalPrinterColumns'].filter((k) => spec[k] !== undefined);
    if (moved.length > 0) notes.push(`spec.${moved.join(', spec.')} moved into every version`);
    if (schemaless > 0) notes.push(`${schemaless} version(s) without a schema get one accepting any object, as before`);
    if (preserve) notes.push('preserveUnknownFields (true) kept as x-kubernetes-preserve-unknown-fields on every object schema');
    for (const key of ['version', 'validation', 'subresources', 'additionalPrinterColumns', 'preserveUnknownFields']) delete spec[key];
    const conversion = recordAt(spec, 'conversion');
    if (conversion !== undefined) spec.conversion = v1Conversion(conversion);
    return converted(obj, out, notes);
  },
};
