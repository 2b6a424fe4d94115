// Entry point of `ferry` (bin/ferry.mjs and `npm run ferry`). The environment is completed from
// the local stack's exports here, at the edge, so the store SDKs' credential chains see it too.
import { cliEnv } from './env.js';
import { terminalIo } from './io.js';

const env = cliEnv();
for (const [k, v] of Object.entries(env)) if (process.env[k] === undefined && v !== undefined) process.env[k] = v;
const argv = process.argv.slice(2);
if (argv[0] === 'mover') {
  // the mover Job's process: the mover and its store's SDK only, no Temporal, no Kubernetes client
  const { moverMain } = await import('./commands/mover.js');
  process.exitCode = await moverMain(argv.slice(1), process.env, terminalIo());
} else {
  const { DefaultLogger, Runtime } = await import('@temporalio/worker');
  // the demo's in-process worker would otherwise narrate every state change between the progress lines
  Runtime.install({ logger: new DefaultLogger((process.env.FERRY_LOG_LEVEL as 'WARN' | undefined) ?? 'WARN') });
  const { main } = await import('./main.js');
  process.exitCode = await main(argv, terminalIo(), process.env);
}
