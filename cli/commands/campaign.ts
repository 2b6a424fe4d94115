// `ferry campaign start -f FILE [--wait]` and `ferry campaign status NAME`.
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { loadCampaignFile } from '../../config/load.js';
import { campaignWorkflowId, controlTaskQueue } from '../../workflows/ids.js';
import { campaignOutcome } from '../../workflows/plan.js';
import type { CampaignInput, CampaignResult } from '../../workflows/types.js';
import { toCampaignInput } from '../campaign-input.js';
import { temporalUiLink } from '../env.js';
import type { Io } from '../io.js';
import { checkClusters } from '../preflight.js';
import { progressBar, statusTable, teamSummary } from '../progress.js';
import { campaignResult, connectClient, liveStatus } from '../temporal.js';

export class CampaignAlreadyRunning extends Error {
  constructor(readonly campaign: string) {
    super(`campaign ${campaign} is already running (workflow ${campaignWorkflowId(campaign)})`);
    this.name = 'CampaignAlreadyRunning';
  }
}

/** Validates the file and both clusters; nothing is started unless all of it is right. */
export async function prepareCampaign(file: string, env: NodeJS.ProcessEnv): Promise<CampaignInput> {
  const input = toCampaignInput(await loadCampaignFile(file));
  await checkClusters([input.source, input.target], env.KUBECONFIG);
  return input;
}

export async function startCampaign(
  input: CampaignInput,
  env: NodeJS.ProcessEnv,
  io: Io,
  opts: { wait: boolean; taskQueue?: string },
): Promise<CampaignResult | undefined> {
  const { client, close } = await connectClient(env);
  try {
    const workflowId = campaignWorkflowId(input.name);
    try {
      await client.workflow.start('campaignWorkflow', { taskQueue: opts.taskQueue ?? controlTaskQueue, workflowId, args: [input] });
    } catch (e) {
      if (e instanceof WorkflowExecutionAlreadyStartedError) throw new CampaignAlreadyRunning(input.name);
      throw e;
    }
    io.out(`started ${workflowId}`);
    io.out(`Temporal UI: ${temporalUiLink(env, workflowId)}`);
    if (!opts.wait) return undefined;
    return await followCampaign(input.name, env, io);
  } finally {
    await close();
  }
}

/** Shows progress until the campaign ends, then the per-team summary. */
export async function followCampaign(campaign: string, env: NodeJS.ProcessEnv, io: Io, intervalMs = 1_000): Promise<CampaignResult> {
  const { client, close } = await connectClient(env);
  try {
    const result = campaignResult(client, campaign);
    let finished = false;
    void result.finally(() => {
      finished = true;
    });
    let last = '';
    while (!finished) {
      const line = await liveStatus(client, campaign).then(progressBar, () => last);
      if (line !== last) io.progress(line);
      last = line;
      await Promise.race([result.catch(() => undefined), new Promise((r) => setTimeout(r, intervalMs))]);
    }
    const r = await result;
    io.progress(
      progressBar({
        campaign,
        phase: campaignOutcome(r.apps),
        apps: r.apps.map((a) => ({ id: a.id, team: a.team, phase: a.status === 'Succeeded' ? 'Completed' : a.status })),
      }),
    );
    io.out('');
    io.out(teamSummary(r));
    return r;
  } finally {
    await close();
  }
}

export async function campaignStatus(campaign: string, env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  const { client, close } = await connectClient(env);
  try {
    const handle = client.workflow.getHandle(campaignWorkflowId(campaign));
    const desc = await handle.describe();
    io.out(`${campaignWorkflowId(campaign)}  ${desc.status.name}`);
    io.out(`Temporal UI: ${temporalUiLink(env, campaignWorkflowId(campaign))}`);
    if (desc.status.name === 'COMPLETED') {
      io.out(teamSummary(await handle.result()));
      return 0;
    }
    const status = await liveStatus(client, campaign);
    io.out(progressBar(status));
    io.out(statusTable(status));
    return desc.status.name === 'RUNNING' ? 0 : 1;
  } finally {
    await close();
  }
}
