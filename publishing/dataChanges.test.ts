import { describe, expect, it } from 'vitest';
import {
  addVolume,
  changesByCategory,
  dataChangeCategories,
  DEFERRED_UNTIL,
  deferrals,
  gatherFor,
  GATHER_MOST_MS,
  GATHER_QUIET_MS,
  passOf,
  synchronizedOnly,
  volumeLastHour,
  type CountedChanges,
} from './dataChanges.js';
import { readWholeOnAnyChange } from './changeSet.js';
import { settingReader, type ProfileKind } from './profileSettings.js';

const sis: ProfileKind = { profileType: 'SIS', sisProduct: 'PowerSchool' };
const tables: Record<string, string[]> = {
  students: ['student'],
  studentSchoolAssociations: ['student', 'enrollment'],
  studentSectionAssociations: ['cc', 'student'],
  studentSectionAttendanceEvents: ['sectionattendance'],
  sections: ['sections'],
};
const schoolNumberOnly = readWholeOnAnyChange(['school'], { school: ['schoolID', 'stateSchoolNumber'] });
const categories = dataChangeCategories(sis, settingReader(sis, {}), (r) =>
  r === 'calendars'
    ? schoolNumberOnly
    : r === 'schools'
      ? readWholeOnAnyChange(['school'])
      : tables[r] !== undefined
        ? readWholeOnAnyChange(tables[r])
        : undefined,
);
/** Inserts into each table, `n` each. */
const inserted = (byTable: Record<string, number>): CountedChanges[] =>
  Object.entries(byTable).map(([table, n]) => ({ table, action: 'insert' as const, changedColumns: null, n }));
const keyOf = (table: string): string => `${table}ID`;
const T0 = Date.parse('2025-01-13T08:00:00Z');

describe('near-real-time Data Changes', () => {
  it('sends every category but the nightly ones, the descriptors and what the profile leaves out', () => {
    const ids = categories.map((c) => c.category);
    expect(ids).toContain('student-identification');
    expect(ids).toContain('organization-schedules');
    for (const nightly of ['attendance', 'student-grades', 'student-transcripts', 'descriptors', 'staff-demographics', 'accounts'])
      expect(ids).not.toContain(nightly);
  });
  it('counts a batch of changes for every category whose entities read the changed tables', () => {
    expect(changesByCategory(categories, inserted({ student: 3, sectionattendance: 40 }), keyOf)).toEqual({
      'student-identification': 3,
      'enrollment-demographics': 3,
      'student-sections': 3,
    });
    expect(changesByCategory(categories, inserted({ cc: 2 }), keyOf)).toEqual({ 'student-sections': 2 });
  });
  it("counts an update only for the categories that read a column it changed: a school's new name is no change to its calendars", () => {
    const renamed = [{ table: 'school', action: 'update' as const, changedColumns: ['name'], n: 1 }];
    expect(changesByCategory(categories, renamed, keyOf)).toEqual({ 'organization-catalog': 1 });
    const renumbered = [{ table: 'school', action: 'update' as const, changedColumns: ['stateschoolnumber'], n: 1 }];
    expect(changesByCategory(categories, renumbered, keyOf)).toEqual({ 'organization-catalog': 1, 'organization-calendars': 1 });
    // An update that does not say what it changed, a row's key changing, and a new school: all may change the calendars.
    for (const changedColumns of [null, ['schoolid']])
      expect(changesByCategory(categories, [{ ...renamed[0], changedColumns }], keyOf)).toHaveProperty('organization-calendars', 1);
    expect(changesByCategory(categories, inserted({ school: 1 }), keyOf)).toHaveProperty('organization-calendars', 1);
  });
  it('follows only categories already synchronized: a change never sets off a whole category’s first publish', () => {
    const followed = synchronizedOnly(categories, new Set(['students', 'studentSchoolAssociations']));
    expect(followed.map((c) => c.category)).toEqual(['student-identification', 'enrollment-demographics']);
  });
  it('keeps a rolling hour of volume, minute by minute', () => {
    let b = addVolume([], T0, { 'student-sections': 10 });
    b = addVolume(b, T0 + 20_000, { 'student-sections': 5 });
    expect(b).toHaveLength(1);
    b = addVolume(b, T0 + 30 * 60_000, { 'student-sections': 1 });
    expect(volumeLastHour(b, T0 + 30 * 60_000, 'student-sections')).toBe(16);
    b = addVolume(b, T0 + 61 * 60_000, {});
    expect(volumeLastHour(b, T0 + 61 * 60_000, 'student-sections')).toBe(1);
  });
  it('defers a category over the threshold, keeps when it began while it stays over, and lets it go once under', () => {
    const b = addVolume([], T0, { 'student-sections': 6_000, 'student-identification': 20 });
    const first = deferrals([], b, T0, 5_000, ['student-sections', 'student-identification']);
    expect(first).toEqual([
      {
        category: 'student-sections',
        since: '2025-01-13T08:00:00.000Z',
        perHour: 6_000,
        why: '6,000 SIS changes in the last hour, over DataChangesSpikeThreshold (5,000)',
        until: DEFERRED_UNTIL,
      },
    ]);
    const later = addVolume(b, T0 + 10 * 60_000, { 'student-sections': 100 });
    expect(deferrals(first, later, T0 + 10 * 60_000, 5_000, ['student-sections'])[0]).toMatchObject({ since: '2025-01-13T08:00:00.000Z', perHour: 6_100 });
    expect(deferrals(first, later, T0 + 65 * 60_000, 5_000, ['student-sections'])).toEqual([]);
  });

  it('queues what changed and what was just released, never a deferred category, and carries the hour on', () => {
    const spike = passOf({ volume: [], deferred: [] }, T0, { byCategory: { 'student-sections': 6_000, 'student-identification': 3 }, threshold: 5_000 });
    expect(spike.categories).toEqual(['student-identification']);
    expect(spike.deferred.map((d) => d.category)).toEqual(['student-sections']);
    // Still over the threshold within the hour: a few more changes stay deferred, and nothing is queued for them.
    const during = passOf(spike, T0 + 10 * 60_000, { byCategory: { 'student-sections': 2 }, threshold: 5_000 });
    expect(during.categories).toEqual([]);
    expect(during.deferred[0]).toMatchObject({ category: 'student-sections', since: '2025-01-13T08:00:00.000Z', perHour: 6_002 });
    // An hour on the spike has passed: the category goes again at once, with what waited, whatever changed now.
    const after = passOf(during, T0 + 65 * 60_000, { byCategory: { 'course-catalog': 1 }, threshold: 5_000 });
    expect(after.deferred).toEqual([]);
    expect(after.categories.sort()).toEqual(['course-catalog', 'student-sections']);
    expect(volumeLastHour(after.volume, T0 + 65 * 60_000, 'student-sections')).toBe(2);
  });
  it('gathers a burst until the SIS is quiet for a moment, and a steady stream for 300 ms at most', () => {
    // One transaction: all there at once, so it goes after the quiet moment, not 300 ms later.
    expect(gatherFor(1_000, 1_000, 1_000)).toBe(GATHER_QUIET_MS);
    expect(gatherFor(1_000, 1_000, 1_000 + GATHER_QUIET_MS)).toBe(0);
    // A commit meanwhile restarts the quiet moment…
    expect(gatherFor(1_000, 1_020, 1_030)).toBe(GATHER_QUIET_MS - 10);
    // …but a steady stream (a commit every 10 ms) goes 300 ms after its first event.
    expect(gatherFor(1_000, 1_290, 1_295)).toBe(GATHER_MOST_MS - 295);
    expect(gatherFor(1_000, 1_300, 1_300)).toBe(0);
    expect(gatherFor(1_000, 1_000, 5_000)).toBe(0);
  });
});
