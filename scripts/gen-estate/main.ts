// `npm run gen:estate -- --context CTX --apps N --teams T [--seed S] [--prefix P] [--concurrency C] [--delete [--wait]]`:
// creates (or deletes) a synthetic estate on a cluster. Reads KUBECONFIG, completed from the local stack's exports.
import { parseArgs } from 'node:util';
import { cliEnv } from '../../cli/env.js';
import { applyEstate, deleteEstate } from './apply.js';
import { buildEstate } from './build.js';

const usage = `usage: npm run gen:estate -- --context CTX --apps N --teams T [--seed S] [--prefix P] [--concurrency C]
       npm run gen:estate -- --context CTX --delete [--prefix P] [--wait]`;

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      context: { type: 'string' },
      apps: { type: 'string' },
      teams: { type: 'string', default: '12' },
      seed: { type: 'string', default: '1' },
      prefix: { type: 'string', default: 'gen' },
      concurrency: { type: 'string', default: '24' },
      delete: { type: 'boolean', default: false },
      wait: { type: 'boolean', default: false },
    },
  });
  const env = cliEnv();
  const context = values.context ?? env.FERRY_SOURCE_CONTEXT;
  if (!context) {
    process.stderr.write(`--context is required\n${usage}\n`);
    return 2;
  }
  const target = { context, kubeconfig: env.KUBECONFIG };
  const concurrency = Number(values.concurrency);
  const started = performance.now();
  if (values.delete) {
    const { deleted } = await deleteEstate(target, values.prefix, { concurrency, wait: values.wait });
    process.stdout.write(
      `deleted ${deleted} namespaces and objects of estate ${values.prefix} on ${context} in ${((performance.now() - started) / 1000).toFixed(1)}s\n`,
    );
    return 0;
  }
  if (values.apps === undefined) {
    process.stderr.write(`--apps is required\n${usage}\n`);
    return 2;
  }
  const estate = buildEstate({ prefix: values.prefix, apps: Number(values.apps), teams: Number(values.teams), seed: values.seed });
  const { applied } = await applyEstate(target, estate, {
    concurrency,
    onProgress: (done, total) => process.stderr.write(`applied ${done}/${total}\n`),
  });
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    `estate ${values.prefix}: ${estate.apps.length} apps in ${estate.namespaces.length} namespaces, ${applied} objects applied to ${context} in ${seconds.toFixed(1)}s (${Math.round(applied / seconds)}/s)\n`,
  );
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`gen:estate: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
}
