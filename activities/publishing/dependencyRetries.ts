/** The profile's dependency sweeper's batch, and the per-record retry of earlier versions. */
import { ApplicationFailure } from '@temporalio/common';
import { runLog } from '../runLog.js';
import { holdReason } from '../../publishing/holds.js';
import { referencesOf } from '../../edfi/documents.js';
import { type DependencySource } from '../../publishing/outcome.js';
import { resourcePathIn } from '../../publishing/resourceNames.js';
import { dueRetries, nextRetryAt, rescheduleStillBlocked, scheduleRetries, setDependsOn, stillUnresolved, type DueRetry } from '../../db/dependencyQueue.js';
import { bulkRetryCategories, nextTry, type TryResult } from '../../publishing/dependencyTimetable.js';
import { categoryOf, queueBulkWake, wakeDependents } from './dependencies.js';
import { publishOne } from './publishOne.js';
import { type ProfileRuntime } from './shared.js';
import { Semaphore } from './connectionLimit.js';
import { catalogName } from '../../publishing/resourceNames.js';
import type { Engine } from './engine.js';

export function dependencyRetriesActivities(e: Engine) {
  return {
    /**
     * One attempt of a record in dependency. `done` when it published, failed for good, left the
     * source or the catalog, or left dependency another way.
     */
    /**
     * The sweeper's batch: the profile's records due at `nowMs`, each tried once (re-extracted and
     * sent) unless its known blocker is still unpublished — then the try would change nothing and
     * only its next time moves — or the exchange, System Processing or Publish holds it (its time
     * moves, its count does not). Answers whether more are due and when the next one is.
     */
    async retryDueDependencies(input: {
      profileId: string;
      nowMs: number;
      limit: number;
    }): Promise<{ tried: number; skipped: number; held: number; queued: number; moreDue: boolean; nextAtMs: number | null }> {
      const counts = { tried: 0, skipped: 0, held: 0, queued: 0 };
      let rt: ProfileRuntime | undefined;
      let held: string | undefined;
      try {
        rt = await e.runtime(input.profileId, 'fresh');
        held = holdReason(await e.switches(), rt.profile, 'dependency retry');
      } catch (err) {
        // A profile that cannot publish now (no enabled connection, …) holds its retries like a pause.
        if (!(err instanceof ApplicationFailure)) throw err;
        held = err.message;
      }
      // Records whose blocker is still unpublished move on in one statement; only the rest are looked at.
      if (held === undefined) counts.skipped = await rescheduleStillBlocked(e.db, input.profileId, input.nowMs);
      const due = await dueRetries(e.db, input.profileId, input.nowMs, input.limit);
      const next: Parameters<typeof scheduleRetries>[2][number][] = [];
      const record = (d: DueRetry, result: TryResult): void => {
        const { retryAtMs, attempts } = nextTry(input.nowMs, d, result);
        next.push({ schoolYear: d.schoolYear, resource: d.resource, sourceKey: d.sourceKey, retryAtMs, attempts });
      };
      if (held !== undefined || rt === undefined) {
        counts.held = due.length;
        for (const d of due) record(d, { kind: 'held' });
      } else {
        const model = rt.model;
        // Blocked by something else than what it last waited for: found in SQL from its last JSON, not tried.
        const withRefs = due.flatMap((d) => {
          const resourceModel = model.resource(resourcePathIn(model, d.resource) ?? '');
          return d.doc === null || resourceModel === undefined ? [] : [{ d, refs: referencesOf(model, resourceModel, d.doc) }];
        });
        const unresolved = await stillUnresolved(
          e.db,
          rt.peers,
          withRefs.map(({ d, refs }) => ({ schoolYear: d.schoolYear, sourceKey: d.sourceKey, refs })),
        );
        const blockedBy = (d: DueRetry) => unresolved.get(`${d.schoolYear}|${d.sourceKey}`);
        await setDependsOn(
          e.db,
          input.profileId,
          due.flatMap((d) => {
            const b = blockedBy(d);
            return b === undefined
              ? []
              : [{ schoolYear: d.schoolYear, resource: d.resource, sourceKey: d.sourceKey, dependsOn: `${catalogName(b.target)}|${b.key}` }];
          }),
        );
        const ready: DueRetry[] = [];
        for (const d of due) {
          if (d.stillBlocked || blockedBy(d) !== undefined) {
            counts.skipped++;
            record(d, { kind: 'still-blocked' });
          } else ready.push(d);
        }
        // Many ready in one category (a cascade after a blocker published): the engine's Now – Dependencies, not one by one.
        const tally = new Map<string, { schoolYear: number; resource: string; count: number }>();
        for (const d of ready) {
          const t = tally.get(`${d.schoolYear}|${d.resource}`) ?? { schoolYear: d.schoolYear, resource: d.resource, count: 0 };
          t.count++;
          tally.set(`${d.schoolYear}|${d.resource}`, t);
        }
        const bulk = bulkRetryCategories([...tally.values()], categoryOf);
        const inBulk = (d: { schoolYear: number; resource: string }): boolean =>
          bulk.some((b) => b.schoolYear === d.schoolYear && b.resources.includes(d.resource));
        // Marked before the run is asked for, so it finds them: it reads these by key. Their time
        // moves as a safety net should the run never come.
        const queued = ready.filter(inBulk);
        await scheduleRetries(
          e.db,
          input.profileId,
          queued.map((d) => ({
            schoolYear: d.schoolYear,
            resource: d.resource,
            sourceKey: d.sourceKey,
            ...nextTry(input.nowMs, d, { kind: 'still-blocked' }),
            queued: true,
          })),
        );
        counts.queued = queued.length;
        await queueBulkWake(e, input.profileId, [...tally.values()].filter(inBulk));
        const publishedNow = new Map<number, string[]>();
        // A few at a time: the sweeper must not crowd a clerk's publish out of the connections.
        const limit = new Semaphore(4);
        await Promise.all(
          ready
            .filter((d) => !inBulk(d))
            .map((d) =>
              limit.run(async () => {
                const path = resourcePathIn(model, d.resource);
                const result =
                  path === undefined
                    ? { done: true, source: d.source }
                    : await publishOne(
                        e,
                        { profileId: input.profileId, schoolYear: d.schoolYear, resource: path, sourceKey: d.sourceKey },
                        { for: 'dependency-retry', dependents: 'woken-by-caller' },
                      );
                counts.tried++;
                if ('published' in result && result.published !== undefined)
                  (publishedNow.get(d.schoolYear) ?? publishedNow.set(d.schoolYear, []).get(d.schoolYear)!).push(...result.published);
                record(d, { kind: 'tried', done: result.done, source: result.source });
              }),
            ),
        );
        // What published wakes what waits for it: one update and one signal per batch, not per record.
        for (const [year, blockers] of publishedNow) await wakeDependents(e, rt, year, blockers);
      }
      await scheduleRetries(e.db, input.profileId, next);
      if (due.length > 0 || counts.skipped > 0)
        runLog(held !== undefined ? 'WARN' : 'INFO', 'dependency retries swept', { ...counts, due: due.length, ...(held !== undefined ? { held } : {}) });
      return { ...counts, moreDue: due.length === input.limit, nextAtMs: await nextRetryAt(e.db, input.profileId) };
    },

    /** One retry of a record in dependency (earlier versions' per-record workflow) — or none while the exchange, System Processing or the profile's Publish holds it (`held`: not an attempt). */
    async retryDependency(input: {
      profileId: string;
      schoolYear: number;
      resource: string;
      sourceKey: string;
    }): Promise<{ done: boolean; outcome: string; source: DependencySource; held?: true }> {
      const { profile } = await e.runtime(input.profileId, 'fresh');
      const held = holdReason(await e.switches(), profile, 'dependency retry');
      if (held !== undefined) return { done: false, outcome: `held: ${held}`, source: 'computed', held: true };
      // What it released names the record's natural key (a student's Unique ID): it stays out of the workflow's history.
      const { done, outcome, source } = await publishOne(e, input, { for: 'dependency-retry' });
      return { done, outcome, source };
    },
  };
}
