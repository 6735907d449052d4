import { describe, expect, it } from 'vitest';
import { organizationIdOf } from './recordIds.js';

describe("a record's Organization ID (details)", () => {
  it('is the school or district number of its natural key', () => {
    expect(organizationIdOf({ schoolId: 255901001, calendarCode: '2101' }, null)).toBe('255901001');
    expect(organizationIdOf({ localEducationAgencyId: 255901 }, null)).toBe('255901');
  });
  it('else the organization the JSON sent refers to', () => {
    expect(organizationIdOf({ studentUniqueId: '1' }, { schoolReference: { schoolId: 255901041 }, studentReference: { studentUniqueId: '1' } })).toBe(
      '255901041',
    );
    expect(organizationIdOf({ staffUniqueId: '7' }, { educationOrganizationReference: { educationOrganizationId: 255901 } })).toBe('255901');
  });
  it('is empty for a record of no organization, or never sent', () => {
    expect(organizationIdOf({ studentUniqueId: '1' }, { firstName: 'A' })).toBeNull();
    expect(organizationIdOf({ studentUniqueId: '1' }, null)).toBeNull();
  });
});
