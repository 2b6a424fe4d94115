// Rewrites the host names Ingresses route and terminate TLS for (rules[].host, tls[].hosts[]), when the target
// serves the apps under other names: exact hosts, or domain suffixes like `.old.example` → `.new.example`.
import { groupOf } from '../kube/object.js';
import { asArray, asRecord, asString, pointer, valueAt } from './pointer.js';
import { type Patch, patchOrKeep, type Transform, type TransformResult } from './types.js';

export interface IngressHostContext {
  /**
   * Host → host (`shop.example.com`, `*.shop.example.com`), and suffix → suffix for keys starting with '.'. An
   * exact entry wins over suffixes, the longest suffix wins among them; `.old.example` does not match
   * `old.example` itself, only names under it.
   */
  readonly ingressHostMap: Readonly<Record<string, string>>;
}

const ingressGroups = new Set(['networking.k8s.io', 'extensions']);

export function rewriteHost(host: string, map: Readonly<Record<string, string>>): string | undefined {
  if (Object.hasOwn(map, host)) return map[host] === host ? undefined : map[host];
  let best: string | undefined;
  for (const suffix of Object.keys(map)) {
    if (
      suffix.startsWith('.') &&
      host.length > suffix.length &&
      host.endsWith(suffix) &&
      (best === undefined || suffix.length > best.length)
    ) {
      best = suffix;
    }
  }
  if (best === undefined) return undefined;
  const rewritten = host.slice(0, -best.length) + map[best];
  return rewritten === host ? undefined : rewritten;
}

export const rewriteIngressHost: Transform<IngressHostContext> = {
  name: 'rewrite-ingress-host',
  apply(obj, ctx): TransformResult {
    if (obj.kind !== 'Ingress' || !ingressGroups.has(groupOf(obj.apiVersion))) return { kind: 'keep' };
    const patches: Patch[] = [];
    const changes = new Set<string>();
    const rewrite = (host: unknown, path: string) => {
      const from = asString(host);
      const to = from === undefined ? undefined : rewriteHost(from, ctx.ingressHostMap);
      if (to === undefined) return;
      patches.push({ op: 'replace', path, value: to });
      changes.add(`${from} → ${to}`);
    };
    asArray(valueAt(obj, ['spec', 'rules'])).forEach((rule, i) => {
      rewrite(asRecord(rule)?.host, pointer('spec', 'rules', i, 'host'));
    });
    asArray(valueAt(obj, ['spec', 'tls'])).forEach((tls, i) => {
      asArray(asRecord(tls)?.hosts).forEach((host, j) => {
        rewrite(host, pointer('spec', 'tls', i, 'hosts', j));
      });
    });
    return patchOrKeep(patches, `hosts ${[...changes].sort().join(', ')}`);
  },
};
