import { describe, expect, it } from 'vitest';
import { schoolYearLabel, schoolYearOf } from './schoolYear.js';

describe('school years', () => {
  it('turns over on July 1', () => {
    expect(schoolYearOf(new Date('2026-06-30T12:00:00Z'))).toBe(2026);
    expect(schoolYearOf(new Date('2026-07-01T00:00:00Z'))).toBe(2027);
  });
  it('are labelled by both calendar years', () => {
    expect(schoolYearLabel(2025)).toBe('2024-2025');
  });
});
