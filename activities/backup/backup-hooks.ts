// Backup hooks as data: the pre/post commands an app declares on its pods (Velero-style annotations
// under ferry.dev), parsed and checked, and the plan of which command runs where. Pure.
import type { KubeObject } from '../kube/object.js';

export type HookPhase = 'pre' | 'post';
export type HookOnError = 'Fail' | 'Continue';

export interface HookSpec {
  readonly phase: HookPhase;
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
  /** The node the pod runs on, named in errors: exec goes through that node's kubelet. */
  readonly node?: string;
  readonly command: readonly string[];
  readonly timeoutMs: number;
  readonly onError: HookOnError;
}

/** An annotation that cannot be used, naming the pod and the annotation. */
export interface HookProblem {
  readonly pod: string;
  readonly annotation: string;
  readonly message: string;
}

export const hookAnnotation = (phase: HookPhase, field: 'command' | 'container' | 'timeout' | 'on-error') =>
  `${phase}.hook.backup.ferry.dev/${field}`;

/** Velero's default: a hook that hangs must not hold the backup (and a frozen app) for long. */
export const defaultHookTimeoutMs = 30_000;
const maxHookTimeoutMs = 60 * 60_000;

interface PodShape {
  spec?: { containers?: { name: string }[]; nodeName?: string };
  status?: { phase?: string };
}

/** `30s`, `5m`, `1h`, `1m30s` → milliseconds; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text.trim());
  if (!m || text.trim() === '') return undefined;
  const [, h = '0', min = '0', s = '0'] = m;
  return ((Number(h) * 60 + Number(min)) * 60 + Number(s)) * 1000;
}

/** A JSON array of strings, or a single string run as one argv element (no shell). */
export function parseCommand(text: string): readonly string[] | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (!trimmed.startsWith('[')) return [trimmed];
  try {
    const v: unknown = JSON.parse(trimmed);
    if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string' && x !== '')) return v as string[];
  } catch {
    return undefined;
  }
  return undefined;
}

/** Whether a pod declares a hook for `phase` (well-formed or not). */
export function declaresHooks(pod: KubeObject, phase: HookPhase): boolean {
  return pod.metadata.annotations?.[hookAnnotation(phase, 'command')] !== undefined;
}

/** The hooks one pod declares for `phase`, or the problems that stop them from running. */
export function parseHooks(pod: KubeObject, phase: HookPhase): { hooks: HookSpec[]; problems: HookProblem[] } {
  const a = pod.metadata.annotations ?? {};
  const name = `${pod.metadata.namespace ?? ''}/${pod.metadata.name}`;
  const rawCommand = a[hookAnnotation(phase, 'command')];
  if (rawCommand === undefined) return { hooks: [], problems: [] };
  const problems: HookProblem[] = [];
  const problem = (field: Parameters<typeof hookAnnotation>[1], message: string) =>
    problems.push({ pod: name, annotation: hookAnnotation(phase, field), message });

  const command = parseCommand(rawCommand);
  if (!command) problem('command', 'must be a non-empty JSON array of non-empty strings, or one command string');

  const containers = ((pod as PodShape).spec?.containers ?? []).map((c) => c.name);
  const container = a[hookAnnotation(phase, 'container')] ?? containers[0];
  if (container === undefined) problem('container', 'the pod has no containers');
  else if (!containers.includes(container))
    problem('container', `no container ${JSON.stringify(container)} (the pod has ${containers.join(', ')})`);

  let timeoutMs = defaultHookTimeoutMs;
  const rawTimeout = a[hookAnnotation(phase, 'timeout')];
  if (rawTimeout !== undefined) {
    const t = parseDuration(rawTimeout);
    if (t === undefined || t <= 0 || t > maxHookTimeoutMs)
      problem('timeout', `must be a duration such as 30s, 5m or 1h (at most 1h), got ${JSON.stringify(rawTimeout)}`);
    else timeoutMs = t;
  }

  let onError: HookOnError = 'Fail';
  const rawOnError = a[hookAnnotation(phase, 'on-error')];
  if (rawOnError !== undefined) {
    if (rawOnError === 'Fail' || rawOnError === 'Continue') onError = rawOnError;
    else problem('on-error', `must be Fail or Continue, got ${JSON.stringify(rawOnError)}`);
  }

  if (problems.length > 0 || !command || container === undefined) return { hooks: [], problems };
  return {
    hooks: [
      {
        phase,
        namespace: pod.metadata.namespace ?? '',
        pod: pod.metadata.name,
        container,
        ...((pod as PodShape).spec?.nodeName ? { node: (pod as PodShape).spec?.nodeName } : {}),
        command,
        timeoutMs,
        onError,
      },
    ],
    problems: [],
  };
}

export interface HookPlan {
  /** What runs, in pod name order. */
  readonly run: readonly HookSpec[];
  /** Pods whose hooks cannot run now (not Running): each fails, or is a warning under on-error Continue. */
  readonly notRunning: readonly { readonly hook: HookSpec; readonly phase: string }[];
  readonly problems: readonly HookProblem[];
}

/** Which hooks of `phase` run on which pods. Only Running pods can exec; a declared hook on another pod is reported. */
export function planHooks(pods: readonly KubeObject[], phase: HookPhase): HookPlan {
  const run: HookSpec[] = [];
  const notRunning: { hook: HookSpec; phase: string }[] = [];
  const problems: HookProblem[] = [];
  for (const pod of [...pods].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))) {
    const parsed = parseHooks(pod, phase);
    problems.push(...parsed.problems);
    const podPhase = (pod as PodShape).status?.phase ?? 'Unknown';
    for (const hook of parsed.hooks) {
      if (podPhase === 'Running') run.push(hook);
      else notRunning.push({ hook, phase: podPhase });
    }
  }
  return { run, notRunning, problems };
}
