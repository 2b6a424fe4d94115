// Where the local stack keeps its state (per clone) and its built tools (per machine, keyed by version).
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface StackPaths {
  readonly state: string;
  readonly cache: string;
  readonly logs: string;
  readonly pids: string;
  readonly envFile: string;
  readonly kubeconfig: string;
}

export function stackPaths(env: NodeJS.ProcessEnv = process.env): StackPaths {
  const state = resolve(env.FERRY_STACK_DIR ?? join(repoRoot, '.stack'));
  const cache = resolve(env.FERRY_CACHE_DIR ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'ferry'));
  return {
    state,
    cache,
    logs: join(state, 'logs'),
    pids: join(state, 'pids'),
    envFile: join(state, 'env'),
    kubeconfig: join(state, 'kubeconfig'),
  };
}
