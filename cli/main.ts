// The `ferry` command: argument dispatch and exit codes (2: bad input, 1: failure).
import { parseArgs } from 'node:util';
import { WorkflowFailedError } from '@temporalio/client';
import { ClusterUnreachable, UnknownContext } from '../activities/kube/errors.js';
import { KubeconfigError } from '../activities/kube/kubeconfig.js';
import { NotARestoreReport } from '../activities/restore/restore-report.js';
import { StoreError } from '../activities/stores/object-store.js';
import { ConfigError } from '../config/load.js';
import { ImportRejected, runBackupImport } from './commands/backup-import.js';
import { CampaignAlreadyRunning, campaignStatus, prepareCampaign, startCampaign } from './commands/campaign.js';
import { runDemo } from './commands/demo.js';
import { inventoryUsage, runInventory } from './commands/inventory.js';
import { moverUsage } from './commands/mover-usage.js';
import { runRestore } from './commands/restore.js';
import { runRestoreReport } from './commands/restore-report.js';
import { UsageError } from './commands/usage-error.js';
import type { Io } from './io.js';

const usage = `usage:
  ferry campaign start -f campaign.yaml [--wait] [--task-queue Q]
                                                   validate, check both clusters, start the campaign
  ferry campaign status NAME                       progress of a campaign, per app
${inventoryUsage}
  ferry restore --store URL --campaign C --app NS/APP --target CTX [--backup ID|latest]
        [--namespace-map a=b,...] [--storage-class-map a=b,...] [--mode full|manifests-only|data-only]
        [--existing update|skip|fail] [--existing-namespaces merge|fail] [--transforms FILE] [--dry-run] [--wait]
                                                   restore one app's backup onto a cluster
  ferry restore report STORE-URL KEY               a stored restore report (its key is printed by ferry restore)
  ferry backup import --from PATH --store URL [--campaign NAME]
                                                   exported YAML/JSON or a Velero tarball as Ferry backups
${moverUsage}
  ferry worker                                     run a worker (control task queue)
  ferry demo                                       seed the local source cluster and migrate it`;

export async function main(argv: string[], io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  const [command, sub, ...rest] = argv;
  try {
    if (command === 'campaign' && sub === 'start') {
      const { values } = parseArgs({
        args: rest,
        options: { file: { type: 'string', short: 'f' }, wait: { type: 'boolean', default: false }, 'task-queue': { type: 'string' } },
      });
      if (!values.file) {
        io.err('ferry campaign start: -f FILE is required');
        return 2;
      }
      const input = await prepareCampaign(values.file, env);
      const result = await startCampaign(input, env, io, { wait: values.wait ?? false, taskQueue: values['task-queue'] });
      return result?.apps.some((a) => a.status !== 'Succeeded') ? 1 : 0;
    }
    if (command === 'campaign' && sub === 'status' && rest.length === 1) return await campaignStatus(rest[0], env, io);
    if (command === 'demo' && sub === undefined) return await runDemo(env, io);
    if (command === 'inventory') return await runInventory(argv.slice(1), env, io);
    if (command === 'restore' && sub === 'report') return await runRestoreReport(rest, env, io);
    if (command === 'restore') return await runRestore(argv.slice(1), env, io);
    if (command === 'backup' && sub === 'import') return await runBackupImport(rest, env, io);
    if (command === 'mover') return await (await import('./commands/mover.js')).moverMain(argv.slice(1), env, io);
    if (command === 'worker' && sub === undefined) {
      Object.assign(process.env, env);
      await import('../workers/main.js');
      return 0;
    }
    io.err(usage);
    return 2;
  } catch (e) {
    if (
      e instanceof ConfigError ||
      e instanceof UnknownContext ||
      e instanceof KubeconfigError ||
      e instanceof UsageError ||
      e instanceof ImportRejected
    ) {
      io.err(`ferry: ${e.message}`);
      return 2;
    }
    if (
      e instanceof ClusterUnreachable ||
      e instanceof CampaignAlreadyRunning ||
      e instanceof NotARestoreReport ||
      e instanceof StoreError
    ) {
      io.err(`ferry: ${e.message}`);
      return 1;
    }
    if (e instanceof WorkflowFailedError) {
      io.err(`ferry: ${causeChain(e)}`);
      return 1;
    }
    throw e;
  }
}

/** `workflow failed: activity inventoryCluster failed: Region is missing`, without stack traces. */
function causeChain(e: Error): string {
  const parts: string[] = [];
  let cur: unknown = e;
  while (cur instanceof Error && parts.length < 6) {
    parts.push(cur.message);
    cur = cur.cause;
  }
  return parts.join(': ');
}
