// Named errors of the Kubernetes port. Permanent ones are non-retryable by class name in Temporal.

export class UnknownContext extends Error {
  constructor(
    readonly context: string,
    readonly known: readonly string[],
  ) {
    super(`kubeconfig has no context "${context}" (known: ${known.join(', ') || 'none'})`);
    this.name = 'UnknownContext';
  }
}

export class ClusterUnreachable extends Error {
  constructor(
    readonly context: string,
    options?: { cause?: unknown },
  ) {
    super(`cluster "${context}" is unreachable: ${describeCause(options?.cause)}`, options);
    this.name = 'ClusterUnreachable';
  }
}

export class KubeApiError extends Error {
  constructor(
    readonly context: string,
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly reason: string,
    readonly apiMessage: string,
  ) {
    super(`${context}: ${method} ${path} → ${status} ${reason}: ${apiMessage}`);
    this.name = 'KubeApiError';
  }
  get notFound(): boolean {
    return this.status === 404;
  }
  get conflict(): boolean {
    return this.status === 409;
  }
  get forbidden(): boolean {
    return this.status === 403;
  }
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) return 'code' in cause && cause.code ? `${cause.code} ${cause.message}` : cause.message;
  return String(cause);
}

export const permanentKubeErrors = ['UnknownContext', 'KubeconfigError'] as const;
