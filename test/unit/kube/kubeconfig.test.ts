import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { stringify } from 'yaml';
import { UnknownContext } from '../../../activities/kube/errors.js';
import { KubeconfigError, loadKubeconfig, serviceAccountDirEnv } from '../../../activities/kube/kubeconfig.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'ferry-kubeconfig-'));
  dirs.push(d);
  return d;
}

function write(path: string, text: string | Buffer, mode = 0o644): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text, { mode });
  chmodSync(path, mode);
  return path;
}

interface Config {
  clusters?: Record<string, object>;
  users?: Record<string, object>;
  contexts?: Record<string, { cluster: string; user?: string }>;
  current?: string;
}

/** A kubeconfig file's text, from maps of name → fields. */
function kubeconfig(c: Config): string {
  const named = (m: Record<string, object> | undefined, inner: string) =>
    Object.entries(m ?? {}).map(([name, fields]) => ({ name, [inner]: fields }));
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: named(c.clusters, 'cluster'),
    users: named(c.users, 'user'),
    contexts: named(c.contexts, 'context'),
    ...(c.current ? { 'current-context': c.current } : {}),
  });
}

/** One cluster and one user in context `ctx`. */
function single(cluster: object, user: object | undefined, ctx = 'ctx'): string {
  return kubeconfig({
    clusters: { c: { server: 'https://api.example.test:6443', ...cluster } },
    ...(user ? { users: { u: user } } : {}),
    contexts: { [ctx]: { cluster: 'c', ...(user ? { user: 'u' } : {}) } },
    current: ctx,
  });
}

const pem = (label: string, body: string) => `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
const b64 = (s: string) => Buffer.from(s).toString('base64');
/** Moves the clock `ms` ahead for what `check` does (only Date is faked: files and processes stay real). */
async function later<T>(ms: number, check: () => Promise<T>): Promise<T> {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.now() + ms);
  try {
    return await check();
  } finally {
    vi.useRealTimers();
  }
}
const runsIn = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean).length;

describe('loadKubeconfig: clusters and users', () => {
  it('reads inline data, and files relative to the kubeconfig directory', async () => {
    const dir = tempDir();
    const [ca1, ca2, cert1, key1, cert2, key2] = ['CA1', 'CA2', 'CERT1', 'KEY1', 'CERT2', 'KEY2'].map((n) => pem('X', n));
    write(join(dir, 'sub/pki/ca.crt'), ca2);
    write(join(dir, 'sub/pki/client.crt'), cert2);
    const absKey = write(join(dir, 'elsewhere/client.key'), key2);
    const file = write(
      join(dir, 'sub/config'),
      kubeconfig({
        clusters: {
          inline: { server: 'https://inline.test:6443', 'certificate-authority-data': b64(ca1) },
          files: { server: 'https://files.test', 'certificate-authority': 'pki/ca.crt' },
        },
        users: {
          inline: { 'client-certificate-data': b64(cert1), 'client-key-data': b64(key1) },
          files: { 'client-certificate': 'pki/client.crt', 'client-key': absKey },
        },
        contexts: { inline: { cluster: 'inline', user: 'inline' }, files: { cluster: 'files', user: 'files' } },
      }),
    );
    const kc = loadKubeconfig(file);
    expect(kc.contexts()).toEqual(['files', 'inline']);
    expect(kc.currentContext).toBeUndefined();

    const inline = kc.connection('inline');
    expect(inline.context).toBe('inline');
    expect(inline.server.href).toBe('https://inline.test:6443/');
    expect(inline.tls).toEqual({ ca: Buffer.from(ca1), rejectUnauthorized: true });
    expect(inline.proxyUrl).toBeUndefined();
    expect(await inline.credentials()).toEqual({ headers: {}, cert: Buffer.from(cert1), key: Buffer.from(key1) });

    const files = kc.connection('files');
    expect(files.tls.ca?.toString()).toBe(ca2);
    const creds = await files.credentials();
    expect([creds.cert?.toString(), creds.key?.toString()]).toEqual([cert2, key2]);
  });

  it('merges several files: the first to define a name keeps it, current-context from the first that sets one', () => {
    const dir = tempDir();
    const a = write(
      join(dir, 'a'),
      kubeconfig({
        clusters: { c1: { server: 'https://a.test' } },
        users: { u1: { token: 'a' } },
        contexts: { x: { cluster: 'c1', user: 'u1' } },
      }),
    );
    const b = write(
      join(dir, 'b/config'),
      kubeconfig({
        clusters: { c1: { server: 'https://b.test' }, c2: { server: 'https://b2.test', 'certificate-authority': 'ca.crt' } },
        contexts: { x: { cluster: 'c2' }, y: { cluster: 'c2', user: 'u1' } },
        current: 'y',
      }),
    );
    write(join(dir, 'b/ca.crt'), 'CA-B');
    const c = write(join(dir, 'c'), kubeconfig({ contexts: { z: { cluster: 'c1' } }, current: 'z' }));
    const kc = loadKubeconfig([a, b, c].join(':'));
    expect(kc.contexts()).toEqual(['x', 'y', 'z']);
    expect(kc.currentContext).toBe('y');
    expect(kc.connection('x').server.host).toBe('a.test');
    expect(kc.connection('z').server.host).toBe('a.test');
    // b's relative path resolves against b's directory, though a came first
    expect(kc.connection('y').tls.ca?.toString()).toBe('CA-B');
  });

  it('follows KUBECONFIG (skipping missing files), else ~/.kube/config, and says when there is none', () => {
    const dir = tempDir();
    const listed = write(join(dir, 'listed'), single({}, undefined, 'from-env'));
    const home = join(dir, 'home');
    write(join(home, '.kube/config'), single({}, undefined, 'from-home'));
    expect(loadKubeconfig(undefined, { KUBECONFIG: `${join(dir, 'missing')}:${listed}`, HOME: home }).contexts()).toEqual(['from-env']);
    expect(loadKubeconfig(undefined, { HOME: home }).contexts()).toEqual(['from-home']);
    expect(() => loadKubeconfig(undefined, { HOME: join(dir, 'nohome') })).toThrow(/no kubeconfig/);
    expect(() => loadKubeconfig(undefined, { KUBECONFIG: join(dir, 'missing') })).toThrow(
      `none of the files in KUBECONFIG exist: ${join(dir, 'missing')}`,
    );
  });
});

describe('loadKubeconfig: TLS and proxy', () => {
  it('passes insecure-skip-tls-verify, tls-server-name and proxy-url through', () => {
    const dir = tempDir();
    const file = write(
      join(dir, 'config'),
      single(
        { 'insecure-skip-tls-verify': true, 'tls-server-name': 'kubernetes.default', 'proxy-url': 'http://proxy.test:3128' },
        undefined,
      ),
    );
    const c = loadKubeconfig(file).connection('ctx');
    expect(c.tls).toEqual({ rejectUnauthorized: false, servername: 'kubernetes.default' });
    expect(c.proxyUrl).toBe('http://proxy.test:3128');
  });
});

describe('loadKubeconfig: tokens and basic auth', () => {
  it('sends a token as Bearer, the same credentials object on every call', async () => {
    const dir = tempDir();
    const c = loadKubeconfig(write(join(dir, 'config'), single({}, { token: 'static-token', as: 'alice' }))).connection('ctx');
    const first = await c.credentials();
    expect(first).toEqual({ headers: { Authorization: 'Bearer static-token', 'Impersonate-User': 'alice' } });
    expect(await c.credentials()).toBe(first);
  });

  it('re-reads a tokenFile when it changes, looking at it at most once a second', async () => {
    const dir = tempDir();
    const token = write(join(dir, 'tokens/token'), 'first-token\n');
    const c = loadKubeconfig(write(join(dir, 'config'), single({}, { tokenFile: 'tokens/token' }))).connection('ctx');
    expect((await c.credentials()).headers.Authorization).toBe('Bearer first-token');
    // replaced as kubelet replaces projected tokens: a new file renamed over the old
    write(join(dir, 'tokens/token.new'), 'second-token-which-is-longer\n');
    renameSync(join(dir, 'tokens/token.new'), token);
    expect((await c.credentials()).headers.Authorization).toBe('Bearer first-token');
    expect((await later(1100, () => c.credentials())).headers.Authorization).toBe('Bearer second-token-which-is-longer');
    const same = await c.credentials();
    expect(await c.credentials()).toBe(same);
  });

  it('sends username and password as Basic', async () => {
    const dir = tempDir();
    const c = loadKubeconfig(write(join(dir, 'config'), single({}, { username: 'admin', password: 'pa:ss' }))).connection('ctx');
    expect((await c.credentials()).headers).toEqual({ Authorization: `Basic ${b64('admin:pa:ss')}` });
  });

  it('gives an anonymous context no credentials', async () => {
    const dir = tempDir();
    const c = loadKubeconfig(write(join(dir, 'config'), single({}, undefined))).connection('ctx');
    expect(await c.credentials()).toEqual({ headers: {} });
  });
});

/** An exec plugin printing a v1 ExecCredential whose token counts its runs; expiry from the file `expiry` beside it. */
function tokenPlugin(dir: string): string {
  return write(
    join(dir, 'plugin.sh'),
    `#!/bin/sh
echo run >> "$RUNS_FILE"
printf '%s' "$KUBERNETES_EXEC_INFO" > "$(dirname "$0")/exec-info.json"
expiry=$(cat "$(dirname "$0")/expiry" 2>/dev/null)
exp=""
if [ -n "$expiry" ]; then exp=",\\"expirationTimestamp\\":\\"$expiry\\""; fi
n=$(wc -l < "$RUNS_FILE" | tr -d ' ')
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"tok-%s-%s"%s}}' "$1" "$n" "$exp"
`,
    0o755,
  );
}

function execUser(dir: string, command: string, more: object = {}): object {
  return {
    exec: {
      apiVersion: 'client.authentication.k8s.io/v1',
      command,
      args: ['alpha'],
      env: [{ name: 'RUNS_FILE', value: join(dir, 'runs') }],
      interactiveMode: 'Never',
      ...more,
    },
  };
}

describe('loadKubeconfig: exec plugins', () => {
  it('runs the plugin once (a relative command from the kubeconfig directory) and keeps a token without expiry', async () => {
    const dir = tempDir();
    tokenPlugin(dir);
    const file = write(
      join(dir, 'config'),
      single(
        {
          'certificate-authority-data': b64('CA'),
          extensions: [{ name: 'client.authentication.k8s.io/exec', extension: { audience: 'ferry' } }],
        },
        execUser(dir, './plugin.sh', { provideClusterInfo: true }),
      ),
    );
    const c = loadKubeconfig(file).connection('ctx');
    const all = await Promise.all([c.credentials(), c.credentials(), c.credentials()]);
    expect(all.map((x) => x.headers.Authorization)).toEqual(['Bearer tok-alpha-1', 'Bearer tok-alpha-1', 'Bearer tok-alpha-1']);
    expect((await c.credentials()).headers.Authorization).toBe('Bearer tok-alpha-1');
    expect(runsIn(join(dir, 'runs'))).toBe(1);
    expect(JSON.parse(readFileSync(join(dir, 'exec-info.json'), 'utf8'))).toEqual({
      apiVersion: 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      spec: {
        interactive: false,
        cluster: { server: 'https://api.example.test:6443', 'certificate-authority-data': b64('CA'), config: { audience: 'ferry' } },
      },
    });
  });

  it('runs the plugin again once its credential expired, and not before', async () => {
    const dir = tempDir();
    const plugin = tokenPlugin(dir);
    write(join(dir, 'expiry'), '2000-01-01T00:00:00Z');
    const c = loadKubeconfig(write(join(dir, 'config'), single({}, execUser(dir, plugin)))).connection('ctx');
    expect((await c.credentials()).headers.Authorization).toBe('Bearer tok-alpha-1');
    expect((await c.credentials()).headers.Authorization).toBe('Bearer tok-alpha-2');
    write(join(dir, 'expiry'), new Date(Date.now() + 3_600_000).toISOString());
    expect((await c.credentials()).headers.Authorization).toBe('Bearer tok-alpha-3');
    expect((await c.credentials()).headers.Authorization).toBe('Bearer tok-alpha-3');
    expect(runsIn(join(dir, 'runs'))).toBe(3);
  });

  it('uses a client certificate a v1beta1 plugin returns', async () => {
    const dir = tempDir();
    const plugin = write(
      join(dir, 'cert.sh'),
      `#!/bin/sh
cat <<'EOF'
{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"clientCertificateData":"-----BEGIN CERTIFICATE-----\\nEXEC\\n-----END CERTIFICATE-----\\n","clientKeyData":"-----BEGIN PRIVATE KEY-----\\nEXECKEY\\n-----END PRIVATE KEY-----\\n"}}
EOF
`,
      0o755,
    );
    const user = { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: plugin } };
    const creds = await loadKubeconfig(write(join(dir, 'config'), single({}, user)))
      .connection('ctx')
      .credentials();
    expect(creds.headers).toEqual({});
    expect(creds.cert?.toString()).toBe(pem('CERTIFICATE', 'EXEC'));
    expect(creds.key?.toString()).toBe(pem('PRIVATE KEY', 'EXECKEY'));
  });

  it('names the context, the command and the end of stderr when the plugin fails, never its token', async () => {
    const dir = tempDir();
    const plugin = write(
      join(dir, 'fail.sh'),
      `#!/bin/sh
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"s3cret-token"}}'
echo "error: you must log in again" >&2
exit 3
`,
      0o755,
    );
    const c = loadKubeconfig(write(join(dir, 'config'), single({}, execUser(dir, plugin), 'prod'))).connection('prod');
    const err = await c.credentials().then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toBe(`context "prod": exec credential plugin "${plugin}" failed (exit code 3): error: you must log in again`);
    expect(err?.message).not.toContain('s3cret');

    const garbled = write(join(dir, 'garbled.sh'), `#!/bin/sh\necho "token=s3cret-token"\n`, 0o755);
    const g = loadKubeconfig(write(join(dir, 'config2'), single({}, execUser(dir, garbled)))).connection('ctx');
    await expect(g.credentials()).rejects.toThrow(`context "ctx": exec credential plugin "${garbled}" printed no JSON ExecCredential`);

    const missing = loadKubeconfig(
      write(join(dir, 'config3'), single({}, execUser(dir, 'ferry-no-such-plugin', { installHint: 'install it with brew' }))),
    ).connection('ctx');
    await expect(missing.credentials()).rejects.toThrow(
      /exec credential plugin "ferry-no-such-plugin" could not be run: ENOENT[\s\S]*install it with brew/,
    );
  });
});

describe('loadKubeconfig: in-cluster', () => {
  it('uses the service account of the pod, its token re-read when it rotates', async () => {
    const dir = tempDir();
    const sa = join(dir, 'serviceaccount');
    write(join(sa, 'ca.crt'), 'CLUSTER-CA');
    write(join(sa, 'token'), 'sa-token-1');
    const env = {
      KUBERNETES_SERVICE_HOST: 'fd00::1',
      KUBERNETES_SERVICE_PORT: '6443',
      [serviceAccountDirEnv]: sa,
      HOME: join(dir, 'home'),
    };
    const kc = loadKubeconfig(undefined, env);
    expect(kc.contexts()).toEqual(['inCluster']);
    expect(kc.currentContext).toBe('inCluster');
    const c = kc.connection('inCluster');
    expect(c.server.href).toBe('https://[fd00::1]:6443/');
    expect(c.tls).toEqual({ ca: Buffer.from('CLUSTER-CA'), rejectUnauthorized: true });
    expect(await c.credentials()).toEqual({ headers: { Authorization: 'Bearer sa-token-1' } });
    write(join(sa, 'token.new'), 'sa-token-2');
    renameSync(join(sa, 'token.new'), join(sa, 'token'));
    expect((await later(1100, () => c.credentials())).headers.Authorization).toBe('Bearer sa-token-2');
  });
});

describe('loadKubeconfig: errors', () => {
  const dir = tempDir();
  const file = write(
    join(dir, 'config'),
    kubeconfig({
      clusters: { c: { server: 'https://a.test' }, broken: { server: 'https://b.test', 'certificate-authority': 'missing-ca.crt' } },
      users: { u: { token: 's3cret-token' } },
      contexts: {
        ok: { cluster: 'c', user: 'u' },
        'no-cluster': { cluster: 'gone', user: 'u' },
        'no-user': { cluster: 'c', user: 'nobody' },
        'bad-ca': { cluster: 'broken' },
      },
    }),
  );
  const kc = loadKubeconfig(file);

  it('names an unknown context and the known ones', () => {
    expect(() => kc.connection('nope')).toThrow(UnknownContext);
    expect(() => kc.connection('nope')).toThrow('kubeconfig has no context "nope" (known: bad-ca, no-cluster, no-user, ok)');
  });

  it('names a context whose cluster or user is not defined', () => {
    expect(() => kc.connection('no-cluster')).toThrow(`context "no-cluster" (${file}) names cluster "gone", which no kubeconfig defines`);
    expect(() => kc.connection('no-user')).toThrow(`context "no-user" (${file}) names user "nobody", which no kubeconfig defines`);
  });

  it('names a file that cannot be read, with its field', () => {
    expect(() => kc.connection('bad-ca')).toThrow(KubeconfigError);
    expect(() => kc.connection('bad-ca')).toThrow(
      `cluster "broken" (${file}): cannot read certificate-authority ${join(dir, 'missing-ca.crt')}: ENOENT: no such file or directory`,
    );
    expect(() => loadKubeconfig(join(dir, 'absent'))).toThrow(`cannot read kubeconfig ${join(dir, 'absent')}: ENOENT`);
  });

  it('names a file that is not YAML, without the text there', () => {
    const bad = write(join(dir, 'bad'), 'users:\n- name: u\n  user:\n    token: s3cret: nested: here\n');
    const err = (() => {
      try {
        loadKubeconfig(bad);
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err?.message).toMatch(new RegExp(`^kubeconfig ${bad} is not valid YAML \\(line 4, column \\d+\\)`));
    expect(err?.message).not.toContain('s3cret');
  });
});

/** An unsigned JWT that expires in an hour: the SDK's oidc provider uses it as it is, with no call to the issuer. */
function idToken(): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none' })}.${part({ sub: 'ferry', exp: Math.floor(Date.now() / 1000) + 3600 })}.sig`;
}

describe('loadKubeconfig: auth-provider users', () => {
  it('get their token from @kubernetes/client-node, their certificate and impersonation as other users', async () => {
    const dir = tempDir();
    const token = idToken();
    const user = {
      'auth-provider': { name: 'oidc', config: { 'id-token': token, 'client-id': 'ferry', 'idp-issuer-url': 'https://issuer.invalid' } },
      'client-certificate-data': b64('CERT'),
      'client-key': 'client.key',
      as: 'bob',
    };
    write(join(dir, 'client.key'), 'KEY');
    const c = loadKubeconfig(write(join(dir, 'config'), single({ 'certificate-authority-data': b64('CA') }, user))).connection('ctx');
    expect(c.tls.ca?.toString()).toBe('CA');
    const creds = await c.credentials();
    expect(creds.headers).toEqual({ Authorization: `Bearer ${token}`, 'Impersonate-User': 'bob' });
    expect([creds.cert?.toString(), creds.key?.toString()]).toEqual(['CERT', 'KEY']);
  });
});

describe('kubeconfig.ts and @kubernetes/client-node', () => {
  const source = resolve('activities/kube/kubeconfig.ts');

  /** The static imports of a module and of the project modules it imports. */
  function staticImports(file: string, seen = new Set<string>()): string[] {
    if (seen.has(file)) return [];
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    const specs = [...text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?\sfrom\s+'([^']+)'/gms)].map((m) => m[1]);
    return specs.flatMap((s) => (s.startsWith('.') ? [s, ...staticImports(resolve(dirname(file), s.replace(/\.js$/, '.ts')), seen)] : [s]));
  }

  /**
   * In a fresh process recording every module it resolves: each context's Authorization header (`cert` without one),
   * and how many SDK modules were resolved once the connections were opened and once their credentials were taken.
   */
  async function probe(file: string): Promise<{ headers: string[]; self: boolean; sdkOpened: number; sdkUsed: number }> {
    const code = `
      import module from 'node:module';
      const seen = [];
      module.registerHooks({ resolve(spec, ctx, next) { const r = next(spec, ctx); seen.push(r.url); return r; } });
      const sdk = () => seen.filter((u) => u.includes('@kubernetes/client-node')).length;
      const { register } = await import('tsx/esm/api');
      register();
      const { loadKubeconfig } = await import(${JSON.stringify(source)});
      const kc = loadKubeconfig(${JSON.stringify(file)});
      const connections = kc.contexts().map((ctx) => kc.connection(ctx));
      const sdkOpened = sdk();
      const headers = [];
      for (const c of connections) headers.push((await c.credentials()).headers.Authorization ?? 'cert');
      console.log(JSON.stringify({ headers, self: seen.some((u) => u.endsWith('/kubeconfig.ts')), sdkOpened, sdkUsed: sdk() }));
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', code], { cwd: resolve('.') });
    return JSON.parse(stdout);
  }

  it('imports the SDK only dynamically', () => {
    const imports = staticImports(source);
    expect(imports).toContain('yaml');
    expect(imports.filter((s) => s.includes('@kubernetes'))).toEqual([]);
    expect(readFileSync(source, 'utf8').match(/import\('@kubernetes\/client-node'\)/g)).toHaveLength(1);
  });

  it('loads no SDK module for token, tokenFile, basic, certificate and exec users', async () => {
    const dir = tempDir();
    const plugin = tokenPlugin(dir);
    write(join(dir, 'token'), 'file-token');
    const file = write(
      join(dir, 'config'),
      kubeconfig({
        clusters: { c: { server: 'https://a.test', 'certificate-authority-data': b64('CA') } },
        users: {
          token: { token: 't' },
          file: { tokenFile: 'token' },
          basic: { username: 'a', password: 'b' },
          cert: { 'client-certificate-data': b64('C'), 'client-key-data': b64('K') },
          exec: execUser(dir, plugin),
        },
        contexts: Object.fromEntries(['token', 'file', 'basic', 'cert', 'exec'].map((u) => [u, { cluster: 'c', user: u }])),
      }),
    );
    expect(await probe(file)).toEqual({
      headers: [`Basic ${b64('a:b')}`, 'cert', 'Bearer tok-alpha-1', 'Bearer file-token', 'Bearer t'],
      self: true,
      sdkOpened: 0,
      sdkUsed: 0,
    });
  });

  it('loads the SDK for an auth-provider user on its first credentials, not before', async () => {
    const dir = tempDir();
    const token = idToken();
    const file = write(join(dir, 'config'), single({}, { 'auth-provider': { name: 'oidc', config: { 'id-token': token } } }));
    const seen = await probe(file);
    expect(seen.headers).toEqual([`Bearer ${token}`]);
    expect(seen.sdkOpened).toBe(0);
    expect(seen.sdkUsed).toBeGreaterThan(0);
  });
});
