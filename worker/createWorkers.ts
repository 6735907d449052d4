/**
 * The worker processes' contents: one Worker per task queue (publishing, dependency retries,
 * downloads) sharing one workflow bundle, so a retry storm can never starve a clerk's publish.
 */
import { createRequire } from 'node:module';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { connectionOptions, type TemporalConfig } from '../temporal.config.js';
import { tracingActivityInterceptor, workflowTraceSinks } from '../observability/tracing.js';

const require = createRequire(import.meta.url);
export const WORKFLOWS_PATH = require.resolve('../workflows/index.ts');
/** The workflow side of tracing (the SDK's OpenTelemetry interceptors), bundled with the workflows. */
export const WORKFLOW_INTERCEPTORS_PATH = require.resolve('../workflows/interceptors.ts');

/**
 * What every worker registers for traces: the workflows' interceptors, the sink their spans leave
 * the sandbox by, and the activities' spans. All are no-ops while tracing is off.
 */
export function workerTracing(): Pick<WorkerOptions, 'sinks'> & {
  interceptors: { workflowModules: string[]; activity: ReturnType<typeof tracingActivityInterceptor>[] };
} {
  return {
    interceptors: { workflowModules: [WORKFLOW_INTERCEPTORS_PATH], activity: [tracingActivityInterceptor()] },
    sinks: workflowTraceSinks(),
  };
}

export interface Workers {
  readonly workers: readonly Worker[];
  /** Runs every worker until shutdown() or a shutdown signal; rejects if one fails. */
  run(): Promise<void>;
  shutdown(): void;
  readonly connection: NativeConnection;
}

export async function createWorkers(config: TemporalConfig, extra: Partial<WorkerOptions> = {}): Promise<Workers> {
  const connection = await NativeConnection.connect(connectionOptions(config));
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    workflowInterceptorModules: [WORKFLOW_INTERCEPTORS_PATH],
    logger: quietBundlerLogger,
  });
  // One worker per distinct queue: a deployment (or a test) may give two roles the same queue.
  const queues = [...new Set([config.taskQueues.publishing, config.taskQueues.dependencyRetries, config.taskQueues.downloads])];
  // The bundle holds the workflow interceptors already; the activities' spans and the sink are per worker.
  const { interceptors, sinks } = workerTracing();
  const workers = await Promise.all(
    queues.map((taskQueue) =>
      Worker.create({ connection, namespace: config.namespace, taskQueue, workflowBundle, interceptors: { activity: interceptors.activity }, sinks, ...extra }),
    ),
  );
  return {
    workers,
    connection,
    async run() {
      try {
        await Promise.all(workers.map((w) => w.run()));
      } finally {
        await connection.close();
      }
    },
    shutdown() {
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
    },
  };
}

// The bundler's info lines (module list, sizes) drown the start-up banner; keep warnings and errors.
const quietBundlerLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string, meta?: Record<string, unknown>) => console.warn(message, meta ?? ''),
  error: (message: string, meta?: Record<string, unknown>) => console.error(message, meta ?? ''),
};
