// Backup hooks against the real source cluster. Its nodes are KWOK's: pods run only on paper and no
// kubelet answers exec, so every hook here fails the way a real exec failure does, and the test checks
// that this failure is clear and reported per app (or as a warning under on-error Continue).
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHookActivities } from '../../activities/backup/hooks-activity.js';
import { kubePodExec } from '../../activities/backup/pod-exec.js';
import type { ActivityDeps } from '../../activities/deps.js';
import { Cluster } from '../../activities/kube/cluster.js';
import { noProgress } from '../../activities/progress.js';
import { stackVar } from '../setup/stack.js';
import { removeNamespaces } from '../support/estate.js';
import { waitUntil } from '../support/wait.js';

const ns = `hooks-${randomUUID().slice(0, 6)}`;
let source: Cluster;
let deps: ActivityDeps;

function pod(name: string, annotations: Record<string, string>, labels: Record<string, string> = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, annotations, labels },
    spec: { containers: [{ name: 'db', image: 'postgres:16' }] },
  };
}

beforeAll(async () => {
  source = Cluster.fromKubeconfig('ferry-source', stackVar('KUBECONFIG'));
  deps = {
    cluster: () => source,
    store: () => {
      throw new Error('hooks use no store');
    },
    progress: () => noProgress,
    now: () => new Date(),
    readyTimeoutMs: 10_000,
    podExec: (context) => kubePodExec(context, stackVar('KUBECONFIG')),
  };
  await source.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  await source.apply(pod('db-0', { 'pre.hook.backup.ferry.dev/command': '["/bin/sh","-c","pg_dump -Fc app > /data/dump"]' }));
  await source.apply(
    pod('cache-0', { 'post.hook.backup.ferry.dev/command': '["redis-cli","bgsave"]', 'post.hook.backup.ferry.dev/on-error': 'Continue' }),
  );
  await source.apply(pod('web-0', {}));
  // another app in the same namespace (its own instance label): its hooks are its own, never this app's
  await source.apply(pod('other-0', { 'pre.hook.backup.ferry.dev/command': '["sync"]' }, { 'app.kubernetes.io/instance': 'other' }));
  await waitUntil(`pods of ${ns} Running`, async () => {
    const phases = await Promise.all(
      ['db-0', 'cache-0', 'web-0', 'other-0'].map(async (name) => {
        const p = (await source.get({ apiVersion: 'v1', kind: 'Pod', namespace: ns, name })) as { status?: { phase?: string } } | undefined;
        return p?.status?.phase;
      }),
    );
    return phases.every((p) => p === 'Running');
  });
});

afterAll(async () => {
  if (source) await removeNamespaces([source], [ns]);
  source?.close();
});

describe('backup hooks on the local stack', () => {
  it('fails the backup with a clear, non-retryable error when a Fail hook cannot exec (KWOK runs no kubelet)', async () => {
    const err = await createHookActivities(deps)
      .runBackupHooks({ appId: `${ns}/${ns}`, namespace: ns, app: ns, source: 'ferry-source', phase: 'pre' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    const failure = err as ApplicationFailure;
    expect(failure.type).toBe('HookFailed');
    expect(failure.nonRetryable).toBe(true);
    // the apiserver cannot reach a kubelet on the KWOK node: the message says where and why (the API server
    // reports it in the exec status or as a 500 on the stream upgrade, depending on its timing)
    expect(failure.message).toMatch(
      new RegExp(
        `^${ns}/${ns}: backup hook\\(s\\) failed: pre ${ns}/db-0/db: ferry-source: exec in pod ${ns}/db-0 container db on node [a-z0-9-]+: `,
      ),
    );
    expect(failure.message).toMatch(/10250.*connection refused|Unexpected server response: 500: .*kubelet/);
    expect(failure.message).not.toContain('other-0');
  });

  it('reports a failed Continue hook as a warning and goes on', async () => {
    const outcomes = await createHookActivities(deps).runBackupHooks({
      appId: `${ns}/${ns}`,
      namespace: ns,
      app: ns,
      source: 'ferry-source',
      phase: 'post',
    });
    expect(outcomes).toEqual([
      {
        phase: 'post',
        target: `${ns}/cache-0/db`,
        status: 'Failed',
        message: expect.stringMatching(/exec in pod .*cache-0 container db.*(connection refused|kubelet)/),
        durationMs: expect.any(Number),
      },
    ]);
  });

  it('refuses a malformed hook annotation, naming the pod and annotation, before running anything', async () => {
    await source.apply(
      pod('bad-0', { 'pre.hook.backup.ferry.dev/command': '["/bin/sh"]', 'pre.hook.backup.ferry.dev/timeout': 'forever' }),
    );
    const err = (await createHookActivities(deps)
      .runBackupHooks({ appId: `${ns}/${ns}`, namespace: ns, app: ns, source: 'ferry-source', phase: 'pre' })
      .catch((e: unknown) => e)) as ApplicationFailure;
    expect(err.message).toContain(`pre ${ns}/bad-0: pre.hook.backup.ferry.dev/timeout: must be a duration`);
    await source.delete({ apiVersion: 'v1', kind: 'Pod', namespace: ns, name: 'bad-0' });
  });
});
