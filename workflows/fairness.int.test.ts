/**
 * Fairness between districts on shared workers, on a real Temporal dev server (fairness on, as
 * `npm start` runs it) with the real publish queues and category runs. The activities are stand-ins
 * that take a fixed time and note when they ran; the worker has one activity slot, so a backlog forms
 * in Temporal's task queue as it would on a deployment whose workers are all busy.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import { useTemporalClients } from '../test/temporalClients.js';
import { testStack } from '../test/stack.js';
import { WORKFLOWS_PATH } from '../worker/createWorkers.js';
import { loadTemporalConfig } from '../temporal.config.js';
import { enqueuePublish, readQueue } from '../temporal/client/publishQueue.js';
import { publishQueueWorkflowId } from '../temporal/ids.js';
import type { BatchSummary, CategoryPlan, EntityRun } from '../activities/publishing/index.js';
import type { PublishRequest } from '../publishing/publishRequest.js';

const temporal = useTemporalClients();

const NOTHING: BatchSummary = { published: 0, dependency: 0, error: 0, deleted: 0, forgotten: 0 };
/** Districts running their initial synchronization at once, and each one's batches. */
const BULK_DISTRICTS = 5;
const BULK_BATCHES = 50;
const BATCH_MS = 60;

type Trigger = NonNullable<PublishRequest['trigger']>;

/**
 * Five districts' runs (by `bulkTrigger`) are sending, their batches queued behind the worker's one
 * slot; then one small district's run (by `trigger`) is asked for. Answers how many bulk batches
 * were sent while the small run went, and how many were left when it ended.
 */
async function smallRunAmongBulk(bulkTrigger: Trigger, trigger: Trigger): Promise<{ bulkMeanwhile: number; bulkLeft: number; ms: number }> {
  const taskQueue = `fair-${randomUUID()}`;
  const config = loadTemporalConfig({
    TEMPORAL_ADDRESS: testStack().temporalAddress,
    TEMPORAL_NAMESPACE: testStack().namespace,
    TEMPORAL_TASK_QUEUE_PUBLISHING: taskQueue,
  });
  const tag = randomUUID().slice(0, 8);
  const bulk = Array.from({ length: BULK_DISTRICTS }, (_, i) => `bulk-${i}-${tag}`);
  const small = `small-${tag}`;
  /** Batches sent, by whom and when. */
  const sent: Array<{ profileId: string; at: number }> = [];
  let smallDone: number | undefined;
  const worker = await Worker.create({
    connection: temporal.native,
    namespace: config.namespace,
    taskQueue,
    workflowsPath: WORKFLOWS_PATH,
    // One slot: every other task waits in Temporal's queue, where priority and fairness decide.
    maxConcurrentActivityTaskExecutions: 1,
    activities: {
      prepareCategory: (): CategoryPlan => ({ levels: [['ed-fi/calendarDates']], skipped: [], descriptors: false }),
      extractAndPlan: (run: EntityRun) => {
        const batches = run.profileId === small ? 1 : BULK_BATCHES;
        return {
          post: batches,
          rekey: 0,
          delete: 0,
          forget: 0,
          batches,
          deleteBatches: [],
          newLocalDescriptors: 0,
          resource: run.resource,
          mode: 'full',
          staged: batches,
        };
      },
      async sendBatch(run: EntityRun): Promise<BatchSummary> {
        sent.push({ profileId: run.profileId, at: Date.now() });
        await new Promise((r) => setTimeout(r, BATCH_MS));
        return NOTHING;
      },
      publishLocalDescriptors: (): BatchSummary => NOTHING,
      finishRun: (input: { runIds: string[] }): void => {
        if (input.runIds.some((id) => id.includes(`/${small}/`))) smallDone = Date.now();
      },
    },
  });
  const request = (by: Trigger): PublishRequest => ({
    category: 'organization-calendars',
    option: by === 'data-changes' ? 'changes' : 'all',
    scope: { kind: 'district' },
    schoolYear: 2025,
    requestedBy: 'fairness test',
    trigger: by,
  });
  return worker.runUntil(async () => {
    for (const p of bulk) await enqueuePublish(temporal.client, config, p, request(bulkTrigger));
    // Their runs are sending, each with its lanes of batches queued behind the one slot.
    while (new Set(sent.map((s) => s.profileId)).size < BULK_DISTRICTS) await new Promise((r) => setTimeout(r, 20));
    const asked = Date.now();
    await enqueuePublish(temporal.client, config, small, request(trigger));
    while (smallDone === undefined) await new Promise((r) => setTimeout(r, 20));
    const done = smallDone;
    const bulkSent = sent.filter((s) => s.profileId !== small);
    const result = {
      bulkMeanwhile: bulkSent.filter((s) => s.at > asked && s.at < done).length,
      bulkLeft: BULK_DISTRICTS * BULK_BATCHES - bulkSent.filter((s) => s.at <= done).length,
      ms: done - asked,
    };
    // Let the bulk runs end so the worker shuts down with nothing left running.
    for (const p of bulk) {
      for (let q = await readQueue(temporal.client, p); q?.running !== undefined || (q?.waiting.length ?? 0) > 0; q = await readQueue(temporal.client, p))
        await new Promise((r) => setTimeout(r, 100));
    }
    await Promise.all([...bulk, small].map((p) => temporal.client.workflow.getHandle(publishQueueWorkflowId(p)).terminate('test over')));
    return result;
  });
}

// First come, first served, each of the small run's five activities (prepare, extract, send, local
// descriptors, finish) would wait behind the ~30 bulk batches queued: ~150 in all (measured: 140).
// With priority, or fairness at one priority, it waits for a few: the queue's partitions mean a
// task also waits for a poll of its own partition.
const FIFO_WAIT = 150;

describe('districts sharing busy workers', () => {
  it('one district’s SIS change runs ahead of the backlog five other districts’ initial syncs queued', async () => {
    const r = await smallRunAmongBulk('initial-sync', 'data-changes');
    expect(r.bulkMeanwhile, JSON.stringify(r)).toBeLessThan(FIFO_WAIT / 3);
    expect(r.bulkLeft, JSON.stringify(r)).toBeGreaterThan(BULK_DISTRICTS * BULK_BATCHES * 0.4);
  }, 120_000);

  it('districts at one priority take the workers in turn: a small district’s nightly run is not queued behind five large ones', async () => {
    const r = await smallRunAmongBulk('schedule', 'schedule');
    expect(r.bulkMeanwhile, JSON.stringify(r)).toBeLessThan(FIFO_WAIT / 2);
    expect(r.bulkLeft, JSON.stringify(r)).toBeGreaterThan(BULK_DISTRICTS * BULK_BATCHES * 0.3);
  }, 120_000);
});
