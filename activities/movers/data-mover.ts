// The volume data mover port: back a volume's files up into a snapshot object, restore a snapshot into
// a directory, and list a snapshot's files for verification. Activities depend on this, not on a format.
import type { StoredObject } from '../../workflows/types.js';
import type { FileDigest } from './file-tree.js';

export interface MoverProgress {
  readonly files: number;
  /** File bytes read (backup) or written (restore). */
  readonly bytes: number;
  /** Bytes sent to the store: new packs, their indexes and the snapshot. */
  readonly uploadedBytes: number;
}

export interface VolumeBackupRequest {
  readonly claim: string;
  /** Where the volume's files are: the PV's hostPath on the local stack, the PVC's mount inside a mover Job. */
  readonly dir: string;
  /** The object the snapshot is written to (layout.snapshotKey). */
  readonly snapshotKey: string;
  readonly onProgress?: (p: MoverProgress) => void;
}

export interface VolumeBackupSummary {
  readonly snapshot: StoredObject;
  readonly files: number;
  readonly bytes: number;
  readonly uploadedBytes: number;
  readonly chunks: number;
  /** Chunks this backup stored; the others were already in the repository. */
  readonly newChunks: number;
  readonly warnings: readonly string[];
}

export interface VolumeRestoreRequest {
  readonly snapshot: StoredObject;
  /** The directory to restore into (the target claim's hostPath, or its mount in a mover Job). */
  readonly dir: string;
  readonly onProgress?: (p: MoverProgress) => void;
}

export interface VolumeRestoreSummary {
  readonly files: number;
  readonly bytes: number;
  /** Files already in place with the right content (a retried restore), not written again. */
  readonly alreadyInPlace: number;
}

export interface DataMover {
  backup(req: VolumeBackupRequest): Promise<VolumeBackupSummary>;
  /** Writes every file, verifying each against its sha256 before it takes its name; refuses a damaged backup. */
  restore(req: VolumeRestoreRequest): Promise<VolumeRestoreSummary>;
  /** The files of a snapshot with their digests: what a restored volume is compared with. */
  files(snapshot: StoredObject): Promise<FileDigest[]>;
}
