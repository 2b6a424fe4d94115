// The local stack as a whole: its services in dependency order, and up/down/status/env over them.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiserverUrl, clusterPki, clusterServices } from './components/kubernetes.js';
import {
  azureService,
  azuriteConnectionString,
  bucket,
  gcsEndpoint,
  gcsService,
  s3Credentials,
  s3Endpoint,
  s3Service,
} from './components/object-stores.js';
import { provisionerService } from './components/provisioner.js';
import { temporalService } from './components/temporal.js';
import { writeKubeconfig } from './kubeconfig.js';
import type { StackPaths } from './paths.js';
import { clusterNames, host, ports } from './ports.js';
import { alive, logPath, runningPid, start, stop, tailFile, tailLog } from './process.js';
import type { Service } from './service.js';
import { ToolInstallError } from './tools.js';
import { tcpOpen, waitFor } from './wait.js';

export class StackError extends Error {
  constructor(
    readonly component: string,
    readonly logFile: string,
    readonly logTail: string,
    message: string,
  ) {
    super(message);
    this.name = 'StackError';
  }
}

export function services(paths: StackPaths): Service[] {
  return [
    temporalService(),
    s3Service(),
    gcsService(),
    azureService(),
    ...clusterNames.flatMap((c) => clusterServices(paths, c)),
    provisionerService(),
  ];
}

export type Reporter = (line: string) => void;

export function stackEnv(paths: StackPaths): Record<string, string> {
  return {
    TEMPORAL_ADDRESS: `${host}:${ports.temporal}`,
    TEMPORAL_NAMESPACE: 'default',
    FERRY_TEMPORAL_UI_URL: `http://${host}:${ports.temporalUi}`,
    KUBECONFIG: paths.kubeconfig,
    FERRY_SOURCE_CONTEXT: 'ferry-source',
    FERRY_TARGET_CONTEXT: 'ferry-target',
    FERRY_S3_ENDPOINT: s3Endpoint,
    FERRY_S3_BUCKET: bucket,
    AWS_ACCESS_KEY_ID: s3Credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3Credentials.secretAccessKey,
    AWS_REGION: s3Credentials.region,
    STORAGE_EMULATOR_HOST: gcsEndpoint,
    FERRY_GCS_BUCKET: bucket,
    AZURE_STORAGE_CONNECTION_STRING: azuriteConnectionString,
    FERRY_AZURE_CONTAINER: bucket,
    FERRY_STACK_DIR: paths.state,
    // the local stack's own key for client-side encryption of Secrets and volume data in backups
    FERRY_ENCRYPTION_KEY_FILE: join(paths.state, 'encryption.key'),
  };
}

export function envExports(env: Record<string, string>): string {
  const quote = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;
  return `${Object.entries(env)
    .map(([k, v]) => `export ${k}=${quote(v)}`)
    .join('\n')}\n`;
}

function writeClientFiles(paths: StackPaths): void {
  mkdirSync(paths.state, { recursive: true });
  const key = join(paths.state, 'encryption.key');
  // made once per stack and kept: backups taken with it must stay readable across restarts
  if (!existsSync(key)) writeFileSync(key, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  writeKubeconfig(
    paths.kubeconfig,
    clusterNames.map((c) => ({ name: c, server: apiserverUrl(c), pki: clusterPki(paths, c) })),
    clusterNames[0],
  );
}

function failure(paths: StackPaths, svc: Service, e: unknown): StackError {
  const msg = e instanceof Error ? e.message : String(e);
  // a failed build has its own log; anything else is in the service's log
  const logFile = e instanceof ToolInstallError ? e.logFile : logPath(paths, svc.name);
  const tail = e instanceof ToolInstallError ? tailFile(logFile) : tailLog(paths, svc.name);
  return new StackError(svc.name, logFile, tail, msg.startsWith(svc.name) ? msg : `${svc.name}: ${msg}`);
}

export async function up(paths: StackPaths, report: Reporter): Promise<void> {
  writeClientFiles(paths);
  await startServices(paths, report, services(paths));
  await waitForClusterWork(paths);
  writeFileSync(paths.envFile, envExports(stackEnv(paths)));
}

/**
 * Starts every service not already running, dependencies first and the rest in parallel.
 * On the first failure it stops what this call started, so no orphan is left behind.
 */
export async function startServices(paths: StackPaths, report: Reporter, all: readonly Service[]): Promise<void> {
  const byName = new Map(all.map((s) => [s.name, s]));
  const startedHere: Service[] = [];
  const done = new Map<string, Promise<void>>();
  let failed: StackError | undefined;

  const ensure = (svc: Service): Promise<void> => {
    let p = done.get(svc.name);
    if (!p) {
      p = (async () => {
        await Promise.all(svc.dependsOn.map((d) => ensure(byName.get(d) as Service)));
        if (failed) return;
        try {
          const pid = runningPid(paths, svc.name);
          if (pid !== undefined && (await svc.ready())) {
            report(`${svc.name}: already running (pid ${pid})`);
          } else {
            if (pid !== undefined) await stop(paths, svc.name);
            for (const port of svc.ports) {
              if (await tcpOpen(port)) throw new Error(`port ${host}:${port} is already in use by another process`);
            }
            const t0 = Date.now();
            const spec = await svc.spec(paths);
            if (failed) return;
            const newPid = start(paths, spec);
            startedHere.push(svc);
            await waitFor(svc.name, svc.ready, {
              timeoutMs: svc.readyTimeoutMs,
              abort: () => (alive(newPid) ? undefined : 'exited during start-up'),
            });
            report(`${svc.name}: started (pid ${newPid}, ${((Date.now() - t0) / 1000).toFixed(1)}s)`);
          }
          await svc.seed?.();
        } catch (e) {
          failed ??= failure(paths, svc, e);
          throw failed;
        }
      })();
      done.set(svc.name, p);
    }
    return p;
  };

  const results = await Promise.allSettled(all.map(ensure));
  // a failure elsewhere may land after a service started: stop it too
  if (failed || results.some((r) => r.status === 'rejected')) {
    for (const svc of startedHere.reverse()) await stop(paths, svc.name);
    throw failed ?? (results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason;
  }
}

/** The control planes are only useful once controllers run and KWOK has made the nodes Ready. */
async function waitForClusterWork(paths: StackPaths): Promise<void> {
  const { KubeConfig, CoreV1Api } = await import('@kubernetes/client-node');
  for (const c of clusterNames) {
    const kc = new KubeConfig();
    kc.loadFromFile(paths.kubeconfig);
    kc.setCurrentContext(c);
    const core = kc.makeApiClient(CoreV1Api);
    await waitFor(
      `${c}: nodes Ready and default ServiceAccount`,
      async () => {
        const nodes = await core.listNode();
        const ready = nodes.items.filter((n) => n.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True'));
        if (ready.length === 0 || ready.length !== nodes.items.length) return false;
        await core.readNamespacedServiceAccount({ name: 'default', namespace: 'default' });
        return true;
      },
      { timeoutMs: 60_000 },
    );
  }
}

/** Stops every process the stack started (by pid file), dependents first; nothing else. */
export async function down(paths: StackPaths, report: Reporter, all: readonly Service[] = services(paths)): Promise<void> {
  const known = all.map((s) => s.name).reverse();
  let leftovers: string[] = [];
  try {
    leftovers = readdirSync(paths.pids)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -5));
  } catch {
    // no pid directory: nothing was started
  }
  const order = [...known, ...leftovers.filter((n) => !known.includes(n)).sort()];
  for (const name of order) {
    if (await stop(paths, name)) report(`${name}: stopped`);
  }
}

export interface ServiceStatus {
  readonly name: string;
  readonly state: 'ready' | 'running, not ready' | 'stopped' | 'port in use by another process';
  readonly pid?: number;
  readonly log: string;
}

export async function status(paths: StackPaths, all: readonly Service[] = services(paths)): Promise<ServiceStatus[]> {
  return Promise.all(
    all.map(async (svc): Promise<ServiceStatus> => {
      const pid = runningPid(paths, svc.name);
      const log = logPath(paths, svc.name);
      if (pid !== undefined) return { name: svc.name, pid, log, state: (await svc.ready()) ? 'ready' : 'running, not ready' };
      for (const port of svc.ports) if (await tcpOpen(port)) return { name: svc.name, log, state: 'port in use by another process' };
      return { name: svc.name, log, state: 'stopped' };
    }),
  );
}
