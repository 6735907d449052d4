/**
 * Workflows for the publish-queue tests: the real queue, plus a stand-in `categoryPublish` that
 * runs until the test tells it to finish (or fail), so tests can watch the queue's order.
 */
import { ApplicationFailure, condition, defineSignal, setHandler } from '@temporalio/workflow';
import type { CategoryPublishInput } from '../../workflows/publishQueue.js';

export { publishQueue } from '../../workflows/publishQueue.js';

export const finishSignal = defineSignal<['completed' | 'failed']>('finish');

export async function categoryPublish(input: CategoryPublishInput): Promise<string> {
  let outcome: 'completed' | 'failed' | undefined;
  setHandler(finishSignal, (o) => {
    outcome = o;
  });
  await condition(() => outcome !== undefined);
  if (outcome === 'failed') throw ApplicationFailure.nonRetryable(`test asked ${input.category} to fail`);
  return `published ${input.category} (${input.option})`;
}
export { scheduledSync } from '../../workflows/scheduledSync.js';
export { download } from '../../workflows/download.js';
