#!/usr/bin/env node
// The installed `ferry` command: runs the TypeScript CLI through tsx, on Node >= 22. Where the
// Node on PATH is older, it re-runs itself on the Node the package ships as a dependency.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const major = Number(process.versions.node.split('.')[0]);
const pinned = fileURLToPath(new URL('../node_modules/node/bin/node', import.meta.url));
if (major < 22) {
  if (!existsSync(pinned)) {
    process.stderr.write(`ferry needs Node.js >= 22 (this is ${process.version}); run \`npm install\` in the ferry checkout\n`);
    process.exit(1);
  }
  const r = spawnSync(pinned, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
const { register } = await import('tsx/esm/api');
register();
await import('../cli/run.ts');
