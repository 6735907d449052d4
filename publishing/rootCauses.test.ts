import { describe, expect, it } from 'vitest';
import { blockerState, codeSetOfMessage, groupCauses, parseDep, type CauseInput } from './rootCauses.js';

const school = 'schools|{"schoolId":255901107}';
const waitOn = (resource: string, n: number, rootDep: string | null = school, sampleKey = `${resource}-1`): CauseInput => ({
  rootDep,
  status: 'dependency',
  description: rootDep === null ? 'School record not published' : null,
  resource,
  n,
  sampleKey,
});

describe('root causes', () => {
  it('counts 606 records behind one school as one cause that names the school and what to fix', () => {
    const groups = groupCauses(
      [waitOn('calendars', 12), waitOn('calendarDates', 360), waitOn('sections', 234)],
      new Map([[school, { sourceKey: '7', status: 'error', description: 'School ID must be numeric' }]]),
    );
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({
      count: 606,
      byResource: [
        { resource: 'calendarDates', count: 360 },
        { resource: 'sections', count: 234 },
        { resource: 'calendars', count: 12 },
      ],
      blocker: {
        resource: 'schools',
        state: 'error',
        records: 1,
        description: 'School ID must be numeric',
        sample: { naturalKey: { schoolId: 255901107 }, sourceKey: '7', display: null },
      },
      sample: { resource: 'calendarDates', sourceKey: 'calendarDates-1' },
    });
    expect(groups[0].fix).toBe(
      'Fix the School in the SIS (School ID must be numeric), then publish Organization Catalog again: the records waiting on it follow by themselves.',
    );
  });

  it('puts blockers of one kind in the same state together, counting them, largest group first', () => {
    const enrollment = (i: number) => `studentSchoolAssociations|{"studentUniqueId":"${i}"}`;
    const counts = [1, 2, 3].map((i) => waitOn('studentSectionAssociations', 10, enrollment(i)));
    const blockers = new Map([1, 2, 3].map((i) => [enrollment(i), { sourceKey: String(i), status: 'pending', description: null }] as const));
    const groups = groupCauses([...counts, waitOn('calendars', 5)], blockers);
    expect(groups.map((g) => [g.count, g.blocker?.resource, g.blocker?.state, g.blocker?.records])).toEqual([
      [30, 'studentSchoolAssociations', 'not-sent', 3],
      [5, 'schools', 'missing', 1],
    ]);
    expect(groups[0].fix).toBe('Publish Enrollment & Demographics first: these 3 School Enrollments have not been sent yet.');
    expect(groups[1].fix).toMatch(/^No such School is in this profile's catalog/);
  });

  it('groups records that wait on nothing by their shared description, and sends an unknown descriptor to its code set', () => {
    const refused = "Unable to resolve value 'XX' to an existing 'CalendarTypeDescriptor' resource.";
    const groups = groupCauses(
      [
        { rootDep: null, status: 'error', description: refused, resource: 'calendars', n: 3, sampleKey: 'c1' },
        { rootDep: null, status: 'error', description: 'Something else', resource: 'calendars', n: 1, sampleKey: 'c9' },
      ],
      new Map(),
    );
    expect(groups.map((g) => [g.count, g.codeSet])).toEqual([
      [3, 'calendar-types'],
      [1, null],
    ]);
    expect(groups[0].fix).toBe('Map the code on the Mapping page (Calendar Types), then publish Now – Errors.');
  });

  it("reads the unknown descriptor from 7.x's wording too", () => {
    expect(codeSetOfMessage("$.calendarTypeDescriptor: CalendarTypeDescriptor value 'uri://x#1' does not exist.")).toBe('calendar-types');
    expect(codeSetOfMessage('Validation failed')).toBeNull();
    expect(codeSetOfMessage(null)).toBeNull();
  });

  it('names each state a blocker can be in, and reads a dependency reference', () => {
    expect([undefined, 'error', 'dependency', 'excluded', 'pending', 'processing', 'published', 'deleted'].map((s) => blockerState(s))).toEqual([
      'missing',
      'error',
      'dependency',
      'excluded',
      'not-sent',
      'not-sent',
      'published',
      'deleted',
    ]);
    expect(parseDep(school)).toEqual({ resource: 'schools', naturalKey: { schoolId: 255901107 } });
  });
});
