// CronJobs to batch/v1: same fields and defaults as batch/v1beta1, so the version is the only change.
import { describe, expect, it } from 'vitest';
import { upgradeCronJob } from '../../../activities/transform/upgrade-cronjob.js';
import { patched } from './apply-result.js';
import { cronJob } from './fixtures.js';
import { betaCronJob, modernServedVersions } from './legacy-fixtures.js';

const ctx = { servedVersions: modernServedVersions };

describe('upgradeCronJob', () => {
  it('moves batch/v1beta1 to batch/v1 with everything else as it was', () => {
    const result = upgradeCronJob.apply(betaCronJob, ctx);
    expect(result).toEqual({
      kind: 'patch',
      patches: [{ op: 'replace', path: '/apiVersion', value: 'batch/v1' }],
      reason: 'batch/v1beta1 → batch/v1',
    });
    expect(patched(betaCronJob, result)).toEqual({ ...betaCronJob, apiVersion: 'batch/v1' });
  });

  it('keeps batch/v1, and batch/v1beta1 while the target serves it', () => {
    expect(upgradeCronJob.apply(cronJob, ctx)).toEqual({ kind: 'keep' });
    expect(upgradeCronJob.apply(betaCronJob, { servedVersions: new Set(['batch/v1beta1', 'batch/v1']) })).toEqual({ kind: 'keep' });
  });
});
