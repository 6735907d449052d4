import { describe, expect, it } from 'vitest';
import { edfiModel } from '../edfi/model/index.js';
import { dependentFilters, isReferenced } from './cascade.js';

const model = edfiModel({ dataStandard: '4.0', teds: '2025.2.1' });

describe('what refers to a record', () => {
  it("finds a school's dependents across categories by the reference that names it", () => {
    const filters = dependentFilters(model, 'ed-fi/schools', { schoolId: 149913003, nameOfInstitution: 'Adams' });
    expect(filters).toContainEqual({ resource: 'ed-fi/calendars', contains: { schoolReference: { schoolId: 149913003 } } });
    expect(filters).toContainEqual({ resource: 'ed-fi/sessions', contains: { schoolReference: { schoolId: 149913003 } } });
    expect(filters).toContainEqual({ resource: 'ed-fi/gradingPeriods', contains: { schoolReference: { schoolId: 149913003 } } });
    // Abstract targets: an educationOrganizationReference names a school by its schoolId.
    expect(filters.some((f) => JSON.stringify(f.contains).includes('"educationOrganizationReference":{"educationOrganizationId":149913003}'))).toBe(true);
    expect(filters.map((f) => f.resource)).not.toContain('ed-fi/gradeLevelDescriptors');
  });

  it("fills a reference from the referenced document's own paths, also inside collection items", () => {
    const calendar = { calendarCode: '3-3', schoolReference: { schoolId: 149913003 }, schoolYearTypeReference: { schoolYear: 2025 } };
    expect(dependentFilters(model, 'ed-fi/calendars', calendar)).toContainEqual({
      resource: 'ed-fi/calendarDates',
      contains: { calendarReference: { calendarCode: '3-3', schoolId: 149913003, schoolYear: 2025 } },
    });
    const period = {
      gradingPeriodDescriptor: 'uri://ed-fi.org/GradingPeriodDescriptor#First Six Weeks',
      periodSequence: 1,
      schoolReference: { schoolId: 149913003 },
      schoolYearTypeReference: { schoolYear: 2025 },
    };
    const sessions = dependentFilters(model, 'ed-fi/gradingPeriods', period).filter((f) => f.resource === 'ed-fi/sessions');
    expect(sessions).toEqual([
      {
        resource: 'ed-fi/sessions',
        contains: {
          gradingPeriods: [
            { gradingPeriodReference: { gradingPeriodDescriptor: period.gradingPeriodDescriptor, periodSequence: 1, schoolId: 149913003, schoolYear: 2025 } },
          ],
        },
      },
    ]);
  });

  it('builds no filter it cannot fill (a field the document lacks)', () => {
    expect(dependentFilters(model, 'ed-fi/calendars', { calendarCode: 'X' }).filter((f) => f.resource === 'ed-fi/calendarDates')).toEqual([]);
  });

  it('knows which resources nothing refers to, so their re-keys cascade to nothing without a query', () => {
    expect(isReferenced(model, 'ed-fi/schools')).toBe(true);
    expect(isReferenced(model, 'ed-fi/gradingPeriods')).toBe(true);
    expect(isReferenced(model, 'ed-fi/bellSchedules')).toBe(false);
    expect(isReferenced(model, 'ed-fi/studentSchoolAssociations')).toBe(false);
  });
});
