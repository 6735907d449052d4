/** The worker process (`npm start` runs it as a child; deploy N replicas in production). */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { temporalConfig } from '../temporal.config.js';
import { createWorkers } from './createWorkers.js';
import { exitWithParent } from '../scripts/stack/orphanGuard.js';

Runtime.install({ logger: new DefaultLogger(process.env.WORKER_LOG_LEVEL === 'INFO' ? 'INFO' : 'WARN') });
const workers = await createWorkers(temporalConfig);
exitWithParent(() => workers.shutdown());
console.log(`polling ${Object.values(temporalConfig.taskQueues).join(', ')} on ${temporalConfig.address} (namespace ${temporalConfig.namespace})`);
// The SDK's runtime turns SIGINT/SIGTERM into a graceful shutdown of every worker.
await workers.run();
console.log('stopped');
