// Helm 2 release records: ConfigMaps Tiller keeps in its namespace (kube-system by default), labelled OWNER=TILLER
// and NAME=<release>, whose `release` field is the base64 of a gzipped hapi.release.Release protobuf. Decoding
// the few top-level fields gives the release's namespace, which the labels do not carry. Pure.
import { gunzipSync } from 'node:zlib';

export interface TillerRelease {
  readonly name: string;
  /** The ConfigMap holding the record, `<namespace>/<name>`. */
  readonly record: string;
  readonly namespace?: string;
  readonly revision?: number;
  readonly status?: string;
  readonly chart?: string;
}

interface TillerConfigMap {
  readonly namespace: string;
  readonly name: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly data?: Readonly<Record<string, string>>;
}

export function isTillerRecord(cm: Pick<TillerConfigMap, 'labels'>): boolean {
  return cm.labels?.OWNER === 'TILLER' && Boolean(cm.labels.NAME);
}

/** The release a Tiller ConfigMap records; the labels are enough when the payload cannot be decoded. */
export function readTillerRecord(cm: TillerConfigMap): TillerRelease | undefined {
  if (!isTillerRecord(cm)) return undefined;
  const labels = cm.labels ?? {};
  let decoded: DecodedRelease = {};
  try {
    if (cm.data?.release) decoded = decodeRelease(gunzipSync(Buffer.from(cm.data.release, 'base64')));
  } catch {
    // a damaged payload leaves the labels' view of the release
  }
  const labelRevision = Number(labels.VERSION);
  return {
    name: labels.NAME,
    record: `${cm.namespace}/${cm.name}`,
    namespace: decoded.namespace || undefined,
    revision: decoded.version ?? (Number.isInteger(labelRevision) ? labelRevision : undefined),
    status: labels.STATUS,
    chart: decoded.chartName ? `${decoded.chartName}-${decoded.chartVersion ?? ''}`.replace(/-$/, '') : undefined,
  };
}

/** For each release, its latest record (highest revision, then the record's name). */
export function latestTillerReleases(records: readonly TillerRelease[]): TillerRelease[] {
  const latest = new Map<string, TillerRelease>();
  for (const r of records) {
    const seen = latest.get(r.name);
    if (!seen || (r.revision ?? 0) > (seen.revision ?? 0) || ((r.revision ?? 0) === (seen.revision ?? 0) && r.record > seen.record)) {
      latest.set(r.name, r);
    }
  }
  return [...latest.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
}

interface DecodedRelease {
  name?: string;
  namespace?: string;
  version?: number;
  chartName?: string;
  chartVersion?: string;
}

type Field = { readonly number: number; readonly varint?: number; readonly bytes?: Uint8Array };

/** The top-level fields of a protobuf message; throws on a truncated or malformed message. */
function* fields(buf: Uint8Array): Generator<Field> {
  let at = 0;
  const varint = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (at >= buf.length) throw new Error('truncated varint');
      const b = buf[at++];
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
      if (shift > 63) throw new Error('varint too long');
    }
  };
  while (at < buf.length) {
    const key = varint();
    const number = Math.floor(key / 8);
    switch (key & 7) {
      case 0:
        yield { number, varint: varint() };
        break;
      case 1:
        at += 8;
        break;
      case 2: {
        const len = varint();
        if (at + len > buf.length) throw new Error('truncated field');
        yield { number, bytes: buf.subarray(at, at + len) };
        at += len;
        break;
      }
      case 5:
        at += 4;
        break;
      default:
        throw new Error(`unsupported wire type ${key & 7}`);
    }
  }
}

const text = (b: Uint8Array | undefined) => (b ? Buffer.from(b).toString('utf8') : undefined);

// hapi.release.Release: name = 1, chart = 3 (hapi.chart.Chart: metadata = 1 → Metadata: name = 1, version = 4),
// version = 7, namespace = 8.
function decodeRelease(buf: Uint8Array): DecodedRelease {
  const out: DecodedRelease = {};
  for (const f of fields(buf)) {
    if (f.number === 1) out.name = text(f.bytes);
    else if (f.number === 7) out.version = f.varint;
    else if (f.number === 8) out.namespace = text(f.bytes);
    else if (f.number === 3 && f.bytes) {
      for (const c of fields(f.bytes)) {
        if (c.number !== 1 || !c.bytes) continue;
        for (const m of fields(c.bytes)) {
          if (m.number === 1) out.chartName = text(m.bytes);
          else if (m.number === 4) out.chartVersion = text(m.bytes);
        }
      }
    }
  }
  return out;
}
