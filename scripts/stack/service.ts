// A service of the local stack: one process, the ports it binds, how to tell it is ready.
import type { StackPaths } from './paths.js';
import type { ProcessSpec } from './process.js';

export interface Service {
  /** Process name, unique in the stack: pid and log files are named after it. */
  readonly name: string;
  /** Loopback ports the process binds; each must be free before it starts. */
  readonly ports: readonly number[];
  readonly dependsOn: readonly string[];
  readonly readyTimeoutMs: number;
  /** Installs what the process needs (cached) and returns how to run it. */
  spec(paths: StackPaths): Promise<ProcessSpec>;
  ready(): Promise<boolean>;
  /** Idempotent set-up once ready (buckets, nodes, storage classes). */
  seed?(): Promise<void>;
}
