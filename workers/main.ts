// `npm run worker`: a long-running Ferry worker, configured by the environment
// (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, KUBECONFIG and each store SDK's own variables).
import { workerDeps } from './deps.js';
import { createFerryWorker } from './worker.js';

const { worker, connection } = await createFerryWorker({
  address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
  namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
  taskQueue: process.env.FERRY_TASK_QUEUE,
  deps: workerDeps(),
});
try {
  await worker.run();
} finally {
  await connection.close();
}
