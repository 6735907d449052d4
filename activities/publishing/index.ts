/**
 * The publishing engine's activities: extract a resource from the SIS and plan it against the
 * catalog, send one batch of the plan (deletes, or posts), publish local descriptors, retry records
 * in dependency, act on one record, resync. Each takes ids, works on at most one batch, and can be
 * retried: what a batch already did is in the catalog, and doing it again gives the same result.
 * One file per activity; what they share is in the files beside them, over one Engine.
 */
import { heartbeating } from '../heartbeat.js';
import type { ActivityDeps } from '../deps.js';
import { createEngine } from './engine.js';
import type { EntityRun } from './shared.js';
import { publishLocalDescriptors } from './localDescriptors.js';
import { prepareCategoryActivities } from './prepareCategory.js';
import { extractAndPlanActivities } from './extractAndPlan.js';
import { sendBatchActivities } from './sendBatch.js';
import { finishRunActivities } from './finishRun.js';
import { dependencyRetriesActivities } from './dependencyRetries.js';
import { recordActionsActivities } from './recordActions.js';
import { resyncActivities } from './resync.js';
import { dataChangesActivities } from './dataChanges.js';

export type { BatchSummary, CategoryPlan, EntityRun, Extraction } from './shared.js';

export function publishingActivities(deps: ActivityDeps) {
  const e = createEngine(deps);
  const activities = {
    ...prepareCategoryActivities(e),
    ...extractAndPlanActivities(e),
    ...sendBatchActivities(e),
    /** Local descriptors waiting in the catalog (met while extracting), or every one with `all`. */
    publishLocalDescriptors: (input: Parameters<typeof publishLocalDescriptors>[1]) => publishLocalDescriptors(e, input),
    ...finishRunActivities(e),
    ...dependencyRetriesActivities(e),
    ...recordActionsActivities(e),
    ...resyncActivities(e),
    ...dataChangesActivities(e),
  };
  /** The lane's extracts and batches go first; with `givesWay`, the profile's other runs wait for them (laneFirst.ts). */
  const laneOrder =
    <R extends EntityRun, T>(fn: (run: R) => Promise<T>, givesWay: boolean) =>
    async (run: R): Promise<T> => {
      if (run.readyOnly === true) return e.laneFirst.lane(run.profileId, () => fn(run));
      if (givesWay) await e.laneFirst.giveWay(run.profileId);
      return fn(run);
    };
  // The long ones beat while they run (their workflows set a 30-second heartbeat timeout), also while they give way.
  return {
    ...activities,
    extractAndPlan: heartbeating(laneOrder(activities.extractAndPlan.bind(activities), false)),
    sendBatch: heartbeating(laneOrder(activities.sendBatch.bind(activities), true)),
    publishLocalDescriptors: heartbeating(activities.publishLocalDescriptors),
    resyncResource: heartbeating(activities.resyncResource.bind(activities)),
    retryDueDependencies: heartbeating(activities.retryDueDependencies.bind(activities)),
    awaitSisChanges: heartbeating(activities.awaitSisChanges.bind(activities)),
  };
}
