// Settings a Ferry process reads from its environment (the worker and the mover alike), parsed at the edge with
// errors that name the variable, never a secret value. No heavy imports: the mover loads this too.
import { type BackupLockPolicy, checkLockPolicy } from '../activities/backup/immutability.js';

/** A malformed worker setting, named by its variable (never with a secret value). */
export class InvalidWorkerSetting extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
    this.name = 'InvalidWorkerSetting';
  }
}

export function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const v = env[name];
  if (v === undefined || v === '' || v === 'false') return false;
  if (v === 'true') return true;
  throw new InvalidWorkerSetting(name, `must be true or false, not ${JSON.stringify(v)}`);
}

function days(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const v = env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new InvalidWorkerSetting(name, `must be a number of days, not ${JSON.stringify(v)}`);
  return n;
}

/** Object lock: FERRY_BACKUP_LOCK_DAYS (and optionally FERRY_BACKUP_PACK_REUSE_DAYS); undefined when not set. */
export function backupLockFromEnv(env: NodeJS.ProcessEnv): BackupLockPolicy | undefined {
  const lockDays = days(env, 'FERRY_BACKUP_LOCK_DAYS');
  const reuseDays = days(env, 'FERRY_BACKUP_PACK_REUSE_DAYS');
  if (!lockDays) return undefined;
  return checkLockPolicy({ days: lockDays, ...(reuseDays === undefined ? {} : { packReuseDays: reuseDays }) });
}
