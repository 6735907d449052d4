import { describe, expect, it } from 'vitest';
import { categoriesFor, downloadResources, descriptorResourcesOf } from './downloads.js';
import { downloadKey } from './downloadKey.js';
import { modelOf } from './profileModel.js';

describe('downloads', () => {
  it('offer the Course Catalog to SIS profiles only, as the guide says', () => {
    expect(categoriesFor('SIS')).toEqual(['descriptors', 'organization-catalog', 'course-catalog']);
    expect(categoriesFor('HR-only')).toEqual(['descriptors', 'organization-catalog']);
  });
  it('read the LEAs and schools for the organization catalog and every mapped code set for descriptors', () => {
    expect(downloadResources('organization-catalog')).toEqual(['ed-fi/localEducationAgencies', 'ed-fi/schools']);
    expect(downloadResources('descriptors')).toContain('ed-fi/behaviorDescriptors');
  });
  it("key downloaded records by the model's natural key, so a re-download updates them in place", () => {
    const model = modelOf({ dataStandard: '4.0', stateExtension: 'TX-2025.2.1' });
    const descriptor = { namespace: 'uri://tea.texas.gov/BehaviorDescriptor', codeValue: '01' };
    expect(downloadKey(model, 'ed-fi/behaviorDescriptors', descriptor)).toBe('{"namespace":"uri://tea.texas.gov/BehaviorDescriptor","codeValue":"01"}');
    // A descriptor of a project the model does not hold (listed by the API) keys the same way.
    expect(downloadKey(model, 'tx/bilingualESLFundingDescriptors', descriptor)).toBe(downloadKey(model, 'ed-fi/behaviorDescriptors', descriptor));
    expect(downloadKey(model, 'ed-fi/schools', { schoolId: 101912001 })).toBe('{"schoolId":101912001}');
    expect(downloadKey(model, 'ed-fi/courses', { courseCode: '03220100', educationOrganizationReference: { educationOrganizationId: 101912 } })).toBe(
      '{"courseCode":"03220100","educationOrganizationId":101912}',
    );
    expect(downloadKey(model, 'ed-fi/schools', { nameOfInstitution: 'no id' })).toBeUndefined();
    expect(downloadKey(model, 'xx/unknownThings', { id: 1 })).toBeUndefined();
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
