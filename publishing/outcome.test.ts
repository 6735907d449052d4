import { describe, expect, it } from 'vitest';
import { apiMessage, classifyResponse, dependencyRetryDelayMinutes, missingReference } from './outcome.js';

describe('classifying Ed-Fi API answers', () => {
  it('marks 200 and 201 published, and a DELETE answered 204 or 404 deleted', () => {
    expect(classifyResponse('POST', 201, undefined).status).toBe('published');
    expect(classifyResponse('POST', 200, undefined).status).toBe('published');
    expect(classifyResponse('DELETE', 204, undefined).status).toBe('deleted');
    expect(classifyResponse('DELETE', 404, undefined).status).toBe('deleted');
  });
  it("puts a 403 about a person not yet associated in dependency, retried automatically (every version's wording)", () => {
    for (const body of [
      {
        detail: "Access to the requested data could not be authorized. Hint: You may need to create a corresponding 'StudentSchoolAssociation' item.",
        errors: [
          "No relationships have been established between the caller's education organization id claim (255901) and the resource item's 'StudentUniqueId' value.",
        ],
      },
      {
        message:
          "Authorization denied. No relationships have been established between the caller's education organization id claim (255901) and the resource item's 'StudentUniqueId' value.",
      },
      {
        message:
          "Authorization denied. Either referenced 'Staff' was not found or no relationships have been established between the caller's education organization id claims (255901) and the referenced 'Staff'.",
      },
      {
        errors: [
          "No relationships have been established between the caller's education organization id claim (255901) and one or more of the following properties of the resource item: 'SchoolId', 'StudentUniqueId'.",
        ],
      },
      { message: 'Authorization denied.  The claim does not have any established relationships with the requested resource.' },
    ]) {
      expect(classifyResponse('POST', 403, body), JSON.stringify(body)).toMatchObject({ status: 'dependency', dependencySource: 'api', retryable: true });
    }
  });
  it("makes a 403 for an education organization outside the key's a set-up error of the connection, not a dependency retried forever", () => {
    const o = classifyResponse('POST', 403, {
      detail: 'Access to the requested data could not be authorized.',
      errors: [
        "No relationships have been established between the caller's education organization id claim (149913) and the resource item's 'SchoolId' value.",
      ],
    });
    expect(o).toMatchObject({ status: 'error', retryable: false, setup: 'education-organization' });
    expect(o.hint).toContain('(it holds claim (149913))');
    expect(o.hint).toContain('enter the key and secret the state issued for this LEA');
    expect(
      classifyResponse('POST', 403, {
        message:
          "Authorization denied. No relationships have been established between the caller's education organization id claims (1, 2) and the resource item's 'EducationOrganizationId' value.",
      }).setup,
    ).toBe('education-organization');
  });
  it("makes a claim set without the resource or the action a set-up error (the seed's 'security set-up in the ODS')", () => {
    for (const body of [
      { message: "Access to the resource could not be authorized for the requested action 'http://ed-fi.org/odsapi/actions/create'." },
      {
        message:
          'Access to the resource could not be authorized. Are you missing a claim? This resource can be authorized by the following claims: http://ed-fi.org/ods/identity/claims/student',
      },
      {
        detail: 'Access to the requested data could not be authorized. You do not have permissions to access this data.',
        errors: [
          "The API client's assigned claim set (currently 'SIS Vendor') must include one of the following resource claims to provide access to this resource: 'http://ed-fi.org/identity/claims/ed-fi/student'.",
        ],
      },
      {
        detail: 'Access to the requested data could not be authorized. You do not have permissions to perform the requested operation on the data.',
        errors: [
          "The API client's assigned claim set (currently 'SIS Vendor') must grant permission of the 'http://ed-fi.org/odsapi/actions/create' action on one of the following resource claims: '…'.",
        ],
      },
    ]) {
      const o = classifyResponse('POST', 403, body);
      expect(o, JSON.stringify(body)).toMatchObject({ status: 'error', retryable: false, setup: 'claim-set' });
      expect(o.hint).toContain('claim set');
    }
  });
  it('makes a 403 for a namespace the key may not write an error with what to change, not a dependency', () => {
    const o = classifyResponse('POST', 403, {
      detail:
        "Access to the requested data could not be authorized. The 'Namespace' value of the data does not start with any of the caller's associated namespace prefixes ('uri://ed-fi.org').",
    });
    expect(o).toMatchObject({ status: 'error', retryable: false });
    expect(o.hint).toContain('DescriptorNameSpacePrefixToPublish');
  });
  it('reads 6.1 messages and 7.x Problem Details alike', () => {
    expect(apiMessage({ message: 'Validation of X failed.' })).toBe('Validation of X failed.');
    expect(apiMessage({ detail: 'The referenced item does not exist.', errors: ['a'], validationErrors: { '$.x': ['bad'] } })).toBe(
      'The referenced item does not exist. a $.x: bad',
    );
  });
  it('names the missing reference of a 409 and says which category to republish', () => {
    const o = classifyResponse('POST', 409, { detail: "The referenced 'Student' item does not exist." });
    expect(o.status).toBe('error');
    expect(o.hint).toContain('run Now – All on the category that holds Student');
    expect(missingReference("The value supplied for the related 'calendar' resource does not exist.")).toBe('calendar');
  });
  it('tells a 400 (fix the data) from a 500 or 503 (retry as is)', () => {
    expect(classifyResponse('POST', 400, { message: 'Validation failed' })).toMatchObject({ status: 'error', retryable: false });
    expect(classifyResponse('POST', 500, { message: 'An unexpected error occurred on the server.' })).toMatchObject({ status: 'error', retryable: true });
    expect(classifyResponse('PUT', 503, '').hint).toContain('tell the state');
    expect(classifyResponse('POST', 400, { message: "Validation of 'Student' failed. StudentUniqueId is required." }).hint).toContain('Unique ID');
  });
});

describe('dependency retry intervals', () => {
  it('start at 1 minute for computed and 10 for API-returned dependencies, growing a minute per attempt to 99', () => {
    expect([0, 1, 2].map((a) => dependencyRetryDelayMinutes('computed', a))).toEqual([1, 2, 3]);
    expect([0, 1].map((a) => dependencyRetryDelayMinutes('api', a))).toEqual([10, 11]);
    expect(dependencyRetryDelayMinutes('computed', 500)).toBe(99);
    expect(dependencyRetryDelayMinutes('api', 89)).toBe(99);
  });
});
