// Loading campaign YAML: every problem reported at once, each with its field path and its place in the file.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, formatPath, loadCampaign, loadCampaignFile } from '../../../config/load.js';

const example = fileURLToPath(new URL('../../../config/examples/campaign.yaml', import.meta.url));

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadCampaign', () => {
  it('loads the example', async () => {
    const campaign = await loadCampaignFile(example);
    expect(campaign.metadata.name).toBe('upgrade-2026');
    expect(campaign.spec.source.context).toBe('ferry-source');
    expect(campaign.spec.storageClassMap).toEqual({ standard: 'premium-rwo', 'fast-ssd': 'premium-rwo' });
    expect(Object.isFrozen(campaign.spec.namespaceMap)).toBe(true);
  });

  it('collects every schema problem with path, line and column', () => {
    const text = [
      'apiVersion: ferry.dev/v1alpha1', // 1
      'kind: Campaign', // 2
      'metadata: { name: Upgrade_2026 }', // 3
      'spec:', // 4
      '  source: { context: ferry-source }', // 5
      '  store:', // 6
      '    url: s3://key:secret@ferry-backups', // 7
      '  selection:', // 8
      '    includeNamespaces: [shop-*, Bad]', // 9
      '    labelSelector: "team in"', // 10
      '  storageClassMap:', // 11
      '    standard: Premium_RWO', // 12
      '    Fast: premium-rwo', // 13
      '  concurrency: 100', // 14
      '  paralelism: 3', // 15
    ].join('\n');
    const err = configError(() => loadCampaign(text, 'campaign.yaml'));
    expect(err.name).toBe('ConfigError');
    expect(err.source).toBe('campaign.yaml');
    expect(err.issues.map((i) => [i.path, i.line, i.column])).toEqual([
      ['metadata.name', 3, 19],
      ['spec.target', 4, 1],
      ['spec.store.url', 7, 10],
      ['spec.selection.includeNamespaces[1]', 9, 33],
      ['spec.selection.labelSelector', 10, 20],
      ['spec.storageClassMap.standard', 12, 15],
      ['spec.storageClassMap.Fast', 13, 5],
      ['spec.concurrency', 14, 16],
      ['spec.paralelism', 15, 3],
    ]);
    expect(err.issues.find((i) => i.path === 'spec.paralelism')?.message).toBe('unknown field');
    expect(err.issues.find((i) => i.path === 'spec.storageClassMap.Fast')?.message).toMatch(/source StorageClass/);
    // the URL's secret is never repeated, neither in an issue nor in the error message
    expect(err.message).not.toContain('secret@');
    expect(err.message).toContain('12:15 spec.storageClassMap.standard:');
  });

  it('reports every YAML syntax error with line and column', () => {
    const text = [
      'apiVersion: ferry.dev/v1alpha1',
      'kind: Campaign',
      'kind: Campaign',
      'spec:',
      '  source: { context: a',
      '  target: b',
    ].join('\n');
    const err = configError(() => loadCampaign(text, 'broken.yaml'));
    expect(err.issues.length).toBeGreaterThanOrEqual(2);
    expect(err.issues[0]).toMatchObject({ path: '', line: 3, column: 1 });
    expect(err.issues[0].message).toMatch(/YAML syntax: Map keys must be unique/);
    expect(err.issues.every((i) => i.line !== undefined && i.column !== undefined)).toBe(true);
  });

  it('rejects an empty document as a whole', () => {
    const err = configError(() => loadCampaign('', 'empty.yaml'));
    expect(err.issues).toEqual([{ path: '', message: expect.stringMatching(/expected object/) }]);
  });

  it('rejects a second document rather than ignoring it', () => {
    const text = 'apiVersion: ferry.dev/v1alpha1\n---\nkind: Campaign\n';
    expect(configError(() => loadCampaign(text, 'two.yaml')).issues[0].message).toMatch(/YAML syntax/);
  });
});

describe('loadCampaignFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-config-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('names the file in its errors', async () => {
    const path = join(dir, 'bad.yaml');
    await writeFile(path, 'kind: Campaign\n');
    await expect(loadCampaignFile(path)).rejects.toMatchObject({ name: 'ConfigError', source: path });
  });

  it('turns a missing file into a ConfigError with the cause', async () => {
    const path = join(dir, 'missing.yaml');
    const err = await loadCampaignFile(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).issues).toEqual([{ path: '', message: 'cannot read the file (ENOENT)' }]);
    expect((err as ConfigError).cause).toBeInstanceOf(Error);
  });
});

describe('formatPath', () => {
  it.each([
    [[], ''],
    [['spec', 'concurrency'], 'spec.concurrency'],
    [['spec', 'selection', 'includeNamespaces', 0], 'spec.selection.includeNamespaces[0]'],
    [['spec', 'storageClassMap', 'fast.ssd'], 'spec.storageClassMap["fast.ssd"]'],
    [['spec', 'storageClassMap', ''], 'spec.storageClassMap[""]'],
  ] as [PropertyKey[], string][])('%j → %s', (segments, text) => {
    expect(formatPath(segments)).toBe(text);
  });
});
