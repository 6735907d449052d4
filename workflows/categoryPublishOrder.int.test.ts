/**
 * When a category run's posts start relative to its extracts, on the real workflow and a real
 * Temporal dev server. The activities here are stand-ins that write down when they ran: what is
 * under test is the workflow's order, which the full-stack tests cannot pin down (their extracts
 * are too quick to overlap anything).
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import { useTemporalClients } from '../test/temporalClients.js';
import { testStack } from '../test/stack.js';
import { WORKFLOWS_PATH } from '../worker/createWorkers.js';
import type { BatchSummary, CategoryPlan, EntityRun } from '../activities/publishing/index.js';
import type { CategoryPublishInput } from '../temporal/contract.js';
import { ApplicationFailure } from '@temporalio/common';
import { Context } from '@temporalio/activity';
import { PLAN_LOST } from '../publishing/failureTypes.js';
import { reportBatchesPlanned } from '../temporal/client/categoryPublish.js';

const temporal = useTemporalClients();

const NOTHING: BatchSummary = { published: 0, dependency: 0, error: 0, deleted: 0, forgotten: 0 };
/** How long the second level's extract waits for the first level's posts before giving up on them. */
const PATIENCE_MS = 5_000;

/** Runs `categoryPublish` of this category and option with these stand-in activities, on a task queue of its own. */
async function runCategory(category: CategoryPublishInput['category'], option: CategoryPublishInput['option'], activities: object): Promise<void> {
  const taskQueue = `order-${randomUUID()}`;
  const worker = await Worker.create({ connection: temporal.native, namespace: testStack().namespace, taskQueue, workflowsPath: WORKFLOWS_PATH, activities });
  const input: CategoryPublishInput = { profileId: 'order', ticket: 1, category, option, scope: { kind: 'district' }, schoolYear: 2025, requestedBy: 'test' };
  await worker.runUntil(temporal.client.workflow.execute('categoryPublish', { taskQueue, workflowId: `order-${randomUUID()}`, args: [input] }));
}

/**
 * Runs `categoryPublish` over two levels, schools then calendars, whose calendars extract only
 * finishes once schools posts have begun (or PATIENCE_MS has passed). Answers with what ran, in order.
 */
async function runTwoLevels(
  deletes: { schools: number[]; calendars: number[] },
  option: CategoryPublishInput['option'] = 'changes',
  lostPlans = 0,
): Promise<string[]> {
  let plansToLose = lostPlans;
  const events: string[] = [];
  let schoolsPosting: () => void = () => undefined;
  const schoolsPosted = new Promise<void>((resolve) => (schoolsPosting = resolve));
  await runCategory('organization-calendars', option, {
    prepareCategory: (): CategoryPlan => ({ levels: [['ed-fi/schools'], ['ed-fi/calendars']], skipped: [], descriptors: false }),
    async extractAndPlan(run: EntityRun) {
      const name = run.resource.split('/')[1] as 'schools' | 'calendars';
      events.push(`extract ${name}`);
      if (name === 'calendars') await Promise.race([schoolsPosted, new Promise((r) => setTimeout(r, PATIENCE_MS))]);
      events.push(`extracted ${name}`);
      return {
        post: 1,
        rekey: 0,
        delete: deletes[name].length,
        forget: 0,
        batches: 1,
        deleteBatches: deletes[name],
        newLocalDescriptors: 0,
        resource: run.resource,
        mode: 'full',
        staged: 1,
      };
    },
    sendBatch(run: EntityRun & { batchNo: number; phase: 'delete' | 'post' }): BatchSummary {
      const name = run.resource.split('/')[1];
      events.push(`${run.phase} ${name}`);
      if (name === 'schools' && run.phase === 'post') schoolsPosting();
      // As the real activity does when a Postgres crash emptied the unlogged plan tables.
      if (name === 'calendars' && plansToLose > 0) {
        plansToLose--;
        throw ApplicationFailure.nonRetryable(`plan of calendars lost in ${run.runId}`, PLAN_LOST);
      }
      return NOTHING;
    },
    publishLocalDescriptors: (): BatchSummary => {
      events.push('local descriptors');
      return NOTHING;
    },
    finishRun: (input: { runIds: string[] }): void => {
      events.push(`finish ${new Set(input.runIds.map((id) => id.split(':')[0])).size} run`);
    },
  });
  return events;
}

describe('a category run sends each level as soon as it can', () => {
  it('posts a level while a later level still extracts, when nothing is to be deleted', async () => {
    const events = await runTwoLevels({ schools: [], calendars: [] });
    expect(events.indexOf('post schools')).toBeLessThan(events.indexOf('extracted calendars'));
    expect(events.indexOf('post calendars')).toBeGreaterThan(events.indexOf('extracted calendars'));
    // Local descriptors once, before the first posts: the extracts met none.
    expect(events.filter((e) => e === 'local descriptors')).toEqual(['local descriptors']);
    expect(events.indexOf('local descriptors')).toBeLessThan(events.indexOf('post schools'));
    expect(events.at(-1)).toBe('finish 1 run');
  });

  it("deletes a later level's records before posting that level, once every extract is done", async () => {
    const events = await runTwoLevels({ schools: [], calendars: [0] });
    // The schools level itself deletes nothing, so its posts may start; the calendars delete runs
    // before the calendars posts.
    expect(events.indexOf('delete calendars')).toBeGreaterThan(events.indexOf('extracted calendars'));
    expect(events.indexOf('delete calendars')).toBeLessThan(events.indexOf('post calendars'));
  });

  it('sends nothing until every extract is done and the deletes went out, dependents first, when the first level deletes (a re-keyed parent)', async () => {
    const events = await runTwoLevels({ schools: [0], calendars: [0] });
    const firstSend = events.findIndex((e) => e.startsWith('delete') || e.startsWith('post'));
    expect(firstSend).toBeGreaterThan(events.indexOf('extracted calendars'));
    expect(events.filter((e) => e.startsWith('delete') || e.startsWith('post'))).toEqual([
      'delete calendars',
      'delete schools',
      'post schools',
      'post calendars',
    ]);
  });

  it('only deletes on Remove – Unpublished, and publishes no descriptors', async () => {
    const events = await runTwoLevels({ schools: [0], calendars: [] }, 'remove-unpublished');
    expect(events.filter((e) => !e.startsWith('extract'))).toEqual(['delete schools', 'finish 1 run']);
  });

  it('plans again in a fresh run when a batch finds its plan lost, and completes on the new plan — never on the lost one', async () => {
    const events = await runTwoLevels({ schools: [], calendars: [] }, 'changes', 1);
    // Two full passes: the first ends at the lost plan (no finish, so no watermark moves), the second completes.
    expect(events.filter((e) => e === 'extract calendars')).toHaveLength(2);
    expect(events.filter((e) => e.startsWith('finish'))).toEqual(['finish 1 run']);
    expect(events.at(-1)).toBe('finish 1 run');
  });

  it('fails, after three fresh plans, a run whose plan keeps being lost', async () => {
    await expect(runTwoLevels({ schools: [], calendars: [] }, 'changes', 4)).rejects.toThrow();
  });
});

/**
 * One streaming resource: its extract reports batches 0 and 1 as planned, then ends with batch 2
 * (planned at its end). Batch 1 is answered only once batch 2 has gone out (or PATIENCE_MS passed).
 */
async function runStreamedEnd(): Promise<string[]> {
  const events: string[] = [];
  let lastBatchGoing: () => void = () => undefined;
  const lastBatchGone = new Promise<void>((resolve) => (lastBatchGoing = resolve));
  let bothStreamedGoing: () => void = () => undefined;
  const bothStreamedGone = new Promise<void>((resolve) => (bothStreamedGoing = resolve));
  await runCategory('student-identification', 'changes', {
    prepareCategory: (): CategoryPlan => ({ levels: [['ed-fi/students']], skipped: [], descriptors: false }),
    async extractAndPlan(run: EntityRun) {
      const { attempt, workflowExecution } = Context.current().info;
      events.push('extract students');
      if (workflowExecution === undefined) throw new Error('an extract runs for a workflow');
      await reportBatchesPlanned(temporal.client, workflowExecution, { resource: run.resource, attempt, batches: 2 });
      await Promise.race([bothStreamedGone, new Promise((r) => setTimeout(r, PATIENCE_MS))]);
      events.push('extracted students');
      return {
        post: 3,
        rekey: 0,
        delete: 0,
        forget: 0,
        batches: 3,
        deleteBatches: [],
        newLocalDescriptors: 0,
        resource: run.resource,
        mode: 'changes',
        staged: 3,
        streamed: { attempt, descriptorsMet: false },
      };
    },
    async sendBatch(run: EntityRun & { batchNo: number; phase: 'delete' | 'post' }): Promise<BatchSummary> {
      events.push(`post ${run.batchNo}`);
      if (events.includes('post 0') && events.includes('post 1')) bothStreamedGoing();
      if (run.batchNo === 2) lastBatchGoing();
      if (run.batchNo === 1) await Promise.race([lastBatchGone, new Promise((r) => setTimeout(r, PATIENCE_MS))]);
      events.push(`posted ${run.batchNo}`);
      return NOTHING;
    },
    publishLocalDescriptors: (): BatchSummary => NOTHING,
    finishRun: (): void => {
      events.push('finish');
    },
  });
  return events;
}

describe("a streaming resource's batches", () => {
  it('sends the batch planned at the end of its extract as soon as a lane is free, while a streamed batch is still being answered', async () => {
    const events = await runStreamedEnd();
    expect(events.indexOf('post 0')).toBeLessThan(events.indexOf('extracted students'));
    expect(events.indexOf('post 1')).toBeLessThan(events.indexOf('extracted students'));
    expect(events.indexOf('post 2')).toBeGreaterThan(events.indexOf('extracted students'));
    // Batch 2 went out while batch 1 was still in flight (before, it waited for batch 1's answers).
    expect(events.indexOf('post 2')).toBeLessThan(events.indexOf('posted 1'));
    expect(events.filter((e) => e.startsWith('post ')).sort()).toEqual(['post 0', 'post 1', 'post 2']);
    expect(events.at(-1)).toBe('finish');
  });
});
