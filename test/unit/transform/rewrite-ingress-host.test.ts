// Ingress host rewriting: exact hosts win over suffixes, the longest suffix wins, rules and TLS hosts alike.
import { describe, expect, it } from 'vitest';
import { rewriteHost, rewriteIngressHost } from '../../../activities/transform/rewrite-ingress-host.js';
import { configMap, ingress } from './fixtures.js';
import { extensionsIngress } from './legacy-fixtures.js';

const map = {
  'shop.old.example': 'shop.new.example',
  '.old.example': '.new.example',
  '.internal.old.example': '.internal.new.example',
  '*.cdn.old.example': '*.cdn.new.example',
};

describe('rewriteHost', () => {
  const cases: [string, string | undefined][] = [
    ['shop.old.example', 'shop.new.example'],
    ['api.shop.old.example', 'api.shop.new.example'],
    ['db.internal.old.example', 'db.internal.new.example'],
    ['*.cdn.old.example', '*.cdn.new.example'],
    ['*.img.old.example', '*.img.new.example'],
    ['old.example', undefined],
    ['shop.older.example', undefined],
    ['shop.example.com', undefined],
  ];
  it.each(cases)('%s → %s', (host, rewritten) => {
    expect(rewriteHost(host, map)).toBe(rewritten);
  });
});

describe('rewriteIngressHost', () => {
  it('rewrites rules[].host and tls[].hosts[]', () => {
    expect(rewriteIngressHost.apply(extensionsIngress, { ingressHostMap: map })).toEqual({
      kind: 'patch',
      patches: [
        { op: 'replace', path: '/spec/rules/0/host', value: 'shop.new.example' },
        { op: 'replace', path: '/spec/rules/1/host', value: 'api.shop.new.example' },
        { op: 'replace', path: '/spec/tls/0/hosts/0', value: 'shop.new.example' },
        { op: 'replace', path: '/spec/tls/0/hosts/1', value: 'api.shop.new.example' },
      ],
      reason: 'hosts api.shop.old.example → api.shop.new.example, shop.old.example → shop.new.example',
    });
  });

  it('keeps Ingresses with no mapped host, and other kinds', () => {
    expect(rewriteIngressHost.apply(ingress, { ingressHostMap: map })).toEqual({ kind: 'keep' });
    expect(rewriteIngressHost.apply(configMap, { ingressHostMap: map })).toEqual({ kind: 'keep' });
  });
});
