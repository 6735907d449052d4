/** Records in dependency: queued on the profile's timetable, and woken when what they wait for publishes. */
import { legacyDependentsOf } from '../../db/catalog.js';
import { dependencyRetryDelayMinutes, type DependencySource } from '../../publishing/outcome.js';
import { resourcePathIn } from '../../publishing/resourceNames.js';
import { wakeDependencyRetries, wakeLegacyDependency } from '../../temporal/client/dependencyRetries.js';
import { queueRetries, wakeRetries } from '../../db/dependencyQueue.js';
import { BULK_RETRY_THRESHOLD, bulkRetryCategories } from '../../publishing/dependencyTimetable.js';
import { categoryOfEntity } from '../../publishing/categories.js';
import { signalPublish } from '../../temporal/client/publishQueue.js';
import type { Engine } from './engine.js';
import type { ProfileRuntime } from './shared.js';

/** Wakes the profile's dependency sweeper, starting it when it is not running: one call per batch, never per record. */
export const wakeSweeper = async (e: Engine, profileId: string): Promise<void> => {
  await wakeDependencyRetries(e.deps.temporal, e.deps.temporalConfig, profileId);
};

/** Records that just went into dependency join the timetable (1 or 10 minutes to their first try). */
export const queueDependencyRetries = async (
  e: Engine,
  profileId: string,
  schoolYear: number,
  resource: string,
  entries: ReadonlyArray<{ sourceKey: string; source: DependencySource }>,
): Promise<void> => {
  if (entries.length === 0) return;
  const now = Date.now();
  await queueRetries(
    e.db,
    profileId,
    schoolYear,
    resource,
    entries.map((e) => ({ sourceKey: e.sourceKey, retryAtMs: now + dependencyRetryDelayMinutes(e.source, 0) * 60_000 })),
  );
  await wakeSweeper(e, profileId);
};

/** The category a catalog resource publishes in. */
export const categoryOf = (resource: string): string | undefined => categoryOfEntity(resource)?.id;

/**
 * Many records of a category ready at once (marked for a bulk wake): one Now – Dependencies run of
 * that category on the profile's queue — its dependency lane, beside whatever runs — reading them by key.
 */
export const queueBulkWake = async (
  e: Engine,
  profileId: string,
  ready: ReadonlyArray<{ schoolYear: number; resource: string; count: number }>,
): Promise<Array<{ schoolYear: number; resources: string[] }>> => {
  const bulk = bulkRetryCategories(ready, categoryOf, 1);
  for (const b of bulk)
    await signalPublish(e.deps.temporal, e.deps.temporalConfig, profileId, {
      category: b.category,
      option: 'dependencies',
      schoolYear: b.schoolYear,
      scope: { kind: 'district' },
      requestedBy: 'dependency retries (many records ready at once)',
      trigger: 'dependencies',
    });
  return bulk;
};

/**
 * Wakes the records waiting for what this batch published — this profile's and its ODS peers' (an
 * HR profile's staff wake the SIS profile's Staff Sections): a few are brought forward for the
 * sweeper; hundreds of one resource (a batch of enrollments waking its students' records) go to a
 * Now – Dependencies run at once, without the sweeper looking at each. Also wakes the per-record
 * workflows of earlier versions.
 */
export const wakeDependents = async (e: Engine, rt: ProfileRuntime, schoolYear: number, blockers: readonly string[]): Promise<void> => {
  if (blockers.length === 0) return;
  const profileId = rt.profile.id;
  for (const peer of rt.peers) {
    const { woken, bulk } = await wakeRetries(e.db, peer, schoolYear, blockers, Date.now(), BULK_RETRY_THRESHOLD);
    if (woken > 0) await wakeSweeper(e, peer);
    if (bulk.length > 0)
      await queueBulkWake(
        e,
        peer,
        bulk.map((b) => ({ schoolYear, ...b })),
      );
  }
  for (const d of await legacyDependentsOf(e.db, profileId, schoolYear, blockers)) {
    const path = resourcePathIn(rt.model, d.resource);
    if (path === undefined) continue;
    await wakeLegacyDependency(e.deps.temporal, { profileId, schoolYear, resource: path, sourceKey: d.sourceKey });
  }
};
