// Apps from a cluster Ferry never saw: YAML exported from an old cluster (API versions the target no
// longer serves, and a Helm 2 release kept by Tiller) imported as Ferry backups, then restored and
// served by the target as the current versions, the Helm 2 release now a Helm 3 one.
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip, gunzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { Cluster } from '../../activities/kube/cluster.js';
import type { KubeObject } from '../../activities/kube/object.js';
import { main } from '../../cli/main.js';
import { stackVar } from '../setup/stack.js';
import { removeNamespaces } from '../support/estate.js';
import { captureIo } from '../support/io.js';
import { startTestWorker } from '../support/worker.js';
import { tillerConfigMap } from '../unit/transform/helm-fixtures.js';
import {
  betaCronJob,
  betaRole,
  betaRoleBinding,
  extensionsDeployment,
  extensionsIngress,
  storefrontPdb,
  v2beta1Hpa,
} from '../unit/transform/legacy-fixtures.js';

const run = randomUUID().slice(0, 6);
const ns = `legacy-${run}`;
const campaign = `import-${run}`;
const taskQueue = `import-${run}`;

/** The fixtures live in namespace legacy-shop; this run's copy lives in its own. */
const inNamespace = (o: KubeObject): KubeObject => JSON.parse(JSON.stringify(o).replaceAll('legacy-shop', ns));

describe('import from an old cluster, restore on a new one', () => {
  let target: Cluster;
  const exportDir = mkdtempSync(join(tmpdir(), 'ferry-export-'));
  const storeUrl = `file://${mkdtempSync(join(tmpdir(), 'ferry-import-store-'))}`;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    target = Cluster.fromKubeconfig('ferry-target', stackVar('KUBECONFIG'));
    // as `kubectl get -o yaml` wrote it on the old cluster: a List of the app's objects
    const legacy = [extensionsDeployment, extensionsIngress, betaCronJob, storefrontPdb, v2beta1Hpa, betaRole, betaRoleBinding].map(
      inNamespace,
    );
    writeFileSync(
      join(exportDir, 'legacy.yaml'),
      stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }, ...legacy] }),
    );
    // Tiller's record of a Helm 2 release of this app, in kube-system as Tiller kept it
    const release = {
      name: `reports-${run}`,
      namespace: ns,
      version: 3,
      manifest: `---\n# Source: reports/templates/configmap.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: reports\n  namespace: ${ns}\n`,
      info: {
        status: { code: 'DEPLOYED' },
        first_deployed: { seconds: 1559379600 },
        last_deployed: { seconds: 1567000000 },
        Description: 'Upgrade complete',
      },
      chart: { metadata: { name: 'reports', version: '0.4.2', apiVersion: 'v1', appVersion: '2.1' }, values: { raw: 'replicas: 1\n' } },
      config: { raw: '' },
    };
    writeFileSync(
      join(exportDir, 'tiller.yaml'),
      stringify(tillerConfigMap(release, { NAME: `reports-${run}`, STATUS: 'DEPLOYED', VERSION: '3', OWNER: 'TILLER' })),
    );
    stop = await startTestWorker(taskQueue);
  });
  afterAll(async () => {
    await stop?.();
    if (target) await removeNamespaces([target], [ns]);
    target?.close();
  });

  it('imports, restores and serves the old objects as current versions, and Helm 2 as Helm 3', async () => {
    const imported = captureIo();
    expect(await main(['backup', 'import', '--from', exportDir, '--store', storeUrl, '--campaign', campaign], imported, process.env)).toBe(
      0,
    );
    expect(imported.text()).toContain(`${ns}/${ns}: backup import-`);
    expect(imported.text()).toContain('kube-system/kube-system: backup import-');

    for (const app of [`${ns}/${ns}`, 'kube-system/kube-system']) {
      const io = captureIo();
      const code = await main(
        [
          'restore',
          '--store',
          storeUrl,
          '--campaign',
          campaign,
          '--app',
          app,
          '--target',
          'ferry-target',
          '--task-queue',
          taskQueue,
          '--wait',
        ],
        io,
        process.env,
      );
      expect(io.text(), app).toContain('Succeeded');
      expect(code).toBe(0);
    }

    const served = async (apiVersion: string, kind: string, name: string) => target.get({ apiVersion, kind, namespace: ns, name });
    const deployment = (await served('apps/v1', 'Deployment', 'storefront')) as unknown as {
      spec: { selector: { matchLabels: Record<string, string> } };
    };
    expect(deployment.spec.selector.matchLabels).toEqual({ app: 'storefront' });
    const ingress = (await served('networking.k8s.io/v1', 'Ingress', 'storefront')) as unknown as {
      spec: { rules: { http: { paths: { pathType: string; backend: { service: { name: string } } }[] } }[] };
    };
    expect(ingress.spec.rules[0].http.paths[0].backend.service.name).toBeTruthy();
    expect(ingress.spec.rules[0].http.paths[0].pathType).toBeTruthy();
    expect(await served('batch/v1', 'CronJob', betaCronJob.metadata.name)).toBeDefined();
    expect(await served('policy/v1', 'PodDisruptionBudget', storefrontPdb.metadata.name)).toBeDefined();
    expect(await served('autoscaling/v2', 'HorizontalPodAutoscaler', v2beta1Hpa.metadata.name)).toBeDefined();
    expect(await served('rbac.authorization.k8s.io/v1', 'Role', betaRole.metadata.name)).toBeDefined();
    expect(await served('rbac.authorization.k8s.io/v1', 'RoleBinding', betaRoleBinding.metadata.name)).toBeDefined();

    // what `helm list -n <ns>` reads: a Helm 3 release Secret that decodes to a deployed release
    const secret = await served('v1', 'Secret', `sh.helm.release.v1.reports-${run}.v3`);
    expect(secret).toBeDefined();
    expect((secret as { type?: string }).type).toBe('helm.sh/release.v1');
    expect(secret?.metadata.labels).toMatchObject({ name: `reports-${run}`, owner: 'helm', status: 'deployed', version: '3' });
    const payload = Buffer.from((secret as unknown as { data: { release: string } }).data.release, 'base64').toString();
    const record = JSON.parse(gunzipSync(Buffer.from(payload, 'base64')).toString()) as {
      name: string;
      namespace: string;
      info: { status: string };
      chart: { metadata: { name: string } };
    };
    expect(record).toMatchObject({
      name: `reports-${run}`,
      namespace: ns,
      info: { status: 'deployed' },
      chart: { metadata: { name: 'reports' } },
    });
    expect(await target.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'kube-system', name: `reports-${run}.v3` })).toBeUndefined();
  });

  it('imports a Velero backup tarball, keeping one version of each object', async () => {
    const veleroNs = `velero-${run}`;
    const tarball = join(mkdtempSync(join(tmpdir(), 'ferry-velero-')), 'nightly.tar.gz');
    const pack = tar.pack();
    const entry = (name: string, obj: unknown) => pack.entry({ name }, JSON.stringify(obj));
    entry('metadata/version', '1');
    entry(`resources/namespaces/cluster/${veleroNs}.json`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: veleroNs } });
    entry(`resources/configmaps/namespaces/${veleroNs}/settings.json`, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: veleroNs },
      data: { mode: 'dr' },
    });
    entry(`resources/deployments.apps/namespaces/${veleroNs}/api.json`, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'api', namespace: veleroNs },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'api' } },
        template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'api:2' }] } },
      },
    });
    entry(`resources/horizontalpodautoscalers.autoscaling/v1/namespaces/${veleroNs}/api.json`, {
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'api', namespace: veleroNs },
      spec: { maxReplicas: 3, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' } },
    });
    entry(`resources/horizontalpodautoscalers.autoscaling/v2-preferredversion/namespaces/${veleroNs}/api.json`, {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'api', namespace: veleroNs },
      spec: { maxReplicas: 3, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' } },
    });
    pack.finalize();
    await pipeline(pack, createGzip(), createWriteStream(tarball));

    const io = captureIo();
    expect(await main(['backup', 'import', '--from', tarball, '--store', storeUrl, '--campaign', `velero-${run}`], io, process.env)).toBe(
      0,
    );
    expect(io.text()).toContain(`${veleroNs}/${veleroNs}: backup import-`);
    expect(io.text()).toContain('imported 4 objects as 1 backup(s)');
    const dry = captureIo();
    const code = await main(
      [
        'restore',
        '--store',
        storeUrl,
        '--campaign',
        `velero-${run}`,
        '--app',
        `${veleroNs}/${veleroNs}`,
        '--target',
        'ferry-target',
        '--dry-run',
      ],
      dry,
      process.env,
    );
    expect(dry.text()).toContain('preflight: ok');
    expect(dry.text()).toMatch(/created +HorizontalPodAutoscaler velero-/);
    expect(dry.text()).toContain('would: 4 create, 0 change');
    expect(code).toBe(0);
  });

  it('refuses bad files by path and document index, importing nothing', async () => {
    const bad = mkdtempSync(join(tmpdir(), 'ferry-bad-export-'));
    writeFileSync(join(bad, 'ok.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: fine, namespace: x }\n');
    writeFileSync(
      join(bad, 'broken.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\n---\nkind: Secret\nmetadata: { name: b }\n',
    );
    const io = captureIo();
    expect(await main(['backup', 'import', '--from', bad, '--store', storeUrl, '--campaign', `bad-${run}`], io, process.env)).toBe(2);
    expect(io.text()).toContain('broken.yaml (document 1): document has no apiVersion');
    expect(io.text()).toContain('nothing was imported');
  });
});
