// Turns imported objects into Ferry backups that restore treats like any other: one app per
// namespace, cluster-scoped objects in an app of their own, each sealed with its index.
import { createHash } from 'node:crypto';
import type { KubeObject } from '../kube/object.js';
import { noProgress } from '../progress.js';
import type { ObjectStore } from '../stores/object-store.js';
import { createBackupActivities, writeManifests } from './backup-activities.js';
import type { SecretsPolicy } from './secrets-policy.js';

/** Where cluster-scoped objects (CRDs, ClusterRoles, …) go: the one "namespace" a real one cannot be named. */
export const clusterScopedApp = { namespace: '_cluster', app: 'cluster-scoped' } as const;

export interface ImportedApp {
  readonly appId: string;
  readonly backupId: string;
  readonly objects: number;
}

/** Groups objects into apps: a Namespace object belongs to its own namespace's app. */
export function groupForImport(objects: readonly KubeObject[]): Map<string, KubeObject[]> {
  const apps = new Map<string, KubeObject[]>();
  for (const o of objects) {
    const ns = o.kind === 'Namespace' && o.apiVersion === 'v1' ? o.metadata.name : o.metadata.namespace;
    const key = ns ?? clusterScopedApp.namespace;
    apps.set(key, [...(apps.get(key) ?? []), o]);
  }
  return new Map([...apps].sort(([a], [b]) => (a < b ? -1 : 1)));
}

export async function importBackups(
  store: ObjectStore,
  objects: readonly KubeObject[],
  opts: { campaign: string; source: string; now: Date; secrets?: SecretsPolicy },
): Promise<ImportedApp[]> {
  const seal = createBackupActivities({
    store: () => store,
    now: () => opts.now,
    progress: () => noProgress,
    readyTimeoutMs: 0,
    cluster: () => {
      throw new Error('an import reads no cluster');
    },
  }).sealBackup;
  const stamp = opts.now.toISOString().replace(/[-:]/g, '').slice(0, 15);
  const out: ImportedApp[] = [];
  for (const [ns, members] of groupForImport(objects)) {
    const app = ns === clusterScopedApp.namespace ? clusterScopedApp.app : ns;
    const digest = createHash('sha256').update(JSON.stringify(members)).digest('hex').slice(0, 8);
    const ref = { campaign: opts.campaign, namespace: ns, app, backupId: `import-${stamp}-${digest}` };
    const manifests = await writeManifests(store, ref, opts.source, members, opts.secrets);
    await seal({ ...ref, appId: `${ns}/${app}`, storeUrl: store.url, source: opts.source, manifests, volumes: [] });
    out.push({ appId: `${ns}/${app}`, backupId: ref.backupId, objects: manifests.objects });
  }
  return out;
}
