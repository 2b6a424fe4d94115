// Helm v2 → v3: a Tiller ConfigMap built here with Helm v2's protobuf schema becomes a Helm 3 release Secret
// whose payload decodes, as Helm 3 decodes it, to exactly the v3 release record.
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../activities/kube/object.js';
import { HelmReleaseUnreadable } from '../../../activities/transform/helm-release.js';
import { convertHelm2Release, goTime, helm3ReleaseKeys } from '../../../activities/transform/helm2-to-helm3.js';
import { patched } from './apply-result.js';
import { deepFreeze } from './deep-freeze.js';
import { configMap } from './fixtures.js';
import { releaseSecret, tillerConfigMap } from './helm-fixtures.js';

const manifest = `
---
# Source: storefront/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: storefront
  labels:
    app: storefront
    chart: storefront-1.8.0
    release: storefront
    heritage: Tiller
spec:
  ports:
    - port: 80
      targetPort: http
  selector:
    app: storefront
    release: storefront
`;
const migrateJob =
  'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: storefront-migrate\n  annotations:\n    "helm.sh/hook": pre-install,pre-upgrade\n';
const testPod =
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: storefront-test-connection\n  annotations:\n    "helm.sh/hook": test-success\n';
const failurePod =
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: storefront-test-negative\n  annotations:\n    "helm.sh/hook": test-failure\n';

/** hapi.release.Release version 7 of `storefront`, as Tiller 2.14 recorded an upgrade followed by `helm test`. */
const v2Release = {
  name: 'storefront',
  namespace: 'legacy-shop',
  version: 7,
  manifest,
  config: { raw: 'replicaCount: 3\ningress:\n  enabled: yes\nreleaseDate: 2019-06-01\nmode: 0755\n' },
  info: {
    status: {
      code: 'DEPLOYED',
      notes: 'Get the application URL: http://shop.old.example\n',
      resources: '==> v1/Service\nNAME        TYPE       CLUSTER-IP    PORT(S)  AGE\nstorefront  ClusterIP  10.0.171.239  80/TCP   88d\n',
      last_test_suite_run: {
        started_at: { seconds: 1567000100 },
        completed_at: { seconds: 1567000130 },
        results: [
          {
            name: 'storefront-test-connection',
            status: 'SUCCESS',
            info: '',
            started_at: { seconds: 1567000101, nanos: 250000000 },
            completed_at: { seconds: 1567000129 },
          },
        ],
      },
    },
    first_deployed: { seconds: 1559379600 },
    last_deployed: { seconds: 1567000000, nanos: 123456000 },
    Description: 'Upgrade complete',
  },
  chart: {
    metadata: {
      name: 'storefront',
      home: 'https://git.old.example/shop/storefront',
      sources: ['https://git.old.example/shop/storefront'],
      version: '1.8.0',
      description: 'The shop front end',
      keywords: ['shop', 'web'],
      maintainers: [{ name: 'Payments Team', email: 'payments@old.example' }],
      engine: 'gotpl',
      apiVersion: 'v1',
      appVersion: '1.8.0',
      tillerVersion: '>=2.10.0',
    },
    templates: [{ name: 'templates/service.yaml', data: Buffer.from('apiVersion: v1\nkind: Service\n') }],
    dependencies: [{ metadata: { name: 'redis', version: '3.2.0', apiVersion: 'v1' } }],
    values: { raw: 'replicaCount: 1\ningress:\n  enabled: false\n' },
    files: [{ type_url: 'README.md', value: Buffer.from('# storefront\n') }],
  },
  hooks: [
    {
      name: 'storefront-migrate',
      kind: 'Job',
      path: 'storefront/templates/migrate-job.yaml',
      manifest: migrateJob,
      events: ['PRE_INSTALL', 'PRE_UPGRADE'],
      last_run: { seconds: 1566999990 },
      weight: 5,
      delete_policies: ['BEFORE_HOOK_CREATION'],
    },
    {
      name: 'storefront-test-connection',
      kind: 'Pod',
      path: 'storefront/templates/tests/test-connection.yaml',
      manifest: testPod,
      events: ['RELEASE_TEST_SUCCESS'],
      delete_policies: ['SUCCEEDED'],
    },
    {
      name: 'storefront-test-negative',
      kind: 'Pod',
      path: 'storefront/templates/tests/test-negative.yaml',
      manifest: failurePod,
      events: ['RELEASE_TEST_FAILURE'],
    },
  ],
};

const tillerLabels = { NAME: 'storefront', STATUS: 'DEPLOYED', VERSION: '7', CREATED_AT: '1567000000', MODIFIED_AT: '1567000131' };
const deployed = tillerConfigMap(v2Release, tillerLabels);

/** As Helm 3 reads a release Secret: base64 (the Secret's), base64, gunzip, JSON. */
function decodeSecret(obj: KubeObject): unknown {
  const payload = Buffer.from((obj.data as Record<string, string>).release, 'base64').toString();
  return JSON.parse(gunzipSync(Buffer.from(payload, 'base64')).toString());
}

const expectedRelease = {
  name: 'storefront',
  info: {
    first_deployed: '2019-06-01T09:00:00Z',
    last_deployed: '2019-08-28T13:46:40.123456Z',
    deleted: '',
    description: 'Upgrade complete',
    status: 'deployed',
    notes: 'Get the application URL: http://shop.old.example\n',
  },
  chart: {
    metadata: {
      name: 'storefront',
      home: 'https://git.old.example/shop/storefront',
      sources: ['https://git.old.example/shop/storefront'],
      version: '1.8.0',
      description: 'The shop front end',
      keywords: ['shop', 'web'],
      maintainers: [{ name: 'Payments Team', email: 'payments@old.example' }],
      apiVersion: 'v1',
      appVersion: '1.8.0',
      type: 'application',
    },
    lock: null,
    templates: [{ name: 'templates/service.yaml', data: Buffer.from('apiVersion: v1\nkind: Service\n').toString('base64') }],
    values: { replicaCount: 1, ingress: { enabled: false } },
    schema: null,
    files: [{ name: 'README.md', data: Buffer.from('# storefront\n').toString('base64') }],
  },
  // YAML 1.1 as go-yaml reads it: `yes` is true and 0755 octal, but a date stays a string.
  config: { replicaCount: 3, ingress: { enabled: true }, releaseDate: '2019-06-01', mode: 493 },
  manifest,
  hooks: [
    {
      name: 'storefront-migrate',
      kind: 'Job',
      path: 'storefront/templates/migrate-job.yaml',
      manifest: migrateJob,
      events: ['pre-install', 'pre-upgrade'],
      last_run: { started_at: '', completed_at: '2019-08-28T13:46:30Z', phase: 'Succeeded' },
      weight: 5,
      delete_policies: ['before-hook-creation'],
    },
    {
      name: 'storefront-test-connection',
      kind: 'Pod',
      path: 'storefront/templates/tests/test-connection.yaml',
      manifest: testPod,
      events: ['test'],
      last_run: { started_at: '2019-08-28T13:48:21.25Z', completed_at: '2019-08-28T13:48:49Z', phase: 'Succeeded' },
      delete_policies: ['hook-succeeded'],
    },
    {
      name: 'storefront-test-negative',
      kind: 'Pod',
      path: 'storefront/templates/tests/test-negative.yaml',
      manifest: failurePod,
      last_run: { started_at: '', completed_at: '', phase: '' },
    },
  ],
  version: 7,
  namespace: 'legacy-shop',
};

describe('convertHelm2Release', () => {
  it('turns a Tiller ConfigMap into the Helm 3 release Secret in the release namespace', () => {
    const result = convertHelm2Release.apply(deployed, {});
    expect(result.kind === 'patch' && result.reason).toBe(
      'Helm v2 release storefront v7 (DEPLOYED) → Helm 3 Secret legacy-shop/sh.helm.release.v1.storefront.v7; ' +
        '1 hook event(s) Helm 3 has no equivalent for (test-failure) left out',
    );
    const secret = patched(deployed, result);
    expect({ ...secret, data: undefined }).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'sh.helm.release.v1.storefront.v7',
        namespace: 'legacy-shop',
        labels: { name: 'storefront', owner: 'helm', status: 'deployed', version: '7', createdAt: '1567000000', modifiedAt: '1567000131' },
      },
      type: 'helm.sh/release.v1',
      data: undefined,
    });
    expect(decodeSecret(secret)).toEqual(expectedRelease);
  });

  it('keeps the history: superseded and deleted versions get their Helm 3 status', () => {
    const cases: [string, string][] = [
      ['SUPERSEDED', 'superseded'],
      ['DELETED', 'uninstalled'],
      ['FAILED', 'failed'],
      ['PENDING_UPGRADE', 'pending-upgrade'],
    ];
    for (const [v2, v3] of cases) {
      const older = { ...v2Release, version: 6, info: { ...v2Release.info, status: { ...v2Release.info.status, code: v2 } } };
      const secret = patched(
        tillerConfigMap(older, { ...tillerLabels, STATUS: v2, VERSION: '6' }),
        convertHelm2Release.apply(tillerConfigMap(older, { ...tillerLabels, VERSION: '6' }), {}),
      );
      expect(secret.metadata.name).toBe('sh.helm.release.v1.storefront.v6');
      expect(secret.metadata.labels?.status).toBe(v3);
      expect((decodeSecret(secret) as { info: { status: string } }).info.status).toBe(v3);
    }
  });

  it('reads releases Tiller kept in Secrets (its secret driver)', () => {
    const asSecret = deepFreeze({
      ...deployed,
      kind: 'Secret',
      type: 'Opaque',
      data: { release: Buffer.from((deployed.data as Record<string, string>).release).toString('base64') },
    });
    expect(decodeSecret(patched(asSecret, convertHelm2Release.apply(asSecret, {})))).toEqual(expectedRelease);
  });

  it('drops a release already converted to Helm 3', () => {
    const converted = deepFreeze({ ...releaseSecret, metadata: { ...releaseSecret.metadata, name: 'sh.helm.release.v1.storefront.v7' } });
    expect(convertHelm2Release.apply(deployed, { helm3Releases: helm3ReleaseKeys([converted, configMap]) })).toEqual({
      kind: 'drop',
      reason: 'already converted: Helm 3 release legacy-shop/sh.helm.release.v1.storefront.v7 was captured too',
    });
  });

  it('fails a Tiller object that holds no release', () => {
    const broken = deepFreeze({ ...deployed, data: { release: gzipSync(Buffer.from('not protobuf at all')).toString('base64') } });
    expect(() => convertHelm2Release.apply(broken, {})).toThrow(HelmReleaseUnreadable);
  });

  it('fails values that are not YAML without repeating them: they hold passwords', () => {
    const bad = tillerConfigMap({ ...v2Release, config: { raw: 'db:\n  password: s3cr3t\n bad: [' } }, tillerLabels);
    const call = () => convertHelm2Release.apply(bad, {});
    expect(call).toThrow(HelmReleaseUnreadable);
    expect(call).toThrow(
      /^\/ConfigMap\/kube-system\/storefront.v7: the Helm release payload cannot be read: the release values are not valid YAML \([A-Z_]+\)$/,
    );
  });

  it('keeps everything else', () => {
    expect(convertHelm2Release.apply(configMap, {})).toEqual({ kind: 'keep' });
    expect(convertHelm2Release.apply(releaseSecret, {})).toEqual({ kind: 'keep' });
  });
});

describe('goTime', () => {
  it.each([
    [null, ''],
    [{ seconds: '1559379600', nanos: 0 }, '2019-06-01T09:00:00Z'],
    [{ seconds: '1559379600', nanos: 500 }, '2019-06-01T09:00:00.0000005Z'],
    [{ seconds: '1559379600', nanos: 120000000 }, '2019-06-01T09:00:00.12Z'],
  ])('%j is %s', (ts, text) => {
    expect(goTime(ts)).toBe(text);
  });
});
