import type { RestoreTransformConfig } from '../config/restore.js';

// The records that travel through workflow history: names, store URLs without secrets, keys,
// counts and digests. Never a manifest body, a Secret value or a credential.

export type Mechanism = 'helm3' | 'helm2' | 'argocd' | 'flux' | 'manual';

export interface Selection {
  readonly includeNamespaces: readonly string[];
  readonly excludeNamespaces: readonly string[];
  readonly labelSelector?: string;
}

export type RestoreMode = 'full' | 'manifests-only' | 'data-only';
export type ExistingObjectPolicy = 'skip' | 'update' | 'fail';
export type NamespacePolicy = 'merge' | 'fail';

/** How apps are restored: what is restored, and what happens to what is already on the target. */
export interface RestoreSettings {
  readonly mode: RestoreMode;
  readonly existingObjects: ExistingObjectPolicy;
  readonly existingNamespaces: NamespacePolicy;
  /** Registry, label, Ingress host and JSON-patch transforms (parsed config; no secrets belong in it). */
  readonly transforms?: RestoreTransformConfig;
}

export const defaultRestoreSettings: RestoreSettings = { mode: 'full', existingObjects: 'update', existingNamespaces: 'merge' };

export interface CampaignInput {
  readonly name: string;
  /** kubeconfig context names; each worker maps them to credentials of its own. */
  readonly source: string;
  readonly target: string;
  readonly storeUrl: string;
  readonly selection: Selection;
  readonly storageClassMap: Readonly<Record<string, string>>;
  readonly namespaceMap: Readonly<Record<string, string>>;
  readonly concurrency: number;
  /** Absent in campaigns started before restore settings existed: then defaultRestoreSettings. */
  readonly restore?: RestoreSettings;
}

export interface VolumeSummary {
  readonly claim: string;
  readonly storageClass: string;
  readonly size: string;
}

export interface AppSummary {
  /**
   * `<namespace>/<app>`. An app is a namespace, unless Helm, Argo CD, Flux or app.kubernetes.io labels split it into
   * several; objects no tool claims belong to the app named after the namespace (activities/inventory/membership.ts).
   */
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  readonly team: string;
  readonly mechanism: Mechanism;
  readonly stateful: boolean;
  readonly volumes: readonly VolumeSummary[];
  readonly objectCount: number;
}

/** What the inventory activity returns; the whole document stays in the store, at `key`. */
export interface InventoryResult {
  readonly key: string;
  /** Of the stored document's bytes. */
  readonly sha256: string;
  readonly apps: readonly AppSummary[];
  readonly warnings: readonly string[];
}

export interface AppPlan {
  readonly campaign: string;
  readonly app: AppSummary;
  readonly source: string;
  readonly target: string;
  readonly storeUrl: string;
  readonly backupId: string;
  readonly targetNamespace: string;
  readonly storageClassMap: Readonly<Record<string, string>>;
  readonly namespaceMap: Readonly<Record<string, string>>;
  readonly restore: RestoreSettings;
  readonly workflowId: string;
}

export type AppStep = 'backupManifests' | 'backupVolumes' | 'restoreManifests' | 'restoreVolumes' | 'verify';
export type AppPhase = 'Pending' | 'Backup' | 'Preflight' | 'Restore' | 'Verify' | 'Completed' | 'PartiallyFailed' | 'Failed';

export interface StoredObject {
  readonly key: string;
  readonly size: number;
  readonly sha256: string;
}

export interface ManifestBackup {
  readonly manifests: StoredObject;
  readonly raw: StoredObject;
  readonly objects: number;
  /** The id (never the key) of the key Secret values were sealed under; absent when stored in clear. */
  readonly encryptionKeyId?: string;
  /** What the capture could not see (types that may not be listed, group/versions not discoverable); at most maxProblemsInHistory. */
  readonly warnings?: readonly string[];
}

export interface VolumeBackup {
  readonly claim: string;
  /** The volume's snapshot: its files (with a sha256 each) and where their chunks are in the store's shared repository. */
  readonly snapshot: StoredObject;
  readonly files: number;
  /** File data in the volume. */
  readonly bytes: number;
  /** What this backup sent to the store (new packs, their indexes, the snapshot): little when little changed. */
  readonly uploadedBytes: number;
  readonly chunks: number;
  /** Chunks stored by this backup; the rest were already in the repository. */
  readonly newChunks: number;
}

/** A backup hook command (pod annotation) that ran, or could not, around the volume backup. */
export interface HookOutcome {
  readonly phase: 'pre' | 'post';
  /** `<namespace>/<pod>/<container>`. */
  readonly target: string;
  readonly status: 'Succeeded' | 'Failed';
  readonly exitCode?: number;
  /** Why it failed (exit code, timeout, exec refused), with the last bytes of stderr; capped to keep history small. */
  readonly message?: string;
  readonly durationMs: number;
}

/** One object that did not restore or verify, and why; lists of them are capped to keep history small. */
export interface ObjectProblem {
  readonly object: string;
  readonly reason: string;
}

export const maxProblemsInHistory = 50;

/** What a restore did to an app's objects, counted by action. */
export interface RestoreCounts {
  readonly created: number;
  readonly changed: number;
  readonly unchanged: number;
  readonly skipped: number;
  readonly failed: number;
}

/** The counts, and where the restore's report is: the per-object detail stays in the store, not in history. */
export interface RestoreSummary extends RestoreCounts {
  /** Key of the restore report in the backup store (activities/stores/layout.ts restoreReportKey). */
  readonly reportKey?: string;
  /** Why no report was written (the store refused it); the restore itself is not failed for that. */
  readonly reportError?: string;
}

export interface RestoreResult extends RestoreSummary {
  readonly problems: readonly ObjectProblem[];
  readonly changedByTransforms: number;
  readonly dropped: number;
}

export interface ScaledWorkload {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly replicas: number;
}

export interface VolumeRestore {
  readonly claim: string;
  readonly files: number;
  readonly bytes: number;
}

export interface VerifyResult {
  readonly objectsChecked: number;
  readonly workloadsReady: number;
  readonly filesVerified: number;
  /** Objects whose live state does not have the digest of what was applied. */
  readonly mismatched: readonly ObjectProblem[];
}

export type AppStatus = 'Succeeded' | 'PartiallyFailed' | 'Failed';

export interface AppResult {
  readonly id: string;
  readonly team: string;
  readonly status: AppStatus;
  readonly objects: number;
  readonly volumes: number;
  readonly files: number;
  readonly bytes: number;
  readonly error?: string;
  /** Per-object reasons of a PartiallyFailed app. */
  readonly problems?: readonly ObjectProblem[];
  /** What the restore did to the app's objects and where its report is; absent when it restored none (data-only). */
  readonly restore?: RestoreSummary;
  /** What its backup could not capture: the migration may lack those objects. */
  readonly warnings?: readonly string[];
}

export interface TeamSummary {
  readonly team: string;
  readonly apps: number;
  readonly succeeded: number;
  readonly partiallyFailed: number;
  readonly failed: number;
  readonly bytes: number;
}

export type CampaignPhase = 'Inventory' | 'Planning' | 'Migrating' | 'Completed' | 'PartiallyFailed' | 'Failed';

export interface CampaignStatus {
  readonly campaign: string;
  readonly phase: CampaignPhase;
  readonly inventoryKey?: string;
  readonly apps: readonly { id: string; team: string; phase: AppPhase; error?: string }[];
}

export interface CampaignResult {
  readonly campaign: string;
  readonly inventoryKey: string;
  readonly apps: readonly AppResult[];
  readonly teams: readonly TeamSummary[];
  readonly warnings: readonly string[];
}
