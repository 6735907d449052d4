import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MikroORM } from '@mikro-orm/postgresql';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { loadTemporalConfig, type TemporalConfig } from '../../temporal.config.js';
import { migrateAppDatabase, ormOptions } from '../../db/orm.js';
import { createProfile } from '../../db/profiles.js';
import { secretBox } from '../../db/secrets.js';
import { createScratchDatabase, testStack } from '../../test/stack.js';
import { apiKeyHeader, asClient } from '../../test/auth.js';
import { finishSignal } from '../../test/workflows/queueHarness.js';
import { buildServer } from '../server.js';

let orm: MikroORM;
let connection: Connection;
let native: NativeConnection;
let client: Client;
let server: FastifyInstance;
let app: ReturnType<typeof asClient>;
let config: TemporalConfig;
let worker: Worker;
let running: Promise<void>;
const profileId = `diag-${randomUUID().slice(0, 8)}`;
const scheduleId = `nightly/${profileId}`;

interface Status {
  enabled: boolean;
  state: string;
  detail: string;
  queues: Array<{ profileId: string; holding: boolean; finishing: string | null }>;
  schedules: Array<{ id: string; paused: boolean }>;
}

async function status(): Promise<Status> {
  return (await app({ url: '/api/diagnostics/system-processing' })).json<Status>();
}

async function until(what: string, predicate: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

beforeAll(async () => {
  const stack = testStack();
  const databaseUrl = await createScratchDatabase('diag');
  await migrateAppDatabase(databaseUrl);
  orm = await MikroORM.init(ormOptions(databaseUrl));
  const em = orm.em.fork();
  createProfile(em, { id: profileId, name: 'Diagnostics ISD', profileType: 'SIS', schoolYears: [2025] });
  await em.flush();
  config = loadTemporalConfig({ TEMPORAL_ADDRESS: stack.temporalAddress, TEMPORAL_TASK_QUEUE_PUBLISHING: `diag-${randomUUID()}` });
  connection = await Connection.connect({ address: stack.temporalAddress });
  client = new Client({ connection });
  native = await NativeConnection.connect({ address: stack.temporalAddress });
  worker = await Worker.create({ connection: native, taskQueue: config.taskQueues.publishing, workflowsPath: path.resolve(import.meta.dirname, '../../test/workflows/queueHarness.ts') });
  running = worker.run();
  await client.schedule.create({
    scheduleId,
    spec: { cronExpressions: ['0 22 * * 1-5'] },
    action: { type: 'startWorkflow', workflowType: 'publishQueue', taskQueue: config.taskQueues.publishing, args: [{ profileId }] },
  });
  server = await buildServer({ orm, temporal: client, temporalConfig: config, secrets: secretBox(randomBytes(32)) });
  app = asClient(server, await apiKeyHeader(orm));
});

afterAll(async () => {
  await client?.schedule.getHandle(scheduleId).delete().catch(() => undefined);
  await client?.workflow.getHandle(`publish-queue/${profileId}`).terminate('test over').catch(() => undefined);
  worker?.shutdown();
  await running;
  await native?.close();
  await connection?.close();
  await orm?.close();
});

describe('Diagnostics: Enable System Processing', () => {
  it('off holds the queues and pauses the schedules once running work finishes; on resumes both', async () => {
    const publish = (category: string) => app({ method: 'POST', url: `/api/profiles/${profileId}/publish`, payload: { category, schoolYear: 2025 } });
    const first = (await publish('organization-catalog')).json<{ workflowId: string }>();
    const second = (await publish('course-catalog')).json<{ workflowId: string }>();
    await until('the first publish to run', async () => (await status()).queues[0]?.finishing === first.workflowId);

    const off = await app({ method: 'PUT', url: '/api/diagnostics/system-processing', payload: { enabled: false } });
    expect(off.statusCode).toBe(202);
    // The running publish is allowed to finish; until then the switch reports "pausing".
    await until('the queue to hold', async () => (await status()).queues[0]?.holding === true);
    const pausing = await status();
    expect(pausing).toMatchObject({ enabled: false, state: 'pausing', detail: expect.stringContaining('1 run(s) finishing their current batch') as unknown });
    expect(pausing.schedules).toEqual([{ id: scheduleId, paused: true }]);

    await client.workflow.getHandle(first.workflowId).signal(finishSignal, 'completed');
    await until('pausing to complete', async () => (await status()).state === 'paused');
    // Nothing new started while paused: the second publish still waits.
    const queue = (await app({ url: `/api/profiles/${profileId}/publish-queue` })).json<{ running: unknown; waiting: Array<{ workflowId: string }> }>();
    expect(queue.running).toBeNull();
    expect(queue.waiting.map((w) => w.workflowId)).toEqual([second.workflowId]);

    const on = await app({ method: 'PUT', url: '/api/diagnostics/system-processing', payload: { enabled: true } });
    expect(on.statusCode).toBe(202);
    await until('the second publish to start', async () => (await status()).queues[0]?.finishing === second.workflowId);
    const resumed = await status();
    expect(resumed).toMatchObject({ enabled: true, state: 'running' });
    expect(resumed.schedules).toEqual([{ id: scheduleId, paused: false }]);
    await client.workflow.getHandle(second.workflowId).signal(finishSignal, 'completed');
  });
});
