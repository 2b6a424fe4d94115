// Loads the local stack's exports (.stack/env, written by `npm run stack -- up`) into the test process.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const file = join(resolve(process.env.FERRY_STACK_DIR ?? '.stack'), 'env');
if (existsSync(file)) {
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^export ([A-Z0-9_]+)='(.*)'$/.exec(line);
    if (m && process.env[m[1]] === undefined) process.env[m[1]] = m[2].replace(/'\\''/g, "'");
  }
}
