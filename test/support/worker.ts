// A real Ferry worker in the test process, on a task queue of the test's own; returns how to stop it.
import { workerDeps } from '../../workers/deps.js';
import { createFerryWorker } from '../../workers/worker.js';
import { stackVar } from '../setup/stack.js';

export async function startTestWorker(taskQueue: string): Promise<() => Promise<void>> {
  const { worker, connection } = await createFerryWorker({
    address: stackVar('TEMPORAL_ADDRESS'),
    namespace: stackVar('TEMPORAL_NAMESPACE'),
    taskQueue,
    deps: { ...workerDeps(process.env), readyTimeoutMs: 120_000 },
  });
  const running = worker.run();
  return async () => {
    worker.shutdown();
    await running;
    await connection.close();
  };
}
