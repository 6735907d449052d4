/**
 * Every activity the worker registers, built over the services they need. Activities are thin,
 * idempotent and take ids: the workflow never carries records or secrets.
 */
import { downloadActivities } from './downloads.js';
import { scheduleActivities } from './schedules.js';
import { publishingActivities } from './publishing/index.js';
import { initialSyncActivities } from './initialSync.js';
import type { ActivityDeps } from './deps.js';

export type { ActivityDeps } from './deps.js';

export function createActivities(deps: ActivityDeps) {
  return { ...scheduleActivities(deps), ...downloadActivities(deps), ...publishingActivities(deps), ...initialSyncActivities(deps) };
}

export type Activities = ReturnType<typeof createActivities>;
