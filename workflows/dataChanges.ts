/**
 * `data-changes/{profileId}`: near-real-time publishing while the profile's Data Changes and
 * Publish are on. It waits for the SIS to commit changes (an activity listening on the replica's
 * event channel), counts them per category, and queues Now – Changes of each category they touch
 * — which traces the events to their records and sends them in dependency order, each resource's
 * watermark moving only once its run ended well, so a crash anywhere loses nothing and sends
 * nothing twice. A burst is gathered into one pass (five edits of one student are one send). A
 * category over the spike threshold in the last hour is deferred to the weekday nightly run until
 * its volume falls. Nightly categories are never sent here. It pauses with Diagnostics and a
 * disabled LEA connection, ends when Data Changes is turned off, and continues-as-new to keep its
 * history short. It holds event ids, category names and counts, never a record.
 */
import { continueAsNew, isCancellation, patched, proxyActivities, proxyLocalActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { passOf, type VolumeBuckets } from '../publishing/dataChanges.js';
import { dataChangesQuery, type DataChangesInput, type DataChangesView } from '../temporal/contract.js';

const queueing = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
} as const;
const { sisChangesByCategory, queueDataChanges } = proxyActivities<Activities>(queueing);
// Queued from this workflow's task, without a round trip through the task queue (~15 ms of a burst's
// way to its first POST): one short update to the profile's queue.
const { queueDataChanges: queueDataChangesHere } = proxyLocalActivities<Activities>(queueing);
const { awaitSisChanges } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

/** While paused, look again this often. */
const PAUSED_RECHECK = '10 seconds';
const HISTORY_EVENT_LIMIT = 2_000;

export async function dataChanges(input: DataChangesInput): Promise<string> {
  const view: DataChangesView = {
    state: 'starting',
    deferred: [...(input.deferred ?? [])],
    ...(input.afterEventId !== undefined ? { afterEventId: input.afterEventId } : {}),
  };
  let volume: VolumeBuckets = input.volume ?? [];
  let after = input.afterEventId;
  setHandler(dataChangesQuery, () => view);
  // Runs started before this change counted the changes in an activity of their own after each wait.
  const countedWithWait = patched('changes-counted-with-the-wait');
  // Runs started before this change queued the categories in an activity on the task queue.
  const queue = patched('changes-queued-by-local-activity') ? queueDataChangesHere : queueDataChanges;
  try {
    for (;;) {
      if (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > HISTORY_EVENT_LIMIT)
        await continueAsNew<typeof dataChanges>({
          profileId: input.profileId,
          ...(after !== undefined ? { afterEventId: after } : {}),
          volume,
          deferred: view.deferred,
        });
      const seen = await awaitSisChanges({
        profileId: input.profileId,
        ...(after !== undefined ? { afterEventId: after } : {}),
        ...(countedWithWait ? { count: true } : {}),
      });
      if ('stopped' in seen) {
        view.state = 'stopped';
        view.why = seen.stopped;
        return seen.stopped;
      }
      if ('paused' in seen) {
        view.state = 'paused';
        view.why = seen.paused;
        await sleep(PAUSED_RECHECK);
        continue;
      }
      view.state = 'listening';
      delete view.why;
      // The first look only says where the queue stands: what came before is the weekend's (or a clerk's) to send.
      if (after === undefined || seen.latest <= after) {
        after ??= seen.latest;
        view.afterEventId = after;
        continue;
      }
      const changes = seen.changes ?? (await sisChangesByCategory({ profileId: input.profileId, afterEventId: after, upTo: seen.latest }));
      const now = Date.now();
      const pass = passOf({ volume, deferred: view.deferred }, now, changes);
      volume = pass.volume;
      view.deferred = pass.deferred;
      if (pass.categories.length > 0 && changes.schoolYear !== undefined) {
        await queue({ profileId: input.profileId, schoolYear: changes.schoolYear, categories: pass.categories });
        view.lastQueued = { at: new Date(now).toISOString(), categories: pass.categories };
      }
      after = seen.latest;
      view.afterEventId = after;
    }
  } catch (err) {
    if (isCancellation(err)) {
      view.state = 'stopped';
      return 'stopped';
    }
    throw err;
  }
}
