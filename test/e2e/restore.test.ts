// Restores of existing backups through `ferry restore` and the restore workflow: across "clouds"
// (backed up to S3, restored from a copy in GCS) with class and namespace maps, re-run without
// change, dry run, preflight refusing an unmapped StorageClass, a tampered backup refused, and a
// data-only restore under claims that a pipeline re-created.
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { Cluster } from '../../activities/kube/cluster.js';
import type { KubeObject } from '../../activities/kube/object.js';
import { compareDigests, digestDirectory } from '../../activities/movers/hostpath-tar.js';
import { claimHostPath } from '../../activities/movers/volume-path.js';
import { noProgress } from '../../activities/progress.js';
import { manifestsKey } from '../../activities/stores/layout.js';
import type { ObjectStore } from '../../activities/stores/object-store.js';
import { openStore } from '../../activities/stores/open-store.js';
import { buildEstate, type EstateApp } from '../../cli/demo/estate.js';
import { seedEstate } from '../../cli/demo/seed.js';
import { main } from '../../cli/main.js';
import { workerDeps } from '../../workers/deps.js';
import { stackVar } from '../setup/stack.js';
import { removeNamespaces } from '../support/estate.js';
import { captureIo } from '../support/io.js';
import { waitUntil } from '../support/wait.js';
import { startTestWorker } from '../support/worker.js';

const run = randomUUID().slice(0, 6);
const prefix = `rst${run}`;
const campaign = `rst-${run}`;
const estate = buildEstate(prefix).filter((a) => ['shop-db', 'identity-ldap'].some((n) => a.namespace.endsWith(n)));
const db = estate.find((a) => a.namespace.endsWith('shop-db')) as EstateApp;
const ldap = estate.find((a) => a.namespace.endsWith('identity-ldap')) as EstateApp;
const moved = `${db.namespace}-moved`;
const taskQueue = `restore-${run}`;

async function copyAll(from: ObjectStore, to: ObjectStore): Promise<number> {
  let n = 0;
  for await (const o of from.list('')) {
    await to.put(o.key, await from.get(o.key), { size: o.size });
    n++;
  }
  return n;
}

async function versions(cluster: Cluster, ns: string, objects: readonly KubeObject[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const o of objects) {
    const live = await cluster.get({
      apiVersion: o.apiVersion,
      kind: o.kind,
      namespace: o.kind === 'Namespace' ? undefined : ns,
      name: o.kind === 'Namespace' ? ns : o.metadata.name,
    });
    out[`${o.kind}/${o.metadata.name}`] = String(live?.metadata.resourceVersion);
  }
  return out;
}

describe('ferry restore', () => {
  let source: Cluster;
  let target: Cluster;
  const s3Url = `s3://${stackVar('FERRY_S3_BUCKET')}/${prefix}?endpoint=${stackVar('FERRY_S3_ENDPOINT')}&forcePathStyle=true`;
  const gcsUrl = `gs://${stackVar('FERRY_GCS_BUCKET')}/${prefix}`;
  const fileUrl = `file://${mkdtempSync(join(tmpdir(), 'ferry-tampered-'))}`;
  const backupIds = new Map<string, string>();
  let stop: () => Promise<void>;

  const restore = async (args: string[]) => {
    const io = captureIo();
    const code = await main(
      ['restore', '--campaign', campaign, '--target', 'ferry-target', '--task-queue', taskQueue, ...args],
      io,
      process.env,
    );
    return { code, text: io.text() };
  };

  beforeAll(async () => {
    source = Cluster.fromKubeconfig('ferry-source', stackVar('KUBECONFIG'));
    target = Cluster.fromKubeconfig('ferry-target', stackVar('KUBECONFIG'));
    await seedEstate(source, estate);
    // backups made by the activities themselves, as a campaign's workflow would call them
    const deps = { ...workerDeps(process.env), progress: () => noProgress, readyTimeoutMs: 120_000 };
    const acts = createActivities(deps);
    for (const app of estate) {
      const ref = {
        campaign,
        appId: `${app.namespace}/${app.namespace}`,
        namespace: app.namespace,
        app: app.namespace,
        storeUrl: s3Url,
        backupId: `b-${run}`,
      };
      const manifests = await acts.backupManifests({ ...ref, source: 'ferry-source' });
      const volumes = await acts.backupVolumes({ ...ref, source: 'ferry-source', claims: Object.keys(app.data) });
      await acts.sealBackup({ ...ref, source: 'ferry-source', manifests, volumes });
      backupIds.set(app.namespace, ref.backupId);
    }
    // the other cloud: every object copied from S3 to GCS, as a replication job would
    expect(await copyAll(openStore(s3Url, { env: process.env }), openStore(gcsUrl, { env: process.env }))).toBeGreaterThan(0);
    stop = await startTestWorker(taskQueue);
  });
  afterAll(async () => {
    await stop?.();
    if (source && target) await removeNamespaces([source, target], [...estate.map((a) => a.namespace), moved]);
    source?.close();
    target?.close();
  });

  it('restores from a copy in another cloud with namespace and class maps, and a re-run changes nothing', async () => {
    const args = [
      '--store',
      gcsUrl,
      '--app',
      `${db.namespace}/${db.namespace}`,
      '--namespace-map',
      `${db.namespace}=${moved}`,
      '--storage-class-map',
      'standard=standard-rwo',
      '--wait',
    ];
    const first = await restore(args);
    expect(first.text).toContain('Succeeded');
    expect(first.code).toBe(0);
    const pvc = (await target.get({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: moved, name: 'data-db-0' })) as unknown as {
      spec: { storageClassName: string };
    };
    expect(pvc.spec.storageClassName).toBe('standard-rwo');
    const before = await digestDirectory(await claimHostPath(source, db.namespace, 'data-db-0'));
    expect(compareDigests(before, await digestDirectory(await claimHostPath(target, moved, 'data-db-0')))).toEqual([]);

    const rv = await versions(target, moved, db.objects);
    const again = await restore(args);
    expect(again.code).toBe(0);
    expect(await versions(target, moved, db.objects)).toEqual(rv);

    const dry = await restore([...args.filter((a) => a !== '--wait'), '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.text).toContain('preflight: ok');
    expect(dry.text).toMatch(/would: 0 create, 0 change, \d+ leave unchanged, 0 skip, 0 fail/);
    expect(dry.text).toContain(`remap-namespace`);
  });

  it('refuses in preflight a StorageClass the map does not cover, listing it with its claims, before writing anything', async () => {
    const args = ['--store', s3Url, '--app', `${ldap.namespace}/${ldap.namespace}`, '--storage-class-map', 'standard=standard-rwo'];
    const dry = await restore([...args, '--dry-run']);
    expect(dry.code).toBe(1);
    expect(dry.text).toContain(
      `[storage-class] source StorageClass "fast-ssd" has no entry in storageClassMap: PersistentVolumeClaim ${ldap.namespace}/ldap-data`,
    );
    const real = await restore([...args, '--wait']);
    expect(real.code).toBe(1);
    expect(real.text).toContain('source StorageClass "fast-ssd" has no entry in storageClassMap');
    expect(await target.get({ apiVersion: 'v1', kind: 'Namespace', name: ldap.namespace })).toBeUndefined();
  });

  it('refuses a tampered backup, naming the object', async () => {
    const s3 = openStore(s3Url, { env: process.env });
    const file = openStore(fileUrl, { env: process.env });
    await copyAll(s3, file);
    const key = manifestsKey({ campaign, namespace: db.namespace, app: db.namespace, backupId: backupIds.get(db.namespace) as string });
    const chunks: Buffer[] = [];
    for await (const c of await file.get(key)) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    body[body.length >> 1] ^= 0x01;
    await file.put(key, body);
    const r = await restore([
      '--store',
      fileUrl,
      '--app',
      `${db.namespace}/${db.namespace}`,
      '--namespace-map',
      `${db.namespace}=${db.namespace}-tampered`,
      '--storage-class-map',
      'standard=standard-rwo',
      '--wait',
    ]);
    expect(r.code).toBe(1);
    expect(r.text).toContain(key);
    expect(r.text).toMatch(/does not match/);
  });

  it('restores only the data under a workload and claim that a pipeline re-created', async () => {
    const ns = ldap.namespace;
    // the team's pipeline (not Ferry) deploys the app again on the target, empty
    const pipeline = (obj: KubeObject) => target.apply(obj, { fieldManager: 'argocd-controller' });
    await pipeline({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    for (const o of ldap.objects.filter((x) => x.kind !== 'Namespace')) {
      await pipeline(
        o.kind === 'PersistentVolumeClaim' ? ({ ...o, spec: { ...(o.spec as object), storageClassName: 'premium-rwo' } } as KubeObject) : o,
      );
    }
    await waitUntil('the pipeline deployment Available', async () => {
      const d = (await target.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: 'ldap' })) as
        | { status?: { availableReplicas?: number } }
        | undefined;
      return (d?.status?.availableReplicas ?? 0) === 1;
    });
    const r = await restore(['--store', s3Url, '--app', `${ns}/${ns}`, '--mode', 'data-only', '--wait']);
    expect(r.text).toContain('Succeeded');
    expect(r.code).toBe(0);
    const before = await digestDirectory(await claimHostPath(source, ns, 'ldap-data'));
    expect(compareDigests(before, await digestDirectory(await claimHostPath(target, ns, 'ldap-data')))).toEqual([]);
    // the workload is back at its replicas, and Ferry wrote no object of the pipeline's
    const d = (await target.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: 'ldap' })) as unknown as {
      spec: { replicas: number };
      metadata: { managedFields: { manager: string }[] };
    };
    expect(d.spec.replicas).toBe(1);
    const pvc = await target.get({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: ns, name: 'ldap-data' });
    expect(pvc).toBeDefined();
    const managers = ((pvc?.metadata.managedFields as { manager: string }[] | undefined) ?? []).map((m) => m.manager);
    expect(managers).toContain('argocd-controller');
    expect(managers).not.toContain('ferry');
  });
});
