// `npm run stack -- up | down | status | env`: the real local servers Ferry is developed and tested against.
import { stackPaths } from './paths.js';
import { down, envExports, StackError, stackEnv, status, up } from './stack.js';

const usage = 'usage: npm run stack -- up | down | status | env';

async function main(argv: string[]): Promise<number> {
  const paths = stackPaths();
  const report = (line: string) => process.stderr.write(`${line}\n`);
  switch (argv[0]) {
    case 'up': {
      const t0 = Date.now();
      try {
        await up(paths, report);
      } catch (e) {
        if (e instanceof StackError) {
          process.stderr.write(
            `\nstack up failed in ${e.component}: ${e.message}\n--- last lines of ${e.logFile} ---\n${e.logTail}\n---\n`,
          );
          return 1;
        }
        throw e;
      }
      report(`stack up in ${((Date.now() - t0) / 1000).toFixed(1)}s; env in ${paths.envFile}`);
      return 0;
    }
    case 'down':
      await down(paths, report);
      return 0;
    case 'status': {
      const rows = await status(paths);
      const width = Math.max(...rows.map((r) => r.name.length));
      for (const r of rows) process.stdout.write(`${r.name.padEnd(width)}  ${r.state}${r.pid ? ` (pid ${r.pid})` : ''}\n`);
      return rows.every((r) => r.state === 'ready') ? 0 : 3;
    }
    case 'env':
      process.stdout.write(envExports(stackEnv(paths)));
      return 0;
    default:
      process.stderr.write(`${usage}\n`);
      return 2;
  }
}

process.exitCode = await main(process.argv.slice(2));
