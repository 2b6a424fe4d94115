// The restore transform list: its order, and one old app (Helm 2 and 3 releases, removed API versions) run
// through it end to end, every change attributed to the transform that made it.
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { type KubeObject, refKey, refOf } from '../../../activities/kube/object.js';
import { helm3ReleaseKeys } from '../../../activities/transform/helm2-to-helm3.js';
import { type RestoreTransformContext, restoreTransforms } from '../../../activities/transform/pipeline.js';
import { orderForRestore } from '../../../activities/transform/restore-order.js';
import { runTransforms } from '../../../activities/transform/runner.js';
import { parseRestoreTransforms, type RestoreTransformConfig } from '../../../config/restore.js';
import { releaseSecret, releaseServiceAccount, tillerConfigMap } from './helm-fixtures.js';
import {
  betaCrd,
  betaCronJob,
  betaRole,
  emptySelectorPdb,
  extensionsDeployment,
  extensionsIngress,
  modernServedVersions,
  podSecurityPolicy,
  v2beta1Hpa,
} from './legacy-fixtures.js';

function config(input: unknown): RestoreTransformConfig {
  const parsed = parseRestoreTransforms(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.config;
}

const campaignConfig = config({
  imageRegistryMap: { 'docker.io': 'mirror.example.com/hub', 'registry.old.example': 'registry.new.example' },
  labels: { add: { 'ferry.dev/migrated': 'true' }, scope: [{ group: 'apps' }] },
  annotations: { remove: ['kubernetes.io/ingress.class'], scope: [{ kind: 'Ingress' }] },
  ingressHostMap: { '.old.example': '.new.example' },
  patches: [
    {
      target: { group: 'apps', kind: 'Deployment', name: 'storefront' },
      patch: [{ op: 'replace', path: '/spec/revisionHistoryLimit', value: 10 }],
    },
  ],
});

const tillerRelease = tillerConfigMap(
  {
    name: 'cart',
    namespace: 'legacy-shop',
    version: 2,
    manifest:
      '---\n# Source: cart/templates/sa.yaml\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: cart\n  namespace: legacy-shop\n',
    info: { status: { code: 'DEPLOYED' }, first_deployed: { seconds: 1546300800 }, last_deployed: { seconds: 1546300900 } },
    chart: { metadata: { name: 'cart', version: '0.3.0', apiVersion: 'v1' } },
  },
  { NAME: 'cart', STATUS: 'DEPLOYED', VERSION: '2' },
);

const captured: KubeObject[] = [
  extensionsDeployment,
  extensionsIngress,
  v2beta1Hpa,
  emptySelectorPdb,
  betaCronJob,
  betaRole,
  betaCrd,
  podSecurityPolicy,
  releaseSecret,
  releaseServiceAccount,
  tillerRelease,
];

const ctx: RestoreTransformContext = {
  servedVersions: modernServedVersions,
  namespaceMap: { 'legacy-shop': 'shop' },
  storageClassMap: {},
  helm3Releases: helm3ReleaseKeys(captured),
};

describe('restoreTransforms', () => {
  it('lists the transforms in their documented order', () => {
    expect(restoreTransforms(campaignConfig, ctx).map((t) => t.name)).toEqual([
      'drop-pod-security-policy',
      'upgrade-crd',
      'upgrade-rbac',
      'upgrade-workloads',
      'upgrade-cronjob',
      'upgrade-hpa',
      'upgrade-pdb',
      'upgrade-ingress',
      'upgrade-network-policy',
      'helm2-to-helm3',
      'helm-release-namespace',
      'remap-namespace',
      'remap-storage-class',
      'rewrite-image-registry',
      'rewrite-ingress-host',
      'edit-labels',
      'edit-annotations',
      'user-patches',
    ]);
  });

  describe('over one old app', () => {
    const run = runTransforms(captured, restoreTransforms(campaignConfig, ctx), ctx);
    const byKey = new Map(run.objects.map((o) => [refKey(refOf(o)), o]));
    const changesOf = (obj: KubeObject) => run.changes.filter((c) => refKey(c.ref) === refKey(refOf(obj))).map((c) => c.transform);

    it('restores everything but the PodSecurityPolicy, failing nothing', () => {
      expect(run.failed).toEqual([]);
      expect(run.dropped.map((d) => [d.ref.kind, d.transform])).toEqual([['PodSecurityPolicy', 'drop-pod-security-policy']]);
      expect(run.objects.map((o) => `${o.apiVersion} ${o.kind}`).sort()).toEqual([
        'apiextensions.k8s.io/v1 CustomResourceDefinition',
        'apps/v1 Deployment',
        'autoscaling/v2 HorizontalPodAutoscaler',
        'batch/v1 CronJob',
        'networking.k8s.io/v1 Ingress',
        'policy/v1 PodDisruptionBudget',
        'rbac.authorization.k8s.io/v1 Role',
        'v1 Secret',
        'v1 Secret',
        'v1 ServiceAccount',
      ]);
    });

    it('upgrades, moves, re-points and patches the Deployment, in that order', () => {
      expect(changesOf(extensionsDeployment)).toEqual([
        'upgrade-workloads',
        'remap-namespace',
        'rewrite-image-registry',
        'edit-labels',
        'user-patches',
      ]);
      const storefront = byKey.get('apps/Deployment/shop/storefront');
      const spec = storefront?.spec as { revisionHistoryLimit: number; template: { spec: { containers: { image: string }[] } } };
      expect(storefront?.metadata.labels).toEqual({ app: 'storefront', 'ferry.dev/migrated': 'true' });
      expect(spec.revisionHistoryLimit).toBe(10);
      expect(spec.template.spec.containers.map((c) => c.image)).toEqual([
        'mirror.example.com/hub/library/nginx:1.15.8',
        'quay.io/prometheus/nginx-exporter:0.4.2',
      ]);
    });

    it('lets user edits see the upgraded Ingress', () => {
      expect(changesOf(extensionsIngress)).toEqual(['upgrade-ingress', 'remap-namespace', 'rewrite-ingress-host', 'edit-annotations']);
      const ingress = byKey.get('networking.k8s.io/Ingress/shop/storefront');
      expect(ingress?.metadata.annotations).toEqual({ 'nginx.ingress.kubernetes.io/proxy-body-size': '8m' });
      expect(ingress?.spec).toMatchObject({ ingressClassName: 'nginx', tls: [{ hosts: ['shop.new.example', 'api.shop.new.example'] }] });
    });

    it('turns the Tiller release into a Helm 3 release of the new namespace', () => {
      expect(changesOf(tillerRelease)).toEqual(['helm2-to-helm3', 'helm-release-namespace', 'remap-namespace']);
      const secret = byKey.get('/Secret/shop/sh.helm.release.v1.cart.v2');
      if (secret === undefined) throw new Error('the converted release is missing');
      const payload = Buffer.from((secret.data as Record<string, string>).release, 'base64').toString();
      const release = JSON.parse(gunzipSync(Buffer.from(payload, 'base64')).toString()) as { namespace: string; manifest: string };
      expect(release.namespace).toBe('shop');
      expect(release.manifest).toContain('  name: cart\n  namespace: shop\n');
      expect(changesOf(releaseSecret)).toEqual(['helm-release-namespace', 'remap-namespace']);
      expect(byKey.get('/ServiceAccount/shop/storefront')?.metadata.annotations?.['meta.helm.sh/release-namespace']).toBe('shop');
    });

    it('orders the result for restore, the definition first', () => {
      expect(orderForRestore(run.objects)[0].kind).toBe('CustomResourceDefinition');
    });
  });
});
