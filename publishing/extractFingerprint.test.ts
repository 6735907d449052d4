import { describe, expect, it } from 'vitest';
import { extractFingerprint, type FingerprintInputs } from './extractFingerprint.js';

const inputs: FingerprintInputs = {
  dataStandard: '4.0',
  stateExtension: 'TX-2025.2.1',
  namespacePrefix: 'uri://local.texas.gov',
  mappings: [{ codeSet: 'calendar-types', schoolId: 0, code: 'REG', namespace: 'uri://tea.texas.gov/CalendarTypeDescriptor', codeValue: '01' }],
};
const on = { enabled: true, options: {} };
const gradingPeriods = { revision: 1, codeSets: ['reporting-terms'] as const, preferences: on };
const calendars = { revision: 1, codeSets: ['calendar-types', 'grade-levels'] as const, preferences: { enabled: true, options: { reportGradeLevels: false } } };
const courses = { revision: 1, codeSets: [], preferences: on };

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
  it('moves for its preference options and its revision, not for the order options are stored in', () => {
    const toggled = { ...calendars, preferences: { enabled: true, options: { reportGradeLevels: true } } };
    expect(extractFingerprint(toggled, inputs, null)).not.toBe(extractFingerprint(calendars, inputs, null));
    expect(extractFingerprint({ ...courses, revision: 2 }, inputs, null)).not.toBe(extractFingerprint(courses, inputs, null));
    const ab = { ...courses, preferences: { enabled: true, options: { a: true, b: false } } };
    const ba = { ...courses, preferences: { enabled: true, options: { b: false, a: true } } };
    expect(extractFingerprint(ab, inputs, null)).toBe(extractFingerprint(ba, inputs, null));
  });
  it('moves for every resource when the profile or the replica load changes, and not for mapping order', () => {
    expect(extractFingerprint(courses, { ...inputs, namespacePrefix: 'uri://other' }, null)).not.toBe(extractFingerprint(courses, inputs, null));
    expect(extractFingerprint(courses, inputs, 'load-2')).not.toBe(extractFingerprint(courses, inputs, 'load-1'));
    const two = [...inputs.mappings, { codeSet: 'calendar-types', schoolId: 0, code: 'SUM', namespace: null, codeValue: null }];
    expect(extractFingerprint(calendars, { ...inputs, mappings: two }, null)).toBe(
      extractFingerprint(calendars, { ...inputs, mappings: [...two].reverse() }, null),
    );
  });
  it('stays what it was for the same inputs, so an upgrade does not read every resource whole once', () => {
    // Computed by the release before the mappings were sorted with one collator (localeCompare per comparison).
    const mappings = [
      { codeSet: 'reporting-terms', schoolId: 12, code: 'sw1', namespace: 'uri://ed-fi.org/GradingPeriodDescriptor', codeValue: 'First Six Weeks' },
      { codeSet: 'reporting-terms', schoolId: 3, code: 'SW1', namespace: 'uri://ed-fi.org/GradingPeriodDescriptor', codeValue: 'First Six Weeks' },
      { codeSet: 'reporting-terms', schoolId: 3, code: 'S-2', namespace: null, codeValue: null },
      { codeSet: 'reporting-terms', schoolId: 3, code: 'S_2', namespace: 'uri://ed-fi.org/GradingPeriodDescriptor', codeValue: 'Second Semester' },
      { codeSet: 'reporting-terms', schoolId: 100, code: 'Ä1', namespace: 'uri://ed-fi.org/GradingPeriodDescriptor', codeValue: 'Äquivalent' },
      ...inputs.mappings,
    ];
    expect(extractFingerprint(gradingPeriods, { ...inputs, mappings }, 'load-1')).toBe('c47cbb6f0c990843083bb3eb1cb2abb0f015e1c04b264c1b1001fb2b188d2872');
  });
});
