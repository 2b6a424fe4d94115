// The inventory step: what really runs on the source, grouped into apps, stored with the campaign.
import { createHash } from 'node:crypto';
import { matchesNamespace } from '../../config/campaign.js';
import { matchesLabelSelector, parseLabelSelector } from '../../config/label-selector.js';
import type { AppSummary, InventoryResult, Selection } from '../../workflows/types.js';
import type { ActivityDeps } from '../deps.js';
import type { KubeObject } from '../kube/object.js';
import { inventoryKey } from '../stores/layout.js';
import { captureObjects } from './capture.js';
import { detectMechanism, detectTeam } from './detect.js';

export interface InventoryInput {
  readonly campaign: string;
  readonly source: string;
  readonly selection: Selection;
  readonly storeUrl: string;
}

const statefulKinds = new Set(['PersistentVolumeClaim']);

export function summarizeNamespace(ns: KubeObject, objects: readonly KubeObject[]): AppSummary {
  const name = ns.metadata.name;
  const volumes = objects
    .filter((o) => o.kind === 'PersistentVolumeClaim')
    .map((o) => {
      const spec = (o as { spec?: { storageClassName?: string; resources?: { requests?: { storage?: string } } } }).spec;
      return { claim: o.metadata.name, storageClass: spec?.storageClassName ?? '', size: spec?.resources?.requests?.storage ?? '' };
    })
    .sort((a, b) => (a.claim < b.claim ? -1 : 1));
  return {
    id: `${name}/${name}`,
    namespace: name,
    name,
    team: detectTeam(ns, objects),
    mechanism: detectMechanism(objects),
    stateful: objects.some((o) => statefulKinds.has(o.kind)),
    volumes,
    objectCount: objects.length,
  };
}

export function createInventoryActivities(deps: ActivityDeps) {
  return {
    async inventoryCluster(input: InventoryInput): Promise<InventoryResult> {
      const cluster = deps.cluster(input.source);
      const progress = deps.progress();
      const types = await cluster.discover();
      const nsType = types.find((t) => t.group === '' && t.kind === 'Namespace');
      if (!nsType) throw new Error(`${input.source}: the cluster serves no Namespace type`);
      const selector = input.selection.labelSelector ? parseLabelSelector(input.selection.labelSelector) : undefined;
      if (selector && !selector.ok) throw new Error(`selection.labelSelector: ${selector.message}`);
      const namespaces: KubeObject[] = [];
      for await (const ns of cluster.list(nsType)) {
        if (!matchesNamespace(input.selection, ns.metadata.name)) continue;
        if (selector?.ok && !matchesLabelSelector(selector.selector, ns.metadata.labels)) continue;
        namespaces.push(ns);
      }
      progress.heartbeat({ namespaces: namespaces.length });
      const { objects, warnings } = await captureObjects(cluster, types, undefined, {
        onProgress: (listed) => progress.heartbeat({ listed }),
      });
      const byNs = new Map<string, KubeObject[]>();
      for (const o of objects) {
        const ns = o.metadata.namespace;
        if (ns) byNs.set(ns, [...(byNs.get(ns) ?? []), o]);
      }
      const apps = namespaces.map((ns) => summarizeNamespace(ns, byNs.get(ns.metadata.name) ?? [])).sort((a, b) => (a.id < b.id ? -1 : 1));
      const doc = {
        apiVersion: 'ferry.dev/v1alpha1',
        kind: 'Inventory',
        cluster: input.source,
        takenAt: deps.now().toISOString(),
        apps,
        warnings,
      };
      const body = JSON.stringify(doc, null, 2);
      const sha256 = createHash('sha256').update(body).digest('hex');
      const key = inventoryKey(input.campaign, `${doc.takenAt.replace(/[:.]/g, '')}-${sha256.slice(0, 12)}`);
      await deps.store(input.storeUrl).put(key, body, { contentType: 'application/json' });
      return { key, sha256, apps, warnings };
    },
  };
}
