/**
 * Fairness between districts on shared workers, on a real Temporal dev server (fairness on, as
 * `npm start` runs it) with the real publish queues and category runs. The activities are stand-ins
 * that take a fixed time and note when they ran; the worker has one activity slot, so a backlog forms
 * in Temporal's task queue as it would on a deployment whose workers are all busy.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Context } from '@temporalio/activity';
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

/** How the small district's activity tasks fared in Temporal's queue, and what the bulk runs got meanwhile. */
interface SmallRun {
  /** Bulk tasks that started while one of the small run's tasks waited in the queue, summed over its tasks. */
  ranAhead: number;
  /** Bulk tasks queued before each of the small run's tasks and still waiting then, summed: what first come, first served would have put ahead. */
  queuedAhead: number;
  /** The small run's activity tasks that went through the queue. */
  tasks: number;
  /** Bulk batches not yet sent when the small run ended. */
  bulkLeft: number;
  ms: number;
}

/** One activity task: which, whose, and when Temporal scheduled it and the worker began it. */
interface TaskSeen {
  type: string;
  profileId: string;
  scheduled: number;
  started: number;
}

/**
 * How many bulk tasks went ahead of each of the small run's tasks while it waited in the queue, set
 * against how many first come, first served would have put ahead of it: those queued before it and
 * still waiting. Counted per task, both are about the queue alone, not about how long the small run's
 * workflow tasks took between its activities (on a loaded machine the one slot runs bulk batches then).
 */
function queueWaits(tasks: ReadonlyArray<Omit<TaskSeen, 'type'>>, small: string): Pick<SmallRun, 'ranAhead' | 'queuedAhead' | 'tasks'> {
  const mine = tasks.filter((t) => t.profileId === small);
  const bulk = tasks.filter((t) => t.profileId !== small);
  const count = (f: (b: Omit<TaskSeen, 'type'>, t: Omit<TaskSeen, 'type'>) => boolean): number =>
    mine.reduce((sum, t) => sum + bulk.filter((b) => f(b, t)).length, 0);
  return {
    ranAhead: count((b, t) => b.started >= t.scheduled && b.started < t.started),
    queuedAhead: count((b, t) => b.scheduled < t.scheduled && b.started > t.scheduled),
    tasks: mine.length,
  };
}

/**
 * Five districts' runs (by `bulkTrigger`) are sending, their batches queued behind the worker's one
 * slot; then one small district's run (by `trigger`) is asked for.
 */
async function smallRunAmongBulk(bulkTrigger: Trigger, trigger: Trigger): Promise<SmallRun> {
  const taskQueue = `fair-${randomUUID()}`;
  const config = loadTemporalConfig({
    TEMPORAL_ADDRESS: testStack().temporalAddress,
    TEMPORAL_NAMESPACE: testStack().namespace,
    TEMPORAL_TASK_QUEUE_PUBLISHING: taskQueue,
  });
  const tag = randomUUID().slice(0, 8);
  const bulk = Array.from({ length: BULK_DISTRICTS }, (_, i) => `bulk-${i}-${tag}`);
  const small = `small-${tag}`;
  /** Every activity task that went through the task queue (local activities do not). */
  const seen: TaskSeen[] = [];
  const note = (profileId: string): void => {
    const info = Context.current().info;
    if (!info.isLocal) seen.push({ type: info.activityType, profileId, scheduled: info.currentAttemptScheduledTimestampMs, started: Date.now() });
  };
  let smallDone: number | undefined;
  const worker = await Worker.create({
    connection: temporal.native,
    namespace: config.namespace,
    taskQueue,
    workflowsPath: WORKFLOWS_PATH,
    // One slot: every other task waits in Temporal's queue, where priority and fairness decide.
    maxConcurrentActivityTaskExecutions: 1,
    activities: {
      prepareCategory: (run: { profileId: string }): CategoryPlan => (
        note(run.profileId),
        { levels: [['ed-fi/calendarDates']], skipped: [], descriptors: false }
      ),
      extractAndPlan: (run: EntityRun) => {
        note(run.profileId);
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
        note(run.profileId);
        await new Promise((r) => setTimeout(r, BATCH_MS));
        return NOTHING;
      },
      publishLocalDescriptors: (input: { profileId: string }): BatchSummary => (note(input.profileId), NOTHING),
      finishRun: (input: { runIds: string[] }): void => {
        note(input.runIds.some((id) => id.includes(`/${small}/`)) ? small : 'bulk');
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
    const sent = (): TaskSeen[] => seen.filter((t) => t.type === 'sendBatch');
    while (new Set(sent().map((s) => s.profileId)).size < BULK_DISTRICTS) await new Promise((r) => setTimeout(r, 20));
    const asked = Date.now();
    await enqueuePublish(temporal.client, config, small, request(trigger));
    while (smallDone === undefined) await new Promise((r) => setTimeout(r, 20));
    const done = smallDone;
    const bulkSent = sent().filter((s) => s.profileId !== small);
    const result = {
      ...queueWaits(seen, small),
      bulkLeft: BULK_DISTRICTS * BULK_BATCHES - bulkSent.filter((s) => s.started <= done).length,
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

// First come, first served, each of the small run's tasks in the queue (extract, send, local
// descriptors, finish; its preparation is a local activity) would wait behind every bulk batch queued
// before it. With priority it waits for none, bar a batch or two the one slot took while the task was
// on its way to matching (a hand-over can outlast a 60 ms batch on a loaded machine; measured 0–1 in
// all; 16 with the priority line removed); with fairness at one priority, for a few. Both counts come from the same run
// (`queueWaits`), so a loaded machine, which slows every task alike, moves them together.
describe('districts sharing busy workers', () => {
  it('one district’s SIS change runs ahead of the backlog five other districts’ initial syncs queued', async () => {
    const r = await smallRunAmongBulk('initial-sync', 'data-changes');
    expect(r.tasks, JSON.stringify(r)).toBeGreaterThanOrEqual(3);
    expect(r.queuedAhead, JSON.stringify(r)).toBeGreaterThan(0);
    expect(r.ranAhead, JSON.stringify(r)).toBeLessThanOrEqual(2 * r.tasks);
    expect(r.bulkLeft, JSON.stringify(r)).toBeGreaterThan(BULK_DISTRICTS * BULK_BATCHES * 0.4);
  }, 120_000);

  it('districts at one priority take the workers in turn: a small district’s nightly run is not queued behind five large ones', async () => {
    const r = await smallRunAmongBulk('schedule', 'schedule');
    expect(r.tasks, JSON.stringify(r)).toBeGreaterThanOrEqual(3);
    expect(r.ranAhead, JSON.stringify(r)).toBeLessThan(r.queuedAhead / 2);
    expect(r.bulkLeft, JSON.stringify(r)).toBeGreaterThan(BULK_DISTRICTS * BULK_BATCHES * 0.3);
  }, 120_000);
});

describe('queueWaits', () => {
  it('counts, for each of the small run’s tasks, the bulk tasks that started while it waited and those queued before it', () => {
    const tasks = [
      { profileId: 'b', scheduled: 0, started: 10 },
      { profileId: 'b', scheduled: 1, started: 20 },
      { profileId: 's', scheduled: 5, started: 25 },
      { profileId: 'b', scheduled: 6, started: 30 },
    ];
    // Queued before it and waiting: the tasks scheduled at 0 and 1; ran while it waited: those started at 10 and 20.
    expect(queueWaits(tasks, 's')).toEqual({ ranAhead: 2, queuedAhead: 2, tasks: 1 });
  });
});
