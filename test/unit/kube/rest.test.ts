// Ferry's HTTP client to an API server, against a small HTTP server of the test's own standing in for an API server
// served below a path prefix (as Rancher and other proxies serve clusters): no such proxy runs here.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../../../activities/kube/cluster.js';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly authorization?: string;
  readonly contentLength?: string;
  readonly body: string;
}

describe('RestClient', () => {
  const seen: Seen[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        authorization: req.headers.authorization,
        contentLength: req.headers['content-length'],
        body,
      });
      res.setHeader('Content-Type', 'application/json');
      if (req.url?.endsWith('/version')) res.end(JSON.stringify({ gitVersion: 'v1.36.3' }));
      else if (req.url?.endsWith('/api/v1')) {
        res.end(
          JSON.stringify({
            groupVersion: 'v1',
            resources: [{ name: 'namespaces', kind: 'Namespace', namespaced: false, verbs: ['delete'] }],
          }),
        );
      } else {
        res.statusCode = 404;
        res.end(JSON.stringify({ kind: 'Status', reason: 'NotFound', message: 'gone' }));
      }
    });
  });
  let kubeconfig = '';

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const dir = mkdtempSync(join(tmpdir(), 'ferry-rest-'));
    kubeconfig = join(dir, 'config');
    writeFileSync(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        `- name: proxied\n  cluster:\n    server: http://127.0.0.1:${port}/k8s/clusters/c-1/`,
        'users:',
        '- name: u\n  user:\n    token: t0ken',
        'contexts:',
        '- name: behind-proxy\n  context:\n    cluster: proxied\n    user: u',
        'current-context: behind-proxy',
        '',
      ].join('\n'),
    );
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('keeps the path the server is served below, sends the user token, and says a body length up front', async () => {
    const cluster = Cluster.fromKubeconfig('behind-proxy', kubeconfig);
    try {
      expect(await cluster.version()).toBe('v1.36.3');
      expect(seen.at(-1)).toMatchObject({ method: 'GET', url: '/k8s/clusters/c-1/version', authorization: 'Bearer t0ken' });
      // answered 404: already gone
      expect(await cluster.delete({ apiVersion: 'v1', kind: 'Namespace', name: 'x' })).toBe(false);
      const deleted = seen.find((s) => s.method === 'DELETE');
      expect(deleted?.url).toBe('/k8s/clusters/c-1/api/v1/namespaces/x');
      expect(deleted?.contentLength).toBe(String(Buffer.byteLength(deleted?.body ?? '')));
      expect(JSON.parse(deleted?.body ?? '{}')).toMatchObject({ kind: 'DeleteOptions' });
    } finally {
      cluster.close();
    }
  });
});
