// A parsed Campaign becomes the workflow's input: names and URLs only, nothing secret.
import type { Campaign } from '../config/campaign.js';
import type { CampaignInput } from '../workflows/types.js';

export function toCampaignInput(c: Campaign): CampaignInput {
  return {
    name: c.metadata.name,
    source: c.spec.source.context,
    target: c.spec.target.context,
    storeUrl: c.spec.store.url,
    selection: {
      includeNamespaces: [...c.spec.selection.includeNamespaces],
      excludeNamespaces: [...c.spec.selection.excludeNamespaces],
      labelSelector: c.spec.selection.labelSelector,
    },
    storageClassMap: { ...c.spec.storageClassMap },
    namespaceMap: { ...c.spec.namespaceMap },
    concurrency: c.spec.concurrency,
    restore: { ...c.spec.restore },
  };
}
