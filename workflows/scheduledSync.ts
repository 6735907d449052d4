/**
 * Started by the `nightly/{profileId}` and `weekend/{profileId}` schedules: hands the profile's
 * publish queue the categories of that run. One activity; the queue does the publishing.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { ScheduledSyncInput } from '../temporal/contract.js';

const { enqueueScheduledSync } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', maximumInterval: '1 minute', maximumAttempts: 20 },
});

export async function scheduledSync(input: ScheduledSyncInput): Promise<string[]> {
  const { queued } = await enqueueScheduledSync(input);
  return queued;
}
