/** Records in dependency: queued on the profile's timetable, and woken when what they wait for publishes. */
import { legacyDependentsOf } from '../../db/catalog.js';
import { dependencyRetryDelayMinutes, type DependencySource } from '../../publishing/outcome.js';
import { resourcePathIn } from '../../publishing/resourceNames.js';
import { wakeDependencyRetries, wakeLegacyDependency } from '../../temporal/client/dependencyRetries.js';
import { queueRetries, wakeRetries } from '../../db/dependencyQueue.js';
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

/**
 * Brings forward the records waiting for what this batch published — this profile's and its ODS
 * peers' (an HR profile's staff wake the SIS profile's Staff Sections) — then wakes each one's
 * sweeper, and the per-record workflows of earlier versions.
 */
export const wakeDependents = async (e: Engine, rt: ProfileRuntime, schoolYear: number, blockers: readonly string[]): Promise<void> => {
  if (blockers.length === 0) return;
  const profileId = rt.profile.id;
  for (const peer of rt.peers) if ((await wakeRetries(e.db, peer, schoolYear, blockers, Date.now())) > 0) await wakeSweeper(e, peer);
  for (const d of await legacyDependentsOf(e.db, profileId, schoolYear, blockers)) {
    const path = resourcePathIn(rt.model, d.resource);
    if (path === undefined) continue;
    await wakeLegacyDependency(e.deps.temporal, { profileId, schoolYear, resource: path, sourceKey: d.sourceKey });
  }
};
