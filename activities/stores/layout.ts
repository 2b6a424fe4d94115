// Where everything lives in a store: the one place that names keys (like Velero's object_store_layout.go).
// Pure; every name that becomes a key segment is validated here, with the offending field in the error.

/** A key segment (or relative path) that cannot be used; `field` is the argument it came from. */
export class InvalidLayoutSegment extends Error {
  readonly field: string;
  readonly value: string;

  constructor(field: string, value: string, problem: string) {
    super(`${field}: ${problem} (got ${JSON.stringify(value)})`);
    this.name = 'InvalidLayoutSegment';
    this.field = field;
    this.value = value;
  }
}

export interface AppRef {
  readonly campaign: string;
  readonly namespace: string;
  readonly app: string;
}

export interface BackupRef extends AppRef {
  readonly backupId: string;
}

/** One key segment: non-empty, no `/` or `\`, not `.` or `..`, no control characters. */
export function segment(field: string, value: string): string {
  const problem = segmentProblem(value);
  if (problem) throw new InvalidLayoutSegment(field, value, problem);
  return value;
}

/** A relative path of valid segments, for names below a fixed prefix (`objects/…`, `volumes/<pvc>/…`). */
export function relativePath(field: string, value: string): string {
  if (value === '') throw new InvalidLayoutSegment(field, value, 'must not be empty');
  value.split('/').forEach((s, i) => {
    const problem = segmentProblem(s);
    if (problem) throw new InvalidLayoutSegment(field, value, `segment ${i + 1} ${problem}`);
  });
  return value;
}

function segmentProblem(value: string): string | undefined {
  if (value === '') return 'must not be empty';
  if (value.includes('/')) return 'must not contain "/"';
  if (value.includes('\\')) return 'must not contain "\\"';
  if (value === '.' || value === '..') return 'must not be "." or ".."';
  if (/\p{Cc}/u.test(value)) return 'must not contain control characters';
  return undefined;
}

/**
 * A segment made from a name that may hold what a segment cannot: a kubeconfig context such as an EKS ARN
 * (`arn:aws:eks:…:cluster/prod`), a workflow id. Each `/`, `\` or control character becomes `_`.
 */
export function nameSegment(field: string, value: string): string {
  return segment(field, value.replace(/[/\\\p{Cc}]/gu, '_'));
}

export function campaignPrefix(campaign: string): string {
  return `campaigns/${segment('campaign', campaign)}/`;
}

export function inventoryPrefix(campaign: string): string {
  return `${campaignPrefix(campaign)}inventory/`;
}

export function inventoryKey(campaign: string, inventoryId: string): string {
  return `${inventoryPrefix(campaign)}${segment('inventoryId', inventoryId)}.json`;
}

export function appPrefix(ref: AppRef): string {
  return `${campaignPrefix(ref.campaign)}apps/${segment('namespace', ref.namespace)}/${segment('app', ref.app)}/`;
}

/** Lists every backup of an app (the ones with an index are complete). */
export function backupsPrefix(ref: AppRef): string {
  return `${appPrefix(ref)}backups/`;
}

export function backupPrefix(ref: BackupRef): string {
  return `${backupsPrefix(ref)}${segment('backupId', ref.backupId)}/`;
}

/** The sanitized objects a restore applies (gzipped JSON). */
export function manifestsKey(ref: BackupRef): string {
  return `${backupPrefix(ref)}manifests.json.gz`;
}

/** The objects exactly as captured, for audit: what really ran, not what git says. */
export function rawManifestsKey(ref: BackupRef): string {
  return `${backupPrefix(ref)}raw.json.gz`;
}

export function objectsPrefix(ref: BackupRef): string {
  return `${backupPrefix(ref)}objects/`;
}

export function objectKey(ref: BackupRef, path: string): string {
  return `${objectsPrefix(ref)}${relativePath('path', path)}`;
}

export function volumePrefix(ref: BackupRef, pvc: string): string {
  return `${backupPrefix(ref)}volumes/${segment('pvc', pvc)}/`;
}

export function volumeKey(ref: BackupRef, pvc: string, path: string): string {
  return `${volumePrefix(ref, pvc)}${relativePath('path', path)}`;
}

/** Written last: its presence is what marks a backup complete. */
export function indexKey(ref: BackupRef): string {
  return `${backupPrefix(ref)}index.json`;
}

const indexPattern = /^campaigns\/([^/]+)\/apps\/([^/]+)\/([^/]+)\/backups\/([^/]+)\/index\.json$/;

/** The backup an index key belongs to, or undefined for any other key: turns a listing into complete backups. */
export function parseIndexKey(key: string): BackupRef | undefined {
  const m = indexPattern.exec(key);
  if (!m) return undefined;
  const [, campaign, namespace, app, backupId] = m;
  const ref = { campaign, namespace, app, backupId };
  try {
    // only keys this module could have produced (no "." or ".." segments)
    return indexKey(ref) === key ? ref : undefined;
  } catch (e) {
    if (e instanceof InvalidLayoutSegment) return undefined;
    throw e;
  }
}

// ---- restore reports: beside the app's backups, never inside one ----

/**
 * Every restore report of an app. Outside `backups/` on purpose: retention and garbage collection only
 * ever delete keys below a backup's prefix, and a backup's completeness is its index alone.
 */
export function restoresPrefix(ref: AppRef): string {
  return `${appPrefix(ref)}restores/`;
}

/** The reports of every restore of one backup onto one target (kubeconfig context). */
export function restoreReportsPrefix(ref: BackupRef, target: string): string {
  return `${restoresPrefix(ref)}${nameSegment('target', target)}/${segment('backupId', ref.backupId)}/`;
}

/** What one restore did to every object (JSON): see activities/restore/restore-report.ts. */
export function restoreReportKey(ref: BackupRef, target: string, restoreId: string): string {
  return `${restoreReportsPrefix(ref, target)}${segment('restoreId', restoreId)}.json`;
}

/**
 * The id of the restore a workflow run makes: the same on every attempt of its activity, so a retry
 * overwrites the report of the attempt before it instead of adding one.
 */
export function restoreIdOf(execution: { readonly workflowId: string; readonly runId: string }): string {
  return `${nameSegment('workflowId', execution.workflowId)}.${segment('runId', execution.runId)}`;
}

// ---- the volume data repository: shared by every backup in the store, so chunks are stored once ----

/**
 * The data repository of one keyspace (`key-<key id>` or `plain`). It lives beside `campaigns/`, not in a
 * campaign, so that later campaigns, drills and backups of the same store reuse the chunks already there.
 */
export function repositoryPrefix(keyspace: string): string {
  return `repository/${segment('keyspace', keyspace)}/`;
}

const hexId = /^[0-9a-f]{64}$/;

function packId(field: string, id: string): string {
  if (!hexId.test(id)) throw new InvalidLayoutSegment(field, id, 'must be 64 lowercase hex digits (a sha256)');
  return id;
}

export function packsPrefix(keyspace: string): string {
  return `${repositoryPrefix(keyspace)}packs/`;
}

/** A pack is named by the sha256 of its bytes; a two-digit fan-out keeps directories of a file store small. */
export function packKey(keyspace: string, id: string): string {
  return `${packsPrefix(keyspace)}${packId('packId', id).slice(0, 2)}/${id}`;
}

const packPattern = /^repository\/([^/]+)\/packs\/([0-9a-f]{2})\/([0-9a-f]{64})$/;

/** The keyspace and pack id of a pack key, or undefined for any other key. */
export function parsePackKey(key: string): { keyspace: string; packId: string } | undefined {
  const m = packPattern.exec(key);
  if (!m || m[3].slice(0, 2) !== m[2]) return undefined;
  return { keyspace: m[1], packId: m[3] };
}

export function packIndexPrefix(keyspace: string): string {
  return `${repositoryPrefix(keyspace)}index/`;
}

/** The index of one pack (the chunks in it and where), named like the pack. */
export function packIndexKey(keyspace: string, id: string): string {
  return `${packIndexPrefix(keyspace)}${packId('packId', id)}`;
}

export function repositoryLocksPrefix(keyspace: string): string {
  return `${repositoryPrefix(keyspace)}locks/`;
}

/** A lock object: backups hold shared ones, garbage collection an exclusive one. */
export function repositoryLockKey(keyspace: string, lockId: string): string {
  return `${repositoryLocksPrefix(keyspace)}${segment('lockId', lockId)}`;
}

/** A volume's snapshot in a backup: its file tree and where each chunk lives (encrypted). */
export function snapshotKey(ref: BackupRef, pvc: string): string {
  return `${volumePrefix(ref, pvc)}snapshot`;
}

const snapshotPattern = /^campaigns\/([^/]+)\/apps\/([^/]+)\/([^/]+)\/backups\/([^/]+)\/volumes\/([^/]+)\/snapshot$/;

/** The backup and claim a snapshot key belongs to, or undefined for any other key. */
export function parseSnapshotKey(key: string): { ref: BackupRef; pvc: string } | undefined {
  const m = snapshotPattern.exec(key);
  if (!m) return undefined;
  const [, campaign, namespace, app, backupId, pvc] = m;
  const ref = { campaign, namespace, app, backupId };
  try {
    return snapshotKey(ref, pvc) === key ? { ref, pvc } : undefined;
  } catch (e) {
    if (e instanceof InvalidLayoutSegment) return undefined;
    throw e;
  }
}

const backupObjectPattern = /^campaigns\/([^/]+)\/apps\/([^/]+)\/([^/]+)\/backups\/([^/]+)\/./;

/** The backup any key below a backup's prefix belongs to (complete or not), or undefined. */
export function parseBackupObjectKey(key: string): BackupRef | undefined {
  const m = backupObjectPattern.exec(key);
  if (!m) return undefined;
  const [, campaign, namespace, app, backupId] = m;
  const ref = { campaign, namespace, app, backupId };
  try {
    return key.startsWith(backupPrefix(ref)) && !key.split('/').some((s) => s === '.' || s === '..') ? ref : undefined;
  } catch (e) {
    if (e instanceof InvalidLayoutSegment) return undefined;
    throw e;
  }
}
