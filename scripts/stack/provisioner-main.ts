// The local stack's dynamic provisioner: watches claims on every cluster of the kubeconfig and
// binds them to hostPath volumes under the stack's state directory, so volume data is real files.
import { mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import {
  CoreV1Api,
  KubeConfig,
  makeInformer,
  StorageV1Api,
  type V1PersistentVolume,
  type V1PersistentVolumeClaim,
  type V1StorageClass,
} from '@kubernetes/client-node';
import { shouldReclaim, volumeForClaim, volumePath, wantsVolume } from './volume-provisioner.js';

const { values } = parseArgs({
  options: { kubeconfig: { type: 'string' }, root: { type: 'string' }, port: { type: 'string' }, contexts: { type: 'string' } },
});
if (!values.kubeconfig || !values.root || !values.port || !values.contexts) {
  throw new Error('usage: provisioner-main --kubeconfig F --root DIR --port N --contexts a,b');
}
const root = resolve(values.root);
const contexts = values.contexts.split(',').sort();
const synced = new Set<string>();

function log(msg: string): void {
  process.stderr.write(`${new Date().toISOString()} ${msg}\n`);
}

function isStatus(e: unknown, code: number): boolean {
  return typeof e === 'object' && e !== null && 'code' in e && (e as { code: number }).code === code;
}

async function runCluster(context: string): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromFile(values.kubeconfig as string);
  kc.setCurrentContext(context);
  const core = kc.makeApiClient(CoreV1Api);
  const storage = kc.makeApiClient(StorageV1Api);
  const classes = new Map<string, V1StorageClass>();

  const provision = async (claim: V1PersistentVolumeClaim) => {
    if (!wantsVolume(claim, classes)) return;
    const sc = classes.get(claim.spec?.storageClassName ?? '') as V1StorageClass;
    const path = volumePath(root, context, claim);
    mkdirSync(path, { recursive: true, mode: 0o777 });
    try {
      await core.createPersistentVolume({ body: volumeForClaim(claim, sc, path) });
      log(`${context}: provisioned ${claim.metadata?.namespace}/${claim.metadata?.name} at ${path}`);
    } catch (e) {
      if (!isStatus(e, 409)) log(`${context}: provisioning ${claim.metadata?.namespace}/${claim.metadata?.name} failed: ${e}`);
    }
  };
  const reclaim = async (pv: V1PersistentVolume) => {
    if (!shouldReclaim(pv)) return;
    const path = resolve(pv.spec?.hostPath?.path ?? '');
    // never remove anything outside the stack's volume root, whatever a PV says
    if (path.startsWith(root + sep)) rmSync(path, { recursive: true, force: true });
    try {
      await core.deletePersistentVolume({ name: pv.metadata?.name as string });
      log(`${context}: reclaimed ${pv.metadata?.name}`);
    } catch (e) {
      if (!isStatus(e, 404)) log(`${context}: reclaiming ${pv.metadata?.name} failed: ${e}`);
    }
  };

  const scInformer = makeInformer(kc, '/apis/storage.k8s.io/v1/storageclasses', () => storage.listStorageClass());
  const onSc = (sc: V1StorageClass) => classes.set(sc.metadata?.name ?? '', sc);
  scInformer.on('add', onSc);
  scInformer.on('update', onSc);
  scInformer.on('delete', (sc) => classes.delete(sc.metadata?.name ?? ''));
  const pvcInformer = makeInformer(kc, '/api/v1/persistentvolumeclaims', () => core.listPersistentVolumeClaimForAllNamespaces());
  pvcInformer.on('add', (c) => void provision(c));
  pvcInformer.on('update', (c) => void provision(c));
  const pvInformer = makeInformer(kc, '/api/v1/persistentvolumes', () => core.listPersistentVolume());
  pvInformer.on('add', (pv) => void reclaim(pv));
  pvInformer.on('update', (pv) => void reclaim(pv));
  for (const [name, inf] of [
    ['storageclasses', scInformer],
    ['claims', pvcInformer],
    ['volumes', pvInformer],
  ] as const) {
    inf.on('error', (err: unknown) => {
      log(`${context}: ${name} watch failed (${err}); restarting it in 2s`);
      setTimeout(() => void inf.start(), 2_000);
    });
  }
  await scInformer.start();
  await pvcInformer.start();
  await pvInformer.start();
  // claims that arrived before the classes were known are looked at again
  for (const c of pvcInformer.list()) await provision(c);
  synced.add(context);
  log(`${context}: watching claims`);
}

createServer((req, res) => {
  const ready = contexts.every((c) => synced.has(c));
  res.writeHead(req.url === '/healthz' && ready ? 200 : 503).end(ready ? 'ok' : 'syncing');
}).listen(Number(values.port), '127.0.0.1');

for (const c of contexts) {
  runCluster(c).catch((e) => {
    log(`${c}: provisioner failed: ${e}`);
    process.exit(1);
  });
}
