import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from './server.js';
import { Api, DOCS, tokenFor } from './testing.js';

/** The seeded clients (sandbox/seed/clients.json) plus one for another district. */
const clients = [
  { key: 'sandbox-key', secret: 'sandbox-secret' },
  { key: 'sis', secret: 's', claimSet: 'SIS Vendor' },
  { key: 'reader', secret: 's', claimSet: 'Ed-Fi API Publisher - Reader' },
  { key: 'boot', secret: 's', claimSet: 'Bootstrap Descriptors and EdOrgs' },
  { key: 'other', secret: 's', educationOrganizationIds: [255901] },
  { key: 'school', secret: 's', educationOrganizationIds: [149913041] },
  { key: 'tea-only', secret: 's', namespacePrefixes: ['uri://tea.texas.gov'] },
];

let s7: Sandbox;
let s6: Sandbox;
let api: Record<string, Api>;
let old: Record<string, Api>;

beforeAll(async () => {
  [s7, s6] = await Promise.all([startSandbox({ clients }), startSandbox({ apiVersion: '6.1', clients })]);
  api = Object.fromEntries(await Promise.all(clients.map(async (c) => [c.key, await Api.of(s7, c.key, c.secret)] as const)));
  old = Object.fromEntries(await Promise.all(clients.map(async (c) => [c.key, await Api.of(s6, c.key, c.secret)] as const)));
});
afterAll(async () => {
  await s7?.close();
  await s6?.close();
});

describe('claim sets', () => {
  it('an action the claim set does not grant: 403 (7.x access-denied:action; 6.1 the action URI)', async () => {
    const d = { namespace: 'uri://ed-fi.org/AcademicSubjectDescriptor', codeValue: 'Claims', shortDescription: 'x' };
    const a = await api.sis.post('ed-fi/academicSubjectDescriptors', d);
    expect(a.status).toBe(403);
    expect(a.body).toMatchObject({
      type: 'urn:ed-fi:api:security:authorization:access-denied:action',
      title: 'Authorization Denied',
      detail: 'Access to the requested data could not be authorized. You do not have permissions to perform the requested operation on the data.',
      errors: [
        "The API client's assigned claim set (currently 'SIS Vendor') must grant permission of the 'http://ed-fi.org/odsapi/actions/create' action on one of the following resource claims: 'http://ed-fi.org/identity/claims/ed-fi/academicSubjectDescriptor', 'http://ed-fi.org/identity/claims/domains/systemDescriptors'.",
      ],
    });
    const l = await old.sis.post('ed-fi/academicSubjectDescriptors', d);
    expect([l.status, l.body]).toEqual([
      403,
      { message: "Access to the resource could not be authorized for the requested action 'http://ed-fi.org/odsapi/actions/create'." },
    ]);
    expect((await api.sis.get('ed-fi/academicSubjectDescriptors?limit=1')).status).toBe(200);
  });

  it('a resource outside the claim set: 403 access-denied:resource', async () => {
    const a = await api.boot.get('ed-fi/students');
    expect(a.body).toMatchObject({
      status: 403,
      type: 'urn:ed-fi:api:security:authorization:access-denied:resource',
      detail: 'Access to the requested data could not be authorized. You do not have permissions to access this data.',
      errors: [
        "The API client's assigned claim set (currently 'Bootstrap Descriptors and EdOrgs') must include one of the following resource claims to provide access to this resource: 'http://ed-fi.org/identity/claims/ed-fi/student', 'http://ed-fi.org/identity/claims/domains/people'.",
      ],
    });
    expect((await old.boot.get('ed-fi/students')).body).toEqual({
      message:
        'Access to the resource could not be authorized. Are you missing a claim? This resource can be authorized by the following claims: http://ed-fi.org/ods/identity/claims/student, http://ed-fi.org/ods/identity/claims/domains/people',
    });
  });

  it('a read-only claim set reads but cannot write', async () => {
    expect((await api.reader.get('ed-fi/schools')).status).toBe(200);
    const w = await api.reader.post('ed-fi/students', DOCS.student('RO'));
    expect(w.body).toMatchObject({ status: 403, type: 'urn:ed-fi:api:security:authorization:access-denied:action' });
  });

  it('descriptors are namespace-authorized for writes', async () => {
    const a = await api['tea-only'].post('ed-fi/academicSubjectDescriptors', {
      namespace: 'uri://ed-fi.org/AcademicSubjectDescriptor',
      codeValue: 'NS',
      shortDescription: 'x',
    });
    expect(a.body).toMatchObject({
      status: 403,
      type: 'urn:ed-fi:api:security:authorization',
      detail:
        "Access to the requested data could not be authorized. The 'Namespace' value of the data does not start with any of the caller's associated namespace prefixes ('uri://tea.texas.gov').",
    });
    expect(
      (
        await api['tea-only'].post('ed-fi/academicSubjectDescriptors', {
          namespace: 'uri://tea.texas.gov/AcademicSubjectDescriptor',
          codeValue: 'NS',
          shortDescription: 'x',
        })
      ).status,
    ).toBe(201);
  });
});

describe('relationships with people (students)', () => {
  it('creating a new student needs no relationship; updating or reading one needs an enrollment', async () => {
    const created = await api['sandbox-key'].post('ed-fi/students', DOCS.student('REL-1'));
    expect(created.status).toBe(201);
    const id = Api.idOf(created);
    const again = await api['sandbox-key'].post('ed-fi/students', { ...DOCS.student('REL-1'), firstName: 'Changed' });
    expect(again.status).toBe(403);
    expect(again.body).toMatchObject({
      type: 'urn:ed-fi:api:security:authorization',
      title: 'Authorization Denied',
      detail: "Access to the requested data could not be authorized. Hint: You may need to create a corresponding 'StudentSchoolAssociation' item.",
      errors: [
        "No relationships have been established between the caller's education organization id claim (149913) and the resource item's 'StudentUniqueId' value.",
      ],
    });
    expect((await api['sandbox-key'].get(`ed-fi/students/${id}`)).status).toBe(403);
    expect((await api['sandbox-key'].put(`ed-fi/students/${id}`, DOCS.student('REL-1'))).status).toBe(403);
    // Lists leave out what the caller may not see.
    expect((await api['sandbox-key'].get('ed-fi/students?studentUniqueId=REL-1')).body).toEqual([]);

    expect((await api['sandbox-key'].post('ed-fi/studentSchoolAssociations', DOCS.ssa('REL-1'))).status).toBe(201);
    expect((await api['sandbox-key'].post('ed-fi/students', { ...DOCS.student('REL-1'), firstName: 'Changed' })).status).toBe(200);
    expect((await api['sandbox-key'].get(`ed-fi/students/${id}`)).body).toMatchObject({ firstName: 'Changed' });
    expect(((await api['sandbox-key'].get('ed-fi/students?studentUniqueId=rel-1')).body as unknown[]).length).toBe(1);
    // A client of another district still cannot.
    expect((await api.other.get(`ed-fi/students/${id}`)).body).toMatchObject({
      status: 403,
      errors: [
        "No relationships have been established between the caller's education organization id claim (255901) and the resource item's 'StudentUniqueId' value.",
      ],
    });
    // A client keyed to a school reaches only students enrolled there.
    expect((await api.school.get(`ed-fi/students/${id}`)).status).toBe(403);
  });

  it('6.1 words the denial "Authorization denied. …" without a hint', async () => {
    await old['sandbox-key'].post('ed-fi/students', DOCS.student('REL-6'));
    const a = await old['sandbox-key'].post('ed-fi/students', DOCS.student('REL-6'));
    expect([a.status, a.body]).toEqual([
      403,
      {
        message:
          "Authorization denied. No relationships have been established between the caller's education organization id claim (149913) and the resource item's 'StudentUniqueId' value.",
      },
    ]);
  });

  it('an enrollment only needs the school to be the client’s (LEA → its schools): another district’s school is 403', async () => {
    await api['sandbox-key'].post('ed-fi/students', DOCS.student('REL-2'));
    expect((await api.school.post('ed-fi/studentSchoolAssociations', DOCS.ssa('REL-2', 149913041))).status).toBe(201);
    const outside = await api.school.post('ed-fi/studentSchoolAssociations', DOCS.ssa('REL-2', 149913003));
    expect(outside.body).toMatchObject({
      status: 403,
      errors: [
        "No relationships have been established between the caller's education organization id claim (149913041) and the resource item's 'SchoolId' value.",
      ],
    });
  });

  it('a person can be deleted without a relationship, unless something refers to them', async () => {
    const id = Api.idOf(await api['sandbox-key'].post('ed-fi/students', DOCS.student('REL-3')));
    expect((await api['sandbox-key'].delete(`ed-fi/students/${id}`)).status).toBe(204);
  });
});

describe('relationships with contacts and staff', () => {
  it('a parent is reachable through a student-parent association to an enrolled student', async () => {
    const k = api['sandbox-key'];
    expect((await k.post('ed-fi/parents', DOCS.parent('P-1'))).status).toBe(201);
    expect((await k.post('ed-fi/students', DOCS.student('P-S1'))).status).toBe(201);
    const early = await k.post('ed-fi/studentParentAssociations', DOCS.spa('P-1', 'P-S1'));
    expect(early.body).toMatchObject({
      status: 403,
      detail: "Access to the requested data could not be authorized. Hint: You may need to create a corresponding 'StudentSchoolAssociation' item.",
      errors: [
        "No relationships have been established between the caller's education organization id claim (149913) and the resource item's 'StudentUniqueId' value.",
      ],
    });
    const update = await k.post('ed-fi/parents', { ...DOCS.parent('P-1'), firstName: 'R' });
    expect(update.body).toMatchObject({
      status: 403,
      detail:
        "Access to the requested data could not be authorized. Hint: You may need to create corresponding 'StudentSchoolAssociation' and 'StudentParentAssociation' items.",
    });
    await k.post('ed-fi/studentSchoolAssociations', DOCS.ssa('P-S1'));
    expect((await k.post('ed-fi/studentParentAssociations', DOCS.spa('P-1', 'P-S1'))).status).toBe(201);
    expect((await k.post('ed-fi/parents', { ...DOCS.parent('P-1'), firstName: 'R' })).status).toBe(200);
  });

  it('staff are reachable through an assignment (or employment) with the client’s ed-org', async () => {
    const k = api['sandbox-key'];
    expect((await k.post('ed-fi/staffs', DOCS.staff('T-1'))).status).toBe(201);
    const denied = await k.post('ed-fi/staffs', DOCS.staff('T-1'));
    expect(denied.body).toMatchObject({
      status: 403,
      detail:
        "Access to the requested data could not be authorized. Hint: You may need to create corresponding 'StaffEducationOrganizationEmploymentAssociation' or 'StaffEducationOrganizationAssignmentAssociation' items.",
    });
    expect((await k.post('ed-fi/staffEducationOrganizationAssignmentAssociations', DOCS.assignment('T-1'))).status).toBe(201);
    expect((await k.post('ed-fi/staffs', DOCS.staff('T-1'))).status).toBe(200);
  });

  it('DS 5.x: contacts and studentContactAssociations, with the matching hint', async () => {
    const s = await startSandbox({ dataStandard: '5.x', texasExtension: 'none' });
    try {
      const k = await Api.of(s);
      await k.post('ed-fi/contacts', { contactUniqueId: 'C-1', firstName: 'A', lastSurname: 'B' });
      const a = await k.post('ed-fi/contacts', { contactUniqueId: 'C-1', firstName: 'A', lastSurname: 'B' });
      expect(a.body).toMatchObject({
        detail:
          "Access to the requested data could not be authorized. Hint: You may need to create corresponding 'StudentSchoolAssociation' and 'StudentContactAssociation' items.",
      });
      expect((await k.get('ed-fi/parents')).status).toBe(404);
    } finally {
      await s.close();
    }
  });
});

describe('ed-org data', () => {
  it('courses, calendars and sessions need an ed-org of the client (a missing one too: 403 before 409)', async () => {
    const outside = await api.other.post('ed-fi/courses', DOCS.course('AUTH-1'));
    expect(outside.body).toMatchObject({
      status: 403,
      errors: [
        "No relationships have been established between the caller's education organization id claim (255901) and the resource item's 'EducationOrganizationId' value.",
      ],
    });
    expect((await api['sandbox-key'].post('ed-fi/courses', DOCS.course('AUTH-1'))).status).toBe(201);
    expect((await api['sandbox-key'].post('ed-fi/courses', DOCS.course('AUTH-2', 999999))).status).toBe(403);
  });

  it('education organizations themselves need no relationship; a token scope narrows the ed-orgs', async () => {
    expect((await api.other.get('ed-fi/schools')).body).toHaveLength(5);
    const scoped = new Api(s7.baseUrl, await tokenFor(s7.baseUrl, 'sandbox-key', 'sandbox-secret', '&scope=149913'));
    expect((await scoped.post('ed-fi/courses', DOCS.course('AUTH-3'))).status).toBe(201);
  });
});
