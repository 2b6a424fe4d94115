// The restore report: what one restore did to every object and which transforms changed it, kept in the
// backup store beside the app's backups while workflow history holds only its key. Names, actions, reasons
// and JSON pointers only: never an object's body, a patch's value, or a Secret's data.
import type { RestoreTransformConfig } from '../../config/restore.js';
import type { ExistingObjectPolicy, NamespacePolicy, RestoreCounts, RestoreMode } from '../../workflows/types.js';
import { groupOf, type KubeObject, type ObjectRef, refKey } from '../kube/object.js';
import { readAll } from '../movers/repository.js';
import type { ObjectStore } from '../stores/object-store.js';
import { idOf, type ObjectId, type TransformChange, type TransformDrop } from '../transform/runner.js';
import { countEntries, describeObject, type EntryAction, type RestoreEntry } from './apply-objects.js';

export const restoreReportKind = 'FerryRestoreReport';
export const restoreReportFormat = 1;

/** A patch operation without its value: where a transform wrote, not what. */
export interface ReportPatch {
  readonly op: string;
  readonly path: string;
  /** The source pointer of a move or copy. */
  readonly from?: string;
}

export interface ReportTransform {
  readonly name: string;
  readonly reason?: string;
  readonly patches: readonly ReportPatch[];
}

export interface ReportObject extends ObjectId {
  /** The object as the backup holds it, when a transform renamed it (namespace map, API upgrade). */
  readonly backedUpAs?: ObjectId;
  readonly action: EntryAction;
  readonly reason?: string;
  /** Fields the apply changed on an object that existed, as JSON pointers. */
  readonly paths?: readonly string[];
  /** In the order they ran; empty when none changed the object. */
  readonly transforms: readonly ReportTransform[];
}

export interface ReportDrop {
  /** As backed up; absent when the backup's object could not be matched (it always can, from a real backup). */
  readonly apiVersion?: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly transform: string;
  readonly reason: string;
}

export interface RestoreReport {
  readonly kind: typeof restoreReportKind;
  readonly formatVersion: typeof restoreReportFormat;
  readonly restoreId: string;
  /** The workflow run that restored; absent for a restore run outside Temporal. */
  readonly workflow?: { readonly workflowId: string; readonly runId: string; readonly attempt: number };
  readonly app: { readonly id: string; readonly campaign: string; readonly namespace: string; readonly name: string };
  readonly backupId: string;
  /** The store URL, which never carries credentials. */
  readonly store: string;
  /** kubeconfig contexts: the one the backup was taken from, the one restored onto. */
  readonly source: string;
  readonly target: string;
  readonly mode: RestoreMode;
  readonly existingObjects: ExistingObjectPolicy;
  readonly existingNamespaces: NamespacePolicy;
  readonly namespaceMap: Readonly<Record<string, string>>;
  readonly storageClassMap: Readonly<Record<string, string>>;
  readonly transforms?: RestoreTransformConfig;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly counts: RestoreCounts & { readonly objects: number; readonly dropped: number; readonly changedByTransforms: number };
  /** In the order they were applied. */
  readonly objects: readonly ReportObject[];
  readonly dropped: readonly ReportDrop[];
}

/** The report's own fields as they are, its times as Dates, and what its objects, counts and drops are made from. */
export interface ReportInput
  extends Omit<RestoreReport, 'kind' | 'formatVersion' | 'startedAt' | 'finishedAt' | 'counts' | 'objects' | 'dropped'> {
  readonly startedAt: Date;
  readonly finishedAt: Date;
  /** The objects as applied, in order, and what happened to each (`entries[i]` is `restored[i]`'s). */
  readonly restored: readonly KubeObject[];
  readonly entries: readonly RestoreEntry[];
  /** `origins[i]` is `restored[i]` as backed up. */
  readonly origins: readonly ObjectId[];
  readonly changes: readonly TransformChange[];
  readonly dropped: readonly TransformDrop[];
  /** The objects as backed up, to name dropped ones with their apiVersion. */
  readonly captured: readonly KubeObject[];
}

/** Entries, changes and drops are keyed by other shapes of an object's name; mismatched inputs are a bug, not data. */
export class ReportInputMismatch extends Error {
  constructor(message: string) {
    super(`restore report: ${message}`);
    this.name = 'ReportInputMismatch';
  }
}

const refOfId = (id: ObjectId): ObjectRef => ({ group: groupOf(id.apiVersion), kind: id.kind, namespace: id.namespace, name: id.name });

const sameId = (a: ObjectId, b: ObjectId) =>
  a.apiVersion === b.apiVersion && a.kind === b.kind && a.namespace === b.namespace && a.name === b.name;

function patchesOf(change: TransformChange): ReportPatch[] {
  return change.patches.map((p) => ('from' in p ? { op: p.op, path: p.path, from: p.from } : { op: p.op, path: p.path }));
}

/** The report document. Pure: the same input gives the same document. */
export function buildRestoreReport(input: ReportInput): RestoreReport {
  if (input.entries.length !== input.restored.length || input.origins.length !== input.restored.length) {
    throw new ReportInputMismatch(`${input.restored.length} objects, ${input.entries.length} entries and ${input.origins.length} origins`);
  }
  const changesOf = new Map<string, TransformChange[]>();
  for (const c of input.changes) changesOf.set(refKey(c.ref), [...(changesOf.get(refKey(c.ref)) ?? []), c]);
  const objects = input.restored.map((o, i): ReportObject => {
    const entry = input.entries[i];
    if (entry.object !== describeObject(o)) throw new ReportInputMismatch(`entry ${i} is for ${entry.object}, not ${describeObject(o)}`);
    const id = idOf(o);
    const origin = input.origins[i];
    const transforms = (changesOf.get(refKey(refOfId(origin))) ?? []).map(
      (c): ReportTransform => ({ name: c.transform, ...(c.reason === undefined ? {} : { reason: c.reason }), patches: patchesOf(c) }),
    );
    return {
      ...id,
      ...(sameId(id, origin) ? {} : { backedUpAs: origin }),
      action: entry.action,
      ...(entry.reason === undefined ? {} : { reason: entry.reason }),
      ...(entry.paths?.length ? { paths: [...entry.paths] } : {}),
      transforms,
    };
  });
  const apiVersionOf = new Map(input.captured.map((o) => [refKey(refOfId(idOf(o))), o.apiVersion]));
  const dropped = input.dropped.map((d): ReportDrop => {
    const apiVersion = apiVersionOf.get(refKey(d.ref));
    return {
      ...(apiVersion === undefined ? {} : { apiVersion }),
      kind: d.ref.kind,
      ...(d.ref.namespace === undefined ? {} : { namespace: d.ref.namespace }),
      name: d.ref.name,
      transform: d.transform,
      reason: d.reason,
    };
  });
  return {
    kind: restoreReportKind,
    formatVersion: restoreReportFormat,
    restoreId: input.restoreId,
    ...(input.workflow ? { workflow: input.workflow } : {}),
    app: input.app,
    backupId: input.backupId,
    store: input.store,
    source: input.source,
    target: input.target,
    mode: input.mode,
    existingObjects: input.existingObjects,
    existingNamespaces: input.existingNamespaces,
    namespaceMap: { ...input.namespaceMap },
    storageClassMap: { ...input.storageClassMap },
    ...(input.transforms ? { transforms: input.transforms } : {}),
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    counts: {
      objects: objects.length,
      ...countEntries(input.entries),
      dropped: dropped.length,
      changedByTransforms: input.changes.length,
    },
    objects,
    dropped,
  };
}

/** Readable as it is stored: indented JSON, one report per key. */
export async function writeRestoreReport(store: ObjectStore, key: string, report: RestoreReport): Promise<void> {
  const body = Buffer.from(`${JSON.stringify(report, null, 2)}\n`, 'utf8');
  await store.put(key, body, { contentType: 'application/json', size: body.length });
}

/** A key that holds something else than a restore report (or a format this version does not read). */
export class NotARestoreReport extends Error {
  constructor(
    readonly url: string,
    readonly key: string,
    problem: string,
  ) {
    super(`${url} key ${JSON.stringify(key)}: not a restore report (${problem})`);
    this.name = 'NotARestoreReport';
  }
}

export async function readRestoreReport(store: ObjectStore, key: string): Promise<RestoreReport> {
  let doc: unknown;
  try {
    doc = JSON.parse((await readAll(store, key)).toString('utf8'));
  } catch (e) {
    if (e instanceof SyntaxError) throw new NotARestoreReport(store.url, key, 'not JSON');
    throw e;
  }
  const kind = typeof doc === 'object' && doc !== null ? Reflect.get(doc, 'kind') : undefined;
  const format = typeof doc === 'object' && doc !== null ? Reflect.get(doc, 'formatVersion') : undefined;
  if (kind !== restoreReportKind) throw new NotARestoreReport(store.url, key, `kind ${JSON.stringify(kind)}`);
  if (format !== restoreReportFormat) throw new NotARestoreReport(store.url, key, `formatVersion ${JSON.stringify(format)}`);
  return doc as RestoreReport;
}
