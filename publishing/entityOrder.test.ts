import { describe, expect, it } from 'vitest';
import { edfiModel } from '../edfi/model/index.js';
import { entityLevels } from './entityOrder.js';
import { catalogName, resourcePathIn } from './resourceNames.js';

const model = edfiModel({ dataStandard: '4.0', teds: '2025.2.1' });

describe('entityLevels', () => {
  it('publishes calendars before their dates, and grading periods beside calendars, sessions after grading periods', () => {
    expect(entityLevels(model, ['ed-fi/calendars', 'ed-fi/calendarDates', 'ed-fi/gradingPeriods', 'ed-fi/sessions'])).toEqual([
      ['ed-fi/calendars', 'ed-fi/gradingPeriods'],
      ['ed-fi/calendarDates', 'ed-fi/sessions'],
    ]);
  });

  it('publishes schools after the LEA', () => {
    expect(entityLevels(model, ['ed-fi/schools', 'ed-fi/localEducationAgencies'])).toEqual([['ed-fi/localEducationAgencies'], ['ed-fi/schools']]);
  });
});

describe('records about people after the associations that claim them', () => {
  it("publishes a student's demographics and responsibility after their School Enrollment, which the ODS needs first", () => {
    expect(
      entityLevels(model, [
        'ed-fi/studentSchoolAssociations',
        'ed-fi/studentEducationOrganizationAssociations',
        'ed-fi/studentEducationOrganizationResponsibilityAssociations',
      ]),
    ).toEqual([
      // Both claim the student: neither waits for the other.
      ['ed-fi/studentSchoolAssociations', 'ed-fi/studentEducationOrganizationResponsibilityAssociations'],
      ['ed-fi/studentEducationOrganizationAssociations'],
    ]);
  });

  it("puts a student–contact association after the student's School Enrollment, so a student's removal deletes it while the ODS still has the enrollment", () => {
    // A cascade deletes levels in reverse: deleted together, the association's DELETE raced the enrollment's and was refused (403) when it lost.
    expect(entityLevels(model, ['ed-fi/studentSchoolAssociations', 'ed-fi/studentParentAssociations', 'ed-fi/studentSectionAssociations'])).toEqual([
      ['ed-fi/studentSchoolAssociations'],
      ['ed-fi/studentParentAssociations', 'ed-fi/studentSectionAssociations'],
    ]);
  });

  it('publishes contacts after the student–contact association that claims them, and that after nothing it does not reference', () => {
    expect(entityLevels(model, ['ed-fi/parents', 'ed-fi/studentParentAssociations'])).toEqual([['ed-fi/parents'], ['ed-fi/studentParentAssociations']]);
  });
});

describe('resourcePathIn', () => {
  it('finds core resources under ed-fi and Texas ones under tx', () => {
    expect(resourcePathIn(model, 'calendars')).toBe('ed-fi/calendars');
    expect(resourcePathIn(model, 'noSuchThings')).toBeUndefined();
  });

  it("finds Appendix A's parents as Data Standard 5's contacts, and files contacts under Appendix A's name", () => {
    const ds5 = edfiModel({ dataStandard: '5.x' });
    expect(resourcePathIn(ds5, 'parents')).toBe('ed-fi/contacts');
    expect(resourcePathIn(ds5, 'studentParentAssociations')).toBe('ed-fi/studentContactAssociations');
    expect(resourcePathIn(model, 'parents')).toBe('ed-fi/parents');
    expect(catalogName('ed-fi/contacts')).toBe('parents');
    expect(catalogName('ed-fi/studentContactAssociations')).toBe('studentParentAssociations');
    expect(catalogName('tx/priorYearLeavers')).toBe('priorYearLeavers');
  });
});
