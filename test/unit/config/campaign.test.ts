// Table tests of the Campaign schema's rules that YAML cannot express: store URLs, selection globs, defaults.
import { describe, expect, it } from 'vitest';
import { type CampaignSelection, matchesNamespace, parseCampaign } from '../../../config/campaign.js';

const minimal = {
  apiVersion: 'ferry.dev/v1alpha1',
  kind: 'Campaign',
  metadata: { name: 'upgrade-2026' },
  spec: { source: { context: 'ferry-source' }, target: { context: 'ferry-target' }, store: { url: 's3://ferry-backups/campaigns' } },
};

describe('parseCampaign', () => {
  it('fills defaults and freezes the whole campaign', () => {
    const parsed = parseCampaign(minimal);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    expect(parsed.campaign.spec).toEqual({
      ...minimal.spec,
      selection: { includeNamespaces: ['*'], excludeNamespaces: ['default', 'kube-node-lease', 'kube-public', 'kube-system'] },
      storageClassMap: {},
      namespaceMap: {},
      restore: { mode: 'full', existingObjects: 'update', existingNamespaces: 'merge' },
      concurrency: 4,
    });
    expect(Object.isFrozen(parsed.campaign)).toBe(true);
    expect(Object.isFrozen(parsed.campaign.spec.selection.excludeNamespaces)).toBe(true);
    expect(Object.isFrozen(parsed.campaign.spec.storageClassMap)).toBe(true);
  });

  it('gives every campaign its own defaults', () => {
    const a = parseCampaign(minimal);
    const b = parseCampaign(minimal);
    if (!a.ok || !b.ok) throw new Error('minimal campaign rejected');
    expect(a.campaign.spec.selection.includeNamespaces).not.toBe(b.campaign.spec.selection.includeNamespaces);
  });

  const rejected: [string, unknown, string, RegExp][] = [
    ['the same cluster twice', { target: { context: 'ferry-source' } }, 'spec.target.context', /must differ/],
    ['merging two namespaces', { namespaceMap: { a: 'shop', b: 'shop' } }, 'spec.namespaceMap.b', /cannot be merged/],
    ['an empty include list', { selection: { includeNamespaces: [] } }, 'spec.selection.includeNamespaces', /selects nothing/],
    ['a bad glob', { selection: { excludeNamespaces: ['Kube-*'] } }, 'spec.selection.excludeNamespaces.0', /glob/],
    ['a bad selector', { selection: { labelSelector: 'team in (a' } }, 'spec.selection.labelSelector', /character 11/],
    ['concurrency 0', { concurrency: 0 }, 'spec.concurrency', /at least 1/],
    ['concurrency 65', { concurrency: 65 }, 'spec.concurrency', /at most 64/],
    ['fractional concurrency', { concurrency: 1.5 }, 'spec.concurrency', /whole number/],
    ['an upper-case class', { storageClassMap: { standard: 'Premium' } }, 'spec.storageClassMap.standard', /DNS subdomain/],
  ];
  it.each(rejected)('rejects %s', (_, specPatch, path, message) => {
    const parsed = parseCampaign({ ...minimal, spec: { ...minimal.spec, ...(specPatch as object) } });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      const issue = parsed.issues.find((i) => i.path.join('.') === path);
      expect(issue?.message).toMatch(message);
    }
  });

  it('accepts "" as a source class, for claims bound without one', () => {
    expect(parseCampaign({ ...minimal, spec: { ...minimal.spec, storageClassMap: { '': 'premium-rwo' } } }).ok).toBe(true);
  });
});

describe('spec.store.url', () => {
  // The grammar is the stores' own (activities/stores/store-url.ts, tested there); this checks the schema
  // uses it, reports at the field, and never repeats a credential.
  const cases: [string, RegExp | undefined][] = [
    ['s3://ferry-backups/campaigns?endpoint=http://127.0.0.1:9100&forcePathStyle=true', undefined],
    ['gs://ferry-backups', undefined],
    ['azblob://devstoreaccount1/ferry-backups/dr', undefined],
    ['file:///var/lib/ferry/backups', undefined],
    ['s3://AKIAEXAMPLE:wJalrXUtnFEMI@ferry-backups/x', /credentials/],
    ['s3://ferry-backups/x?accessKeyId=AKIAEXAMPLE', /looks like a credential/],
    ['azblob://devstoreaccount1/ferry-backups?sv=2022-11-02&sig=abc', /looks like a credential/],
    ['gs://ferry-backups?password=hunter2', /looks like a credential/],
    ['s3://ferry-backups?endpoint=http://u:p@127.0.0.1:9100', /credentials/],
    ['file://./backups', /file:\/\/\/abs\/path/],
    ['https://ferry-backups.s3.amazonaws.com', /not one of s3, gs, azblob, file/],
    ['ferry-backups', /expected <scheme>:\/\//],
  ];
  it.each(cases)('%s', (url, problem) => {
    const parsed = parseCampaign({ ...minimal, spec: { ...minimal.spec, store: { url } } });
    if (problem === undefined) {
      expect(parsed.ok).toBe(true);
      return;
    }
    expect(parsed.ok).toBe(false);
    const messages = parsed.ok ? [] : parsed.issues.filter((i) => i.path.join('.') === 'spec.store.url').map((i) => i.message);
    expect(messages.join('\n')).toMatch(problem);
    for (const secret of ['AKIAEXAMPLE', 'wJalrXUtnFEMI', 'hunter2', 'abc', 'u:p']) {
      if (url.includes(secret)) expect(messages.join('\n')).not.toContain(secret);
    }
  });
});

describe('matchesNamespace', () => {
  const selection: CampaignSelection = {
    includeNamespaces: ['shop-*', 'legacy-shop', 'team-?'],
    excludeNamespaces: ['kube-*', 'shop-sandbox'],
  };
  const cases: [string, boolean][] = [
    ['shop-payments', true],
    ['shop-', true],
    ['legacy-shop', true],
    ['legacy-shop-2', false],
    ['team-a', true],
    ['team-ab', false],
    ['shop-sandbox', false],
    ['kube-system', false],
    ['search', false],
  ];
  it.each(cases)('%s → %s', (ns, expected) => {
    expect(matchesNamespace(selection, ns)).toBe(expected);
  });

  it('excludes win over includes', () => {
    expect(matchesNamespace({ includeNamespaces: ['*'], excludeNamespaces: ['kube-*'] }, 'kube-system')).toBe(false);
  });
});
