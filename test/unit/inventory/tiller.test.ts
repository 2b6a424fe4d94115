// Helm 2 release records as Tiller stores them: the release namespace and chart read from the gzipped protobuf,
// the labels as fallback, the latest revision per release.
import { describe, expect, it } from 'vitest';
import { latestTillerReleases, readTillerRecord } from '../../../activities/inventory/tiller.js';
import { tillerConfigMap } from '../../../scripts/gen-estate/helm-records.js';

const record = (revision: number, status: 'deployed' | 'superseded' = 'deployed') =>
  tillerConfigMap('kube-system', {
    name: 'billing',
    namespace: 'legacy-billing',
    chart: 'billing',
    chartVersion: `0.${revision}.0`,
    revision,
    status,
  });

const read = (cm: ReturnType<typeof record>) =>
  readTillerRecord({
    namespace: cm.metadata.namespace as string,
    name: cm.metadata.name,
    labels: cm.metadata.labels,
    data: cm.data as Record<string, string>,
  });

describe('Tiller records', () => {
  it('decodes the release namespace, revision and chart', () => {
    expect(read(record(2))).toEqual({
      name: 'billing',
      record: 'kube-system/billing.v2',
      namespace: 'legacy-billing',
      revision: 2,
      status: 'DEPLOYED',
      chart: 'billing-0.2.0',
    });
  });

  it('falls back to the labels when the payload is damaged', () => {
    const cm = record(4);
    expect(read({ ...cm, data: { release: Buffer.from('not gzip').toString('base64') } })).toEqual({
      name: 'billing',
      record: 'kube-system/billing.v4',
      namespace: undefined,
      revision: 4,
      status: 'DEPLOYED',
      chart: undefined,
    });
  });

  it('ignores ConfigMaps Tiller did not write', () => {
    expect(read({ ...record(1), metadata: { name: 'coredns', namespace: 'kube-system', labels: { OWNER: 'someone' } } })).toBeUndefined();
  });

  it('keeps the latest revision of each release', () => {
    const other = tillerConfigMap('kube-system', {
      name: 'audit',
      namespace: 'ops',
      chart: 'audit',
      chartVersion: '1.0.0',
      revision: 1,
      status: 'deployed',
    });
    const latest = latestTillerReleases(
      [record(1, 'superseded'), record(3), record(2, 'superseded'), other].map((cm) => read(cm)).filter((r) => r !== undefined),
    );
    expect(latest.map((r) => [r.name, r.revision])).toEqual([
      ['audit', 1],
      ['billing', 3],
    ]);
  });
});
