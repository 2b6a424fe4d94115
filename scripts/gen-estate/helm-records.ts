// Release records as Helm keeps them: Helm 3 Secrets (base64 of gzipped JSON) and Helm 2 Tiller ConfigMaps
// (base64 of a gzipped hapi.release.Release protobuf), for estates that look deployed by those tools.
import { gzipSync } from 'node:zlib';
import type { KubeObject } from '../../activities/kube/object.js';

export interface ReleaseInfo {
  readonly name: string;
  readonly namespace: string;
  readonly chart: string;
  readonly chartVersion: string;
  readonly revision: number;
  readonly status: 'deployed' | 'superseded';
}

export function helm3ReleaseSecret(r: ReleaseInfo): KubeObject {
  const record = {
    name: r.name,
    namespace: r.namespace,
    version: r.revision,
    info: { status: r.status, description: r.revision === 1 ? 'Install complete' : 'Upgrade complete' },
    chart: { metadata: { name: r.chart, version: r.chartVersion, apiVersion: 'v2' } },
    config: { replicaCount: 1 },
    manifest: `# rendered manifests of ${r.chart}-${r.chartVersion}`,
  };
  const release = gzipSync(Buffer.from(JSON.stringify(record))).toString('base64');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: `sh.helm.release.v1.${r.name}.v${r.revision}`,
      namespace: r.namespace,
      labels: { name: r.name, owner: 'helm', status: r.status, version: String(r.revision) },
    },
    type: 'helm.sh/release.v1',
    data: { release: Buffer.from(release).toString('base64') },
  };
}

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}
const field = (num: number, bytes: Uint8Array) => Buffer.from([...varint((num << 3) | 2), ...varint(bytes.length), ...bytes]);
const text = (num: number, s: string) => field(num, Buffer.from(s, 'utf8'));
const number = (num: number, n: number) => Buffer.from([...varint(num << 3), ...varint(n)]);

/** hapi.release.Release: name 1, info 2 (status 1 → code 1), chart 3 (metadata 1 → name 1, version 4), manifest 5, version 7, namespace 8. */
export function encodeTillerRelease(r: ReleaseInfo): Buffer {
  const statusCode = r.status === 'deployed' ? 1 : 4;
  return Buffer.concat([
    text(1, r.name),
    field(2, field(1, number(1, statusCode))),
    field(3, field(1, Buffer.concat([text(1, r.chart), text(4, r.chartVersion)]))),
    text(5, `# rendered manifests of ${r.chart}-${r.chartVersion}`),
    number(7, r.revision),
    text(8, r.namespace),
  ]);
}

export function tillerConfigMap(tillerNamespace: string, r: ReleaseInfo, labels: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: `${r.name}.v${r.revision}`,
      namespace: tillerNamespace,
      labels: { NAME: r.name, OWNER: 'TILLER', STATUS: r.status.toUpperCase(), VERSION: String(r.revision), ...labels },
    },
    data: { release: gzipSync(encodeTillerRelease(r)).toString('base64') },
  };
}
