import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Connection, WorkflowUpdateFailedError } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { loadTemporalConfig, type TemporalConfig } from '../temporal.config.js';
import { enqueuePublish, readQueue, signalPublish } from '../temporal/client/publishQueue.js';
import type { PublishRequest } from '../publishing/publishRequest.js';
import { testStack } from '../test/stack.js';
import { finishSignal } from '../test/workflows/queueHarness.js';
import { publishQueueWorkflowId } from '../temporal/ids.js';
import type { QueueView } from '../temporal/contract.js';
import { WORKFLOWS_PATH } from '../worker/createWorkers.js';

const HARNESS = path.resolve(import.meta.dirname, '../test/workflows/queueHarness.ts');

let connection: Connection;
let client: Client;
let nativeConnection: NativeConnection;
let bundle: WorkflowBundleWithSourceMap;
let config: TemporalConfig;

const request = (category: string, option: PublishRequest['option'] = 'changes', scope: PublishRequest['scope'] = { kind: 'district' }): PublishRequest => ({
  category,
  option,
  scope,
  schoolYear: 2025,
  requestedBy: 'test-clerk',
});

async function startWorker(): Promise<{ worker: Worker; running: Promise<void> }> {
  const worker = await Worker.create({
    connection: nativeConnection,
    namespace: config.namespace,
    taskQueue: config.taskQueues.publishing,
    workflowBundle: bundle,
  });
  return { worker, running: worker.run() };
}

async function waitForQueue(profileId: string, predicate: (q: QueueView) => boolean): Promise<QueueView> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const q = await readQueue(client, profileId);
    if (q !== undefined && predicate(q)) return q;
    if (Date.now() > deadline) throw new Error(`queue never reached the expected state; last: ${JSON.stringify(q)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function finish(workflowId: string, outcome: 'completed' | 'failed' = 'completed'): Promise<void> {
  await client.workflow.getHandle(workflowId).signal(finishSignal, outcome);
}

beforeAll(async () => {
  const stack = testStack();
  config = loadTemporalConfig({
    TEMPORAL_ADDRESS: stack.temporalAddress,
    TEMPORAL_NAMESPACE: stack.namespace,
    TEMPORAL_TASK_QUEUE_PUBLISHING: `queue-test-${randomUUID()}`,
  });
  connection = await Connection.connect({ address: stack.temporalAddress });
  client = new Client({ connection, namespace: stack.namespace });
  nativeConnection = await NativeConnection.connect({ address: stack.temporalAddress });
  bundle = await bundleWorkflowCode({ workflowsPath: HARNESS, logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} } });
});

afterAll(async () => {
  await nativeConnection?.close();
  await connection?.close();
});

describe('publish-queue/{profileId}', () => {
  it('runs enqueued categories one at a time in arrival order and reports positions', async () => {
    const { worker, running } = await startWorker();
    const profileId = `p-${randomUUID()}`;
    try {
      const a = await enqueuePublish(client, config, profileId, request('organization-catalog', 'all'));
      const b = await enqueuePublish(client, config, profileId, request('course-catalog'));
      const c = await enqueuePublish(client, config, profileId, request('organization-calendars', 'changes', { kind: 'school', schoolId: '101' }));
      expect(a.workflowId).toBe(`publish/${profileId}/2025/organization-catalog/1`);
      expect([a.ticket, b.ticket, c.ticket]).toEqual([1, 2, 3]);
      expect(c.duplicate).toBe(false);

      let q = await waitForQueue(profileId, (v) => v.running?.childStarted === true && v.running.ticket === 1);
      expect(q.waiting.map((i) => i.ticket)).toEqual([2, 3]);

      // The same work asked for twice while it waits is queued once.
      const again = await enqueuePublish(client, config, profileId, request('course-catalog'));
      expect(again).toMatchObject({ ticket: 2, duplicate: true, position: 1 });

      await finish(a.workflowId);
      q = await waitForQueue(profileId, (v) => v.running?.childStarted === true && v.running.ticket === 2);
      expect(q.waiting.map((i) => i.ticket)).toEqual([3]);
      await finish(b.workflowId, 'failed');
      // A failed category does not stall the ones behind it.
      q = await waitForQueue(profileId, (v) => v.running?.childStarted === true && v.running.ticket === 3);
      await finish(c.workflowId);
      q = await waitForQueue(profileId, (v) => v.running === undefined && v.recent.length === 3);
      expect(q.recent.map((r) => [r.ticket, r.outcome])).toEqual([
        [1, 'completed'],
        [2, 'failed'],
        [3, 'completed'],
      ]);
      expect(q.recent[1]?.detail).toContain('test asked course-catalog to fail');

      // Support engineers find each run by its search attributes.
      const child = await client.workflow.getHandle(c.workflowId).describe();
      expect(child.searchAttributes).toMatchObject({
        ProfileId: [profileId],
        SchoolYear: [2025],
        Category: ['organization-calendars'],
        PublishOption: ['changes'],
      });

      if (process.env.RECORD_FIXTURES === '1') {
        const history = await client.workflow.getHandle(publishQueueWorkflowId(profileId)).fetchHistory();
        writeFileSync(path.resolve(import.meta.dirname, '../test/fixtures/publish-queue-history.json'), historyToJSON(history));
      }
      // The recorded history replays against the production workflow code without non-determinism.
      const history = await client.workflow.getHandle(publishQueueWorkflowId(profileId)).fetchHistory();
      await Worker.runReplayHistory({ workflowsPath: WORKFLOWS_PATH, replayName: 'publish-queue-live' }, history);
    } finally {
      worker.shutdown();
      await running;
    }
  });

  it('refuses an invalid update with the reason, and records an invalid signal instead of queuing it', async () => {
    const { worker, running } = await startWorker();
    const profileId = `p-${randomUUID()}`;
    try {
      const bad = enqueuePublish(client, config, profileId, request('course-catalog', 'changes', { kind: 'school', schoolId: '7' }));
      await expect(bad).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
      await expect(bad).rejects.toMatchObject({ cause: { message: expect.stringContaining('district-level data') as unknown } });

      await signalPublish(client, config, profileId, request('descriptors', 'changes'));
      await signalPublish(client, config, profileId, request('student-sections'));
      const q = await waitForQueue(profileId, (v) => v.running?.childStarted === true && v.rejected.length === 1);
      expect(q.rejected[0]?.reason).toContain('Retry – Errors (retry-errors), Now – All (all)');
      expect(q.running?.request.category).toBe('student-sections');
      await finish(q.running!.workflowId);
    } finally {
      worker.shutdown();
      await running;
    }
  });

  it("runs the sweeper's Now – Dependencies of another category beside the running one, never the running category's", async () => {
    const { worker, running } = await startWorker();
    const profileId = `p-${randomUUID()}`;
    const wake = (category: string): PublishRequest => ({
      ...request(category, 'dependencies'),
      requestedBy: 'dependency retries (many records ready at once)',
      trigger: 'dependencies',
    });
    try {
      const enrollments = await enqueuePublish(client, config, profileId, request('enrollment-demographics', 'all'));
      await waitForQueue(profileId, (v) => v.running?.childStarted === true && v.running.ticket === enrollments.ticket);
      const contacts = await enqueuePublish(client, config, profileId, request('contacts'));
      // Enrollments published: their students' records are ready — they go now, not after the enrollments' run.
      await signalPublish(client, config, profileId, wake('student-identification'));
      let q = await waitForQueue(profileId, (v) => v.beside?.childStarted === true);
      expect(q.beside?.request.category).toBe('student-identification');
      expect(q.running?.ticket).toBe(enrollments.ticket);
      // A clerk's request still waits its turn; the running category's own wake waits behind it.
      await signalPublish(client, config, profileId, wake('enrollment-demographics'));
      q = await waitForQueue(profileId, (v) => v.waiting.length === 2);
      expect(q.waiting.map((w) => [w.request.category, w.request.option])).toEqual([
        ['contacts', 'changes'],
        ['enrollment-demographics', 'dependencies'],
      ]);
      expect(q.beside?.request.category).toBe('student-identification');
      await finish(q.beside!.workflowId);
      // As below: two runs of different priorities; the order of their endings is made explicit.
      await waitForQueue(profileId, (v) => v.beside === undefined && v.recent.length === 1);
      await finish(enrollments.workflowId);
      // Contacts runs; the enrollments' wake, another category now, goes beside it.
      q = await waitForQueue(profileId, (v) => v.running?.ticket === contacts.ticket && v.beside?.childStarted === true);
      expect(q.beside?.request.category).toBe('enrollment-demographics');
      await finish(q.beside!.workflowId);
      // The two runs have different priorities (temporal/priority.ts): which of two finish signals
      // sent at once is handled first is not the order they were sent in.
      await waitForQueue(profileId, (v) => v.beside === undefined && v.recent.length === 3);
      await finish(contacts.workflowId);
      q = await waitForQueue(profileId, (v) => v.running === undefined && v.beside === undefined && v.recent.length === 4);
      expect(q.recent.map((r) => [r.category, r.outcome])).toEqual([
        ['student-identification', 'completed'],
        ['enrollment-demographics', 'completed'],
        ['enrollment-demographics', 'completed'],
        ['contacts', 'completed'],
      ]);
    } finally {
      worker.shutdown();
      await running;
    }
  });

  it('keeps its queue across a worker restart', async () => {
    const profileId = `p-${randomUUID()}`;
    const first = await startWorker();
    const a = await enqueuePublish(client, config, profileId, request('student-identification'));
    const b = await enqueuePublish(client, config, profileId, request('enrollment-demographics'));
    await waitForQueue(profileId, (v) => v.running?.childStarted === true && v.running.ticket === 1);
    first.worker.shutdown();
    await first.running;

    // While no worker runs, requests still land in the workflow's history.
    await signalPublish(client, config, profileId, request('contacts'));

    const second = await startWorker();
    try {
      await finish(a.workflowId);
      const q = await waitForQueue(profileId, (v) => v.running?.childStarted === true && v.running.ticket === 2);
      expect(q.waiting.map((i) => i.request.category)).toEqual(['contacts']);
      await finish(b.workflowId);
      const q3 = await waitForQueue(profileId, (v) => v.running?.childStarted === true && v.running.ticket === 3);
      await finish(q3.running!.workflowId);
      await waitForQueue(profileId, (v) => v.running === undefined && v.waiting.length === 0);
    } finally {
      second.worker.shutdown();
      await second.running;
    }
  });

  it('continues as new before its history grows large, keeping waiting items and ticket numbers', async () => {
    const { worker, running } = await startWorker();
    const profileId = `p-${randomUUID()}`;
    try {
      const handle = await client.workflow.start('publishQueue', {
        workflowId: publishQueueWorkflowId(profileId),
        taskQueue: config.taskQueues.publishing,
        args: [{ profileId, historyEventLimit: 40 }],
      });
      const firstRunId = handle.firstExecutionRunId;
      const categories = ['organization-catalog', 'course-catalog', 'program-catalog', 'organization-info', 'organization-calendars', 'organization-schedules'];
      const tickets = [];
      for (const category of categories) tickets.push(await enqueuePublish(client, config, profileId, request(category)));
      for (const t of tickets) {
        await waitForQueue(profileId, (v) => v.running?.childStarted === true && v.running.ticket === t.ticket);
        await finish(t.workflowId);
      }
      const q = await waitForQueue(profileId, (v) => v.running === undefined && v.waiting.length === 0 && v.recent.length === categories.length);
      expect(q.recent.map((r) => r.ticket)).toEqual([1, 2, 3, 4, 5, 6]);
      const latest = await client.workflow.getHandle(publishQueueWorkflowId(profileId)).describe();
      expect(latest.runId).not.toBe(firstRunId);
      const next = await enqueuePublish(client, config, profileId, request('student-sections'));
      expect(next.ticket).toBe(7);
      await waitForQueue(profileId, (v) => v.running?.childStarted === true && v.running.ticket === 7);
      await finish(next.workflowId);
    } finally {
      worker.shutdown();
      await running;
    }
  });
});
