// scripts/launch.mjs on real processes: the entry runs under Ferry's process profile with its arguments, its exit
// code comes back, a SIGTERM to the launcher reaches it, and an old Node on PATH hands over to the pinned one.
import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { allocatorEnv, nodeOptions, withoutProfile } from '../../activities/process-profile.js';
import { waitUntil } from '../support/wait.js';

const entry = 'test/fixtures/launched-entry.ts';
const env = withoutProfile(process.env);

describe('scripts/launch.mjs', () => {
  it('runs the entry with the profile and its arguments, and returns its exit code', () => {
    const r = spawnSync(process.execPath, ['scripts/launch.mjs', entry, 'exit', '7'], { env, encoding: 'utf8' });
    expect(r.status).toBe(7);
    const seen = JSON.parse(r.stdout.trim().split('\n')[0]) as { argv: string[]; nodeOptions: string; arenas: string };
    expect(seen.argv).toEqual(['exit', '7']);
    expect(seen.nodeOptions).toBe(nodeOptions.join(' '));
    expect(seen.arenas).toBe(allocatorEnv.MALLOC_ARENA_MAX);
  });

  it('passes a SIGTERM on to the entry and ends with its code', async () => {
    const child = spawn(process.execPath, ['scripts/launch.mjs', entry, 'wait', '3'], { env });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await waitUntil('the entry is running', async () => out.includes('"argv"'), { timeoutMs: 20_000 });
    child.kill('SIGTERM');
    expect(await exited).toBe(3);
    expect(out).toContain('got SIGTERM');
  });

  // the machine's own Node (20 here) is what `ferry` meets on PATH when installed
  it('hands the system Node over to the Node the package ships', () => {
    const r = spawnSync('/usr/bin/node', ['scripts/launch.mjs', entry, 'exit', '0'], { env, encoding: 'utf8' });
    expect(r.status).toBe(0);
    const seen = JSON.parse(r.stdout.trim().split('\n')[0]) as { node: string };
    expect(Number(seen.node.split('.')[0])).toBeGreaterThanOrEqual(22);
  });
});
