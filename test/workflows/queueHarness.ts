/**
 * Workflows for the publish-queue tests: the real queue, plus a stand-in `categoryPublish` that
 * runs until the test tells it to finish (or fail), so tests can watch the queue's order, and
 * reports a fixed progress (three batches of 100 sent, adaptive connections growing from 8 to 40)
 * for the dashboard's chart.
 */
import { ApplicationFailure, condition, defineSignal, setHandler } from '@temporalio/workflow';
import { categoryProgressQuery, type CategoryPublishInput } from '../../temporal/contract.js';
import type { CategoryResult } from '../../workflows/categoryPublish.js';

export { publishQueue } from '../../workflows/publishQueue.js';

export const finishSignal = defineSignal<['completed' | 'failed']>('finish');

export async function categoryPublish(input: CategoryPublishInput): Promise<CategoryResult> {
  let outcome: 'completed' | 'failed' | undefined;
  setHandler(finishSignal, (o) => {
    outcome = o;
  });
  const t0 = Date.now();
  const samples = [0, 1, 2, 3].map((i) => ({ at: t0 + i * 1000, published: i * 90, dependency: i * 10, error: 0, connections: [8, 16, 32, 40][i] }));
  setHandler(categoryProgressQuery, () => ({ phase: 'publishing', batchesDone: 3, batchesTotal: 10, samples }));
  await condition(() => outcome !== undefined);
  if (outcome === 'failed') throw ApplicationFailure.nonRetryable(`test asked ${input.category} to fail`);
  // Calendars report a skipped entity, as a real run does for one toggled off.
  const skipped =
    input.category === 'organization-calendars'
      ? [{ resource: 'ed-fi/gradingPeriods', why: 'toggled off in the resource preferences: what was sent stays, nothing new is sent' }]
      : [];
  return { published: 270, dependency: 30, error: 0, deleted: 0, forgotten: 0, skipped };
}
export { scheduledSync } from '../../workflows/scheduledSync.js';
export { download } from '../../workflows/download.js';
