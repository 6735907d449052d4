import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MikroORM } from '@mikro-orm/postgresql';
import { Client, Connection, ScheduleNotFoundError } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { loadTemporalConfig, type TemporalConfig } from '../../temporal.config.js';
import { migrateAppDatabase, ormOptions } from '../../db/orm.js';
import { secretBox } from '../../db/secrets.js';
import { createActivities } from '../../activities/index.js';
import { createScratchDatabase, testStack } from '../../test/stack.js';
import { apiKeyHeader, asClient } from '../../test/auth.js';
import { readQueue } from './publishQueue.js';
import { buildServer } from '../server.js';

let orm: MikroORM;
let connection: Connection;
let native: NativeConnection;
let client: Client;
let config: TemporalConfig;
let worker: Worker;
let running: Promise<void>;
let call: ReturnType<typeof asClient>;
const profileId = `sched-${randomUUID().slice(0, 8)}`;

async function scheduleExists(id: string): Promise<boolean> {
  try {
    await client.schedule.getHandle(id).describe();
    return true;
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return false;
    throw err;
  }
}

beforeAll(async () => {
  const stack = testStack();
  const databaseUrl = await createScratchDatabase('sched');
  await migrateAppDatabase(databaseUrl);
  orm = await MikroORM.init(ormOptions(databaseUrl));
  config = loadTemporalConfig({ TEMPORAL_ADDRESS: stack.temporalAddress, TEMPORAL_TASK_QUEUE_PUBLISHING: `sched-${randomUUID()}` });
  connection = await Connection.connect({ address: stack.temporalAddress });
  client = new Client({ connection });
  native = await NativeConnection.connect({ address: stack.temporalAddress });
  worker = await Worker.create({
    connection: native,
    taskQueue: config.taskQueues.publishing,
    workflowsPath: path.resolve(import.meta.dirname, '../../test/workflows/queueHarness.ts'),
    activities: createActivities({ orm, temporal: client, temporalConfig: config }),
  });
  running = worker.run();
  const app = await buildServer({ orm, temporal: client, temporalConfig: config, secrets: secretBox(randomBytes(32)) });
  call = asClient(app, await apiKeyHeader(orm, 'admin'));
});

afterAll(async () => {
  for (const id of [`nightly/${profileId}`, `weekend/${profileId}`]) await client?.schedule.getHandle(id).delete().catch(() => undefined);
  await client?.workflow.getHandle(`publish-queue/${profileId}`).terminate('test over').catch(() => undefined);
  worker?.shutdown();
  await running;
  await native?.close();
  await connection?.close();
  await orm?.close();
});

describe('weekday-nightly and weekend schedules', () => {
  it('follow the profile switches, and a weekend run queues every category with Now – Changes in order', async () => {
    const created = await call({ method: 'POST', url: '/api/profiles', payload: { id: profileId, name: 'Scheduled ISD', profileType: 'SIS', schoolYears: [2025] } });
    expect(created.statusCode).toBe(201);
    // Data Changes starts off: only the weekend run exists.
    expect(await scheduleExists(`weekend/${profileId}`)).toBe(true);
    expect(await scheduleExists(`nightly/${profileId}`)).toBe(false);
    const weekend = await client.schedule.getHandle(`weekend/${profileId}`).describe();
    expect(weekend.spec.calendars?.length ?? 0).toBeGreaterThan(0);

    await call({ method: 'PATCH', url: `/api/profiles/${profileId}`, payload: { publishDataChanges: true } });
    expect(await scheduleExists(`nightly/${profileId}`)).toBe(true);

    await client.schedule.getHandle(`weekend/${profileId}`).trigger();
    const deadline = Date.now() + 30_000;
    let view = await readQueue(client, profileId);
    while ((view === undefined || view.waiting.length < 5) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      view = await readQueue(client, profileId);
    }
    const queued = [view?.running?.request.category, ...(view?.waiting.map((w) => w.request.category) ?? [])];
    expect(queued.slice(0, 6)).toEqual(['organization-catalog', 'course-catalog', 'program-catalog', 'organization-info', 'organization-calendars', 'organization-schedules']);
    expect(view?.waiting[0]?.request).toMatchObject({ option: 'changes', schoolYear: 2025, requestedBy: `schedule weekend/${profileId}` });

    // Unchecking Publish stops all publishing: both schedules go.
    await call({ method: 'PATCH', url: `/api/profiles/${profileId}`, payload: { publishPublish: false } });
    expect(await scheduleExists(`weekend/${profileId}`)).toBe(false);
    expect(await scheduleExists(`nightly/${profileId}`)).toBe(false);
  });
});
