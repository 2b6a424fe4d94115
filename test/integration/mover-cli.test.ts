// `ferry mover backup|restore`, the command the in-cluster mover Job runs, as a real process and through main():
// a backup of a directory to a store and its restore to the same bytes, the summary on stdout, and arguments or
// settings that cannot work refused with exit code 2 before anything is read or written.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compareDigests, digestDirectory } from '../../activities/movers/file-tree.js';
import { main } from '../../cli/main.js';
import { captureIo } from '../support/io.js';

const root = mkdtempSync(join(tmpdir(), 'ferry-mover-cli-'));
const data = join(root, 'data');
const storeDir = join(root, 'store');
const store = `file://${storeDir}`;
const key = randomBytes(32).toString('base64');

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('ferry mover', () => {
  mkdirSync(join(data, 'sub'), { recursive: true });
  mkdirSync(storeDir);
  writeFileSync(join(data, 'a.bin'), randomBytes(3 * 1024 * 1024));
  writeFileSync(join(data, 'sub', 'b.txt'), 'hello\n'.repeat(1000));

  it('backs a directory up as its own process, printing the summary, and restores it to the same bytes', async () => {
    const env = { ...process.env, FERRY_ENCRYPTION_KEY: key };
    const backup = spawnSync(
      process.execPath,
      [
        'scripts/launch.mjs',
        'cli/run.ts',
        'mover',
        'backup',
        '--store',
        store,
        '--snapshot-key',
        'snap/one',
        '--dir',
        data,
        '--claim',
        'data',
      ],
      { env, encoding: 'utf8' },
    );
    expect(backup.status).toBe(0);
    // progress goes to stderr, the summary alone to stdout
    expect(backup.stdout.trim().split('\n')).toHaveLength(1);
    expect(backup.stderr).toContain('files,');
    const summary = JSON.parse(backup.stdout.trim()) as {
      snapshot: { key: string; sha256: string; size: number };
      files: number;
      bytes: number;
    };
    expect([summary.snapshot.key, summary.files, summary.bytes]).toEqual(['snap/one', 2, 3 * 1024 * 1024 + 6000]);

    const target = join(root, 'restored');
    const io = captureIo();
    const args = ['--store', store, '--snapshot-key', 'snap/one', '--snapshot-sha256', summary.snapshot.sha256, '--dir', target];
    expect(await main(['mover', 'restore', ...args, '--snapshot-size', String(summary.snapshot.size)], io, env)).toBe(0);
    expect(JSON.parse(io.outLines[0])).toMatchObject({ files: 2, bytes: 3 * 1024 * 1024 + 6000 });
    expect(compareDigests(await digestDirectory(data), await digestDirectory(target))).toEqual([]);

    // a snapshot whose digest is not the one given is refused, naming its key
    const wrong = captureIo();
    expect(
      await main(
        [
          'mover',
          'restore',
          ...args.slice(0, 5),
          '0'.repeat(64),
          '--dir',
          join(root, 'x'),
          '--snapshot-size',
          String(summary.snapshot.size),
        ],
        wrong,
        env,
      ),
    ).toBe(1);
    expect(wrong.errLines.join('\n')).toContain('snap/one');
  });

  it('refuses arguments and settings that cannot work with exit code 2, naming them', async () => {
    const cases: [string[], NodeJS.ProcessEnv, string][] = [
      [['mover', 'copy'], {}, 'backup or restore'],
      [['mover', 'backup', '--store', store, '--dir', data], {}, '--snapshot-key, --claim required'],
      [['mover', 'backup', '--store', 's3://user:pw@bucket/x', '--snapshot-key', 'k', '--dir', data, '--claim', 'c'], {}, 'credentials'],
      [
        ['mover', 'restore', '--store', store, '--snapshot-key', 'k', '--snapshot-sha256', 'ab', '--snapshot-size', 'many', '--dir', data],
        {},
        '--snapshot-size',
      ],
      [
        ['mover', 'backup', '--store', store, '--snapshot-key', 'k', '--dir', data, '--claim', 'c'],
        { FERRY_ENCRYPTION_KEY: 'short' },
        'FERRY_ENCRYPTION_KEY',
      ],
      [
        ['mover', 'backup', '--store', store, '--snapshot-key', 'k', '--dir', data, '--claim', 'c'],
        { FERRY_BACKUP_LOCK_DAYS: 'ever' },
        'FERRY_BACKUP_LOCK_DAYS',
      ],
    ];
    for (const [argv, env, says] of cases) {
      const io = captureIo();
      expect([argv.join(' '), await main(argv, io, env)]).toEqual([argv.join(' '), 2]);
      expect(io.errLines.join('\n')).toContain(says);
      expect(io.errLines.join('\n')).not.toContain('pw');
    }
  });

  it('fails with exit code 1 naming the store when the store is not there', async () => {
    const io = captureIo();
    const missing = `file://${join(root, 'nowhere')}`;
    const code = await main(['mover', 'backup', '--store', missing, '--snapshot-key', 'k', '--dir', data, '--claim', 'c'], io, {});
    expect(code).toBe(1);
    expect(io.errLines.join('\n')).toContain(missing);
  });
});
