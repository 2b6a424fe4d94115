// HTTP to one cluster's API server, authenticated by @kubernetes/client-node's KubeConfig
// (client certs, tokens, exec plugins), over a keep-alive agent.
import { Agent, request } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { ClusterUnreachable, KubeApiError } from './errors.js';

export interface RestResponse {
  readonly status: number;
  readonly body: string;
}

interface BytesResponse {
  readonly status: number;
  readonly body: Buffer;
}

export class RestClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 32 });
  private readonly server: URL;

  constructor(
    private readonly kc: KubeConfig,
    readonly context: string,
  ) {
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error(`context "${context}" names no cluster`);
    this.server = new URL(cluster.server);
  }

  async raw(method: string, path: string, body?: string, contentType = 'application/json'): Promise<RestResponse> {
    const res = await this.bytes(method, path, body, contentType);
    return { status: res.status, body: res.body.toString('utf8') };
  }

  private async bytes(method: string, path: string, body?: string, contentType = 'application/json'): Promise<BytesResponse> {
    const url = new URL(path, this.server);
    const opts: import('node:https').RequestOptions = {
      method,
      hostname: url.hostname,
      port: url.port,
      path: `${url.pathname}${url.search}`,
      agent: this.agent,
      headers: { Accept: 'application/json', ...(body !== undefined ? { 'Content-Type': contentType } : {}) },
      timeout: 60_000,
    };
    await this.kc.applyToHTTPSOptions(opts);
    return new Promise<BytesResponse>((resolve, reject) => {
      const req = request(opts, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks) }));
        res.on('error', (e) => reject(new ClusterUnreachable(this.context, { cause: e })));
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
      req.on('error', (e) => reject(new ClusterUnreachable(this.context, { cause: e })));
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

  /** A GET whose 2xx body is returned as bytes, for callers that decode it themselves (lists, item by item). */
  async getBytes(path: string): Promise<Buffer> {
    const res = await this.bytes('GET', path);
    if (res.status < 200 || res.status > 299) throw this.apiError('GET', path, { status: res.status, body: res.body.toString('utf8') });
    return res.body;
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

  close(): void {
    this.agent.destroy();
  }
}
