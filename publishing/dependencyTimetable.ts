/**
 * The next try of a record in dependency, by the guide's timetable (`dependencyRetryDelayMinutes`):
 * after a try that left it waiting, one minute longer than the last wait; a known blocker still
 * unpublished counts as a try (the try would have changed nothing); a hold (exchange off,
 * processing paused, Publish off) moves the time but not the count; done takes it off.
 */
import { dependencyRetryDelayMinutes, type DependencySource } from './outcome.js';

export type TryResult = { kind: 'held' } | { kind: 'still-blocked' } | { kind: 'tried'; done: boolean; source: DependencySource };

export function nextTry(
  nowMs: number,
  waiting: { attempts: number; source: DependencySource },
  result: TryResult,
): { retryAtMs: number | null; attempts: number; source: DependencySource } {
  if (result.kind === 'tried' && result.done) return { retryAtMs: null, attempts: 0, source: waiting.source };
  const attempts = result.kind === 'held' ? waiting.attempts : waiting.attempts + 1;
  const source = result.kind === 'tried' ? result.source : waiting.source;
  return { retryAtMs: nowMs + dependencyRetryDelayMinutes(source, attempts) * 60_000, attempts, source };
}

/**
 * The most records one bulk wake run reads (two batches). The records that became ready during a
 * run wait for the next; unbounded, each run was as large as everything ready when it began, so on
 * the `xl` district they grew to 71,000 records and a woken student waited 73 s (bench/README.md).
 */
export const WAKE_RUN_MOST = 4_000;

/**
 * The worker's `WAKE_RUN_MOST` (unset: WAKE_RUN_MOST). Larger runs send more per wake but let the
 * records woken meanwhile wait longer; a wrong value stops the worker with what to write instead.
 */
export function wakeRunMostFrom(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return WAKE_RUN_MOST;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 100 || n > 100_000)
    throw new Error(`WAKE_RUN_MOST must be a whole number of records from 100 to 100000 (default ${WAKE_RUN_MOST}); got "${value}"`);
  return n;
}

/** Due records of one resource beyond which a category run (Now – Dependencies) beats trying them one by one. */
export const BULK_RETRY_THRESHOLD = 200;

/**
 * The categories whose due records are many enough to hand to the publishing engine as a
 * Now – Dependencies run (batches of 2,000, thousands a second) instead of one-record tries: a
 * storm's cascade — a published school waking tens of thousands of dates and sections — then
 * costs one category run, not tens of thousands of single publishes.
 */
export function bulkRetryCategories(
  due: ReadonlyArray<{ schoolYear: number; resource: string; count: number }>,
  categoryOf: (resource: string) => string | undefined,
  threshold = BULK_RETRY_THRESHOLD,
): Array<{ schoolYear: number; category: string; resources: string[] }> {
  const byCategory = new Map<string, { schoolYear: number; category: string; resources: string[]; count: number }>();
  for (const d of due) {
    const category = categoryOf(d.resource);
    if (category === undefined) continue;
    const key = `${d.schoolYear}|${category}`;
    const entry = byCategory.get(key) ?? { schoolYear: d.schoolYear, category, resources: [], count: 0 };
    entry.resources.push(d.resource);
    entry.count += d.count;
    byCategory.set(key, entry);
  }
  return [...byCategory.values()].filter((e) => e.count >= threshold).map(({ schoolYear, category, resources }) => ({ schoolYear, category, resources }));
}
