#!/usr/bin/env node
// The installed `ferry` command: the TypeScript CLI, started by scripts/launch.mjs (Node >= 22, Ferry's
// process profile, tsx).
import { fileURLToPath } from 'node:url';
import { launch } from '../scripts/launch.mjs';

const code = await launch(fileURLToPath(new URL('../cli/run.ts', import.meta.url)), process.argv.slice(2));
if (code !== undefined) process.exitCode = code;
