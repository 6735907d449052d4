import { describe, expect, it } from 'vitest';
import { scheduledRequests, scheduledSchoolYear, scheduleWanted, withDeferred } from './schedules.js';

const profile = {
  id: 'p',
  profileType: 'SIS' as const,
  sisProduct: 'PowerSchool' as const,
  settings: {},
  enabled: true,
  schoolYears: [2026, 2027],
  publishDataChanges: true,
  publishPublish: true,
};
const nov2026 = new Date('2026-11-24T22:00:00Z');

describe('automatic publishing schedules', () => {
  it('tie the nightly run to Data Changes and the weekend run to Publish alone', () => {
    expect(scheduleWanted(profile, 'nightly')).toBe(true);
    expect(scheduleWanted({ ...profile, publishDataChanges: false }, 'nightly')).toBe(false);
    expect(scheduleWanted({ ...profile, publishDataChanges: false }, 'weekend')).toBe(true);
    expect(scheduleWanted({ ...profile, publishPublish: false }, 'weekend')).toBe(false);
    expect(scheduleWanted({ ...profile, enabled: false }, 'weekend')).toBe(false);
  });
  it("publish today's school year when the profile has it, else its latest", () => {
    expect(scheduledSchoolYear(profile, nov2026)).toBe(2027);
    expect(scheduledSchoolYear({ ...profile, schoolYears: [2024, 2025] }, nov2026)).toBe(2025);
  });
  it('queue the nightly categories at night and every category with Now – Changes at the weekend, in the recommended order', () => {
    // Attendance the last 14 days; grades (once PublishGrades is on) and transcripts missing records only (the guide).
    expect(scheduledRequests(profile, 'nightly', nov2026).map((r) => [r.category, r.option])).toEqual([
      ['attendance', 'recent'],
      ['student-transcripts', 'missing'],
    ]);
    expect(scheduledRequests({ ...profile, settings: { PublishGrades: true } }, 'nightly', nov2026).map((r) => [r.category, r.option])).toEqual([
      ['attendance', 'recent'],
      ['student-grades', 'missing'],
      ['student-transcripts', 'missing'],
    ]);
    const weekend = scheduledRequests(profile, 'weekend', nov2026);
    expect(weekend[0]).toMatchObject({ category: 'organization-catalog', option: 'changes', schoolYear: 2027, requestedBy: 'schedule weekend/p' });
    // Descriptors go out as they are met, and their menu has no Now – Changes.
    expect(weekend.map((r) => r.category)).not.toContain('descriptors');
    expect(scheduledRequests({ ...profile, publishPublish: false }, 'weekend', nov2026)).toEqual([]);
    // A SIS profile's weekend leaves out what it does not publish: staff from the HR profile, finance.
    expect(weekend.map((r) => r.category)).not.toContain('staff-demographics');
    expect(weekend.map((r) => r.category)).toContain('staff-sections');
  });

  it("queue only an HR profile's Staff and Finance categories", () => {
    const hr = { ...profile, profileType: 'HR-only' as const };
    expect(scheduledRequests(hr, 'weekend', nov2026).map((r) => r.category)).toEqual([
      'staff-demographics',
      'staff-associations',
      'staff-fte',
      'accounts',
      'payroll',
    ]);
    expect(scheduledRequests(hr, 'nightly', nov2026)).toEqual([]);
  });
  it('add the categories near-real-time publishing deferred for a spike to the nightly run, with Now – Changes', () => {
    const nightly = withDeferred(scheduledRequests(profile, 'nightly', nov2026), ['student-sections', 'attendance']);
    expect(nightly.map((r) => [r.category, r.option])).toEqual([
      ['attendance', 'recent'],
      ['student-transcripts', 'missing'],
      ['student-sections', 'changes'],
    ]);
    expect(nightly[2]).toMatchObject({ schoolYear: 2027, requestedBy: 'schedule nightly/p', trigger: 'schedule' });
    expect(withDeferred([], ['student-sections'])).toEqual([]);
  });
});
