// The table `ferry inventory` prints: one line per app with team, mechanism, volumes, objects and warnings.
import { describe, expect, it } from 'vitest';
import { inventoryTable } from '../../../cli/commands/inventory.js';
import { inventoryOf, smallCluster } from './cluster.js';

describe('inventoryTable', () => {
  it('shows every app, then totals and cluster warnings', () => {
    const lines = inventoryTable(inventoryOf(smallCluster()));
    expect(lines.slice(0, 5).map((l) => l.split(/\s{2,}/))).toEqual([
      ['APP', 'TEAM', 'MECHANISM', 'STATEFUL', 'VOLUMES', 'OBJECTS', 'WARNINGS'],
      ['auth/auth', 'identity', 'argocd (partial)', 'yes', '1 · 1.0 GiB', '5', '1'],
      ['finance/ledger-v1', 'finance', 'helm2', 'no', '-', '3', '1'],
      ['shop/checkout', 'payments', 'helm3', 'yes', '1 · 5.0 GiB', '10', '1'],
      ['shop/shop', 'payments', 'manual', 'no', '-', '3', '-'],
    ]);
    expect(lines[6]).toMatch(
      /^ferry-source \(v1\.36\.3\): 4 apps of 3 teams in 3 namespaces; \d+ objects, [\d.]+ KiB; volumes 6\.0 GiB; argocd 1, helm2 1, helm3 1, manual 1$/,
    );
    expect(lines).toContain('3 app warnings: see --json (apps[].warnings)');
    expect(lines.at(-1)).toMatch(/^warning: Helm 2 release gone/);
  });
});
