import { describe, expect, it } from 'vitest';
import { checkPublishRequest, sameWork, triggerOf, type PublishRequest } from './publishRequest.js';
import { CATEGORIES, GROUPS, findCategory, optionsFor } from './categories.js';

const base: PublishRequest = { category: 'organization-calendars', option: 'changes', scope: { kind: 'district' }, schoolYear: 2025, requestedBy: 'clerk' };

describe('checkPublishRequest', () => {
  it('accepts a known category with one of its options', () => {
    expect(checkPublishRequest(base)).toEqual({ ok: true });
  });
  it('names an unknown category', () => {
    expect(checkPublishRequest({ ...base, category: 'calendars' })).toEqual({ ok: false, field: 'category', reason: 'unknown category "calendars"' });
  });
  it('limits Descriptors to Retry – Errors and Now – All, as the guide does', () => {
    const r = checkPublishRequest({ ...base, category: 'descriptors', option: 'changes' });
    expect(r).toMatchObject({ ok: false, field: 'option' });
    expect(checkPublishRequest({ ...base, category: 'descriptors', option: 'retry-errors' })).toEqual({ ok: true });
  });
  it('keeps district-level catalogs out of a school context', () => {
    const r = checkPublishRequest({ ...base, category: 'organization-catalog', scope: { kind: 'school', schoolId: '001' } });
    expect(r).toMatchObject({ ok: false, field: 'scope' });
    expect(checkPublishRequest({ ...base, scope: { kind: 'school', schoolId: '001' } })).toEqual({ ok: true });
  });
  it('wants the school year as its ending year', () => {
    expect(checkPublishRequest({ ...base, schoolYear: 24 })).toMatchObject({ ok: false, field: 'schoolYear' });
  });
});

describe('sameWork', () => {
  it('matches the same category, option, year and scope only', () => {
    expect(sameWork(base, { ...base, requestedBy: 'other clerk' })).toBe(true);
    expect(sameWork(base, { ...base, option: 'all' })).toBe(false);
    expect(sameWork(base, { ...base, scope: { kind: 'school', schoolId: '1' } })).toBe(false);
    expect(sameWork({ ...base, scope: { kind: 'school', schoolId: '1' } }, { ...base, scope: { kind: 'school', schoolId: '2' } })).toBe(false);
  });
});

describe('the dashboard catalog (Appendix A)', () => {
  it('lists every category once, in groups that exist', () => {
    const ids = CATEGORIES.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of CATEGORIES) expect(GROUPS.map((g) => g.id)).toContain(c.group);
  });
  it('puts the Organization group first, in the recommended publishing order', () => {
    expect(CATEGORIES.slice(0, 6).map((c) => c.label)).toEqual([
      'Organization Catalog',
      'Course Catalog',
      'Program Catalog',
      'Organization Info',
      'Organization Calendars',
      'Organization Schedules',
    ]);
    expect(findCategory('organization-calendars')?.entities.map((e) => e.resource)).toEqual(['calendars', 'calendarDates', 'gradingPeriods', 'sessions']);
  });
  it("offers the guide's six publish options and Preview – Changes, except where the guide limits them", () => {
    expect(optionsFor(findCategory('student-sections')!)).toEqual([
      'changes',
      'preview',
      'all',
      'dependencies',
      'errors',
      'retry-errors',
      'remove-unpublished',
    ]);
    expect(optionsFor(findCategory('descriptors')!)).toEqual(['retry-errors', 'all']);
  });
});

describe('triggerOf', () => {
  it('is the trigger a request carries, else told by who asked (requests queued before they carried one)', () => {
    expect(triggerOf({ ...base, trigger: 'data-changes' })).toBe('data-changes');
    expect(triggerOf({ ...base, requestedBy: 'user clerk' })).toBe('clerk');
    expect(triggerOf({ ...base, requestedBy: 'api key sis vendor' })).toBe('api');
    expect(triggerOf({ ...base, requestedBy: 'schedule nightly/p' })).toBe('schedule');
    expect(triggerOf({ ...base, requestedBy: 'initial sync initial-sync/p/2025 (user admin)' })).toBe('initial-sync');
    expect(triggerOf({ ...base, requestedBy: 'dependency retries (many records ready at once)' })).toBe('dependencies');
    expect(triggerOf({ ...base, requestedBy: 'key change of a school (its dependents are sent again, or forgotten)' })).toBe('cascade');
  });
});
