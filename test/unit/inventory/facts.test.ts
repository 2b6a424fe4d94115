// One listed object reduced to facts: sizes, digests that ignore what controllers change, field managers, pod
// template references, and nothing of a Secret's values or kubectl's last-applied copy of them.
import { describe, expect, it } from 'vitest';
import { digestOf, extractFact, measure } from '../../../activities/inventory/facts.js';
import { groupNamespace, memberFactOf } from '../../../activities/inventory/membership.js';
import { decodeLean } from '../../../activities/kube/list-body.js';
import type { KubeObject } from '../../../activities/kube/object.js';
import { smallCluster } from './cluster.js';
import { inNamespace, podTemplate } from './objects.js';

const o = inNamespace('shop');
const opts = { teamKeys: ['team'] };
const with_ = (obj: KubeObject, patch: Record<string, unknown>, metadata: Record<string, unknown> = {}): KubeObject => ({
  ...obj,
  ...patch,
  metadata: { ...obj.metadata, ...metadata },
});

describe('extractFact', () => {
  const secretValue = 'c3VwZXItc2VjcmV0LXZhbHVl';
  const secret = o('Secret', 'db', {
    labels: { team: 'payments' },
    annotations: {
      'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ data: { password: secretValue } }),
      team: 'ignored-label-wins',
      'example.com/other': 'dropped',
    },
    body: { type: 'Opaque', data: { password: secretValue } },
  });

  it('keeps no Secret value and no last-applied annotation', () => {
    const fact = extractFact(secret, opts);
    expect(JSON.stringify(fact)).not.toContain(secretValue);
    expect(fact.annotations).toEqual({ team: 'ignored-label-wins' });
    expect(fact.secretType).toBe('Opaque');
  });

  it('measures the object as listed, in JSON bytes', () => {
    expect(extractFact(secret, opts).bytes).toBe(Buffer.byteLength(JSON.stringify(secret)));
  });

  it('lists field managers, but not the ones that only wrote status', () => {
    const obj = o('Deployment', 'web', { managers: ['kubectl-client-side-apply', 'jenkins'] });
    const managedFields = [
      ...(obj.metadata.managedFields as object[]),
      { manager: 'kube-controller-manager', operation: 'Update', subresource: 'status' },
    ];
    expect(extractFact(with_(obj, {}, { managedFields }), opts).managers).toEqual(['jenkins', 'kubectl-client-side-apply']);
  });

  it('reads what a pod template references, optional or not, and the service hosts it calls', () => {
    const deploy = o('Deployment', 'web', {
      body: {
        spec: podTemplate({
          serviceAccountName: 'web',
          runtimeClassName: 'gvisor',
          imagePullSecrets: [{ name: 'pull' }],
          initContainers: [
            { name: 'init', envFrom: [{ secretRef: { name: 'init-env', optional: true } }], args: ['--db=pg.data.svc:5432'] },
          ],
          containers: [
            {
              name: 'web',
              env: [
                { name: 'A', valueFrom: { configMapKeyRef: { name: 'flags', key: 'a', optional: true } } },
                { name: 'B', valueFrom: { configMapKeyRef: { name: 'flags', key: 'b' } } },
                { name: 'C', value: 'http://api.shop.svc.cluster.local and http://api.shop.svc.cluster.local' },
              ],
            },
          ],
          volumes: [
            { name: 'p', projected: { sources: [{ secret: { name: 'projected' } }, { configMap: { name: 'ca' } }] } },
            { name: 's', secret: { secretName: 'tls', optional: true } },
            { name: 'd', persistentVolumeClaim: { claimName: 'data' } },
          ],
        }),
      },
    });
    expect(extractFact(deploy, opts).workload?.refs).toEqual({
      secrets: [
        { name: 'init-env', optional: true },
        { name: 'projected', optional: false },
        { name: 'pull', optional: false },
        { name: 'tls', optional: true },
      ],
      configMaps: [
        { name: 'ca', optional: false },
        { name: 'flags', optional: false },
      ],
      claims: ['data'],
      serviceAccount: 'web',
      priorityClass: undefined,
      runtimeClass: 'gvisor',
      hosts: [
        { host: 'api.shop.svc.cluster.local', service: 'api', namespace: 'shop' },
        { host: 'pg.data.svc', service: 'pg', namespace: 'data' },
      ],
    });
  });

  it('does not read the template again in Pods and ReplicaSets a controller made', () => {
    const deploy = o('Deployment', 'web', { body: { spec: podTemplate({ serviceAccountName: 'web' }) } });
    const rs = o('ReplicaSet', 'web-1', { owner: deploy, body: { spec: podTemplate({ serviceAccountName: 'web' }) } });
    expect(extractFact(rs, opts).workload).toBeUndefined();
    expect(
      extractFact(o('Pod', 'standalone', { body: { spec: { serviceAccountName: 'batch' } } }), opts).workload?.refs.serviceAccount,
    ).toBe('batch');
  });
});

describe('digestOf', () => {
  const deploy = o('Deployment', 'web', {
    labels: { app: 'web' },
    body: { spec: podTemplate({ containers: [{ name: 'web', image: 'web:1' }] }) },
  });

  it('ignores status, resourceVersion, managers and annotations controllers or kubectl keep', () => {
    const churned = with_(
      deploy,
      { status: { replicas: 3, observedGeneration: 9 } },
      {
        resourceVersion: '99999',
        generation: 9,
        managedFields: [],
        annotations: { 'deployment.kubernetes.io/revision': '7', 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
      },
    );
    expect(digestOf(churned)).toBe(digestOf(deploy));
  });

  it('changes with the spec, the labels and the annotations a person sets', () => {
    const spec = with_(deploy, { spec: podTemplate({ containers: [{ name: 'web', image: 'web:2' }] }) });
    const labels = with_(deploy, {}, { labels: { app: 'web', tier: 'front' } });
    const annotations = with_(deploy, {}, { annotations: { 'example.com/owner': 'x' } });
    const digests = new Set([deploy, spec, labels, annotations].map(digestOf));
    expect(digests.size).toBe(4);
  });

  it('reads annotations in key order, however they come', () => {
    const annotations = { 'b.example.com/x': '1', 'kubectl.kubernetes.io/last-applied-configuration': '{}', 'a.example.com/y': '2' };
    const reversed = Object.fromEntries(Object.entries(annotations).reverse());
    const sorted = Object.fromEntries(Object.entries(annotations).sort((x, y) => (x[0] < y[0] ? -1 : 1)));
    const unsorted = digestOf(with_(deploy, {}, { annotations }));
    expect(digestOf(with_(deploy, {}, { annotations: reversed }))).toBe(unsorted);
    expect(digestOf(with_(deploy, {}, { annotations: sorted }))).toBe(unsorted);
    expect(digestOf(with_(deploy, {}, { annotations: { ...sorted, 'a.example.com/y': '3' } }))).not.toBe(unsorted);
  });

  it('sees which keys a Secret has, never its values', () => {
    const a = o('Secret', 's', { body: { type: 'Opaque', data: { password: 'YQ==' } } });
    const b = with_(a, { data: { password: 'Yg==' } });
    const c = with_(a, { data: { password: 'YQ==', user: 'dQ==' } });
    expect(digestOf(b)).toBe(digestOf(a));
    expect(digestOf(c)).not.toBe(digestOf(a));
  });
});

describe('facts and membership', () => {
  it('give the inventory the same grouping the backup computes from whole objects', () => {
    const objects = smallCluster().filter((x) => x.metadata.namespace !== undefined);
    for (const ns of [...new Set(objects.map((x) => x.metadata.namespace as string))].sort()) {
      const here = objects.filter((x) => x.metadata.namespace === ns);
      expect(
        groupNamespace(
          ns,
          here.map((x) => extractFact(x, opts)),
        ),
      ).toEqual(groupNamespace(ns, here.map(memberFactOf)));
    }
  });
});

describe('measure', () => {
  it('digests an object from the bytes a listing served exactly as from the object decoded', () => {
    const odd = o('ConfigMap', 'odd', { labels: { city: 'zurich' }, body: { data: { note: 'Zürich "quoted" \\ 東京 🚀' } } });
    const withStatus = o('Deployment', 'web', {
      body: { spec: { replicas: 2, template: { metadata: { labels: { status: 'x' } } } }, status: { replicas: 1 } },
    });
    // a custom resource as the API server writes it: keys sorted, so a member comes before metadata
    const topic = o('Topic', 't', { apiVersion: 'kafka.example.com/v1', body: { spec: { status: { nested: true } } } });
    const crd = { apiVersion: topic.apiVersion, data: { a: 1 }, kind: topic.kind, metadata: topic.metadata, spec: topic.spec };
    for (const obj of [...smallCluster(), odd, withStatus, crd]) {
      const bytes = Buffer.from(JSON.stringify(obj));
      const lean = decodeLean<typeof obj>(bytes, 0, bytes.length);
      expect(lean.members).toBeDefined();
      expect(measure(obj, true, { bytes: bytes.length, members: lean.members })).toEqual({ bytes: bytes.length, digest: digestOf(obj) });
    }
    // status and metadata other than labels and annotations are not the app's content; the spec is
    const churned = { ...withStatus, status: { replicas: 2 }, metadata: { ...withStatus.metadata, resourceVersion: '99' } };
    const respecced = { ...withStatus, spec: { replicas: 3 } };
    const digest = (obj: object) => {
      const b = Buffer.from(JSON.stringify(obj));
      return measure(obj as never, true, { bytes: b.length, members: decodeLean(b, 0, b.length).members }).digest;
    };
    expect(digest(churned)).toBe(digest(withStatus));
    expect(digest(respecced)).not.toBe(digest(withStatus));
  });

  it('counts exactly the bytes of JSON.stringify, with and without a digest, whatever the characters', () => {
    const odd = o('ConfigMap', 'odd', { labels: { city: 'zurich' }, body: { data: { note: 'Zürich "quoted" \\ 東京 🚀\n\u0001' } } });
    for (const obj of [...smallCluster(), odd]) {
      const exact = Buffer.byteLength(JSON.stringify(obj));
      expect([measure(obj, false).bytes, measure(obj, true).bytes]).toEqual([exact, exact]);
    }
  });

  it('takes the size the server sent and the managers the listing read when given, and digests the same either way', () => {
    for (const obj of smallCluster()) {
      expect(measure(obj, true, { bytes: 1234 })).toEqual({ bytes: 1234, digest: measure(obj, true).digest });
      expect(measure(obj, false, { bytes: 99 })).toEqual({ bytes: 99 });
      const fact = extractFact(obj, opts, { bytes: 4321, managers: ['from-the-listing'] });
      expect([fact.bytes, fact.managers]).toEqual([4321, ['from-the-listing']]);
    }
  });
});
