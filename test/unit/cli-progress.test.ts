import { describe, expect, it } from 'vitest';
import { teamSummary } from '../../cli/progress.js';
import type { AppResult, CampaignResult } from '../../workflows/types.js';

const app = (id: string, extra: Partial<AppResult> = {}): AppResult => ({
  id,
  team: 'payments',
  status: 'Succeeded',
  objects: 5,
  volumes: 0,
  files: 0,
  bytes: 0,
  ...extra,
});

const result = (apps: AppResult[]): CampaignResult => ({
  campaign: 'c',
  inventoryKey: 'k',
  apps,
  teams: [{ team: 'payments', apps: apps.length, succeeded: 2, partiallyFailed: 1, failed: 0, bytes: 2048 }],
  warnings: [],
});

describe('teamSummary', () => {
  it('lists apps with problems, and backups that could not capture everything even when they succeeded', () => {
    const text = teamSummary(
      result([
        app('shop/web', { warnings: ['secrets.core: cannot list (403)'] }),
        app('shop/db', { status: 'PartiallyFailed', problems: [{ object: 'ConfigMap shop/settings', reason: 'exists, policy fail' }] }),
        app('shop/cache'),
      ]),
    );
    expect(text.split('\n')).toEqual([
      'TEAM      APPS  SUCCEEDED  PARTIAL  FAILED        DATA',
      'payments     3          2        1       0     2.0 KiB',
      '',
      'Apps with problems:',
      '  shop/db PartiallyFailed',
      '    ConfigMap shop/settings: exists, policy fail',
      '',
      'Backups that could not capture everything:',
      '  shop/web:',
      '    secrets.core: cannot list (403)',
    ]);
  });

  it('says nothing more when every app came across whole', () => {
    expect(teamSummary(result([app('shop/web')])).split('\n')).toHaveLength(2);
  });
});
