// The CLI's environment: the process's own variables, completed from the local stack's exports
// (.stack/env) when that file exists, so `npm run ferry` works against the local stack as is.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));

export function parseEnvExports(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^export ([A-Z0-9_]+)='(.*)'$/.exec(line);
    if (m) out[m[1]] = m[2].replace(/'\\''/g, "'");
  }
  return out;
}

export function cliEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const file = join(resolve(env.FERRY_STACK_DIR ?? join(repoRoot, '.stack')), 'env');
  if (!existsSync(file)) return env;
  return { ...parseEnvExports(readFileSync(file, 'utf8')), ...env };
}

export function temporalUiLink(env: NodeJS.ProcessEnv, workflowId: string): string {
  const base = env.FERRY_TEMPORAL_UI_URL ?? 'http://127.0.0.1:8233';
  return `${base}/namespaces/${encodeURIComponent(env.TEMPORAL_NAMESPACE ?? 'default')}/workflows/${encodeURIComponent(workflowId)}`;
}
