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
