/**
 * `initial-sync/{profileId}/{year}`: the guide's initial data synchronization as one run. The
 * profile's categories go in the dashboard's recommended order (publishing/initialSync.ts), each
 * queued on the profile's publish queue and left to finish before the next; after Enrollment &
 * Demographics the Student ID ↔ enrollment interplay is settled (Now – Dependencies of both while
 * that still frees records) before moving on. A clerk pauses and resumes it between categories,
 * or cancels it (the category running finishes in the queue). At the end Data Changes is turned
 * on, or proposed. It holds category names and counts only, never a record.
 */
import { CancellationScope, isCancellation, proxyActivities, setHandler, condition, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { INTERPLAY, SETTLE_ROUNDS, type InitialSyncStep } from '../publishing/initialSync.js';
import { findCategory } from '../publishing/categories.js';
import { initialSyncQuery, pauseInitialSyncSignal, type InitialSyncInput, type InitialSyncProgress, type InitialSyncStepView } from '../temporal/contract.js';

const { planInitialSync, queueInitialSyncStep, interplayDependencies, turnOnDataChanges } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', maximumAttempts: 10 },
});
// A category of a large district runs for many minutes, and waits in the queue before that.
const { awaitCategoryRun } = proxyActivities<Activities>({
  startToCloseTimeout: '12 hours',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '5 seconds', maximumInterval: '1 minute' },
});

export const DATA_CHANGES_TURNED_ON = 'Data Changes turned on: changes now publish automatically (near-real-time, or in the weekday nightly run).';
export const DATA_CHANGES_PROPOSED =
  'Turn Data Changes on (Configure → Profiles → Edit) so changes publish automatically; until then the weekend run publishes all changes.';

export async function initialSync(input: InitialSyncInput): Promise<InitialSyncProgress> {
  const progress: InitialSyncProgress = { state: 'planning', current: 0, steps: [], skipped: [] };
  let paused = false;
  setHandler(initialSyncQuery, () => progress);
  setHandler(pauseInitialSyncSignal, (pause) => {
    paused = pause;
    if (progress.state === 'running' || progress.state === 'paused') progress.state = pause ? 'paused' : 'running';
  });
  const requestedBy = `initial sync ${workflowInfo().workflowId} (${input.requestedBy})`;

  /** Queues one step and waits for its run; answers whether it completed. */
  const run = async (view: InitialSyncStepView): Promise<boolean> => {
    const { workflowId } = await queueInitialSyncStep({
      profileId: input.profileId,
      request: { category: view.category, option: view.option, scope: view.scope, schoolYear: input.schoolYear, requestedBy, trigger: 'initial-sync' },
    });
    view.workflowId = workflowId;
    view.state = 'running';
    const ended = await awaitCategoryRun({ workflowId });
    Object.assign(view, { state: ended.outcome, published: ended.published, dependency: ended.dependency, error: ended.error });
    if (ended.detail !== undefined) view.detail = ended.detail;
    return ended.outcome === 'completed';
  };
  const step = (s: InitialSyncStep): InitialSyncStepView => ({ ...s, state: 'waiting' });

  try {
    const plan = await planInitialSync({ profileId: input.profileId, schoolYear: input.schoolYear, scope: input.scope });
    const planned = plan.steps.map(step);
    progress.steps = [...planned];
    progress.skipped = plan.skipped;
    progress.state = paused ? 'paused' : 'running';
    for (const view of planned) {
      progress.current = progress.steps.indexOf(view) + 1;
      await condition(() => !paused);
      if (!(await run(view))) {
        progress.state = 'stopped';
        const label = findCategory(view.category)?.label ?? view.category;
        progress.detail = `${label} failed: ${view.detail ?? 'see its run'} — fix it and start the initial synchronization again (what was published stays; categories already published go Now – Changes).`;
        return progress;
      }
      if (view.category === INTERPLAY[INTERPLAY.length - 1]) await settleInterplay(progress.steps.indexOf(view) + 1);
    }
  } catch (err) {
    if (isCancellation(err)) {
      progress.state = 'cancelled';
      progress.detail = 'Cancelled: the category that was running finishes in the publish queue; nothing after it was queued.';
      return progress;
    }
    throw err;
  }
  if (input.turnOnDataChanges) await CancellationScope.nonCancellable(() => turnOnDataChanges({ profileId: input.profileId }));
  progress.dataChanges = input.turnOnDataChanges ? DATA_CHANGES_TURNED_ON : DATA_CHANGES_PROPOSED;
  progress.state = 'completed';
  return progress;

  /**
   * A Student ID is refused until its enrollment exists, and the enrollment needs the Student ID:
   * Now – Dependencies of both, while a round still frees records; what stays waits on something
   * else (a student without a Unique ID) and shows on the dashboard.
   */
  async function settleInterplay(at: number): Promise<void> {
    let waiting = await interplayDependencies({ profileId: input.profileId, schoolYear: input.schoolYear });
    for (let round = 0; round < SETTLE_ROUNDS; round++) {
      const total = Object.values(waiting).reduce((a, b) => a + b, 0);
      if (total === 0) return;
      for (const category of INTERPLAY) {
        if ((waiting[category] ?? 0) === 0) continue;
        const view = step({ category, option: 'dependencies', scope: input.scope });
        progress.steps.splice(at++, 0, view);
        progress.current = at;
        await run(view);
      }
      const now = await interplayDependencies({ profileId: input.profileId, schoolYear: input.schoolYear });
      const left = Object.values(now).reduce((a, b) => a + b, 0);
      waiting = now;
      if (left >= total) return;
    }
  }
}
