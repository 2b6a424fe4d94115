// HTTP to one cluster's API server, authenticated as its kubeconfig says (kubeconfig.ts: client certificates,
// tokens, exec plugins), over a keep-alive agent.
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent, type RequestOptions, request } from 'node:https';
import type { Duplex } from 'node:stream';
import type { KubeConfig } from '@kubernetes/client-node';
import { ClusterUnreachable, KubeApiError } from './errors.js';
import { type Connection, sdkKubeConfig } from './kubeconfig.js';
import { type PageBuffers, type PooledBody, PooledBodyWriter } from './page-buffers.js';

export interface RestResponse {
  readonly status: number;
  readonly body: string;
}

interface BytesResponse<B = Buffer> {
  readonly status: number;
  readonly body: B;
}

/** Where a response's body goes as it arrives. */
interface BodySink<B> {
  /** The response's status, before any of its body. */
  start?(status: number): void;
  write(chunk: Buffer): void;
  finish(): B;
  abandon(): void;
}

function chunkList(): BodySink<Buffer> {
  const chunks: Buffer[] = [];
  return {
    write: (c) => chunks.push(c),
    finish: () => (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)),
    abandon: () => undefined,
  };
}

/** A keep-alive agent that counts the connections it opens. */
class CountingAgent extends Agent {
  opened = 0;

  override createConnection(options: RequestOptions, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    this.opened++;
    return super.createConnection(options, callback);
  }
}

export class RestClient {
  private readonly agent = new CountingAgent({ keepAlive: true, maxSockets: 32 });
  private readonly plainAgent = new HttpAgent({ keepAlive: true, maxSockets: 32 });
  private readonly server: URL;
  /** The server's path, when it serves the API below one (a proxy's `/k8s/clusters/<id>`), without its last '/'. */
  private readonly prefix: string;
  private sdk: Promise<KubeConfig> | undefined;

  constructor(
    private readonly connection: Connection,
    private readonly kubeconfigPath?: string,
  ) {
    this.server = connection.server;
    this.prefix = this.server.pathname.replace(/\/+$/, '');
  }

  get context(): string {
    return this.connection.context;
  }

  /** Puts the connection's TLS material and the user's credentials (fresh tokens) in a request's options. */
  private async authenticate(opts: RequestOptions): Promise<void> {
    const c = this.connection;
    if (c.proxyUrl) {
      this.sdk ??= sdkKubeConfig(c.context, this.kubeconfigPath);
      await (await this.sdk).applyToHTTPSOptions(opts);
      return;
    }
    const credentials = await c.credentials();
    opts.rejectUnauthorized = c.tls.rejectUnauthorized;
    if (c.tls.ca) opts.ca = c.tls.ca;
    if (c.tls.servername) opts.servername = c.tls.servername;
    if (credentials.cert) {
      opts.cert = credentials.cert;
      opts.key = credentials.key;
    }
    opts.headers = { ...credentials.headers, ...opts.headers };
  }

  async raw(method: string, path: string, body?: string, contentType = 'application/json'): Promise<RestResponse> {
    const res = await this.bytes(method, path, body, contentType);
    return { status: res.status, body: res.body.toString('utf8') };
  }

  private bytes(method: string, path: string, body?: string, contentType?: string): Promise<BytesResponse> {
    return this.send(method, path, chunkList(), body, contentType);
  }

  /** `sent`: called once the request is handed to its socket (or has failed). */
  private async send<B>(
    method: string,
    path: string,
    sink: BodySink<B>,
    body?: string,
    contentType = 'application/json',
    sent?: () => void,
  ): Promise<BytesResponse<B>> {
    const url = new URL(`${this.prefix}${path}`, this.server);
    const plain = url.protocol === 'http:';
    const opts: RequestOptions = {
      method,
      hostname: url.hostname,
      port: url.port,
      path: `${url.pathname}${url.search}`,
      agent: plain ? this.plainAgent : this.agent,
      // a body's length is said up front: a chunked body the server answers before reading (a DELETE of an object
      // already gone) would leave its end on the kept-alive connection, to be read as the next request
      headers: {
        Accept: 'application/json',
        ...(body !== undefined ? { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) } : {}),
      },
      timeout: 60_000,
    };
    try {
      await this.authenticate(opts);
    } catch (e) {
      sink.abandon();
      sent?.();
      throw e;
    }
    return new Promise<BytesResponse<B>>((resolve, reject) => {
      let settled = false;
      const fail = (e: Error) => {
        sent?.();
        if (settled) return;
        settled = true;
        sink.abandon();
        reject(new ClusterUnreachable(this.context, { cause: e }));
      };
      const req = (plain ? httpRequest : request)(opts, (res) => {
        sink.start?.(res.statusCode ?? 0);
        res.on('data', (c: Buffer) => sink.write(c));
        res.on('end', () => {
          if (settled) return;
          settled = true;
          resolve({ status: res.statusCode ?? 0, body: sink.finish() });
        });
        res.on('error', fail);
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
      req.on('error', fail);
      if (sent) req.on('finish', sent);
      if (body !== undefined) req.write(body);
      req.end();
    });
  }

  /** JSON request; a non-2xx answer becomes a KubeApiError carrying the API's own reason. */
  async json<T>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
    const res = await this.raw(method, path, body === undefined ? undefined : JSON.stringify(body), contentType);
    if (res.status < 200 || res.status > 299) throw this.apiError(method, path, res);
    return JSON.parse(res.body) as T;
  }

  /**
   * A GET whose 2xx body is returned in a buffer of `pool` (see page-buffers.ts), for callers that decode it
   * themselves and say when they are done with it. `watch.sent`: called once the request is on its way;
   * `watch.head`: shown the body's first bytes as they arrive (PooledBodyWriter).
   */
  async getPooled(
    path: string,
    pool: PageBuffers,
    watch: { sent?: () => void; head?: (status: number, prefix: Buffer) => boolean } = {},
  ): Promise<PooledBody> {
    const res = await this.send('GET', path, new PooledBodyWriter(pool, watch.head), undefined, undefined, watch.sent);
    if (res.status >= 200 && res.status <= 299) return res.body;
    const text = res.body.body.toString('utf8');
    res.body.release();
    throw this.apiError('GET', path, { status: res.status, body: text });
  }

  private apiError(method: string, path: string, res: RestResponse): KubeApiError {
    let reason = '';
    let message = res.body.slice(0, 500);
    try {
      const s = JSON.parse(res.body) as { reason?: string; message?: string };
      reason = s.reason ?? '';
      message = s.message ?? message;
    } catch {
      // not a Status object: keep the raw text
    }
    return new KubeApiError(this.context, method, path, res.status, reason, message);
  }

  /** Connections opened to the server so far. */
  get connectionsOpened(): number {
    return this.agent.opened;
  }

  close(): void {
    this.agent.destroy();
    this.plainAgent.destroy();
  }
}
