// The stack manager's promises on real processes: a failing component is named with its log,
// nothing it started is left running, `status` tells the truth and `down` stops only its own.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ok } from '../../scripts/stack/https-probe.js';
import { type StackPaths, stackPaths } from '../../scripts/stack/paths.js';
import { alive, runningPid } from '../../scripts/stack/process.js';
import type { Service } from '../../scripts/stack/service.js';
import { down, StackError, startServices, status } from '../../scripts/stack/stack.js';
import { ToolInstallError } from '../../scripts/stack/tools.js';
import { waitUntil } from '../support/wait.js';

/**
 * A port nothing listens on, below Linux's ephemeral range (32768 and up): a port the kernel hands out is also one
 * it may give the next outgoing connection of the tests running alongside, before the stack checks it is free.
 */
async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const srv = createServer();
    const bound = await new Promise<boolean>((r) => {
      srv.once('error', () => r(false));
      srv.listen(port, '127.0.0.1', () => r(true));
    });
    if (!bound) continue;
    await new Promise((r) => srv.close(r));
    return port;
  }
}

/** A real process: an HTTP server on `port` after printing a line, or one that never listens. */
function nodeService(name: string, port: number, opts: { listens: boolean; dependsOn?: string[]; timeoutMs?: number }): Service {
  const code = opts.listens
    ? `console.error('${name} booting'); require('http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1')`
    : `console.error('${name} booting, waiting for a license server that never answers'); setInterval(() => {}, 1000)`;
  return {
    name,
    ports: [port],
    dependsOn: opts.dependsOn ?? [],
    readyTimeoutMs: opts.timeoutMs ?? 10_000,
    spec: async () => ({ name, command: process.execPath, args: ['-e', code] }),
    ready: () => ok(`http://127.0.0.1:${port}/`),
  };
}

describe('stack manager', () => {
  let paths: StackPaths;
  const cleanups: (() => Promise<unknown>)[] = [];
  const fresh = () => {
    paths = stackPaths({ FERRY_STACK_DIR: mkdtempSync(join(tmpdir(), 'ferry-stack-')) });
    return paths;
  };
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  it('names a component that misses its deadline, shows its log, and stops what it started', async () => {
    const p = fresh();
    const a = nodeService('alpha', await freePort(), { listens: true });
    const slow = nodeService('slow', await freePort(), { listens: false, dependsOn: ['alpha'], timeoutMs: 1_500 });
    cleanups.push(() => down(p, () => undefined, [a, slow]));
    const lines: string[] = [];
    const err = await startServices(p, (l) => lines.push(l), [a, slow]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StackError);
    const e = err as StackError;
    expect(e.component).toBe('slow');
    expect(e.message).toMatch(/slow not ready within \d+s/);
    expect(e.logFile).toBe(join(p.logs, 'slow.log'));
    expect(e.logTail).toContain('waiting for a license server');
    expect(lines.some((l) => l.startsWith('alpha: started'))).toBe(true);
    // no orphan: alpha was started by this call and is stopped again
    expect(runningPid(p, 'alpha')).toBeUndefined();
    expect(runningPid(p, 'slow')).toBeUndefined();
    // ports are released with the processes; the kernel may take a moment, so wait with a deadline
    const states = await waitUntil(
      'both stopped',
      async () => {
        const st = (await status(p, [a, slow])).map((s) => s.state);
        return st.every((x) => x === 'stopped') ? st : undefined;
      },
      { timeoutMs: 10_000 },
    );
    expect(states).toEqual(['stopped', 'stopped']);
  });

  it('refuses a port held by another process, naming the component and the port', async () => {
    const p = fresh();
    const port = await freePort();
    const squatter: Server = createServer();
    await new Promise<void>((r) => squatter.listen(port, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => squatter.close(r)));
    const svc = nodeService('gamma', port, { listens: true });
    const err = (await startServices(p, () => undefined, [svc]).catch((e: unknown) => e)) as StackError;
    expect(err).toBeInstanceOf(StackError);
    expect(err.component).toBe('gamma');
    expect(err.message).toContain(`127.0.0.1:${port} is already in use`);
    expect((await status(p, [svc]))[0].state).toBe('port in use by another process');
  });

  it('reports a tool that fails to install with its build log', async () => {
    const p = fresh();
    const log = join(p.state, 'build.log');
    writeFileSync(log, 'compiling...\nerror: undefined: missingSymbol\n');
    const broken: Service = {
      ...nodeService('delta', await freePort(), { listens: true }),
      spec: async () => {
        throw new ToolInstallError('delta-1.0', log, 'delta-1.0: `go build` exited with 1');
      },
    };
    const err = (await startServices(p, () => undefined, [broken]).catch((e: unknown) => e)) as StackError;
    expect(err.component).toBe('delta');
    expect(err.logFile).toBe(log);
    expect(err.logTail).toContain('undefined: missingSymbol');
  });

  it('is idempotent, tells status truthfully, and down stops only its own processes', async () => {
    const p = fresh();
    const svc = nodeService('epsilon', await freePort(), { listens: true });
    cleanups.push(() => down(p, () => undefined, [svc]));
    const outsider = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    cleanups.push(async () => outsider.kill('SIGKILL'));

    await startServices(p, () => undefined, [svc]);
    const pid = runningPid(p, 'epsilon');
    expect(pid).toBeDefined();
    const again: string[] = [];
    await startServices(p, (l) => again.push(l), [svc]);
    expect(again).toEqual([`epsilon: already running (pid ${pid})`]);
    expect(await status(p, [svc])).toMatchObject([{ name: 'epsilon', state: 'ready', pid }]);

    await down(p, () => undefined, [svc]);
    expect(alive(pid as number)).toBe(false);
    expect(alive(outsider.pid as number)).toBe(true);
    // the listening socket goes with the process; wait for the kernel to let go of it, with a deadline
    expect(
      await waitUntil('epsilon stopped', async () => ((await status(p, [svc]))[0].state === 'stopped' ? true : undefined), {
        timeoutMs: 10_000,
      }),
    ).toBe(true);
  });
});
