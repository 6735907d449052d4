import { describe, expect, it } from 'vitest';
import { categoriesFor, downloadKey, downloadResources, descriptorResourcesOf } from './downloads.js';

describe('downloads', () => {
  it('offer the Course Catalog to SIS profiles only, as the guide says', () => {
    expect(categoriesFor('SIS')).toEqual(['descriptors', 'organization-catalog', 'course-catalog']);
    expect(categoriesFor('HR-only')).toEqual(['descriptors', 'organization-catalog']);
  });
  it('read the LEAs and schools for the organization catalog and every mapped code set for descriptors', () => {
    expect(downloadResources('organization-catalog')).toEqual(['ed-fi/localEducationAgencies', 'ed-fi/schools']);
    expect(downloadResources('descriptors')).toContain('ed-fi/behaviorDescriptors');
  });
  it('key downloaded records by identity, so a re-download updates them in place', () => {
    expect(downloadKey('ed-fi/behaviorDescriptors', { namespace: 'uri://tea.texas.gov/BehaviorDescriptor', codeValue: '01' })).toBe(
      'uri://tea.texas.gov/BehaviorDescriptor#01',
    );
    expect(downloadKey('ed-fi/schools', { schoolId: 101912001 })).toBe('101912001');
    expect(downloadKey('ed-fi/courses', { courseCode: '03220100', educationOrganizationReference: { educationOrganizationId: 101912 } })).toBe(
      '101912/03220100',
    );
    expect(downloadKey('ed-fi/schools', { nameOfInstitution: 'no id' })).toBeUndefined();
  });
});

describe('descriptorResourcesOf', () => {
  it('takes every descriptor resource of every project from an API dependency list, once, sorted', () => {
    const deps = [
      { resource: '/ed-fi/schoolYearTypes', order: 1 },
      { resource: '/tx/bilingualESLFundingDescriptors', order: 1 },
      { resource: '/ed-fi/academicSubjectDescriptors', order: 1 },
      { resource: '/ed-fi/students', order: 2, operations: ['Create'] },
      { resource: '/ed-fi/academicSubjectDescriptors', order: 1 },
    ];
    expect(descriptorResourcesOf(deps)).toEqual(['ed-fi/academicSubjectDescriptors', 'tx/bilingualESLFundingDescriptors']);
  });
});
