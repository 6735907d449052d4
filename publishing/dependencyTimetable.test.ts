import { describe, expect, it } from 'vitest';
import { bulkRetryCategories, nextTry, WAKE_RUN_MOST, wakeRunMostFrom } from './dependencyTimetable.js';

const MIN = 60_000;

describe('the next try of a record in dependency', () => {
  it('waits one minute longer after each try that left it waiting (computed: 1, 2, 3 …; API: 10, 11 …)', () => {
    expect(nextTry(0, { attempts: 0, source: 'computed' }, { kind: 'tried', done: false, source: 'computed' })).toEqual({
      retryAtMs: 2 * MIN,
      attempts: 1,
      source: 'computed',
    });
    expect(nextTry(0, { attempts: 4, source: 'api' }, { kind: 'tried', done: false, source: 'api' })).toEqual({
      retryAtMs: 15 * MIN,
      attempts: 5,
      source: 'api',
    });
  });
  it('takes the new source when the API answers differently', () => {
    expect(nextTry(0, { attempts: 0, source: 'computed' }, { kind: 'tried', done: false, source: 'api' }).retryAtMs).toBe(11 * MIN);
  });
  it('never waits more than 99 minutes', () => {
    expect(nextTry(0, { attempts: 200, source: 'api' }, { kind: 'still-blocked' }).retryAtMs).toBe(99 * MIN);
  });
  it('counts a blocker still unpublished as a try, a hold not', () => {
    expect(nextTry(0, { attempts: 2, source: 'computed' }, { kind: 'still-blocked' })).toMatchObject({ attempts: 3, retryAtMs: 4 * MIN });
    expect(nextTry(0, { attempts: 2, source: 'computed' }, { kind: 'held' })).toMatchObject({ attempts: 2, retryAtMs: 3 * MIN });
  });
  it('takes a record that is done off the timetable', () => {
    expect(nextTry(5, { attempts: 7, source: 'api' }, { kind: 'tried', done: true, source: 'computed' }).retryAtMs).toBeNull();
  });
});

describe('what is handed to a category run instead of one-record tries', () => {
  const categoryOf = (r: string): string | undefined =>
    ({ calendarDates: 'organization-calendars', sessions: 'organization-calendars', sections: 'organization-schedules' })[r];
  it('a category whose due records reach the threshold, per school year, with its resources', () => {
    const due = [
      { schoolYear: 2025, resource: 'calendarDates', count: 150 },
      { schoolYear: 2025, resource: 'sessions', count: 60 },
      { schoolYear: 2025, resource: 'sections', count: 199 },
      { schoolYear: 2026, resource: 'calendarDates', count: 10 },
      { schoolYear: 2025, resource: 'unknownThing', count: 5_000 },
    ];
    expect(bulkRetryCategories(due, categoryOf, 200)).toEqual([
      { schoolYear: 2025, category: 'organization-calendars', resources: ['calendarDates', 'sessions'] },
    ]);
  });
});

describe("the worker's WAKE_RUN_MOST", () => {
  it('takes the default when unset or blank, and a whole number of records in range', () => {
    expect(wakeRunMostFrom(undefined)).toBe(WAKE_RUN_MOST);
    expect(wakeRunMostFrom(' ')).toBe(WAKE_RUN_MOST);
    expect(wakeRunMostFrom('10000')).toBe(10_000);
  });

  it('refuses anything else, saying what to write', () => {
    for (const bad of ['4k', '2.5', '0', '99', '100001'])
      expect(() => wakeRunMostFrom(bad)).toThrow(`WAKE_RUN_MOST must be a whole number of records from 100 to 100000 (default 4000); got "${bad}"`);
  });
});
