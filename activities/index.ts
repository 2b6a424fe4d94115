// Every activity of Ferry, built from the dependencies a worker (or a test) passes in.
import { createBackupActivities } from './backup/backup-activities.js';
import { createVolumeBackupActivities } from './backup/volume-backup-activity.js';
import type { ActivityDeps } from './deps.js';
import { createInventoryActivities } from './inventory/inventory-activity.js';
import { createRestoreActivities } from './restore/restore-activities.js';
import { createScaleActivities } from './restore/scale-activities.js';
import { createVerifyActivities } from './restore/verify-activity.js';
import { createVolumeRestoreActivities } from './restore/volume-restore-activity.js';

export function createActivities(deps: ActivityDeps) {
  return {
    ...createInventoryActivities(deps),
    ...createBackupActivities(deps),
    ...createVolumeBackupActivities(deps),
    ...createRestoreActivities(deps),
    ...createVolumeRestoreActivities(deps),
    ...createScaleActivities(deps),
    ...createVerifyActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type { ActivityDeps } from './deps.js';
