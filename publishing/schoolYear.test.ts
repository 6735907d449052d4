import { describe, expect, it } from 'vitest';
import { defaultSchoolYear, schoolYearLabel, schoolYearOf } from './schoolYear.js';

describe('school years', () => {
  it('turns over on July 1', () => {
    expect(schoolYearOf(new Date('2026-06-30T12:00:00Z'))).toBe(2026);
    expect(schoolYearOf(new Date('2026-07-01T00:00:00Z'))).toBe(2027);
  });
  it('are labelled by both calendar years', () => {
    expect(schoolYearLabel(2025)).toBe('2024-2025');
  });
  it('open on the current year when the profile publishes it, else on its latest', () => {
    const dec2026 = new Date('2026-12-03T00:00:00Z');
    expect(defaultSchoolYear([2026, 2027], dec2026)).toBe(2027);
    expect(defaultSchoolYear([2024, 2025], dec2026)).toBe(2025);
  });
});
