import { describe, expect, it } from 'vitest';
import {
  categoryScope,
  entityScope,
  FINANCE_NOT_OFFERED,
  FINANCE_OFF,
  GRADES_OFF,
  HR_PROFILE_ONLY_STAFF_FINANCE,
  HR_STAFF_OFF,
  ONLY_STATE_SERVICE_IDS,
  SSA_OFF,
} from './profileScope.js';
import { settingReader, type ProfileKind, type ProfileSettings, type ProfileType } from './profileSettings.js';
import { findCategory } from './categories.js';

const kind = (profileType: ProfileType, sisProduct: ProfileKind['sisProduct'] = 'PowerSchool'): ProfileKind => ({ profileType, sisProduct });
const scope = (resource: string, k: ProfileKind, stored: Partial<ProfileSettings> = {}) => entityScope(resource, k, settingReader(k, stored));

describe('what each profile type publishes (the guide: profile types and Settings)', () => {
  it('a SIS profile publishes the SIS categories, and Staff Sections', () => {
    for (const r of ['schools', 'calendars', 'students', 'studentSectionAssociations', 'staffSectionAssociations', 'descriptors'])
      expect(scope(r, kind('SIS')), r).toEqual({ publish: 'all' });
  });

  it('a SIS profile leaves Staff and its associations to the HR profile unless PublishHRStaffAndAssociations is on', () => {
    for (const r of ['staffs', 'staffEducationOrganizationEmploymentAssociations', 'staffSchoolAssociations']) {
      expect(scope(r, kind('SIS')), r).toEqual({ publish: 'none', why: HR_STAFF_OFF });
      expect(scope(r, kind('SIS'), { PublishHRStaffAndAssociations: true }), r).toEqual({ publish: 'all' });
    }
  });

  it("a SIS profile always publishes the Staff Assignments whose Service ID is a state value (the guide's exception)", () => {
    expect(scope('staffEducationOrganizationAssignmentAssociations', kind('SIS'))).toEqual({ publish: 'state-service-ids', why: ONLY_STATE_SERVICE_IDS });
    expect(scope('staffEducationOrganizationAssignmentAssociations', kind('SIS'), { PublishHRStaffAndAssociations: true })).toEqual({ publish: 'all' });
  });

  it('a SIS profile publishes Grades only with PublishGrades on (the guide: off by a setting), an HR profile never', () => {
    expect(scope('grades', kind('SIS'))).toEqual({ publish: 'none', why: GRADES_OFF });
    expect(scope('grades', kind('SIS'), { PublishGrades: true })).toEqual({ publish: 'all' });
    expect(scope('grades', kind('HR-only'), { PublishGrades: true })).toEqual({ publish: 'none', why: HR_PROFILE_ONLY_STAFF_FINANCE });
    expect(categoryScope(findCategory('student-grades')!, kind('SIS'), settingReader(kind('SIS'), {}))).toEqual({ active: 'no', why: [GRADES_OFF] });
  });

  it('a SIS+HR profile publishes staff by default', () => {
    expect(scope('staffs', kind('SIS+HR'))).toEqual({ publish: 'all' });
    expect(scope('budgetExts', kind('SIS+HR'))).toEqual({ publish: 'all' });
  });

  it('Finance and Staff FTE need PublishFinanceData, which eSchoolPlus SIS profiles are never offered', () => {
    for (const r of ['budgetExts', 'actualExts', 'payrollExts', 'contractedInstructionalStaffFTEExts']) {
      expect(scope(r, kind('SIS')), r).toEqual({ publish: 'none', why: FINANCE_OFF });
      expect(scope(r, kind('SIS'), { PublishFinanceData: true }), r).toEqual({ publish: 'all' });
      // Stored on, but not offered to an eSchoolPlus SIS+HR profile: off.
      expect(scope(r, kind('SIS+HR', 'eSchoolPlus'), { PublishFinanceData: true }), r).toEqual({ publish: 'none', why: FINANCE_NOT_OFFERED });
      expect(scope(r, kind('HR-from-SIS', 'eSchoolPlus')), r).toEqual({ publish: 'all' });
    }
  });

  it('an HR profile publishes only the Staff categories (not Staff Sections) and Finance', () => {
    for (const k of [kind('HR-only'), kind('HR-from-SIS')]) {
      for (const r of [
        'staffs',
        'staffEducationOrganizationEmploymentAssociations',
        'staffEducationOrganizationAssignmentAssociations',
        'staffSchoolAssociations',
        'payrollExts',
      ])
        expect(scope(r, k), r).toEqual({ publish: 'all' });
      for (const r of ['schools', 'calendars', 'students', 'staffSectionAssociations', 'grades'])
        expect(scope(r, k), r).toEqual({ publish: 'none', why: HR_PROFILE_ONLY_STAFF_FINANCE });
    }
  });

  it('SSA Organization Associations need their setting, for every profile type', () => {
    for (const t of ['SIS', 'SIS+HR', 'HR-only', 'HR-from-SIS'] as const) {
      expect(scope('ssaOrgAssociationExts', kind(t)), t).toEqual({ publish: 'none', why: SSA_OFF });
      expect(scope('ssaOrgAssociationExts', kind(t), { PublishSSAOrganizationAssociationExtensions: true }), t).toEqual({ publish: 'all' });
    }
  });

  it('marks a category active, partly active or inactive from its entities, with each reason once', () => {
    const k = kind('SIS');
    const setting = settingReader(k, {});
    expect(categoryScope(findCategory('organization-calendars')!, k, setting)).toEqual({ active: 'yes', why: [] });
    expect(categoryScope(findCategory('organization-catalog')!, k, setting)).toEqual({ active: 'partly', why: [SSA_OFF] });
    expect(categoryScope(findCategory('staff-associations')!, k, setting)).toEqual({ active: 'partly', why: [HR_STAFF_OFF, ONLY_STATE_SERVICE_IDS] });
    expect(categoryScope(findCategory('accounts')!, k, setting)).toEqual({ active: 'no', why: [FINANCE_OFF] });
  });
});
