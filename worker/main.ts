/** The worker process (`npm start` runs it as a child; deploy N replicas in production). */
import { getHeapStatistics } from 'node:v8';
import { Runtime } from '@temporalio/worker';
import { MikroORM } from '@mikro-orm/postgresql';
import { resilientPool } from '../db/pool.js';
import { ABANDONED_RUNS_EVERY_MS, clearAbandonedRuns } from '../activities/publishing/abandonedRuns.js';
import { Client, Connection } from '@temporalio/client';
import { connectionOptions, temporalConfig } from '../temporal.config.js';
import { ormOptions } from '../db/orm.js';
import { loadSecretKey, secretBox } from '../db/secrets.js';
import { createActivities } from '../activities/index.js';
import { wakeRunMostFrom } from '../publishing/dependencyTimetable.js';
import { sendThread } from '../activities/publishing/sendThread.js';
import { replicaSource } from '../db/replicas.js';
import { createWorkers } from './createWorkers.js';
import { exitWithParent } from '../scripts/stack/orphanGuard.js';
import { BasicSettingsSchema } from '../db/entities/configuration.js';
import { followLoggingOptions, LoggingOptionsLogger } from './logger.js';
import { followLogLevels } from '../activities/runLog.js';
import { workerMetrics } from '../observability/metrics.js';
import { startTracing } from '../observability/tracing.js';
import { parseAddress, serveWorkerMetrics } from './metricsServer.js';

// Errors until the Logging Options are read, then what Basic Settings select.
const logger = new LoggingOptionsLogger();
// The activities skip making a line the logger would drop.
followLogLevels((level) => logger.logs(level));
// WORKER_METRICS_ADDRESS (host:port) turns on the worker's Prometheus endpoint; the SDK's own
// metrics are served locally beside it (WORKER_SDK_METRICS_ADDRESS) and appended to ours.
const metricsAt = process.env.WORKER_METRICS_ADDRESS ? parseAddress(process.env.WORKER_METRICS_ADDRESS, 'WORKER_METRICS_ADDRESS') : undefined;
const sdkMetricsAt = process.env.WORKER_SDK_METRICS_ADDRESS ? parseAddress(process.env.WORKER_SDK_METRICS_ADDRESS, 'WORKER_SDK_METRICS_ADDRESS') : undefined;
Runtime.install({
  logger,
  ...(metricsAt !== undefined && sdkMetricsAt !== undefined
    ? { telemetryOptions: { metrics: { prometheus: { bindAddress: `${sdkMetricsAt.host}:${sdkMetricsAt.port}` } } } }
    : {}),
});
const metrics = workerMetrics();
// OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT turns on traces (observability/tracing.ts).
const tracing = startTracing('edfi-exchange-worker');
// The most ready records one bulk wake run takes (publishing/dependencyTimetable.ts); read before
// anything connects, so a wrong value stops the worker at once.
let wakeRunMost: number;
try {
  wakeRunMost = wakeRunMostFrom(process.env.WAKE_RUN_MOST);
} catch (e) {
  console.error((e as Error).message);
  process.exit(2);
}
const databaseUrl = process.env.DATABASE_URL;
if (databaseUrl === undefined || databaseUrl === '') {
  console.error('DATABASE_URL is not set — the worker needs the app database (npm start sets it)');
  process.exit(2);
}
const orm = await MikroORM.init(ormOptions(databaseUrl));
const stopFollowing = await followLoggingOptions(logger, async () => (await orm.em.fork().findOneOrFail(BasicSettingsSchema, { id: 1 })).loggingOptions);
const connection = await Connection.connect(connectionOptions(temporalConfig));
// The SIS replica the mappers read; without it, publishing refuses with a message naming the variable.
const sisUrl = process.env.SIS_DATABASE_URL;
const sis = sisUrl !== undefined && sisUrl !== '' ? resilientPool({ connectionString: sisUrl, max: 8, label: 'SIS replica' }) : undefined;
// The HR system replica HR-only profiles read; without it, their publishing refuses naming HR_DATABASE_URL.
const hrUrl = process.env.HR_DATABASE_URL;
const hr = hrUrl !== undefined && hrUrl !== '' ? resilientPool({ connectionString: hrUrl, max: 4, label: 'HR replica' }) : undefined;
// The engine's bulk statements; the ORM keeps its own small pool for entities.
const db = resilientPool({ connectionString: databaseUrl, max: 6, label: 'app database (publishing)' });
const secrets = secretBox(loadSecretKey());
// On a deployment of many districts, each district's own replicas (entered by its IT, sealed).
const replicas = replicaSource({ orm, secrets, sis, hr, max: 8 });
const temporal = new Client({ connection, namespace: temporalConfig.namespace });
const activities = createActivities({
  orm,
  db,
  temporal,
  temporalConfig,
  secrets,
  sis,
  hr,
  replicas,
  metrics,
  wakeRunMost,
});
const workers = await createWorkers(temporalConfig, { activities });
// Runs that did not end well leave their work rows: cleared now and every hour (a run still open keeps its own).
const clearAbandoned = (): void =>
  void clearAbandonedRuns({ db, temporal }).then(
    (n) => (n > 0 ? console.log(`cleared the work rows of ${n} resource runs that did not end well`) : undefined),
    (err: unknown) => console.error(`could not clear the work rows of runs that did not end well: ${(err as Error).message}`),
  );
clearAbandoned();
const abandonedTimer = setInterval(clearAbandoned, ABANDONED_RUNS_EVERY_MS);
abandonedTimer.unref();
exitWithParent(() => workers.shutdown());
const metricsServer =
  metricsAt !== undefined
    ? await serveWorkerMetrics(metrics, {
        ...metricsAt,
        sdkMetricsUrl: sdkMetricsAt !== undefined ? `http://${sdkMetricsAt.host}:${sdkMetricsAt.port}/metrics` : undefined,
      })
    : undefined;
if (metricsServer !== undefined) console.log(`metrics at ${metricsServer.url}`);
// The heap bound it runs with (worker/launch.ts): support can see it was started as intended.
const heapMb = Math.round(getHeapStatistics().heap_size_limit / 1_048_576);
console.log(
  `polling ${Object.values(temporalConfig.taskQueues).join(', ')} on ${temporalConfig.address} (namespace ${temporalConfig.namespace}), V8 heap limit ${heapMb} MB`,
);
// The SDK's runtime turns SIGINT/SIGTERM into a graceful shutdown of every worker.
await workers.run();
// The drained activities sent nothing more: the send thread ends with them.
await sendThread.stop();
stopFollowing();
clearInterval(abandonedTimer);
await metricsServer?.close();
await tracing?.shutdown();
await connection.close();
await replicas.close();
await sis?.end();
await hr?.end();
await db.end();
await orm.close();
console.log('stopped');
