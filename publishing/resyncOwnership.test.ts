import { describe, expect, it } from 'vitest';
import { educationOrganizationIdsIn, isDistrictStray } from './resyncOwnership.js';

const district = new Set(['255901', '255901001']);

describe('resync strays', () => {
  it('finds education-organization ids at any depth, in references and arrays', () => {
    const calendar = { calendarCode: 'A', schoolReference: { schoolId: 255901001 }, gradeLevels: [{ gradeLevelDescriptor: 'x' }] };
    expect(educationOrganizationIdsIn(calendar)).toEqual(['255901001']);
    const program = { programReference: { educationOrganizationId: 255901, programName: 'P' }, localEducationAgencyId: '255902' };
    expect(educationOrganizationIdsIn(program).sort()).toEqual(['255901', '255902']);
  });
  it("are the district's only when an id it carries is the district's", () => {
    expect(isDistrictStray({ schoolReference: { schoolId: 255901001 } }, district, 'education-organization')).toBe(true);
    expect(isDistrictStray({ schoolReference: { schoolId: 255902001 } }, district, 'education-organization')).toBe(false);
    // A number that merely looks like an id, in another field, does not count.
    expect(isDistrictStray({ calendarCode: '255901001' }, district, 'education-organization')).toBe(false);
  });
  it('are never judged for resources that cannot tell (person records carry no education organization)', () => {
    expect(isDistrictStray({ studentUniqueId: '1', schoolId: 255901001 }, district, 'none')).toBe(false);
  });
});
