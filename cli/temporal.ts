// The CLI's Temporal client, and reading a campaign's live status with each running app's phase.
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { appPhaseQuery } from '../workflows/app-migration.js';
import { campaignStatusQuery } from '../workflows/campaign.js';
import { appWorkflowId, campaignWorkflowId } from '../workflows/ids.js';
import type { CampaignResult, CampaignStatus } from '../workflows/types.js';

export async function connectClient(env: NodeJS.ProcessEnv): Promise<{ client: Client; close: () => Promise<void> }> {
  const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233' });
  return { client: new Client({ connection, namespace: env.TEMPORAL_NAMESPACE ?? 'default' }), close: () => connection.close() };
}

/** The campaign's own status, with the phase of each app that is in flight asked of its workflow. */
export async function liveStatus(client: Client, campaign: string): Promise<CampaignStatus> {
  const status = await client.workflow.getHandle(campaignWorkflowId(campaign)).query(campaignStatusQuery);
  const apps = await Promise.all(
    status.apps.map(async (a) => {
      if (a.phase !== 'Backup') return a;
      const [ns, name] = a.id.split('/');
      try {
        return { ...a, phase: await client.workflow.getHandle(appWorkflowId(campaign, ns, name)).query(appPhaseQuery) };
      } catch (e) {
        if (e instanceof WorkflowNotFoundError) return a;
        throw e;
      }
    }),
  );
  return { ...status, apps };
}

export async function campaignResult(client: Client, campaign: string): Promise<CampaignResult> {
  return client.workflow.getHandle(campaignWorkflowId(campaign)).result();
}
