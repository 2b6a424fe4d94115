// Running a command in a pod's container through the pods/exec API (@kubernetes/client-node Exec),
// bounded in time, keeping only the tail of its output. The port backup hooks run through.
import { Writable } from 'node:stream';
import type { Exec, V1Status } from '@kubernetes/client-node';
import { sdkKubeConfig } from '../kube/kubeconfig.js';

export interface ExecResult {
  readonly exitCode: number;
  /** The last bytes of stderr (at most tailBytes). */
  readonly stderrTail: string;
}

export interface PodExec {
  /** Runs `command`; throws ExecFailed when it cannot run or does not finish within `timeoutMs`. */
  exec(
    pod: { namespace: string; name: string; container: string; node?: string },
    command: readonly string[],
    timeoutMs: number,
  ): Promise<ExecResult>;
}

/** The command could not be run (exec refused, connection lost) or outlived its timeout. */
export class ExecFailed extends Error {
  constructor(
    readonly context: string,
    readonly target: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${context}: exec in ${target}: ${reason}`, options);
    this.name = 'ExecFailed';
  }
}

export const tailBytes = 512;

/** Keeps the last `limit` bytes written to it. */
class Tail extends Writable {
  private buf = Buffer.alloc(0);
  constructor(private readonly limit: number) {
    super();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    const joined = Buffer.concat([this.buf, chunk]);
    this.buf = joined.subarray(Math.max(0, joined.length - this.limit));
    cb();
  }
  text(): string {
    return this.buf.toString('utf8').trim();
  }
}

/** The exit code in an exec status: 0 on Success, the ExitCode cause on NonZeroExitCode. */
export function exitCodeOf(status: V1Status): number | undefined {
  if (status.status === 'Success') return 0;
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  const code = cause?.message === undefined ? Number.NaN : Number(cause.message);
  return Number.isInteger(code) ? code : undefined;
}

/** The SDK's Exec for `context`. The SDK (its whole generated API) is loaded by a first exec, not by every process that may run one. */
async function sdkExec(context: string, kubeconfigPath?: string): Promise<Exec> {
  const [{ Exec }, kc] = await Promise.all([import('@kubernetes/client-node'), sdkKubeConfig(context, kubeconfigPath)]);
  return new Exec(kc);
}

/** A PodExec for one kubeconfig context. */
export function kubePodExec(context: string, kubeconfigPath?: string): PodExec {
  let loaded: Promise<Exec> | undefined;
  return {
    async exec(pod, command, timeoutMs) {
      const target = `pod ${pod.namespace}/${pod.name} container ${pod.container}${pod.node ? ` on node ${pod.node}` : ''}`;
      loaded ??= sdkExec(context, kubeconfigPath);
      let api: Exec;
      try {
        api = await loaded;
      } catch (e) {
        loaded = undefined;
        throw new ExecFailed(context, target, describeExecError(e), { cause: e });
      }
      const stdout = new Tail(0);
      const stderr = new Tail(tailBytes);
      return new Promise<ExecResult>((resolve, reject) => {
        let settled = false;
        let socket: { close(): void } | undefined;
        const finish = (fn: () => void) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          socket?.close();
          fn();
        };
        const timer = setTimeout(
          () => finish(() => reject(new ExecFailed(context, target, `did not finish within ${Math.round(timeoutMs / 1000)}s`))),
          timeoutMs,
        );
        api
          .exec(pod.namespace, pod.name, pod.container, [...command], stdout, stderr, null, false, (status) => {
            const exitCode = exitCodeOf(status);
            finish(() =>
              exitCode === undefined
                ? reject(new ExecFailed(context, target, `${status.reason ?? status.status ?? 'failed'}: ${status.message ?? ''}`.trim()))
                : resolve({ exitCode, stderrTail: stderr.text() }),
            );
          })
          .then((ws) => {
            socket = ws;
            if (settled) ws.close();
            // a socket that closes without a status: the container went away mid-command
            ws.on('close', () => finish(() => reject(new ExecFailed(context, target, 'the connection closed without an exit status'))));
          })
          .catch((e: unknown) => finish(() => reject(new ExecFailed(context, target, describeExecError(e), { cause: e }))));
      });
    },
  };
}

/**
 * The part of a client error worth showing: its message, wherever the client put it (an Error, a WebSocket
 * ErrorEvent, a Status). Never the object itself: a socket event carries the request, headers and token included.
 */
export function describeExecError(e: unknown): string {
  let text = messageOf(e) ?? 'the exec request failed without a message';
  if (text.length > 300) text = `${text.slice(0, 300)}…`;
  // the API server proxies exec to the node's kubelet; a 5xx on the upgrade is almost always that hop
  if (/Unexpected server response: 5\d\d/.test(text))
    text += ": the API server could not open the exec stream, usually because it cannot reach the kubelet on the pod's node";
  return text;
}

function messageOf(e: unknown): string | undefined {
  if (typeof e === 'string') return e;
  if (typeof e !== 'object' || e === null) return undefined;
  const o = e as { message?: unknown; error?: unknown; reason?: unknown; status?: unknown; body?: unknown };
  for (const v of [o.message, o.reason]) if (typeof v === 'string' && v !== '') return v;
  if (o.error !== undefined && o.error !== e) return messageOf(o.error);
  if (typeof o.body === 'string' && o.body !== '') return o.body;
  return typeof o.status === 'number' ? `HTTP ${o.status}` : undefined;
}
