// Finding backups in a store: only complete ones (with their index) count, newest first.
import type { BackupIndex } from '../backup/backup-activities.js';
import { type AppRef, type BackupRef, backupsPrefix, parseIndexKey } from '../stores/layout.js';
import type { ObjectStore } from '../stores/object-store.js';
import { readIndex } from './backup-reader.js';

export class NoCompleteBackup extends Error {
  constructor(
    readonly storeUrl: string,
    readonly app: string,
  ) {
    super(`${storeUrl}: no complete backup of ${app} (a backup counts once its index is written)`);
    this.name = 'NoCompleteBackup';
  }
}

export async function completeBackups(store: ObjectStore, app: AppRef): Promise<{ ref: BackupRef; index: BackupIndex }[]> {
  const out: { ref: BackupRef; index: BackupIndex }[] = [];
  for await (const o of store.list(backupsPrefix(app))) {
    const ref = parseIndexKey(o.key);
    if (ref) out.push({ ref, index: await readIndex(store, ref) });
  }
  return out.sort((a, b) => (a.index.completedAt > b.index.completedAt ? -1 : a.index.completedAt < b.index.completedAt ? 1 : 0));
}

/** The named backup, or the newest complete one when `backupId` is 'latest'. */
export async function findBackup(store: ObjectStore, app: AppRef, backupId: string): Promise<{ ref: BackupRef; index: BackupIndex }> {
  if (backupId !== 'latest') {
    const ref = { ...app, backupId };
    return { ref, index: await readIndex(store, ref) };
  }
  const [newest] = await completeBackups(store, app);
  if (!newest) throw new NoCompleteBackup(store.url, `${app.namespace}/${app.app}`);
  return newest;
}
