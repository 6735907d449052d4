/**
 * Now – Changes when nothing changed: a quiet night must cost almost nothing. Before any resource
 * is extracted, one look per resource at its watermark and the SIS event queue says whether the
 * run would trace anything; a resource that would not is not extracted, and when none would, the
 * run ends at its preparation.
 */
import type { Profile } from '../../db/entities/profile.js';
import { advanceQuietWatermarks, readWatermark } from '../../db/changeWatermark.js';
import { catalogName } from '../../publishing/resourceNames.js';
import { mustCheckEvent, readWholeBecause } from '../../publishing/watermark.js';
import { mapperFor } from '../../resources/index.js';
import { eventExists, hasEventsOf, latestEventId, replicaLoad } from '../../sis/events.js';
import { fingerprintsOf } from './context.js';
import type { Engine } from './engine.js';

/**
 * The resources that would read nothing: each one's last complete run's inputs are today's, the event
 * it stopped at is still held, and no event of its tables came since. Their watermarks move to the
 * newest event (read first: a change committed meanwhile is after it, for next time). When all are,
 * the run ends at its preparation; when some are, only the others are extracted — a SIS change to one
 * student sets off the Student Identification category's extract of students, not of applications.
 */
export async function unchangedResources(e: Engine, profile: Profile, schoolYear: number, resources: readonly string[]): Promise<string[]> {
  const mapped = resources.flatMap((resource) => {
    const mapper = mapperFor(resource);
    return mapper === undefined ? [] : [{ resource, mapper }];
  });
  // The app database's answers are read beside the SIS's (round trips of a burst's way to its first
  // POST); every resource is looked at, not only up to the first that changed.
  const fingerprintRead = fingerprintsOf(
    e,
    profile,
    mapped.map((m) => m.mapper),
  );
  const marksRead = Promise.all(mapped.map(({ resource }) => readWatermark(e.db, profile.id, schoolYear, catalogName(resource))));
  for (const read of [fingerprintRead, marksRead]) read.catch(() => undefined);
  const sis = await (await e.source(profile)).connect();
  try {
    const latest = await latestEventId(sis);
    const load = await replicaLoad(sis);
    const [fingerprint, marks] = await Promise.all([fingerprintRead, marksRead]);
    const unchanged: string[] = [];
    for (const [i, { resource, mapper }] of mapped.entries()) {
      const mark = marks[i];
      if (mark === undefined || readWholeBecause(mark, fingerprint(load, mapper)) !== undefined) continue;
      if (mustCheckEvent(mark) && !(await eventExists(sis, mark.eventId))) continue;
      if (await hasEventsOf(sis, Object.keys(mapper.changes.tables), mark.eventId, latest)) continue;
      unchanged.push(resource);
    }
    if (unchanged.length > 0) await advanceQuietWatermarks(e.db, profile.id, schoolYear, unchanged.map(catalogName), latest);
    return unchanged;
  } finally {
    sis.release();
  }
}
