import { describe, expect, it } from 'vitest';
import { DESCRIPTORS_GO_WITH_RECORDS, earlyInSchoolYear, initialSyncSteps, TRANSCRIPTS_EARLY } from './initialSync.js';
import { settingReader, type ProfileKind } from './profileSettings.js';
import { HR_PROFILE_ONLY_STAFF_FINANCE, HR_STAFF_OFF } from './profileScope.js';

const sis: ProfileKind = { profileType: 'SIS', sisProduct: 'PowerSchool' };
const hr: ProfileKind = { profileType: 'HR-only', sisProduct: 'Other' };
const spring = new Date('2025-03-02T12:00:00Z');
const autumn = new Date('2024-09-15T12:00:00Z');
const district = { kind: 'district' } as const;
const plan = (kind: ProfileKind, at: Partial<Parameters<typeof initialSyncSteps>[2]> = {}, settings = {}) =>
  initialSyncSteps(kind, settingReader(kind, settings), { schoolYear: 2025, scope: district, today: spring, published: () => false, ...at });

describe('initial synchronization', () => {
  it("runs a SIS profile's categories in the dashboard's order, Student Identification immediately followed by Enrollment & Demographics", () => {
    const { steps } = plan(sis);
    expect(steps.map((s) => s.category)).toEqual([
      'organization-catalog',
      'course-catalog',
      'program-catalog',
      'organization-info',
      'organization-calendars',
      'organization-schedules',
      'student-identification',
      'enrollment-demographics',
      'contacts',
      'student-sections',
      'prior-year-leavers',
      'staff-associations',
      'staff-sections',
      'student-programs',
      'cohort-groups',
      'attendance',
      'student-transcripts',
      'student-discipline',
      'restraint-events',
    ]);
    expect(steps.every((s) => s.option === 'all')).toBe(true);
  });
  it('skips what the profile leaves out, with why: HR staff off, grades off, finance off, descriptors (they go with their records)', () => {
    const { skipped } = plan(sis);
    expect(skipped.find((s) => s.category === 'staff-demographics')?.why).toBe(HR_STAFF_OFF);
    expect(skipped.map((s) => s.category)).toEqual(['staff-demographics', 'staff-fte', 'student-grades', 'descriptors', 'accounts', 'payroll']);
    expect(skipped.find((s) => s.category === 'descriptors')?.why).toBe(DESCRIPTORS_GO_WITH_RECORDS);
    expect(plan(sis, {}, { PublishGrades: true }).steps.map((s) => s.category)).toContain('student-grades');
  });
  it('runs only the Staff categories and Finance for an HR profile', () => {
    const { steps, skipped } = plan(hr, {}, { PublishHRStaffAndAssociations: true, PublishFinanceData: true });
    expect(steps.map((s) => s.category)).toEqual(['staff-demographics', 'staff-associations', 'staff-fte', 'accounts', 'payroll']);
    expect(skipped.find((s) => s.category === 'student-identification')?.why).toBe(HR_PROFILE_ONLY_STAFF_FINANCE);
  });
  it('skips Student Transcripts early in the school year (the guide), and takes them from January on', () => {
    expect(earlyInSchoolYear(2025, autumn)).toBe(true);
    expect(earlyInSchoolYear(2025, spring)).toBe(false);
    expect(earlyInSchoolYear(2025, new Date('2026-02-01'))).toBe(false);
    expect(plan(sis, { today: autumn }).skipped.find((s) => s.category === 'student-transcripts')?.why).toBe(TRANSCRIPTS_EARLY);
  });
  it('publishes Now – Changes where some was already published, and the three catalogs district-wide when run for one school', () => {
    const { steps } = plan(sis, { published: (c) => c === 'organization-catalog', scope: { kind: 'school', schoolId: '7' } });
    expect(steps[0]).toEqual({ category: 'organization-catalog', option: 'changes', scope: district });
    expect(steps[1]).toEqual({ category: 'course-catalog', option: 'all', scope: district });
    expect(steps[3]).toEqual({ category: 'organization-info', option: 'all', scope: { kind: 'school', schoolId: '7' } });
  });
});
