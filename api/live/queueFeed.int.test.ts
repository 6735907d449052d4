import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MikroORM } from '@mikro-orm/postgresql';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { loadTemporalConfig } from '../../temporal.config.js';
import { migrateAppDatabase, ormOptions } from '../../db/orm.js';
import { createProfile } from '../../db/profiles.js';
import { secretBox } from '../../db/secrets.js';
import { createScratchDatabase, testStack } from '../../test/stack.js';
import { apiKeyHeader } from '../../test/auth.js';
import { finishSignal } from '../../test/workflows/queueHarness.js';
import type { QueueView } from '../../workflows/publishQueue.js';
import { buildServer } from '../server.js';

let orm: MikroORM;
let connection: Connection;
let native: NativeConnection;
let client: Client;
let app: FastifyInstance;
let worker: Worker;
let running: Promise<void>;
let base: string;
let auth: { authorization: string };
const profileId = `live-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  const stack = testStack();
  const databaseUrl = await createScratchDatabase('live');
  await migrateAppDatabase(databaseUrl);
  orm = await MikroORM.init(ormOptions(databaseUrl));
  const em = orm.em.fork();
  createProfile(em, { id: profileId, name: 'Live ISD', profileType: 'SIS', schoolYears: [2025] });
  await em.flush();
  const config = loadTemporalConfig({ TEMPORAL_ADDRESS: stack.temporalAddress, TEMPORAL_TASK_QUEUE_PUBLISHING: `live-${randomUUID()}` });
  connection = await Connection.connect({ address: stack.temporalAddress });
  client = new Client({ connection });
  native = await NativeConnection.connect({ address: stack.temporalAddress });
  worker = await Worker.create({ connection: native, taskQueue: config.taskQueues.publishing, workflowsPath: path.resolve(import.meta.dirname, '../../test/workflows/queueHarness.ts') });
  running = worker.run();
  app = await buildServer({ orm, temporal: client, temporalConfig: config, secrets: secretBox(randomBytes(32)) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  auth = await apiKeyHeader(orm, 'clerk');
});

afterAll(async () => {
  await app?.close();
  worker?.shutdown();
  await running;
  await native?.close();
  await connection?.close();
  await orm?.close();
});

/** Reads `queue` events from the stream until `predicate` holds for one. */
async function nextEvent(reader: ReadableStreamDefaultReader<Uint8Array>, buffer: { text: string }, predicate: (v: QueueView | null) => boolean): Promise<QueueView | null> {
  const decoder = new TextDecoder();
  const deadline = Date.now() + 20_000;
  for (;;) {
    let end: number;
    while ((end = buffer.text.indexOf('\n\n')) >= 0) {
      const block = buffer.text.slice(0, end);
      buffer.text = buffer.text.slice(end + 2);
      const data = /^event: queue\ndata: (.*)$/m.exec(block)?.[1];
      if (data !== undefined) {
        const view = JSON.parse(data) as QueueView | null;
        if (predicate(view)) return view;
      }
    }
    if (Date.now() > deadline) throw new Error('no matching event in time');
    const { value, done } = await reader.read();
    if (done) throw new Error('stream ended');
    buffer.text += decoder.decode(value, { stream: true });
  }
}

describe('live publish-queue events', () => {
  it('push the queue as it changes, without reloading', async () => {
    const res = await fetch(`${base}/api/profiles/${profileId}/publish-queue/events`, { headers: auth });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const buffer = { text: '' };
    expect(await nextEvent(reader, buffer, () => true)).toBeNull();

    const publish = await fetch(`${base}/api/profiles/${profileId}/publish`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ category: 'course-catalog', schoolYear: 2025 }) });
    const { workflowId } = (await publish.json()) as { workflowId: string };
    const runningView = await nextEvent(reader, buffer, (v) => v?.running?.childStarted === true);
    expect(runningView?.running?.workflowId).toBe(workflowId);

    await client.workflow.getHandle(workflowId).signal(finishSignal, 'completed');
    const doneView = await nextEvent(reader, buffer, (v) => v?.running === undefined && (v?.recent.length ?? 0) === 1);
    expect(doneView?.recent[0]).toMatchObject({ workflowId, outcome: 'completed' });
    await reader.cancel();
  });

  it('refuse a profile the caller may not see', async () => {
    const res = await fetch(`${base}/api/profiles/nope/publish-queue/events`, { headers: auth });
    expect(res.status).toBe(404);
  });
});
