// Key naming: every key the layout produces, and every refusal naming the argument at fault.
import { describe, expect, it } from 'vitest';
import {
  appPrefix,
  type BackupRef,
  backupPrefix,
  backupsPrefix,
  campaignPrefix,
  InvalidLayoutSegment,
  indexKey,
  inventoryKey,
  inventoryPrefix,
  manifestsKey,
  objectKey,
  objectsPrefix,
  packIndexKey,
  packIndexPrefix,
  packKey,
  packsPrefix,
  parseBackupObjectKey,
  parseIndexKey,
  parsePackKey,
  parseSnapshotKey,
  rawManifestsKey,
  repositoryLockKey,
  repositoryPrefix,
  restoreIdOf,
  restoreReportKey,
  restoreReportsPrefix,
  restoresPrefix,
  snapshotKey,
  volumeKey,
  volumePrefix,
} from '../../activities/stores/layout.js';

const ref: BackupRef = { campaign: 'upgrade-2025', namespace: 'shop', app: 'web', backupId: '20250101T000000Z-a1b2' };
const base = 'campaigns/upgrade-2025/apps/shop/web/backups/20250101T000000Z-a1b2/';

describe('layout keys', () => {
  it.each([
    { name: 'campaignPrefix', key: campaignPrefix('upgrade-2025'), expected: 'campaigns/upgrade-2025/' },
    { name: 'inventoryPrefix', key: inventoryPrefix('upgrade-2025'), expected: 'campaigns/upgrade-2025/inventory/' },
    {
      name: 'inventoryKey',
      key: inventoryKey('upgrade-2025', 'ferry-source-1'),
      expected: 'campaigns/upgrade-2025/inventory/ferry-source-1.json',
    },
    { name: 'appPrefix', key: appPrefix(ref), expected: 'campaigns/upgrade-2025/apps/shop/web/' },
    { name: 'backupsPrefix', key: backupsPrefix(ref), expected: 'campaigns/upgrade-2025/apps/shop/web/backups/' },
    { name: 'backupPrefix', key: backupPrefix(ref), expected: base },
    { name: 'manifestsKey', key: manifestsKey(ref), expected: `${base}manifests.json.gz` },
    { name: 'rawManifestsKey', key: rawManifestsKey(ref), expected: `${base}raw.json.gz` },
    { name: 'objectsPrefix', key: objectsPrefix(ref), expected: `${base}objects/` },
    { name: 'objectKey', key: objectKey(ref, 'apps/Deployment/web.json'), expected: `${base}objects/apps/Deployment/web.json` },
    { name: 'volumePrefix', key: volumePrefix(ref, 'data-web-0'), expected: `${base}volumes/data-web-0/` },
    { name: 'volumeKey', key: volumeKey(ref, 'data-web-0', 'chunks/000001'), expected: `${base}volumes/data-web-0/chunks/000001` },
    { name: 'indexKey', key: indexKey(ref), expected: `${base}index.json` },
  ])('$name', ({ key, expected }) => {
    expect(key).toBe(expected);
  });

  it('ends every prefix with "/", so backup b1 never lists backup b10', () => {
    const b1 = backupPrefix({ ...ref, backupId: 'b1' });
    const b10 = backupPrefix({ ...ref, backupId: 'b10' });
    expect(b10.startsWith(b1)).toBe(false);
    const app = appPrefix(ref);
    expect(appPrefix({ ...ref, app: 'web2' }).startsWith(app)).toBe(false);
  });
});

describe('layout refusals', () => {
  it.each([
    { name: 'empty campaign', call: () => campaignPrefix(''), field: 'campaign' },
    { name: 'campaign with "/"', call: () => inventoryKey('a/b', 'x'), field: 'campaign' },
    { name: 'inventory id with a newline', call: () => inventoryKey('c', 'x\ny'), field: 'inventoryId' },
    { name: 'inventory id ".."', call: () => inventoryKey('c', '..'), field: 'inventoryId' },
    { name: 'namespace with "/"', call: () => appPrefix({ ...ref, namespace: 'shop/x' }), field: 'namespace' },
    { name: 'app ".."', call: () => manifestsKey({ ...ref, app: '..' }), field: 'app' },
    { name: 'app "."', call: () => indexKey({ ...ref, app: '.' }), field: 'app' },
    { name: 'empty backup id', call: () => indexKey({ ...ref, backupId: '' }), field: 'backupId' },
    { name: 'backup id with "\\"', call: () => backupPrefix({ ...ref, backupId: 'a\\b' }), field: 'backupId' },
    { name: 'pvc with "/"', call: () => volumePrefix(ref, 'data/0'), field: 'pvc' },
    { name: 'empty object path', call: () => objectKey(ref, ''), field: 'path' },
    { name: 'object path escaping with ".."', call: () => objectKey(ref, '../../other/index.json'), field: 'path' },
    { name: 'object path with "//"', call: () => objectKey(ref, 'a//b'), field: 'path' },
    { name: 'object path with a leading "/"', call: () => objectKey(ref, '/abs'), field: 'path' },
    { name: 'volume path with a trailing "/"', call: () => volumeKey(ref, 'data', 'chunks/'), field: 'path' },
  ])('refuses $name naming $field', ({ call, field }) => {
    let error: unknown;
    try {
      call();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidLayoutSegment);
    expect((error as InvalidLayoutSegment).field).toBe(field);
    expect((error as Error).message.startsWith(`${field}: `)).toBe(true);
  });
});

describe('parseIndexKey', () => {
  it('returns the backup of an index key', () => {
    expect(parseIndexKey(indexKey(ref))).toEqual(ref);
  });

  it.each([
    { name: 'the manifests key', key: manifestsKey(ref) },
    { name: 'an index below objects/', key: objectKey(ref, 'index.json') },
    { name: 'an index with an extra segment', key: `${backupsPrefix(ref)}b1/x/index.json` },
    { name: 'a ".." segment', key: 'campaigns/c/apps/../web/backups/b1/index.json' },
    { name: 'an inventory key', key: inventoryKey('c', 'index') },
    { name: 'a key with a leading "/"', key: `/${indexKey(ref)}` },
  ])('ignores $name', ({ key }) => {
    expect(parseIndexKey(key)).toBeUndefined();
  });
});

describe('repository and snapshot keys', () => {
  const pack = 'ab'.padEnd(64, '0');

  it.each([
    { name: 'repositoryPrefix', key: repositoryPrefix('key-0123456789abcdef'), expected: 'repository/key-0123456789abcdef/' },
    { name: 'packsPrefix', key: packsPrefix('plain'), expected: 'repository/plain/packs/' },
    { name: 'packKey', key: packKey('plain', pack), expected: `repository/plain/packs/ab/${pack}` },
    { name: 'packIndexPrefix', key: packIndexPrefix('plain'), expected: 'repository/plain/index/' },
    { name: 'packIndexKey', key: packIndexKey('plain', pack), expected: `repository/plain/index/${pack}` },
    { name: 'repositoryLockKey', key: repositoryLockKey('plain', 'shared-1'), expected: 'repository/plain/locks/shared-1' },
    { name: 'snapshotKey', key: snapshotKey(ref, 'data-web-0'), expected: `${base}volumes/data-web-0/snapshot` },
  ])('$name', ({ key, expected }) => {
    expect(key).toBe(expected);
  });

  it.each([
    { name: 'a pack id that is not a sha256', call: () => packKey('plain', 'abc'), field: 'packId' },
    { name: 'a keyspace with "/"', call: () => repositoryPrefix('a/b'), field: 'keyspace' },
    { name: 'a lock id of ".."', call: () => repositoryLockKey('plain', '..'), field: 'lockId' },
  ])('refuses $name naming $field', ({ call, field }) => {
    expect(call).toThrow(InvalidLayoutSegment);
    expect(call).toThrow(new RegExp(`^${field}: `));
  });

  it('parses the keys it makes, and nothing else', () => {
    expect(parsePackKey(packKey('key-1', pack))).toEqual({ keyspace: 'key-1', packId: pack });
    expect(parsePackKey(`repository/plain/packs/cd/${pack}`)).toBeUndefined();
    expect(parsePackKey(packIndexKey('plain', pack))).toBeUndefined();
    expect(parseSnapshotKey(snapshotKey(ref, 'data'))).toEqual({ ref, pvc: 'data' });
    expect(parseSnapshotKey(`${base}volumes/data/snapshot/x`)).toBeUndefined();
    expect(parseBackupObjectKey(manifestsKey(ref))).toEqual(ref);
    expect(parseBackupObjectKey(snapshotKey(ref, 'data'))).toEqual(ref);
    expect(parseBackupObjectKey(backupPrefix(ref))).toBeUndefined();
    expect(parseBackupObjectKey('campaigns/c/apps/../web/backups/b1/index.json')).toBeUndefined();
    expect(parseBackupObjectKey(inventoryKey('c', 'i'))).toBeUndefined();
  });
});

describe('restore report keys', () => {
  const execution = { workflowId: 'restore/ferry-target/shop/web/20250101T000000Z-a1b2', runId: '0196f3b2-7c1d-7a8e-9f00-123456789abc' };
  const restoreId = restoreIdOf(execution);
  const key = restoreReportKey(ref, 'ferry-target', restoreId);

  it('sits beside the backups, per target and backup, one per workflow run', () => {
    expect(restoresPrefix(ref)).toBe('campaigns/upgrade-2025/apps/shop/web/restores/');
    expect(restoreId).toBe('restore_ferry-target_shop_web_20250101T000000Z-a1b2.0196f3b2-7c1d-7a8e-9f00-123456789abc');
    expect(key).toBe(`campaigns/upgrade-2025/apps/shop/web/restores/ferry-target/20250101T000000Z-a1b2/${restoreId}.json`);
    expect(key.startsWith(restoreReportsPrefix(ref, 'ferry-target'))).toBe(true);
    // a retry of the activity names the same key; another run of the same workflow id does not
    expect(restoreReportKey(ref, 'ferry-target', restoreIdOf({ ...execution }))).toBe(key);
    expect(restoreIdOf({ ...execution, runId: 'another-run' })).not.toBe(restoreId);
  });

  it('takes kubeconfig contexts that hold "/" (EKS ARNs) as one segment', () => {
    expect(restoreReportsPrefix(ref, 'arn:aws:eks:eu-west-1:123456789012:cluster/prod')).toBe(
      'campaigns/upgrade-2025/apps/shop/web/restores/arn:aws:eks:eu-west-1:123456789012:cluster_prod/20250101T000000Z-a1b2/',
    );
  });

  it.each([
    { name: 'a target of ".."', call: () => restoreReportsPrefix(ref, '..'), field: 'target' },
    { name: 'an empty workflow id', call: () => restoreIdOf({ workflowId: '', runId: 'r' }), field: 'workflowId' },
    { name: 'a run id with "/"', call: () => restoreIdOf({ workflowId: 'w', runId: 'a/b' }), field: 'runId' },
    { name: 'a restore id with "/"', call: () => restoreReportKey(ref, 't', 'a/b'), field: 'restoreId' },
  ])('refuses $name naming $field', ({ call, field }) => {
    expect(call).toThrow(InvalidLayoutSegment);
    expect(call).toThrow(new RegExp(`^${field}: `));
  });

  it('is never taken for part of a backup: retention, GC and the backup catalog ignore it', () => {
    // even with a target named like the parts of a backup
    for (const target of ['ferry-target', 'backups', 'index.json']) {
      const k = restoreReportKey(ref, target, restoreId);
      expect(parseBackupObjectKey(k)).toBeUndefined();
      expect(parseIndexKey(k)).toBeUndefined();
      expect(parseSnapshotKey(k)).toBeUndefined();
      expect(k.startsWith(backupsPrefix(ref))).toBe(false);
    }
  });
});
