/**
 * Near-real-time Data Changes (the guide's "Automatic Publishing"): which categories a batch of SIS
 * events touches, how much each has changed in the last hour, and when a spike moves a category to
 * the nightly run. Pure rules; `workflows/dataChanges.ts` follows them.
 */
import { CATEGORIES, optionsFor, type Category } from './categories.js';
import { categoryScope } from './profileScope.js';
import type { ProfileKind, SettingReader } from './profileSettings.js';
import { eventCanChange, type ChangeEvent, type ChangeSources } from './changeSet.js';

/** Minutes of volume kept: the rolling hour. */
const WINDOW_MINUTES = 60;

/**
 * The categories near-real-time publishing sends for this profile, each with how its entities
 * follow the SIS (the tables and columns they read): not the nightly ones (attendance, grades,
 * transcripts — the guide), not the Descriptors (they go with their records), not what the
 * profile's type and settings leave out.
 */
export function dataChangeCategories(
  kind: ProfileKind,
  setting: SettingReader,
  sourcesOf: (resource: string) => ChangeSources | undefined,
): Array<{ readonly category: string; readonly sources: readonly ChangeSources[] }> {
  const sent = (c: Category): boolean =>
    c.nightly === undefined && c.id !== 'descriptors' && optionsFor(c).includes('changes') && categoryScope(c, kind, setting).active !== 'no';
  return CATEGORIES.filter(sent).map((c) => ({ category: c.id, sources: c.entities.flatMap((e) => sourcesOf(e.resource) ?? []) }));
}

/** SIS events of one kind (a table, an action, the columns an update changed) and how many there were. */
export type CountedChanges = Pick<ChangeEvent, 'table' | 'action' | 'changedColumns'> & { readonly n: number };

/**
 * Only categories already synchronized (something of them published this year) follow the SIS in
 * near-real time: the guide's initial synchronization comes first, and a change must not set off a
 * whole category's first publish at an odd hour (the weekend run or a clerk does that).
 */
export function synchronizedOnly<C extends { readonly category: string }>(categories: readonly C[], publishedResources: ReadonlySet<string>): C[] {
  return categories.filter((c) => CATEGORIES.find((x) => x.id === c.category)?.entities.some((e) => publishedResources.has(e.resource)) === true);
}

/**
 * Changed rows per category: the events some entity of it can be changed by (its table read, and
 * for an update a column it reads — a school's new name is no change to the calendars keyed by the
 * school's number). A table several categories read counts for each.
 */
export function changesByCategory(
  categories: ReadonlyArray<{ readonly category: string; readonly sources: readonly ChangeSources[] }>,
  changes: readonly CountedChanges[],
  keyColumnOf: (table: string) => string | undefined,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const { category, sources } of categories) {
    const n = changes.filter((e) => sources.some((s) => eventCanChange(s, e, keyColumnOf))).reduce((sum, e) => sum + e.n, 0);
    if (n > 0) out[category] = n;
  }
  return out;
}

/** Changed rows per category, one bucket per minute (epoch minute). */
export type VolumeBuckets = ReadonlyArray<{ readonly minute: number; readonly byCategory: Readonly<Record<string, number>> }>;

/** Adds a batch's changes at `at` (ms) and drops buckets older than the hour. */
export function addVolume(buckets: VolumeBuckets, at: number, byCategory: Readonly<Record<string, number>>): VolumeBuckets {
  const minute = Math.floor(at / 60_000);
  const kept = buckets.filter((b) => b.minute > minute - WINDOW_MINUTES);
  const last = kept.at(-1);
  if (last?.minute === minute) {
    const merged = { ...last.byCategory };
    for (const [c, n] of Object.entries(byCategory)) merged[c] = (merged[c] ?? 0) + n;
    return [...kept.slice(0, -1), { minute, byCategory: merged }];
  }
  return [...kept, { minute, byCategory: { ...byCategory } }];
}

/** A category's changed rows in the hour up to `at`. */
export function volumeLastHour(buckets: VolumeBuckets, at: number, category: string): number {
  const minute = Math.floor(at / 60_000);
  return buckets.filter((b) => b.minute > minute - WINDOW_MINUTES).reduce((sum, b) => sum + (b.byCategory[category] ?? 0), 0);
}

export interface Deferral {
  readonly category: string;
  /** When it was deferred (ISO). */
  readonly since: string;
  readonly perHour: number;
  readonly why: string;
  readonly until: string;
}

/** 12,345 — without Intl, so workflow code formats the same everywhere. */
const thousands = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

export const deferralWhy = (perHour: number, threshold: number): string =>
  `${thousands(perHour)} SIS changes in the last hour, over DataChangesSpikeThreshold (${thousands(threshold)})`;
export const DEFERRED_UNTIL = 'until its changes fall under the threshold (checked as changes arrive); meanwhile the weekday nightly run publishes them';

/**
 * Which categories are deferred after this batch: those over the threshold in the last hour join
 * (or stay, keeping when they were deferred); those back under it leave, and publish again at once.
 */
export function deferrals(current: readonly Deferral[], buckets: VolumeBuckets, at: number, threshold: number, categories: readonly string[]): Deferral[] {
  const out: Deferral[] = [];
  for (const category of categories) {
    const perHour = volumeLastHour(buckets, at, category);
    if (perHour <= threshold) continue;
    const since = current.find((d) => d.category === category)?.since ?? new Date(at).toISOString();
    out.push({ category, since, perHour, why: deferralWhy(perHour, threshold), until: DEFERRED_UNTIL });
  }
  return out;
}

/** Where near-real-time publishing stands between passes: the hour's volume and the categories deferred. */
export interface PassState {
  readonly volume: VolumeBuckets;
  readonly deferred: readonly Deferral[];
}

/**
 * One pass of counted changes at `at`: the hour's volume with them, the categories deferred now
 * (every category seen in the hour is looked at again, so one whose volume fell leaves the list),
 * and the categories to queue — those changed and those just released (a category whose spike has
 * passed sends what waited at once, not at its next change), less the deferred.
 */
export function passOf(
  state: PassState,
  at: number,
  changes: { readonly byCategory: Readonly<Record<string, number>>; readonly threshold: number },
): { readonly volume: VolumeBuckets; readonly deferred: Deferral[]; readonly categories: string[] } {
  const volume = addVolume(state.volume, at, changes.byCategory);
  const seenInHour = [...new Set(volume.flatMap((b) => Object.keys(b.byCategory)))];
  const deferred = deferrals(state.deferred, volume, at, changes.threshold, seenInHour);
  const held = new Set(deferred.map((d) => d.category));
  const released = state.deferred.map((d) => d.category).filter((c) => !held.has(c));
  const categories = [...new Set([...Object.keys(changes.byCategory), ...released])].filter((c) => !held.has(c));
  return { volume, deferred, categories };
}

/** A burst is gathered until the SIS has been quiet this long (no commit noticed)… */
export const GATHER_QUIET_MS = 15;
/** …and this long after its first event at most, so a steady stream still goes out this often. */
export const GATHER_MOST_MS = 300;

/**
 * How much longer to gather a burst (ms; 0: go now), given when its first event was seen and when
 * the SIS last committed more. A burst committed in one transaction is all there at once: waiting
 * out the whole 300 ms for it only delays it (a tenth of a 5,000-student drain). Edits that keep
 * coming are gathered up to 300 ms, so five quick edits of one student still go as one.
 */
export function gatherFor(firstSeenAt: number, lastCommitAt: number, now: number): number {
  return Math.max(0, Math.min(firstSeenAt + GATHER_MOST_MS, lastCommitAt + GATHER_QUIET_MS) - now);
}
