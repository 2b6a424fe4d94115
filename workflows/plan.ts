// Pure planning: the inventory and the campaign's settings become one AppPlan per app.
// Runs inside the workflow, so it is deterministic: sorted input, no clock, no randomness.
import { appWorkflowId } from './ids.js';
import { type AppPlan, type AppStatus, type AppSummary, type CampaignInput, defaultRestoreSettings, type TeamSummary } from './types.js';

export function planCampaign(campaign: CampaignInput, apps: readonly AppSummary[], backupId: string): AppPlan[] {
  return [...apps]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((app) => ({
      campaign: campaign.name,
      app,
      source: campaign.source,
      target: campaign.target,
      storeUrl: campaign.storeUrl,
      backupId,
      targetNamespace: campaign.namespaceMap[app.namespace] ?? app.namespace,
      storageClassMap: campaign.storageClassMap,
      namespaceMap: campaign.namespaceMap,
      restore: campaign.restore ?? defaultRestoreSettings,
      workflowId: appWorkflowId(campaign.name, app.namespace, app.name),
    }));
}

export function summarizeTeams(results: readonly { team: string; status: AppStatus; bytes: number }[]): TeamSummary[] {
  const byTeam = new Map<
    string,
    { team: string; apps: number; succeeded: number; partiallyFailed: number; failed: number; bytes: number }
  >();
  for (const r of results) {
    const t = byTeam.get(r.team) ?? { team: r.team, apps: 0, succeeded: 0, partiallyFailed: 0, failed: 0, bytes: 0 };
    t.apps++;
    if (r.status === 'Succeeded') t.succeeded++;
    else if (r.status === 'PartiallyFailed') t.partiallyFailed++;
    else t.failed++;
    t.bytes += r.bytes;
    byTeam.set(r.team, t);
  }
  return [...byTeam.values()].sort((a, b) => (a.team < b.team ? -1 : 1));
}

/** A campaign failed if any app failed; partially if some app restored with per-object problems. */
export function campaignOutcome(results: readonly { status: AppStatus }[]): 'Completed' | 'PartiallyFailed' | 'Failed' {
  if (results.some((r) => r.status === 'Failed')) return 'Failed';
  if (results.some((r) => r.status === 'PartiallyFailed')) return 'PartiallyFailed';
  return 'Completed';
}
