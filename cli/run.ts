// Entry point of `ferry` (bin/ferry.mjs and `npm run ferry`). The environment is completed from
// the local stack's exports here, at the edge, so the store SDKs' credential chains see it too.
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { cliEnv } from './env.js';
import { terminalIo } from './io.js';
import { main } from './main.js';

// the demo's in-process worker would otherwise narrate every state change between the progress lines
Runtime.install({ logger: new DefaultLogger((process.env.FERRY_LOG_LEVEL as 'WARN' | undefined) ?? 'WARN') });

const env = cliEnv();
for (const [k, v] of Object.entries(env)) if (process.env[k] === undefined && v !== undefined) process.env[k] = v;
process.exitCode = await main(process.argv.slice(2), terminalIo(), process.env);
