// Backup hook annotations: parsed into commands with their container, timeout and error policy, every
// mistake named by pod and annotation, and planned only on pods that can exec.
import { describe, expect, it } from 'vitest';
import { defaultHookTimeoutMs, parseCommand, parseDuration, parseHooks, planHooks } from '../../../activities/backup/backup-hooks.js';
import { describeExecError, exitCodeOf } from '../../../activities/backup/pod-exec.js';
import type { KubeObject } from '../../../activities/kube/object.js';

function pod(name: string, annotations: Record<string, string>, phase = 'Running', containers = ['db', 'sidecar']): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'shop', annotations },
    spec: { containers: containers.map((c) => ({ name: c, image: 'x' })) },
    status: { phase },
  };
}

describe('hook annotations', () => {
  it('parses a full pre hook', () => {
    const p = pod('db-0', {
      'pre.hook.backup.ferry.dev/command': '["/bin/sh","-c","pg_dump -Fc app > /data/dump"]',
      'pre.hook.backup.ferry.dev/container': 'db',
      'pre.hook.backup.ferry.dev/timeout': '5m',
      'pre.hook.backup.ferry.dev/on-error': 'Continue',
    });
    expect(parseHooks(p, 'pre')).toEqual({
      hooks: [
        {
          phase: 'pre',
          namespace: 'shop',
          pod: 'db-0',
          container: 'db',
          command: ['/bin/sh', '-c', 'pg_dump -Fc app > /data/dump'],
          timeoutMs: 300_000,
          onError: 'Continue',
        },
      ],
      problems: [],
    });
    expect(parseHooks(p, 'post')).toEqual({ hooks: [], problems: [] });
  });

  it('defaults to the first container, 30s and Fail', () => {
    const [hook] = parseHooks(pod('db-0', { 'post.hook.backup.ferry.dev/command': '/usr/bin/unfreeze' }), 'post').hooks;
    expect(hook).toMatchObject({ container: 'db', command: ['/usr/bin/unfreeze'], timeoutMs: defaultHookTimeoutMs, onError: 'Fail' });
  });

  it('names every problem by pod and annotation, and runs nothing of a broken hook', () => {
    const { hooks, problems } = parseHooks(
      pod('db-0', {
        'pre.hook.backup.ferry.dev/command': '["/bin/sh", 3]',
        'pre.hook.backup.ferry.dev/container': 'nope',
        'pre.hook.backup.ferry.dev/timeout': 'soon',
        'pre.hook.backup.ferry.dev/on-error': 'Ignore',
      }),
      'pre',
    );
    expect(hooks).toEqual([]);
    expect(problems.map((p) => `${p.pod} ${p.annotation}`)).toEqual([
      'shop/db-0 pre.hook.backup.ferry.dev/command',
      'shop/db-0 pre.hook.backup.ferry.dev/container',
      'shop/db-0 pre.hook.backup.ferry.dev/timeout',
      'shop/db-0 pre.hook.backup.ferry.dev/on-error',
    ]);
    expect(problems[1].message).toBe('no container "nope" (the pod has db, sidecar)');
  });

  it.each([
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1m30s', 90_000],
    ['', undefined],
    ['10', undefined],
    ['1d', undefined],
  ])('parses duration %j', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    ['["a","b"]', ['a', 'b']],
    ['run-me', ['run-me']],
    ['[]', undefined],
    ['["a",""]', undefined],
    ['[unclosed', undefined],
    ['  ', undefined],
  ])('parses command %j', (text, argv) => {
    expect(parseCommand(text)).toEqual(argv);
  });
});

describe('hook plan', () => {
  it('runs hooks of Running pods in name order and reports the others', () => {
    const cmd = { 'pre.hook.backup.ferry.dev/command': '["sync"]' };
    const plan = planHooks([pod('web-1', cmd), pod('db-0', cmd), pod('web-2', cmd, 'Pending'), pod('plain', {})], 'pre');
    expect(plan.run.map((h) => h.pod)).toEqual(['db-0', 'web-1']);
    expect(plan.notRunning.map((n) => `${n.hook.pod} ${n.phase}`)).toEqual(['web-2 Pending']);
    expect(plan.problems).toEqual([]);
  });
});

describe('exec results and errors', () => {
  it('reads the exit code from an exec status', () => {
    expect(exitCodeOf({ status: 'Success' })).toBe(0);
    expect(exitCodeOf({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '3' }] } })).toBe(
      3,
    );
    expect(exitCodeOf({ status: 'Failure', reason: 'InternalError', message: 'boom' })).toBeUndefined();
  });

  it('describes any client error by its message, never by dumping the object (it may hold the request and token)', () => {
    const withSecret = { message: 'Unexpected server response: 500', target: { headers: { Authorization: 'Bearer secret-token' } } };
    const text = describeExecError(withSecret);
    expect(text).toMatch(/^Unexpected server response: 500: the API server could not open the exec stream/);
    expect(text).not.toContain('secret-token');
    expect(describeExecError(new Error('socket hang up'))).toBe('socket hang up');
    expect(describeExecError({ error: { message: 'ECONNRESET' } })).toBe('ECONNRESET');
    expect(describeExecError({ headers: { Authorization: 'Bearer x' } })).toBe('the exec request failed without a message');
  });
});
