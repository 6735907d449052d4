/**
 * `dependency-retries/{profileId}`: every record of a profile in dependency, retried on the guide's
 * timetable — first after 1 minute (a dependency we computed) or 10 (one the API returned), one
 * minute more after each try, at most 99 — and at once when what it waits for publishes. The
 * timetable is a timestamp in each catalog row; this one workflow sleeps until the earliest, tries
 * what is due in batches, and sleeps again. Its history grows per batch, never per record, and a
 * waiting record costs no workflow, no timer and no task: 300,000 of them are a sorted index.
 */
import { condition, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { wakeDependencyRetriesSignal, type DependencyRetriesInput } from '../temporal/contract.js';

const { retryDueDependencies } = proxyActivities<Activities>({
  startToCloseTimeout: '20 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/** Records tried per activity: a batch's worth, so a large backlog is a few dozen activities. */
export const RETRY_BATCH = 500;
/** The longest sleep: the timetable's cap. A wake signal ends any sleep early. */
const MAX_SLEEP_MS = 99 * 60_000;

export async function dependencyRetries(input: DependencyRetriesInput): Promise<void> {
  let woken = false;
  setHandler(wakeDependencyRetriesSignal, () => {
    woken = true;
  });
  for (;;) {
    woken = false;
    // Workflow time: the timetable is testable on a time-skipping server.
    const result = await retryDueDependencies({ profileId: input.profileId, nowMs: Date.now(), limit: RETRY_BATCH });
    if (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > 2_000) await continueAsNew<typeof dependencyRetries>(input);
    if (result.moreDue || woken) continue;
    // Nothing waits: end (the next record in dependency starts this workflow again with its signal).
    if (result.nextAtMs === null) return;
    await condition(() => woken, Math.min(MAX_SLEEP_MS, Math.max(1_000, result.nextAtMs - Date.now())));
  }
}
