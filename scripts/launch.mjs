#!/usr/bin/env node
// Starts one of Ferry's TypeScript entry points (the CLI, the worker, the benchmarks) as Ferry's processes run:
// on Node >= 22 (the Node this package ships, when the one on PATH is older), with the process profile of
// activities/process-profile.ts (set before Node starts, hence a child process), through tsx.
// Usage: node scripts/launch.mjs <entry.ts> [args...]
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import module from 'node:module';
import { constants } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const self = fileURLToPath(import.meta.url);
const pinned = fileURLToPath(new URL('../node_modules/node/bin/node', import.meta.url));

/** Runs `entry` (a path to a .ts module) with `args` as its process.argv tail; resolves to the exit code. */
export async function launch(entry, args) {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 22) {
    if (!existsSync(pinned)) {
      process.stderr.write(`ferry needs Node.js >= 22 (this is ${process.version}); run \`npm install\` in the ferry checkout\n`);
      return 1;
    }
    return relaunch(pinned, entry, args, process.env);
  }
  const { register } = await import('tsx/esm/api');
  register();
  const { profileMarker, profiledEnv } = await import('../activities/process-profile.ts');
  if (process.env[profileMarker] !== '1') return relaunch(process.execPath, entry, args, profiledEnv(process.env));
  // stack traces map to the TypeScript sources; the source maps of dependencies (hundreds of generated API models
  // in @kubernetes/client-node alone) would only cost memory: ~26 MiB of a process's RSS
  module.setSourceMapsSupport?.(true, { nodeModules: false, generatedCode: false });
  process.argv = [process.argv[0], resolve(entry), ...args];
  await import(pathToFileURL(resolve(entry)).href);
  return undefined;
}

/**
 * The child gets the terminal and the signals: a supervisor's SIGTERM or SIGHUP (sent to this pid) is passed
 * on; Ctrl-C reaches the child from the terminal itself, so here it is only kept from ending this process first.
 */
function relaunch(node, entry, args, env) {
  return new Promise((done) => {
    const child = spawn(node, [self, entry, ...args], { stdio: 'inherit', env });
    process.on('SIGINT', () => undefined);
    for (const s of ['SIGTERM', 'SIGHUP']) process.on(s, () => child.kill(s));
    child.on('exit', (code, signal) => done(code ?? 128 + (constants.signals[signal] ?? 0)));
    child.on('error', (e) => {
      process.stderr.write(`cannot start ${node}: ${e.message}\n`);
      done(1);
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === self) {
  const [entry, ...args] = process.argv.slice(2);
  if (!entry) {
    process.stderr.write('usage: node scripts/launch.mjs <entry.ts> [args...]\n');
    process.exitCode = 2;
  } else {
    const code = await launch(entry, args);
    if (code !== undefined) process.exitCode = code;
  }
}
