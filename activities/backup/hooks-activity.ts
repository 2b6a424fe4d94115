// The backup hook activity: runs an app's pre or post hooks (pod annotations) through pods/exec,
// each bounded by its timeout. Outcomes are data; a failed hook with on-error Fail fails the backup.
import { ApplicationFailure } from '@temporalio/common';
import type { HookOutcome } from '../../workflows/types.js';
import type { ActivityDeps } from '../deps.js';
import type { KubeObject } from '../kube/object.js';
import { declaresHooks, type HookPhase, type HookSpec, planHooks } from './backup-hooks.js';
import { captureApp } from './manifests.js';
import { ExecFailed } from './pod-exec.js';

/** A hook with on-error Fail did not succeed; permanent, since running a failed dump again rarely helps. */
export class HookFailed extends Error {
  constructor(
    readonly app: string,
    readonly outcomes: readonly HookOutcome[],
  ) {
    super(`${app}: backup hook(s) failed: ${outcomes.map((o) => `${o.phase} ${o.target}: ${o.message ?? o.status}`).join('; ')}`);
    this.name = 'HookFailed';
  }
}

/** Outcome messages are capped: they go to workflow history. */
const maxMessage = 600;
const cap = (s: string) => (s.length > maxMessage ? `${s.slice(0, maxMessage)}…` : s);
const targetOf = (h: HookSpec) => `${h.namespace}/${h.pod}/${h.container}`;

export function createHookActivities(deps: ActivityDeps) {
  return {
    async runBackupHooks(input: {
      appId: string;
      namespace: string;
      /** Absent in inputs scheduled before apps were told apart within a namespace: then all its pods. */
      app?: string;
      source: string;
      phase: HookPhase;
    }): Promise<HookOutcome[]> {
      const cluster = deps.cluster(input.source);
      const progress = deps.progress();
      const podType = await cluster.resolve('v1', 'Pod');
      let pods: KubeObject[] = [];
      if (podType) for await (const p of cluster.list(podType, { namespace: input.namespace })) pods.push(p);
      // most apps declare no hooks; only when a pod does is it worth finding which pods are this app's, since a
      // namespace may hold several apps and each runs only its own hooks
      if (!pods.some((p) => declaresHooks(p, input.phase))) return [];
      if (input.app !== undefined) {
        const { raw } = await captureApp(cluster, { namespace: input.namespace, app: input.app }, () =>
          progress.heartbeat({ listing: true }),
        );
        const members = new Set(raw.filter((o) => o.apiVersion === 'v1' && o.kind === 'Pod').map((o) => o.metadata.name));
        pods = pods.filter((p) => members.has(p.metadata.name));
      }
      const plan = planHooks(pods, input.phase);
      const outcomes: HookOutcome[] = [];
      const failing: HookOutcome[] = [];
      const record = (hook: HookSpec, outcome: HookOutcome) => {
        outcomes.push(outcome);
        if (outcome.status === 'Failed' && hook.onError === 'Fail') failing.push(outcome);
      };
      // an annotation that cannot be parsed is a mistake the app's team must fix: it never runs silently wrong
      for (const p of plan.problems) {
        const outcome: HookOutcome = {
          phase: input.phase,
          target: p.pod,
          status: 'Failed',
          message: cap(`${p.annotation}: ${p.message}`),
          durationMs: 0,
        };
        outcomes.push(outcome);
        failing.push(outcome);
      }
      for (const { hook, phase } of plan.notRunning) {
        record(hook, {
          phase: input.phase,
          target: targetOf(hook),
          status: 'Failed',
          message: `the pod is ${phase}, not Running: cannot exec`,
          durationMs: 0,
        });
      }
      const exec = deps.podExec?.(input.source);
      for (const hook of plan.run) {
        progress.heartbeat({ hook: targetOf(hook), done: outcomes.length });
        const started = Date.now();
        if (!exec) {
          record(hook, {
            phase: input.phase,
            target: targetOf(hook),
            status: 'Failed',
            message: 'this worker has no pod exec configured',
            durationMs: 0,
          });
          continue;
        }
        try {
          // heartbeats keep flowing while a long hook runs
          const beat = setInterval(() => progress.heartbeat({ hook: targetOf(hook), done: outcomes.length }), 5_000);
          const result = await exec
            .exec({ namespace: hook.namespace, name: hook.pod, container: hook.container, node: hook.node }, hook.command, hook.timeoutMs)
            .finally(() => clearInterval(beat));
          const ok = result.exitCode === 0;
          record(hook, {
            phase: input.phase,
            target: targetOf(hook),
            status: ok ? 'Succeeded' : 'Failed',
            exitCode: result.exitCode,
            ...(ok ? {} : { message: cap(`exited ${result.exitCode}${result.stderrTail ? `: ${result.stderrTail}` : ''}`) }),
            durationMs: Date.now() - started,
          });
        } catch (e) {
          if (!(e instanceof ExecFailed)) throw e;
          record(hook, {
            phase: input.phase,
            target: targetOf(hook),
            status: 'Failed',
            message: cap(e.message),
            durationMs: Date.now() - started,
          });
        }
      }
      if (failing.length > 0) {
        const err = new HookFailed(input.appId, failing);
        throw ApplicationFailure.create({ type: err.name, message: err.message, nonRetryable: true, details: [failing] });
      }
      return outcomes;
    },
  };
}
