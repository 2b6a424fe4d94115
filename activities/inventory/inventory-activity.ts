// The inventory step of a campaign: takes the source's inventory, stores the whole document with the campaign,
// and returns only what workflow history may hold: one AppSummary per app, the document's key and sha256.
import { createHash } from 'node:crypto';
import type { InventoryResult, Selection } from '../../workflows/types.js';
import type { ActivityDeps } from '../deps.js';
import { inventoryKey } from '../stores/layout.js';
import { appSummary } from './document.js';
import { optionsFromSelection } from './options.js';
import { takeInventory } from './take-inventory.js';

export interface InventoryInput {
  readonly campaign: string;
  readonly source: string;
  readonly selection: Selection;
  readonly storeUrl: string;
}

/** Cluster-level warnings travel in the result (each app's stay in the stored document); a flood is cut short. */
const maxResultWarnings = 50;

export function createInventoryActivities(deps: ActivityDeps) {
  return {
    async inventoryCluster(input: InventoryInput): Promise<InventoryResult> {
      const cluster = deps.cluster(input.source);
      const progress = deps.progress();
      const doc = await takeInventory(cluster, optionsFromSelection(input.selection), {
        now: deps.now,
        onProgress: (listed) => progress.heartbeat({ listed }),
      });
      const body = `${JSON.stringify(doc, null, 2)}\n`;
      const sha256 = createHash('sha256').update(body).digest('hex');
      const key = inventoryKey(
        input.campaign,
        `${doc.takenAt.replace(/[:.]/g, '')}-${doc.digest.slice('sha256:'.length, 'sha256:'.length + 12)}`,
      );
      await deps.store(input.storeUrl).put(key, body, { contentType: 'application/json' });
      const warnings =
        doc.warnings.length > maxResultWarnings
          ? [...doc.warnings.slice(0, maxResultWarnings), `${doc.warnings.length - maxResultWarnings} more warnings in ${key}`]
          : doc.warnings;
      return { key, sha256, apps: doc.apps.map(appSummary), warnings };
    },
  };
}
