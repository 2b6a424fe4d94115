// A migration campaign: inventory the source, plan one migration per app, run them as child
// workflows with at most `concurrency` at once, and summarize per team.
import {
  condition,
  defineQuery,
  ParentClosePolicy,
  proxyActivities,
  setHandler,
  startChild,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { short } from './activity-options.js';
import { appMigrationWorkflow } from './app-migration.js';
import { campaignOutcome, planCampaign, summarizeTeams } from './plan.js';
import { FerryApp, FerryCampaign, FerryPhase, FerrySource, FerryStateful, FerryTarget, FerryTeam } from './search-attributes.js';
import type { AppPhase, AppResult, CampaignInput, CampaignPhase, CampaignResult, CampaignStatus } from './types.js';

const api = proxyActivities<Activities>({ ...short, startToCloseTimeout: '30 minutes' });

export const campaignStatusQuery = defineQuery<CampaignStatus>('status');

export async function campaignWorkflow(input: CampaignInput): Promise<CampaignResult> {
  let phase: CampaignPhase = 'Inventory';
  let inventoryKey: string | undefined;
  const apps = new Map<string, { id: string; team: string; phase: AppPhase; error?: string }>();
  setHandler(campaignStatusQuery, () => ({
    campaign: input.name,
    phase,
    inventoryKey,
    apps: [...apps.values()].sort((a, b) => (a.id < b.id ? -1 : 1)),
  }));
  const enter = (p: CampaignPhase) => {
    phase = p;
    upsertSearchAttributes([{ key: FerryPhase, value: p }]);
  };
  upsertSearchAttributes([
    { key: FerryCampaign, value: input.name },
    { key: FerrySource, value: input.source },
    { key: FerryTarget, value: input.target },
    { key: FerryPhase, value: phase },
  ]);

  const inventory = await api.inventoryCluster({
    campaign: input.name,
    source: input.source,
    selection: input.selection,
    storeUrl: input.storeUrl,
  });
  inventoryKey = inventory.key;

  enter('Planning');
  // one backup id per campaign run: ids come from the workflow sandbox, so replays agree
  const backupId = `${workflowInfo().startTime.toISOString().slice(0, 10).replaceAll('-', '')}-${uuid4().slice(0, 8)}`;
  const plans = planCampaign(input, inventory.apps, backupId);
  for (const p of plans) apps.set(p.app.id, { id: p.app.id, team: p.app.team, phase: 'Pending' });

  enter('Migrating');
  const results: AppResult[] = [];
  let running = 0;
  for (const plan of plans) {
    await condition(() => running < input.concurrency);
    running++;
    apps.set(plan.app.id, { id: plan.app.id, team: plan.app.team, phase: 'Backup' });
    const child = await startChild(appMigrationWorkflow, {
      workflowId: plan.workflowId,
      args: [plan],
      parentClosePolicy: ParentClosePolicy.TERMINATE,
      typedSearchAttributes: [
        { key: FerryCampaign, value: input.name },
        { key: FerryApp, value: plan.app.id },
        { key: FerryTeam, value: plan.app.team },
        { key: FerryPhase, value: 'Pending' },
        { key: FerrySource, value: input.source },
        { key: FerryTarget, value: input.target },
        { key: FerryStateful, value: plan.app.stateful },
      ],
    });
    void child
      .result()
      .catch((err: unknown): AppResult => {
        // the child itself failed (terminated, timed out): the app failed, the campaign goes on
        const error = err instanceof Error ? err.message : String(err);
        return { id: plan.app.id, team: plan.app.team, status: 'Failed', objects: 0, volumes: 0, files: 0, bytes: 0, error };
      })
      .then((r) => {
        running--;
        results.push(r);
        apps.set(plan.app.id, { id: r.id, team: r.team, phase: r.status === 'Succeeded' ? 'Completed' : r.status, error: r.error });
      });
  }
  await condition(() => running === 0);

  const sorted = results.sort((a, b) => (a.id < b.id ? -1 : 1));
  enter(campaignOutcome(sorted));
  return { campaign: input.name, inventoryKey: inventory.key, apps: sorted, teams: summarizeTeams(sorted), warnings: inventory.warnings };
}
