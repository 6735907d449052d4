/**
 * Now – Changes when nothing changed: a quiet night must cost almost nothing. Before any resource
 * is extracted, one look per resource at its watermark and the SIS event queue says whether the
 * run would trace anything; when none would, the run ends at its preparation.
 */
import type { Profile } from '../../db/entities/profile.js';
import { advanceQuietWatermarks, readWatermark } from '../../db/changeWatermark.js';
import { catalogName } from '../../publishing/resourceNames.js';
import { mustCheckEvent, readWholeBecause } from '../../publishing/watermark.js';
import { mapperFor } from '../../resources/index.js';
import { eventExists, hasEventsOf, latestEventId, replicaLoad } from '../../sis/events.js';
import { fingerprintsOf } from './context.js';
import type { ResourceMapper } from '../../resources/mapper.js';
import type { Engine } from './engine.js';

/**
 * True when every resource would read nothing: its last complete run's inputs are today's, the
 * event it stopped at is still held, and no event of its tables came since. Their watermarks then
 * move to the newest event (read first: a change committed meanwhile is after it, for next time).
 */
export async function nothingChanged(e: Engine, profile: Profile, schoolYear: number, resources: readonly string[]): Promise<boolean> {
  const sis = await (await e.source(profile)).connect();
  try {
    const latest = await latestEventId(sis);
    const load = await replicaLoad(sis);
    const mapped: Array<{ resource: string; mapper: ResourceMapper }> = [];
    for (const resource of resources) {
      const mapper = mapperFor(resource);
      if (mapper === undefined) return false;
      mapped.push({ resource, mapper });
    }
    const fingerprint = await fingerprintsOf(
      e,
      profile,
      mapped.map((m) => m.mapper),
    );
    for (const { resource, mapper } of mapped) {
      const mark = await readWatermark(e.db, profile.id, schoolYear, catalogName(resource));
      if (mark === undefined || readWholeBecause(mark, fingerprint(load, mapper)) !== undefined) return false;
      if (mustCheckEvent(mark) && !(await eventExists(sis, mark.eventId))) return false;
      if (await hasEventsOf(sis, Object.keys(mapper.changes.tables), mark.eventId, latest)) return false;
    }
    await advanceQuietWatermarks(e.db, profile.id, schoolYear, resources.map(catalogName), latest);
    return true;
  } finally {
    sis.release();
  }
}
