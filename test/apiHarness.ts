/**
 * The setup most API integration tests share: a fresh migrated app database, a Temporal client on
 * the test server, optionally a worker running the queue harness workflows (with the real
 * activities) on a task queue of its own, and the API built over them.
 */
import { replicaSource } from '../db/replicas.js';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { MikroORM } from '@mikro-orm/postgresql';
import { resilientPool } from '../db/pool.js';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { loadTemporalConfig, type TemporalConfig } from '../temporal.config.js';
import { migrateAppDatabase, ormOptions } from '../db/orm.js';
import { secretBox } from '../db/secrets.js';
import { createActivities } from '../activities/index.js';
import { buildServer } from '../api/server.js';
import { workerMetrics, type WorkerMetrics } from '../observability/metrics.js';
import { workerTracing } from '../worker/createWorkers.js';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import { createScratchDatabase, testStack } from './stack.js';
import { dataChangesWorkflowId, publishQueueWorkflowId } from '../temporal/ids.js';

export interface ApiHarness {
  readonly orm: MikroORM;
  /** The scratch app database, for a worker in another process. */
  readonly databaseUrl: string;
  readonly client: Client;
  readonly config: TemporalConfig;
  readonly app: FastifyInstance;
  /** Set when `listen` was asked for. */
  readonly baseUrl: string | undefined;
  /** What the in-process worker counts (with `worker`), as its /metrics would show. */
  readonly workerMetrics: WorkerMetrics | undefined;
  close(): Promise<void>;
}

export async function startApiHarness(
  name: string,
  opts: {
    worker?: boolean;
    listen?: boolean;
    temporalUiUrl?: string;
    sisDatabaseUrl?: string;
    /** The district's HR system replica, for HR-only profiles. */
    hrDatabaseUrl?: string;
    logTo?: { write(line: string): void };
    realWorkflows?: boolean;
    secretKey?: Buffer;
    databaseUrl?: string;
    temporal?: { address: string; namespace: string };
    /** The most records one bulk wake run reads: small, so a test's few hundred records take several. */
    wakeRunMost?: number;
  } = {},
): Promise<ApiHarness> {
  // A test with servers of its own (the fault suite kills them) names them; the rest share the test stack's.
  const stack = { ...testStack(), ...(opts.temporal !== undefined ? { temporalAddress: opts.temporal.address, namespace: opts.temporal.namespace } : {}) };
  const databaseUrl = opts.databaseUrl ?? (await createScratchDatabase(name));
  await migrateAppDatabase(databaseUrl);
  const orm = await MikroORM.init(ormOptions(databaseUrl));
  const queue = `${name}-${randomUUID()}`;
  // One test worker serves publishing and downloads alike, on a queue no other test file uses.
  const config = loadTemporalConfig({
    TEMPORAL_ADDRESS: stack.temporalAddress,
    TEMPORAL_NAMESPACE: stack.namespace,
    TEMPORAL_TASK_QUEUE_PUBLISHING: queue,
    TEMPORAL_TASK_QUEUE_DOWNLOADS: queue,
    TEMPORAL_TASK_QUEUE_DEPENDENCY_RETRIES: `${queue}-dep`,
  });
  const connection = await Connection.connect({ address: stack.temporalAddress });
  // As api/main.ts and worker/createWorkers.ts: traced when a test registers a tracer provider.
  const client = new Client({ connection, namespace: stack.namespace, interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } });
  // A key of the test's own when a worker in another process must open what this API seals.
  const secrets = secretBox(opts.secretKey ?? randomBytes(32));
  const sis = opts.sisDatabaseUrl === undefined ? undefined : resilientPool({ connectionString: opts.sisDatabaseUrl, max: 4, label: 'SIS replica' });
  const hr = opts.hrDatabaseUrl === undefined ? undefined : resilientPool({ connectionString: opts.hrDatabaseUrl, max: 2, label: 'HR replica' });
  const db = resilientPool({ connectionString: databaseUrl, max: 6, label: 'app database (publishing)' });
  const replicas = replicaSource({ orm, secrets, sis, hr, max: 4 });
  let native: NativeConnection | undefined;
  const workers: Worker[] = [];
  let running: Promise<unknown> | undefined;
  const metrics = opts.worker === true ? workerMetrics() : undefined;
  if (opts.worker === true) {
    native = await NativeConnection.connect({ address: stack.temporalAddress });
    const shared = { orm, db, temporal: client, temporalConfig: config, secrets, sis, hr };
    const activities = createActivities({ ...shared, replicas, metrics, wakeRunMost: opts.wakeRunMost });
    // The queue tests use a stand-in category publish; the engine's tests run the real workflows.
    const workflowsPath =
      opts.realWorkflows === true ? path.resolve(import.meta.dirname, '../workflows/index.ts') : path.resolve(import.meta.dirname, 'workflows/queueHarness.ts');
    for (const taskQueue of opts.realWorkflows === true
      ? [config.taskQueues.publishing, config.taskQueues.dependencyRetries]
      : [config.taskQueues.publishing]) {
      workers.push(
        await Worker.create({
          connection: native,
          namespace: stack.namespace,
          taskQueue,
          workflowsPath,
          activities,
          ...workerTracing(),
        }),
      );
    }
    running = Promise.all(workers.map((w) => w.run()));
  }
  const app = await buildServer({
    orm,
    db,
    temporal: client,
    temporalConfig: config,
    secrets,
    sis,
    hr,
    ...(opts.logTo !== undefined ? { logger: { level: 'trace', stream: opts.logTo } } : {}),
    ...(opts.temporalUiUrl !== undefined ? { temporalUiUrl: opts.temporalUiUrl } : {}),
  });
  let baseUrl: string | undefined;
  if (opts.listen === true) {
    await app.listen({ host: '127.0.0.1', port: 0 });
    baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  }
  return {
    orm,
    databaseUrl,
    client,
    config,
    app,
    baseUrl,
    workerMetrics: metrics,
    async close() {
      await app.close();
      for (const w of workers) w.shutdown();
      await running;
      await native?.close();
      await connection.close();
      await replicas.close();
      await sis?.end();
      await hr?.end();
      await db.end();
      await orm.close();
    },
  };
}

/** After a test: the profile's schedules and publish queue go, so the shared Temporal server stays quiet (each may be gone already). */
export async function removeProfileWorkflows(h: ApiHarness | undefined, profileId: string, scheduleIds: readonly string[] = []): Promise<void> {
  for (const id of scheduleIds)
    await h?.client.schedule
      .getHandle(id)
      .delete()
      .catch(() => undefined);
  for (const id of [publishQueueWorkflowId(profileId), dataChangesWorkflowId(profileId)])
    await h?.client.workflow
      .getHandle(id)
      .terminate('test over')
      .catch(() => undefined);
}
