// A Ferry worker: the workflows and activities on the control task queue.
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker } from '@temporalio/worker';
import { type ActivityDeps, createActivities } from '../activities/index.js';
import { controlTaskQueue } from '../workflows/ids.js';

export interface WorkerOptions {
  readonly address: string;
  readonly namespace: string;
  readonly taskQueue?: string;
  readonly deps: ActivityDeps;
  readonly maxConcurrentActivities?: number;
}

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export async function createFerryWorker(opts: WorkerOptions): Promise<{ worker: Worker; connection: NativeConnection }> {
  const connection = await NativeConnection.connect({ address: opts.address });
  try {
    const worker = await Worker.create({
      connection,
      namespace: opts.namespace,
      taskQueue: opts.taskQueue ?? controlTaskQueue,
      workflowsPath,
      activities: createActivities(opts.deps),
      maxConcurrentActivityTaskExecutions: opts.maxConcurrentActivities ?? 8,
    });
    return { worker, connection };
  } catch (e) {
    await connection.close();
    throw e;
  }
}
