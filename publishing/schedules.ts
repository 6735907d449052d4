/**
 * Automatic publishing on a timetable (the guide's "Automatic Publishing"): the weekday-nightly
 * run belongs to "Data Changes" and publishes the categories too heavy for near-real-time; the
 * weekend run belongs to "Publish" and republishes all changes, whether or not Data Changes is on.
 */
import { CATEGORIES, optionsFor } from './categories.js';
import type { PublishRequest } from './publishRequest.js';
import { schoolYearOf } from './schoolYear.js';
import { categoryScope } from './profileScope.js';
import { settingReader, type ProfileKind, type ProfileSettings } from './profileSettings.js';

export type ScheduleKind = 'nightly' | 'weekend';
export const SCHEDULE_KINDS: readonly ScheduleKind[] = ['nightly', 'weekend'];

export interface ScheduledProfile extends ProfileKind {
  readonly id: string;
  readonly settings: Partial<ProfileSettings>;
  readonly enabled: boolean;
  readonly schoolYears: readonly number[];
  readonly publishDataChanges: boolean;
  readonly publishPublish: boolean;
}

/** Categories the guide moves to the nightly process (large, fast-changing data), each with its nightly mode. */
export const NIGHTLY_CATEGORIES: readonly string[] = CATEGORIES.filter((c) => c.nightly !== undefined).map((c) => c.id);

export function scheduleId(kind: ScheduleKind, profileId: string): string {
  return `${kind}/${profileId}`;
}

/** Whether a profile should have this schedule at all. Unchecking Publish stops all publishing. */
export function scheduleWanted(profile: ScheduledProfile, kind: ScheduleKind): boolean {
  if (!profile.enabled || !profile.publishPublish) return false;
  return kind === 'weekend' || profile.publishDataChanges;
}

/** The school year a scheduled run publishes: today's, if the profile has it, else its latest. */
export function scheduledSchoolYear(profile: ScheduledProfile, now: Date): number | undefined {
  const current = schoolYearOf(now);
  if (profile.schoolYears.includes(current)) return current;
  return profile.schoolYears.length > 0 ? Math.max(...profile.schoolYears) : undefined;
}

/**
 * The nightly run also takes the categories near-real-time publishing deferred for a spike (Now –
 * Changes: whatever changed), in the dashboard's order after its own.
 */
export function withDeferred(requests: readonly PublishRequest[], deferred: readonly string[]): PublishRequest[] {
  // No nightly run (Data Changes or Publish off): nothing was deferred to it either.
  const first = requests[0];
  if (first === undefined) return [];
  const have = new Set(requests.map((r) => r.category));
  const extra = CATEGORIES.filter((c) => deferred.includes(c.id) && !have.has(c.id));
  return [...requests, ...extra.map((c) => ({ ...first, category: c.id, option: 'changes' as const }))];
}

/** What a scheduled run queues, in the dashboard's recommended order: the categories the profile's type and settings publish. */
export function scheduledRequests(profile: ScheduledProfile, kind: ScheduleKind, now: Date): PublishRequest[] {
  const schoolYear = scheduledSchoolYear(profile, now);
  if (!scheduleWanted(profile, kind) || schoolYear === undefined) return [];
  const ids: readonly string[] = kind === 'nightly' ? NIGHTLY_CATEGORIES : CATEGORIES.map((c) => c.id);
  const setting = settingReader(profile, profile.settings);
  const active = (c: (typeof CATEGORIES)[number]): boolean => categoryScope(c, profile, setting).active !== 'no';
  return CATEGORIES.filter((c) => ids.includes(c.id) && optionsFor(c).includes('changes') && active(c)).map((c) => ({
    category: c.id,
    option: kind === 'nightly' ? (c.nightly ?? 'changes') : ('changes' as const),
    scope: { kind: 'district' as const },
    schoolYear,
    requestedBy: `schedule ${scheduleId(kind, profile.id)}`,
    trigger: 'schedule' as const,
  }));
}
