// Reads kubeconfig files (or the in-cluster service account) into what one request to a cluster needs: the server,
// the TLS material and, per request, the auth headers. Importing @kubernetes/client-node for this would load its
// whole generated API into every process; the SDK is loaded only for legacy `auth-provider` users (SdkCredentials),
// and by sdkKubeConfig for what is left to it (a proxy-url's agent, pod exec).
import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { isIPv6 } from 'node:net';
import { delimiter, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { parse, YAMLParseError } from 'yaml';
import { UnknownContext } from './errors.js';

/** What a request sends to authenticate: headers, and a client certificate when the user has one. */
export interface Credentials {
  readonly headers: Readonly<Record<string, string>>;
  readonly cert?: Buffer;
  readonly key?: Buffer;
}

/** One context's cluster and user, ready for requests. */
export interface Connection {
  readonly context: string;
  readonly server: URL;
  readonly proxyUrl?: string;
  readonly tls: { readonly ca?: Buffer; readonly rejectUnauthorized: boolean; readonly servername?: string };
  /** Called for every request: cheap unless a token must be re-read or an exec plugin re-run. */
  credentials(): Promise<Credentials>;
}

export interface Kubeconfig {
  /** Every context's name, sorted. */
  contexts(): string[];
  readonly currentContext?: string;
  /** Throws a KubeconfigError (UnknownContext for an unknown context) naming what is missing or unreadable. */
  connection(context: string): Connection;
}

/** A kubeconfig that cannot be used as written: retrying will not help. */
export class KubeconfigError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KubeconfigError';
  }
}

/** Overrides where the in-cluster service account's files are read from (tests). */
export const serviceAccountDirEnv = 'FERRY_SERVICE_ACCOUNT_DIR';
const serviceAccountDir = '/var/run/secrets/kubernetes.io/serviceaccount';
/** The name of the in-cluster config's context (and cluster). */
export const inClusterContext = 'inCluster';

/** How often a tokenFile is looked at again: a projected service account token rotates every hour or so. */
const tokenFileCheckMs = 1000;
/** A plugin that hangs fails the requests waiting on it rather than holding them forever. */
const execTimeoutMs = 5 * 60_000;
const execApiVersions = ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1'];

/**
 * The kubeconfig at `path` (a list separated like KUBECONFIG, merged), else kubectl's default rules: the files of
 * KUBECONFIG (missing ones skipped), else ~/.kube/config, else the in-cluster service account when
 * KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are set.
 */
export function loadKubeconfig(path?: string, env: NodeJS.ProcessEnv = process.env): Kubeconfig {
  if (path) return new LoadedKubeconfig(readFiles(fileList(path)));
  if (env.KUBECONFIG) {
    const listed = fileList(env.KUBECONFIG);
    const present = listed.filter(exists);
    if (present.length === 0) throw new KubeconfigError(`none of the files in KUBECONFIG exist: ${listed.join(', ')}`);
    return new LoadedKubeconfig(readFiles(present));
  }
  const home = env.HOME || env.USERPROFILE;
  const homeConfig = home ? join(home, '.kube', 'config') : undefined;
  if (homeConfig && exists(homeConfig)) return new LoadedKubeconfig(readFiles([homeConfig]));
  if (env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT) return new LoadedKubeconfig(inCluster(env));
  throw new KubeconfigError(
    `no kubeconfig: KUBECONFIG is not set, ${homeConfig ?? '~/.kube/config'} does not exist, and KUBERNETES_SERVICE_HOST is not set`,
  );
}

const fileList = (list: string) => list.split(delimiter).filter(Boolean);
const exists = (file: string) => statSync(file, { throwIfNoEntry: false }) !== undefined;

// ---- reading kubeconfig files

type Fields = Record<string, unknown>;

/** A cluster, user or context, with the relative paths in it resolved against its file's directory. */
interface Named {
  readonly name: string;
  readonly fields: Fields;
  /** Where it was defined, for messages. */
  readonly origin: string;
}

interface Sources {
  readonly clusters: Map<string, Named>;
  readonly users: Map<string, Named>;
  readonly contexts: Map<string, Named>;
  readonly currentContext?: string;
}

interface FileContents {
  readonly clusters: Named[];
  readonly users: Named[];
  readonly contexts: Named[];
  readonly currentContext?: string;
}

/** kubectl's merge: the first file to define a name keeps it; current-context from the first file that sets one. */
function readFiles(files: string[]): Sources {
  const sources = { clusters: new Map<string, Named>(), users: new Map<string, Named>(), contexts: new Map<string, Named>() };
  let currentContext: string | undefined;
  for (const file of files) {
    const contents = readKubeconfigFile(file);
    for (const kind of ['clusters', 'users', 'contexts'] as const) {
      for (const n of contents[kind]) if (!sources[kind].has(n.name)) sources[kind].set(n.name, n);
    }
    currentContext ??= contents.currentContext;
  }
  return { ...sources, currentContext };
}

// Fields naming files, resolved as kubectl resolves them (its ResolveLocalPaths).
const clusterPaths = ['certificate-authority'];
const userPaths = ['client-certificate', 'client-key', 'tokenFile', 'token-file'];

function readKubeconfigFile(file: string): FileContents {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new KubeconfigError(`cannot read kubeconfig ${file}: ${errorCode(e)}`, { cause: e });
  }
  const root = parseYaml(text, file) ?? {};
  if (!isFields(root)) throw new KubeconfigError(`kubeconfig ${file} is not a YAML mapping`);
  const dir = dirname(resolve(file));
  return {
    clusters: namedList(root, 'clusters', 'cluster', file).map((c) => ({ ...c, fields: resolvePaths(c.fields, clusterPaths, dir) })),
    users: namedList(root, 'users', 'user', file).map((u) => ({ ...u, fields: resolveUserPaths(u.fields, dir) })),
    contexts: namedList(root, 'contexts', 'context', file),
    currentContext: optionalText(root['current-context'], 'current-context', `kubeconfig ${file}`),
  };
}

/** Parsed YAML; a syntax error names the file and the position, never the text there (it may be a secret). */
function parseYaml(text: string, file: string): unknown {
  try {
    return parse(text, { prettyErrors: false, uniqueKeys: false });
  } catch (e) {
    if (!(e instanceof YAMLParseError)) throw e;
    const before = text.slice(0, e.pos[0]).split('\n');
    const at = `line ${before.length}, column ${before[before.length - 1].length + 1}`;
    throw new KubeconfigError(`kubeconfig ${file} is not valid YAML (${at}): ${e.message}`);
  }
}

/** `clusters: [{name, cluster: {...}}]` and the like. */
function namedList(root: Fields, key: string, inner: string, file: string): Named[] {
  const list = root[key];
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new KubeconfigError(`kubeconfig ${file}: ${key} is not a list`);
  return list.map((item, i) => {
    const where = `kubeconfig ${file}: ${key}[${i}]`;
    if (!isFields(item)) throw new KubeconfigError(`${where} is not a mapping`);
    const name = optionalText(item.name, 'name', where);
    if (!name) throw new KubeconfigError(`${where} has no name`);
    const fields = item[inner] ?? {};
    if (!isFields(fields)) throw new KubeconfigError(`${where}.${inner} is not a mapping`);
    return { name, fields, origin: file };
  });
}

function resolvePaths(fields: Fields, keys: string[], dir: string): Fields {
  const out = { ...fields };
  for (const k of keys) {
    const v = out[k];
    if (typeof v === 'string' && v !== '' && !isAbsolute(v)) out[k] = join(dir, v);
  }
  return out;
}

/** A user's files, and its exec command when it is a path (a bare name is looked up in PATH, as kubectl does). */
function resolveUserPaths(fields: Fields, dir: string): Fields {
  const out = resolvePaths(fields, userPaths, dir);
  const exec = out.exec;
  if (isFields(exec) && typeof exec.command === 'string' && exec.command.includes(sep) && !isAbsolute(exec.command)) {
    out.exec = { ...exec, command: join(dir, exec.command) };
  }
  return out;
}

/** The pod's service account, as kubectl's in-cluster config reads it. */
function inCluster(env: NodeJS.ProcessEnv): Sources {
  const dir = env[serviceAccountDirEnv] || serviceAccountDir;
  const host = env.KUBERNETES_SERVICE_HOST!;
  const server = `https://${isIPv6(host) ? `[${host}]` : host}:${env.KUBERNETES_SERVICE_PORT}`;
  const origin = `the in-cluster service account (${dir})`;
  const user = 'inClusterUser';
  return {
    clusters: new Map([
      [inClusterContext, { name: inClusterContext, origin, fields: { server, 'certificate-authority': join(dir, 'ca.crt') } }],
    ]),
    users: new Map([[user, { name: user, origin, fields: { tokenFile: join(dir, 'token') } }]]),
    contexts: new Map([[inClusterContext, { name: inClusterContext, origin, fields: { cluster: inClusterContext, user } }]]),
    currentContext: inClusterContext,
  };
}

// ---- contexts to connections

class LoadedKubeconfig implements Kubeconfig {
  private readonly opened = new Map<string, Connection>();

  constructor(private readonly sources: Sources) {}

  get currentContext(): string | undefined {
    return this.sources.currentContext;
  }

  contexts(): string[] {
    return [...this.sources.contexts.keys()].sort();
  }

  /** One connection per context: its cached credentials (an exec plugin's token) serve every caller. */
  connection(context: string): Connection {
    let c = this.opened.get(context);
    if (!c) {
      c = openConnection(this.sources, context, this.contexts());
      this.opened.set(context, c);
    }
    return c;
  }
}

function openConnection(sources: Sources, context: string, known: string[]): Connection {
  const ctx = sources.contexts.get(context);
  if (!ctx) throw new UnknownContext(context, known);
  const where = `context "${context}" (${ctx.origin})`;
  const clusterName = optionalText(ctx.fields.cluster, 'cluster', where);
  if (!clusterName) throw new KubeconfigError(`${where} names no cluster`);
  const cluster = sources.clusters.get(clusterName);
  if (!cluster) throw new KubeconfigError(`${where} names cluster "${clusterName}", which no kubeconfig defines`);
  const userName = optionalText(ctx.fields.user, 'user', where);
  const user = userName === undefined ? undefined : sources.users.get(userName);
  if (userName !== undefined && !user) throw new KubeconfigError(`${where} names user "${userName}", which no kubeconfig defines`);
  const endpoint = clusterEndpoint(cluster);
  const credentials = userCredentials(user, { context, cluster, endpoint, ctx });
  return { context, ...endpoint, credentials };
}

type Endpoint = Pick<Connection, 'server' | 'proxyUrl' | 'tls'>;

function clusterEndpoint(cluster: Named): Endpoint {
  const where = describe('cluster', cluster);
  const f = cluster.fields;
  const server = optionalText(f.server, 'server', where);
  if (!server) throw new KubeconfigError(`${where} has no server`);
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new KubeconfigError(`${where}: server "${server}" is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new KubeconfigError(`${where}: server "${server}" is not http(s)`);
  // as kubectl: the inline data wins over the file
  const ca = bytes(f, 'certificate-authority-data', 'certificate-authority', where);
  const servername = optionalText(f['tls-server-name'], 'tls-server-name', where);
  const proxyUrl = optionalText(f['proxy-url'], 'proxy-url', where);
  const tls = { rejectUnauthorized: !flag(f['insecure-skip-tls-verify']), ...(ca ? { ca } : {}), ...(servername ? { servername } : {}) };
  return { server: url, tls, ...(proxyUrl ? { proxyUrl } : {}) };
}

interface Place {
  readonly context: string;
  readonly cluster: Named;
  readonly endpoint: Endpoint;
  readonly ctx: Named;
}

/**
 * The user's credentials source. Bearer tokens: tokenFile (re-read when it changes), else token, else an exec
 * plugin; else username/password as Basic. Client certificates are read once, here.
 */
function userCredentials(user: Named | undefined, place: Place): () => Promise<Credentials> {
  if (!user) return constant({ headers: {} });
  const where = describe('user', user);
  const f = user.fields;
  const base = baseCredentials(f, where);
  if (f['auth-provider'] !== undefined && f['auth-provider'] !== null) {
    const sdk = new SdkCredentials(user, place, base);
    return () => sdk.get();
  }
  const tokenFile = optionalText(f.tokenFile ?? f['token-file'], 'tokenFile', where);
  const token = optionalText(f.token, 'token', where);
  if (tokenFile) {
    const file = new TokenFile(tokenFile, `${where}: tokenFile`, token);
    let last: { token: string; creds: Credentials } | undefined;
    return async () => {
      const t = await file.get();
      if (last?.token !== t) last = { token: t, creds: withBearer(base, t) };
      return last.creds;
    };
  }
  if (token) return constant(withBearer(base, token));
  if (f.exec !== undefined && f.exec !== null) {
    const exec = new ExecCredentials(execSpec(f.exec, `${where}: exec`, place), base, place.context);
    return () => exec.get();
  }
  const username = optionalText(f.username, 'username', where);
  if (username !== undefined) {
    const password = optionalText(f.password, 'password', where) ?? '';
    const basic = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    return constant(freeze({ ...base, headers: { ...base.headers, Authorization: basic } }));
  }
  return constant(base);
}

/** The client certificate and impersonation headers, whichever token the user has. */
function baseCredentials(f: Fields, where: string): Credentials {
  const cert = bytes(f, 'client-certificate-data', 'client-certificate', where);
  const key = bytes(f, 'client-key-data', 'client-key', where);
  if (Boolean(cert) !== Boolean(key))
    throw new KubeconfigError(`${where} has a client ${cert ? 'certificate without a key' : 'key without a certificate'}`);
  const headers: Record<string, string> = {};
  const as = optionalText(f.as, 'as', where);
  if (as) headers['Impersonate-User'] = as;
  const asUid = optionalText(f['as-uid'], 'as-uid', where);
  if (asUid) headers['Impersonate-Uid'] = asUid;
  // each group and extra is a header of its own, which one value per header name cannot carry
  for (const k of ['as-groups', 'as-user-extra']) {
    const v = f[k];
    if (v !== undefined && v !== null && (Array.isArray(v) ? v.length > 0 : Object.keys(v as object).length > 0)) {
      throw new KubeconfigError(`${where}: ${k} is not supported`);
    }
  }
  return freeze({ headers, ...(cert ? { cert, key } : {}) });
}

const withBearer = (base: Credentials, token: string): Credentials =>
  freeze({ ...base, headers: { ...base.headers, Authorization: `Bearer ${token}` } });

function freeze(c: Credentials): Credentials {
  Object.freeze(c.headers);
  return Object.freeze(c);
}

function constant(c: Credentials): () => Promise<Credentials> {
  const p = Promise.resolve(freeze(c));
  return () => p;
}

// ---- tokenFile

/** A token file, looked at (one stat) at most once a second and re-read only when it changed. */
class TokenFile {
  private token: string;
  private version: string;
  private checkedAt = Date.now();
  private checking?: Promise<string>;

  constructor(
    private readonly path: string,
    private readonly what: string,
    /** kubectl's fallback when the file cannot be read: the user's `token`. */
    fallback?: string,
  ) {
    try {
      this.version = fileVersion(statSync(path));
      this.token = tokenIn(readFileSync(path, 'utf8'), path, what);
    } catch (e) {
      if (!fallback)
        throw e instanceof KubeconfigError ? e : new KubeconfigError(`${what}: cannot read ${path}: ${errorCode(e)}`, { cause: e });
      this.version = '';
      this.token = fallback;
    }
  }

  get(): Promise<string> | string {
    if (Date.now() - this.checkedAt < tokenFileCheckMs) return this.token;
    this.checking ??= this.check().finally(() => {
      this.checking = undefined;
    });
    return this.checking;
  }

  /** A file being replaced may be missing or empty for a moment: the last token is kept meanwhile. */
  private async check(): Promise<string> {
    try {
      const version = fileVersion(await stat(this.path));
      if (version !== this.version) {
        this.token = tokenIn(await readFile(this.path, 'utf8'), this.path, this.what);
        this.version = version;
      }
    } catch {
      // kept: the last token read
    }
    this.checkedAt = Date.now();
    return this.token;
  }
}

const fileVersion = (s: { ino: number; size: number; mtimeMs: number }) => `${s.ino}:${s.size}:${s.mtimeMs}`;

function tokenIn(text: string, path: string, what: string): string {
  const token = text.trim();
  if (!token) throw new KubeconfigError(`${what}: ${path} is empty`);
  return token;
}

// ---- exec plugins (client.authentication.k8s.io ExecCredential)

interface ExecSpec {
  readonly command: string;
  readonly args: string[];
  readonly env: Record<string, string>;
  readonly apiVersion: string;
  readonly installHint?: string;
}

function execSpec(value: unknown, where: string, place: Place): ExecSpec {
  if (!isFields(value)) throw new KubeconfigError(`${where} is not a mapping`);
  const command = optionalText(value.command, 'command', where);
  if (!command) throw new KubeconfigError(`${where} has no command`);
  const apiVersion = optionalText(value.apiVersion, 'apiVersion', where) ?? '';
  if (!execApiVersions.includes(apiVersion)) {
    throw new KubeconfigError(`${where}: apiVersion "${apiVersion}" is not supported (supported: ${execApiVersions.join(', ')})`);
  }
  if (value.interactiveMode === 'Always') {
    throw new KubeconfigError(`${where}: the plugin needs a terminal (interactiveMode: Always), and plugins run without one here`);
  }
  const args = textList(value.args, `${where}.args`);
  const env: Record<string, string> = {};
  for (const [i, e] of listOf(value.env, `${where}.env`).entries()) {
    const name = isFields(e) ? optionalText(e.name, 'name', `${where}.env[${i}]`) : undefined;
    if (!name || !isFields(e)) throw new KubeconfigError(`${where}.env[${i}] has no name`);
    env[name] = optionalText(e.value, 'value', `${where}.env[${i}]`) ?? '';
  }
  // what kubectl tells the plugin: not interactive (its stdin is closed), and the cluster when asked for
  const spec: Fields = { interactive: false };
  if (flag(value.provideClusterInfo)) spec.cluster = execClusterInfo(place);
  env.KUBERNETES_EXEC_INFO = JSON.stringify({ apiVersion, kind: 'ExecCredential', spec });
  const installHint = optionalText(value.installHint, 'installHint', where);
  return { command, args, env, apiVersion, ...(installHint ? { installHint } : {}) };
}

/** ExecCredentialSpec.cluster, from the cluster as this connection uses it. */
function execClusterInfo({ cluster, endpoint }: Place): Fields {
  const f = cluster.fields;
  const info: Fields = { server: f.server };
  if (endpoint.tls.servername) info['tls-server-name'] = endpoint.tls.servername;
  if (!endpoint.tls.rejectUnauthorized) info['insecure-skip-tls-verify'] = true;
  if (endpoint.tls.ca) info['certificate-authority-data'] = endpoint.tls.ca.toString('base64');
  if (endpoint.proxyUrl) info['proxy-url'] = endpoint.proxyUrl;
  if (flag(f['disable-compression'])) info['disable-compression'] = true;
  const extension = listOf(f.extensions, `${describe('cluster', cluster)}: extensions`).find(
    (e) => isFields(e) && e.name === 'client.authentication.k8s.io/exec',
  );
  if (isFields(extension) && extension.extension !== undefined) info.config = extension.extension;
  return info;
}

/** An exec plugin's credential, kept until its expirationTimestamp (for good when it has none); one run at a time. */
class ExecCredentials {
  private cached?: { creds: Credentials; until: number };
  private running?: Promise<Credentials>;

  constructor(
    private readonly spec: ExecSpec,
    private readonly base: Credentials,
    private readonly context: string,
  ) {}

  get(): Promise<Credentials> {
    const c = this.cached;
    if (c && Date.now() < c.until) return Promise.resolve(c.creds);
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async run(): Promise<Credentials> {
    const say = `context "${this.context}": exec credential plugin "${this.spec.command}"`;
    const out = await runPlugin(this.spec, say);
    const status = execStatus(out, this.spec.apiVersion, say);
    let creds: Credentials = this.base;
    if (status.cert) creds = { ...creds, cert: status.cert, key: status.key };
    creds = status.token ? withBearer(creds, status.token) : freeze(creds);
    this.cached = { creds, until: status.until };
    return creds;
  }
}

/** The plugin's stdout; a failure names the command and ends with its stderr's tail (never its stdout). */
function runPlugin(spec: ExecSpec, say: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(spec.command, spec.args, { env: { ...process.env, ...spec.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    let stderr = '';
    let failed: Error | undefined;
    const timer = setTimeout(() => {
      failed = new Error(`${say} did not finish within ${execTimeoutMs / 1000}s`);
      child.kill('SIGKILL');
    }, execTimeoutMs);
    child.stdout.on('data', (c: Buffer) => stdout.push(c));
    child.stderr.on('data', (c: Buffer) => {
      stderr = (stderr + c.toString('utf8')).slice(-2000);
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      const hint = e.code === 'ENOENT' && spec.installHint ? `\n${spec.installHint}` : '';
      clearTimeout(timer);
      reject(new Error(`${say} could not be run: ${errorCode(e)}${hint}`, { cause: e }));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (failed) return reject(failed);
      if (code !== 0) {
        const tail = stderr.trim().slice(-500);
        return reject(new Error(`${say} failed (${signal ? `signal ${signal}` : `exit code ${code}`})${tail ? `: ${tail}` : ''}`));
      }
      resolvePromise(Buffer.concat(stdout).toString('utf8'));
    });
  });
}

interface ExecStatus {
  readonly token?: string;
  readonly cert?: Buffer;
  readonly key?: Buffer;
  readonly until: number;
}

function execStatus(stdout: string, apiVersion: string, say: string): ExecStatus {
  let out: unknown;
  try {
    out = JSON.parse(stdout);
  } catch {
    throw new Error(`${say} printed no JSON ExecCredential`);
  }
  if (!isFields(out) || out.kind !== 'ExecCredential') throw new Error(`${say} printed no ExecCredential`);
  if (out.apiVersion !== apiVersion) throw new Error(`${say} answered in apiVersion "${String(out.apiVersion)}", not "${apiVersion}"`);
  const status = out.status;
  if (!isFields(status)) throw new Error(`${say} returned an ExecCredential without status`);
  const token = typeof status.token === 'string' && status.token ? status.token : undefined;
  const cert = typeof status.clientCertificateData === 'string' && status.clientCertificateData ? status.clientCertificateData : undefined;
  const key = typeof status.clientKeyData === 'string' && status.clientKeyData ? status.clientKeyData : undefined;
  if (Boolean(cert) !== Boolean(key))
    throw new Error(`${say} returned a client ${cert ? 'certificate without a key' : 'key without a certificate'}`);
  if (!token && !cert) throw new Error(`${say} returned neither a token nor a client certificate`);
  let until = Number.POSITIVE_INFINITY;
  if (status.expirationTimestamp !== undefined && status.expirationTimestamp !== null) {
    until = Date.parse(String(status.expirationTimestamp));
    if (Number.isNaN(until))
      throw new Error(`${say} returned an expirationTimestamp that is not a time: "${String(status.expirationTimestamp)}"`);
  }
  // the PEM data comes as text, not base64
  return { until, ...(token ? { token } : {}), ...(cert && key ? { cert: Buffer.from(cert), key: Buffer.from(key) } : {}) };
}

// ---- what is left to @kubernetes/client-node: legacy auth-provider users, proxies, exec

/** The SDK, loaded when a user, a cluster or a command needs it: the only import of it here. */
const loadSdk = () => import('@kubernetes/client-node');

/**
 * The Authorization header of an `auth-provider` user (oidc, gcp, azure: token refreshes this module does not
 * implement), from @kubernetes/client-node's KubeConfig, loaded on the first request. Its KubeConfig holds just this context as merged here (names defined in several files would trip its own
 * merge), without the TLS files it would otherwise read on every request (the connection has them already), and it is
 * kept: the providers keep their refreshed tokens in it.
 */
class SdkCredentials {
  private kc?: Promise<KubeConfig>;

  constructor(
    private readonly user: Named,
    private readonly place: Place,
    /** The user's client certificate and impersonation, as for other users. */
    private readonly base: Credentials,
  ) {}

  async get(): Promise<Credentials> {
    this.kc ??= this.load().catch((e: unknown) => {
      this.kc = undefined;
      throw e;
    });
    const kc = await this.kc;
    const opts: { headers: Record<string, unknown>; cert?: unknown; key?: unknown } = { headers: {} };
    try {
      await kc.applyToHTTPSOptions(opts);
    } catch (e) {
      throw new Error(`context "${this.place.context}": auth-provider of user "${this.user.name}" failed: ${(e as Error).message}`, {
        cause: e,
      });
    }
    const headers: Record<string, string> = { ...this.base.headers };
    for (const [k, v] of Object.entries(opts.headers)) if (v !== undefined) headers[k] = String(v);
    const cert = asBuffer(opts.cert);
    const key = asBuffer(opts.key);
    return freeze({ ...this.base, headers, ...(cert && key ? { cert, key } : {}) });
  }

  private async load(): Promise<KubeConfig> {
    const { KubeConfig } = await loadSdk();
    const { context, cluster, ctx } = this.place;
    const { server, 'insecure-skip-tls-verify': insecure } = cluster.fields;
    const user = { ...this.user.fields };
    for (const k of ['client-certificate', 'client-certificate-data', 'client-key', 'client-key-data']) delete user[k];
    const kc = new KubeConfig();
    kc.loadFromString(
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: cluster.name, cluster: { server, 'insecure-skip-tls-verify': flag(insecure) } }],
        users: [{ name: this.user.name, user }],
        contexts: [{ name: context, context: ctx.fields }],
        'current-context': context,
      }),
    );
    return kc;
  }
}

const asBuffer = (v: unknown) => (Buffer.isBuffer(v) ? v : typeof v === 'string' && v ? Buffer.from(v) : undefined);

// ---- fields

const isFields = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);

const describe = (kind: string, n: Named) => `${kind} "${n.name}" (${n.origin})`;

/** A scalar as text (YAML may read an unquoted `1234` as a number); absent when null or empty. */
function optionalText(v: unknown, field: string, where: string): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new KubeconfigError(`${where}: ${field} is not a string`);
}

const flag = (v: unknown) => v === true || v === 'true';

function listOf(v: unknown, where: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new KubeconfigError(`${where} is not a list`);
  return v;
}

const textList = (v: unknown, where: string) => listOf(v, where).map((x, i) => optionalText(x, `[${i}]`, where) ?? '');

/** `<dataKey>` (base64) or else the file at `<fileKey>`. */
function bytes(f: Fields, dataKey: string, fileKey: string, where: string): Buffer | undefined {
  const data = optionalText(f[dataKey], dataKey, where);
  if (data) {
    const compact = data.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(compact)) throw new KubeconfigError(`${where}: ${dataKey} is not base64`);
    return Buffer.from(compact, 'base64');
  }
  const file = optionalText(f[fileKey], fileKey, where);
  if (!file) return undefined;
  try {
    return readFileSync(file);
  } catch (e) {
    throw new KubeconfigError(`${where}: cannot read ${fileKey} ${file}: ${errorCode(e)}`, { cause: e });
  }
}

/** A system error's code and meaning without the path (the message names it already). */
function errorCode(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err?.code && err.message?.startsWith(`${err.code}:`)) return err.message.replace(/, \w+ '.*'$/s, '');
  return err?.code ?? err?.message ?? String(e);
}

/**
 * The SDK's own KubeConfig of `context`, read from the same files by its own rules: for what Ferry leaves to the SDK
 * beyond credentials (an agent through a cluster's proxy-url, pod exec). It loads the SDK.
 */
export async function sdkKubeConfig(context: string, kubeconfigPath?: string): Promise<KubeConfig> {
  const { KubeConfig } = await loadSdk();
  const kc = new KubeConfig();
  if (kubeconfigPath) kc.loadFromFile(kubeconfigPath);
  else kc.loadFromDefault();
  kc.setCurrentContext(context);
  return kc;
}
