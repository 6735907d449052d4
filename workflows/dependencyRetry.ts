/**
 * Earlier versions' `dependency/{profileId}/{year}/{resource}/{sourceKey}`, kept so the ones already
 * waiting finish (new records in dependency go to `dependencyRetries`, one per profile): one record in dependency, retried on the
 * guide's timetable — first after 1 minute (a dependency we computed) or 10 (one the API returned),
 * one minute more after each attempt, at most 99 — and at once when what it waits for publishes.
 * It ends when the record publishes, fails for good, leaves the source or the catalog.
 */
import { condition, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { dependencyRetryDelayMinutes, type DependencySource } from '../publishing/outcome.js';
import { blockerPublishedSignal } from '../temporal/contract.js';

const { retryDependency } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

export interface DependencyRetryInput {
  readonly profileId: string;
  readonly schoolYear: number;
  readonly resource: string;
  readonly sourceKey: string;
  readonly source: DependencySource;
  /** Attempts made before this run (continue-as-new carries them). */
  readonly attempts?: number;
}

export async function dependencyRetry(input: DependencyRetryInput): Promise<string> {
  let woken = false;
  setHandler(blockerPublishedSignal, () => {
    woken = true;
  });
  let attempts = input.attempts ?? 0;
  let source = input.source;
  for (;;) {
    const minutes = dependencyRetryDelayMinutes(source, attempts);
    await condition(() => woken, `${minutes} minutes`);
    woken = false;
    const result = await retryDependency({ profileId: input.profileId, schoolYear: input.schoolYear, resource: input.resource, sourceKey: input.sourceKey });
    if (result.done) return result.outcome;
    // A held retry (exchange off, processing paused, Publish off) sent nothing: the timetable does not move.
    if (result.held !== true) {
      attempts++;
      source = result.source;
    }
    // Days of waiting stay a short history: start over with the count carried.
    if (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > 2_000)
      await continueAsNew<typeof dependencyRetry>({ ...input, source, attempts });
  }
}
