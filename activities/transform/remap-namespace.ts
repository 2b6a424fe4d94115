// Moves objects to their target namespace (campaign namespaceMap), with the references that name a namespace:
// ServiceAccount subjects of bindings, `<svc>.<ns>.svc` host names in container env, and NetworkPolicy
// namespace selectors on kubernetes.io/metadata.name (the label every Namespace carries with its own name).
import { groupOf, type KubeObject } from '../kube/object.js';
import { containerLists, podSpecPath } from './pod-template.js';
import { asArray, asRecord, asString, pointer, type Segment, valueAt } from './pointer.js';
import { type Patch, patchOrKeep, type Transform, type TransformResult } from './types.js';

export interface NamespaceRemapContext {
  readonly namespaceMap: Readonly<Record<string, string>>;
}

const nameLabel = 'kubernetes.io/metadata.name';
const rbacGroup = 'rbac.authorization.k8s.io';

const mapped = (map: NamespaceRemapContext['namespaceMap'], ns: unknown): string | undefined =>
  typeof ns === 'string' && Object.hasOwn(map, ns) && map[ns] !== ns ? map[ns] : undefined;

/**
 * `db.legacy-shop.svc`, `db.legacy-shop.svc.cluster.local`, `web-0.nginx.legacy-shop.svc...` (a StatefulSet
 * pod): the namespace is the label right before `svc`, after at least one label. Anything else that merely
 * contains the namespace's name (a path, a database name) is left alone.
 */
function hostPattern(namespaces: readonly string[]): RegExp {
  const alternatives = namespaces.map((ns) => ns.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  return new RegExp(`(?<=[a-z0-9])\\.(${alternatives})\\.svc(?![a-z0-9-])`, 'g');
}

function envPatches(obj: Readonly<KubeObject>, ctx: NamespaceRemapContext, pattern: RegExp): Patch[] {
  const spec = podSpecPath(obj);
  if (spec === undefined) return [];
  const patches: Patch[] = [];
  for (const list of containerLists) {
    asArray(valueAt(obj, [...spec, list])).forEach((container, ci) => {
      asArray(valueAt(container, ['env'])).forEach((env, ei) => {
        const value = asString(asRecord(env)?.value);
        if (value === undefined) return;
        const rewritten = value.replace(pattern, (_, ns: string) => `.${ctx.namespaceMap[ns]}.svc`);
        if (rewritten !== value) patches.push({ op: 'replace', path: pointer(...spec, list, ci, 'env', ei, 'value'), value: rewritten });
      });
    });
  }
  return patches;
}

function subjectPatches(obj: Readonly<KubeObject>, ctx: NamespaceRemapContext): Patch[] {
  const patches: Patch[] = [];
  asArray(valueAt(obj, ['subjects'])).forEach((subject, i) => {
    const s = asRecord(subject);
    const target = mapped(ctx.namespaceMap, s?.namespace);
    if (s?.kind === 'ServiceAccount' && target !== undefined) {
      patches.push({ op: 'replace', path: pointer('subjects', i, 'namespace'), value: target });
    }
  });
  return patches;
}

function networkPolicyPatches(obj: Readonly<KubeObject>, ctx: NamespaceRemapContext): Patch[] {
  const patches: Patch[] = [];
  const remapSelector = (at: readonly Segment[]) => {
    const target = mapped(ctx.namespaceMap, valueAt(obj, [...at, 'matchLabels', nameLabel]));
    if (target !== undefined) patches.push({ op: 'replace', path: pointer(...at, 'matchLabels', nameLabel), value: target });
    asArray(valueAt(obj, [...at, 'matchExpressions'])).forEach((expr, ei) => {
      if (asRecord(expr)?.key !== nameLabel) return;
      asArray(valueAt(expr, ['values'])).forEach((v, vi) => {
        const t = mapped(ctx.namespaceMap, v);
        if (t !== undefined) patches.push({ op: 'replace', path: pointer(...at, 'matchExpressions', ei, 'values', vi), value: t });
      });
    });
  };
  for (const [direction, peers] of [
    ['ingress', 'from'],
    ['egress', 'to'],
  ] as const) {
    asArray(valueAt(obj, ['spec', direction])).forEach((rule, ri) => {
      asArray(valueAt(rule, [peers])).forEach((_, pi) => {
        remapSelector(['spec', direction, ri, peers, pi, 'namespaceSelector']);
      });
    });
  }
  return patches;
}

export const remapNamespace: Transform<NamespaceRemapContext> = {
  name: 'remap-namespace',
  apply(obj, ctx): TransformResult {
    const sources = Object.keys(ctx.namespaceMap).filter((ns) => mapped(ctx.namespaceMap, ns) !== undefined);
    if (sources.length === 0) return { kind: 'keep' };
    const patches: Patch[] = [];
    const target = mapped(ctx.namespaceMap, obj.metadata.namespace);
    if (target !== undefined) patches.push({ op: 'replace', path: '/metadata/namespace', value: target });
    const group = groupOf(obj.apiVersion);
    if (group === '' && obj.kind === 'Namespace') {
      const renamed = mapped(ctx.namespaceMap, obj.metadata.name);
      if (renamed !== undefined) {
        patches.push({ op: 'replace', path: '/metadata/name', value: renamed });
        // The apiserver would correct it, but the recorded change should show the object as it will be.
        if (obj.metadata.labels?.[nameLabel] !== undefined) {
          patches.push({ op: 'replace', path: pointer('metadata', 'labels', nameLabel), value: renamed });
        }
      }
    }
    if (group === rbacGroup && (obj.kind === 'RoleBinding' || obj.kind === 'ClusterRoleBinding')) patches.push(...subjectPatches(obj, ctx));
    if (group === 'networking.k8s.io' && obj.kind === 'NetworkPolicy') patches.push(...networkPolicyPatches(obj, ctx));
    patches.push(...envPatches(obj, ctx, hostPattern(sources)));
    const reason = Object.entries(ctx.namespaceMap)
      .filter(([from, to]) => from !== to)
      .map(([from, to]) => `${from} → ${to}`)
      .sort()
      .join(', ');
    return patchOrKeep(patches, `namespace map ${reason}`);
  },
};
