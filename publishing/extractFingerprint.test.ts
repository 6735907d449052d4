import { describe, expect, it } from 'vitest';
import { extractFingerprint, type FingerprintInputs } from './extractFingerprint.js';

const inputs: FingerprintInputs = {
  dataStandard: '4.0',
  stateExtension: 'TX-2025.2.1',
  namespacePrefix: 'uri://local.texas.gov',
  mappings: [{ codeSet: 'calendar-types', schoolId: 0, code: 'REG', namespace: 'uri://tea.texas.gov/CalendarTypeDescriptor', codeValue: '01' }],
  preferences: [{ resource: 'calendars', enabled: true, reportGradeLevels: false }],
};
const gradingPeriods = { name: 'gradingPeriods', revision: 1, codeSets: ['reporting-terms'] as const };
const calendars = { name: 'calendars', revision: 1, codeSets: ['calendar-types', 'grade-levels'] as const };
const courses = { name: 'courses', revision: 1, codeSets: [] };

describe("a resource's extract fingerprint", () => {
  it('moves for a mapping of one of its code sets, and only for the resources that declare that code set', () => {
    const mapped: FingerprintInputs = {
      ...inputs,
      mappings: [
        ...inputs.mappings,
        { codeSet: 'reporting-terms', schoolId: 7, code: 'SW1', namespace: 'uri://ed-fi.org/GradingPeriodDescriptor', codeValue: 'First Six Weeks' },
      ],
    };
    expect(extractFingerprint(gradingPeriods, mapped, 'load-1')).not.toBe(extractFingerprint(gradingPeriods, inputs, 'load-1'));
    expect(extractFingerprint(calendars, mapped, 'load-1')).toBe(extractFingerprint(calendars, inputs, 'load-1'));
    expect(extractFingerprint(courses, mapped, 'load-1')).toBe(extractFingerprint(courses, inputs, 'load-1'));
  });
  it("moves for its own preferences and its own revision, not another resource's", () => {
    const toggled: FingerprintInputs = { ...inputs, preferences: [{ resource: 'calendars', enabled: true, reportGradeLevels: true }] };
    expect(extractFingerprint(calendars, toggled, null)).not.toBe(extractFingerprint(calendars, inputs, null));
    expect(extractFingerprint(gradingPeriods, toggled, null)).toBe(extractFingerprint(gradingPeriods, inputs, null));
    expect(extractFingerprint({ ...courses, revision: 2 }, inputs, null)).not.toBe(extractFingerprint(courses, inputs, null));
  });
  it('moves for every resource when the profile or the replica load changes, and not for mapping order', () => {
    expect(extractFingerprint(courses, { ...inputs, namespacePrefix: 'uri://other' }, null)).not.toBe(extractFingerprint(courses, inputs, null));
    expect(extractFingerprint(courses, inputs, 'load-2')).not.toBe(extractFingerprint(courses, inputs, 'load-1'));
    const two = [...inputs.mappings, { codeSet: 'calendar-types', schoolId: 0, code: 'SUM', namespace: null, codeValue: null }];
    expect(extractFingerprint(calendars, { ...inputs, mappings: two }, null)).toBe(
      extractFingerprint(calendars, { ...inputs, mappings: [...two].reverse() }, null),
    );
  });
});
