/** Now – Changes: which SIS objects the event queue says changed for a resource since its watermark, or why it must be read whole. */
import type pg from 'pg';
import { unpublishedObjects, type PlanScope } from '../../db/catalogPlan.js';
import { readWatermark } from '../../db/changeWatermark.js';
import { mustCheckEvent, ownMarkOf, READ_WHOLE, readWholeBecause, type OwnMarkOption } from '../../publishing/watermark.js';
import { eventExists, readEventsOf } from '../../sis/events.js';
import { tableDef } from '../../sis/model.js';
import { changeSetOf, type ChangeEvent, type ChangeSources } from '../../publishing/changeSet.js';
import { EVENT_PAGE, MOST_EVENTS, TRACE_CHUNK } from './shared.js';
import type { Engine } from './engine.js';

/**
 * The SIS objects of one resource changed since its watermark (the caller stages them as the run's
 * change scope, `stageChangeScope`, before a plan that reads it); or why they cannot be known (then
 * the run extracts everything). `own`: a nightly mode tracing
 * from its own mark (`ownMarkOf`) — Now – Last 14 Days for the window starting on `since`; Now –
 * Missing also takes every record the ODS never got (it retries them, as a whole read would).
 */
export const traceChanges = async (
  e: Engine,
  sisClient: pg.ClientBase,
  client: pg.ClientBase,
  scope: PlanScope & { changed: ChangeSources },
  fingerprint: string,
  latest: number,
  own?: { readonly option: OwnMarkOption; readonly since?: string },
): Promise<{ objects: string[]; oldestChangeAt?: Date } | { why: string }> => {
  const mark = await readWatermark(client, scope.profileId, scope.schoolYear, own !== undefined ? ownMarkOf(scope.resource, own.option) : scope.resource);
  const why = readWholeBecause(mark, fingerprint, own?.since);
  if (why !== undefined || mark === undefined) return { why: why ?? READ_WHOLE.noCompleteRun };
  if (mustCheckEvent(mark) && !(await eventExists(sisClient, mark.eventId))) return { why: READ_WHOLE.eventGone };
  const tables = Object.keys(scope.changed.tables);
  const events: ChangeEvent[] = [];
  let oldestChangeAt: Date | undefined;
  for (let after = mark.eventId; ;) {
    const page = await readEventsOf(sisClient, tables, after, latest, EVENT_PAGE);
    // Events come in commit order: the first is the oldest change this run takes in.
    oldestChangeAt ??= page[0]?.at;
    events.push(...page);
    if (events.length > MOST_EVENTS) return { why: `more than ${MOST_EVENTS.toLocaleString('en-US')} changes since the last complete run` };
    if (page.length < EVENT_PAGE) break;
    after = page[page.length - 1].id;
  }
  const set = changeSetOf(scope.changed, events, (t) => tableDef(t).key);
  if (set.kind === 'everything') return { why: set.why };
  const objects = new Set(set.objects);
  if (own?.option === 'missing') {
    const unpublished = await unpublishedObjects(client, scope, scope.changed, MOST_EVENTS + 1);
    if (unpublished.length > MOST_EVENTS) return { why: `more than ${MOST_EVENTS.toLocaleString('en-US')} records never published` };
    for (const o of unpublished) objects.add(o);
  }
  for (const [table, keys] of set.traced) {
    const follow = scope.changed.tables[table];
    if (typeof follow !== 'object') continue;
    const all = [...keys];
    for (let i = 0; i < all.length; i += TRACE_CHUNK) {
      const { rows } = await sisClient.query<{ object: string }>(follow.sql, [all.slice(i, i + TRACE_CHUNK)]);
      for (const r of rows) objects.add(r.object);
    }
  }
  return { objects: [...objects].sort(), ...(oldestChangeAt !== undefined ? { oldestChangeAt } : {}) };
};
