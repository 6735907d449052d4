import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from './server.js';
import { Api, call, DOCS } from './testing.js';

let s7: Sandbox;
let s6: Sandbox;
let a7: Api;
let a6: Api;

beforeAll(async () => {
  [s7, s6] = await Promise.all([startSandbox(), startSandbox({ apiVersion: '6.1' })]);
  [a7, a6] = await Promise.all([Api.of(s7), Api.of(s6)]);
});
afterAll(async () => {
  await s7?.close();
  await s6?.close();
});

const desc = (code: string) => ({ namespace: 'uri://ed-fi.org/AcademicSubjectDescriptor', codeValue: code, shortDescription: code });

describe('POST: upsert by natural key', () => {
  it('inserts with 201 and updates with 200, both with an empty body, Location and a quoted ETag', async () => {
    const first = await a7.post('ed-fi/academicSubjectDescriptors', desc('Upsert'));
    expect([first.status, first.text]).toEqual([201, '']);
    const id = Api.idOf(first);
    expect(first.headers.get('location')).toBe(`${s7.baseUrl}/data/v3/ed-fi/academicSubjectDescriptors/${id}`);
    expect(first.headers.get('etag')).toMatch(/^"\d{19}"$/);
    const same = await a7.post('ed-fi/academicSubjectDescriptors', desc('Upsert'));
    expect([same.status, Api.idOf(same)]).toEqual([200, id]);
    // Nothing changed: the same ETag.
    expect(same.headers.get('etag')).toBe(first.headers.get('etag'));
    const changed = await a7.post('ed-fi/academicSubjectDescriptors/', { ...desc('upsert'), shortDescription: 'changed' });
    expect([changed.status, Api.idOf(changed)]).toEqual([200, id]);
    expect(changed.headers.get('etag')).not.toBe(first.headers.get('etag'));
  });

  it('refuses an id in the body (7.x Problem Details, 6.1 message)', async () => {
    const p = await a7.post('ed-fi/academicSubjectDescriptors', { ...desc('X'), id: 'abc' });
    expect(p.status).toBe(400);
    expect(p.body).toMatchObject({
      type: 'urn:ed-fi:api:bad-request:data-validation-failed',
      title: 'Data Validation Failed',
      detail: 'The request data was constructed incorrectly.',
      errors: ["Resource identifiers cannot be assigned by the client. The 'id' property should not be included in the request body."],
    });
    const l = await a6.post('ed-fi/academicSubjectDescriptors', { ...desc('X'), id: 'abc' });
    expect([l.status, l.body]).toEqual([400, { message: 'Resource identifiers cannot be assigned by the client.' }]);
  });

  it('answers 405 to POST with an id, PUT/DELETE on the collection, and other methods', async () => {
    const id = '0123456789abcdef0123456789abcdef';
    expect((await a7.post(`ed-fi/students/${id}`, DOCS.student('x'))).body).toMatchObject({
      status: 405,
      detail: 'Resource items can only be updated using PUT. To "upsert" an item in the resource collection using POST, remove the "id" from the route.',
    });
    expect((await a7.put('ed-fi/students', DOCS.student('x'))).body).toMatchObject({
      status: 405,
      detail:
        'Resource collections cannot be replaced. To "upsert" an item in the collection, use POST. To update a specific item, use PUT and include the "id" in the route.',
    });
    expect((await a7.delete('ed-fi/students')).body).toMatchObject({
      status: 405,
      detail: 'Resource collections cannot be deleted. To delete a specific item, use DELETE and include the "id" in the route.',
    });
    const patch = await call(`${a7.dataBase}/ed-fi/students`, { method: 'PATCH', headers: { authorization: `Bearer ${a7.token}` } });
    expect(patch.body).toMatchObject({ type: 'urn:ed-fi:api:method-not-allowed', detail: "The endpoint of the request does not support the 'PATCH' method." });
    expect((await a6.delete('ed-fi/students')).body).toEqual({
      message: 'Resource collections cannot be deleted. To delete a specific item, use DELETE and include the "id" in the route.',
    });
  });

  it('routes ignore case and answer an unknown resource with 404 (7.x names the path; 6.1 bare)', async () => {
    expect((await a7.get('ed-fi/AcademicSubjectDescriptors?limit=1')).status).toBe(200);
    const nope = await a7.get('ed-fi/nonsense');
    expect(nope.status).toBe(404);
    expect(nope.body).toMatchObject({
      detail: 'The specified data could not be found.',
      errors: ["Path '/data/v3/ed-fi/nonsense' does not exist. Check the resource name and try again."],
    });
    const old = await a6.get('ed-fi/nonsense');
    expect([old.status, old.text]).toEqual([404, '']);
  });
});

describe('GET', () => {
  it('by id: the body with id, _etag and _lastModifiedDate, links on references; 304 for a matching If-None-Match', async () => {
    const made = await a7.post('ed-fi/calendars', DOCS.calendar('GET-1'));
    const id = Api.idOf(made);
    const got = await a7.get(`ed-fi/calendars/${id}`);
    expect(got.status).toBe(200);
    const body = got.body as Record<string, unknown>;
    expect(body).toMatchObject({
      id,
      calendarCode: 'GET-1',
      _etag: expect.stringMatching(/^\d+$/) as unknown,
      _lastModifiedDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{1,7}Z$/) as unknown,
    });
    expect(body.schoolReference).toEqual({
      schoolId: 149913003,
      link: { rel: 'School', href: expect.stringMatching(/^\/ed-fi\/schools\/[0-9a-f]{32}$/) as unknown },
    });
    expect(got.headers.get('etag')).toBe(`"${String(body._etag)}"`);
    expect((await a7.get(`ed-fi/calendars/${id}`, { 'if-none-match': got.headers.get('etag')! })).status).toBe(304);
    // A link sent back is accepted and dropped.
    expect((await a7.post('ed-fi/calendars', { ...DOCS.calendar('GET-1'), schoolReference: body.schoolReference })).status).toBe(200);
  });

  it('by an unknown id: 404 in each generation; a malformed id: 400', async () => {
    const id = 'ffffffffffffffffffffffffffffffff';
    expect((await a7.get(`ed-fi/students/${id}`)).body).toMatchObject({
      status: 404,
      type: 'urn:ed-fi:api:not-found',
      detail: 'The specified item could not be found.',
    });
    expect((await a6.get(`ed-fi/students/${id}`)).status).toBe(404);
    const bad = await a7.get('ed-fi/students/not-a-guid');
    expect(bad.body).toMatchObject({ status: 400, validationErrors: { '$.id': ["The value 'not-a-guid' is not valid."] } });
  });

  it('lists: default page 500, limit/offset, Total-Count, and limit errors per generation', async () => {
    const all = await a7.get('ed-fi/schoolYearTypes');
    expect((all.body as unknown[]).length).toBe(60);
    expect(all.headers.get('total-count')).toBeNull();
    const page = await a7.get('ed-fi/schoolYearTypes?offset=10&limit=5&totalCount=true');
    expect((page.body as { schoolYear: number }[]).map((y) => y.schoolYear)).toEqual([2001, 2002, 2003, 2004, 2005]);
    expect(page.headers.get('total-count')).toBe('60');
    const zero = await a7.get('ed-fi/schoolYearTypes?limit=0&totalCount=true');
    expect([zero.body, zero.headers.get('total-count')]).toEqual([[], '60']);
    const over = await a7.get('ed-fi/schoolYearTypes?limit=501');
    expect(over.body).toMatchObject({
      status: 400,
      type: 'urn:ed-fi:api:bad-request:parameter-validation-failed',
      detail: 'The request construction was invalid.',
      errors: ['Limit must be a value between 0 and 500.'],
    });
    expect((await a7.get('ed-fi/schoolYearTypes?offset=-1')).body).toMatchObject({ errors: ['Offset cannot be a negative value.'] });
    expect((await a6.get('ed-fi/schoolYearTypes?limit=0')).body).toEqual({
      message: 'Limit must be omitted or set to a value between 1 and max value defined in configuration file (defaultPageSizeLimit).',
    });
  });

  it('filters by example: scalars, descriptors and reference fields, names and values ignoring case; ?id=', async () => {
    const byYear = await a7.get('ed-fi/schoolYearTypes?SchoolYear=2025');
    expect(byYear.body as { currentSchoolYear: boolean }[]).toEqual([expect.objectContaining({ schoolYear: 2025, currentSchoolYear: true })]);
    const bySchool = await a7.get('ed-fi/schools?localEducationAgencyId=149913&limit=500');
    expect((bySchool.body as unknown[]).length).toBe(5);
    const byDescriptor = await a7.get(`ed-fi/schools?schoolTypeDescriptor=${encodeURIComponent('URI://ED-FI.ORG/SchoolTypeDescriptor#regular')}`);
    expect((byDescriptor.body as unknown[]).length).toBe(5);
    const byName = await a7.get(`ed-fi/schools?nameOfInstitution=${encodeURIComponent('adams high school')}`);
    expect((byName.body as { schoolId: number }[]).map((s) => s.schoolId)).toEqual([149913003]);
    const id = (byName.body as { id: string }[])[0].id;
    expect(((await a7.get(`ed-fi/schools?id=${id}`)).body as unknown[]).length).toBe(1);
    expect((await a7.get('ed-fi/schools?id=invalid')).body).toMatchObject({ validationErrors: { '$.id': ["The value 'invalid' is not valid for Id."] } });
    expect((await a7.get('ed-fi/schools?schoolId=abc')).status).toBe(400);
  });
});

describe('PUT', () => {
  it('updates by id with 204, ETag and Location; 404 for an unknown id; the body id is ignored', async () => {
    const made = await a7.post('ed-fi/courses', DOCS.course('PUT-1'));
    const id = Api.idOf(made);
    const put = await a7.put(`ed-fi/courses/${id}`, { ...DOCS.course('PUT-1'), id: 'whatever', courseTitle: 'Renamed' });
    expect([put.status, put.text]).toEqual([204, '']);
    expect(put.headers.get('location')).toContain(id);
    expect(put.headers.get('etag')).not.toBe(made.headers.get('etag'));
    expect(((await a7.get(`ed-fi/courses/${id}`)).body as { courseTitle: string }).courseTitle).toBe('Renamed');
    expect((await a7.put('ed-fi/courses/ffffffffffffffffffffffffffffffff', DOCS.course('PUT-1'))).body).toMatchObject({
      status: 404,
      detail: 'Resource to update was not found.',
    });
    expect((await a6.put('ed-fi/courses/ffffffffffffffffffffffffffffffff', DOCS.course('PUT-1'))).body).toEqual({
      message: 'Resource to update was not found.',
    });
  });

  it('If-Match: 412 on a stale ETag for PUT, DELETE and POST-as-update (7.x and 6.1 texts)', async () => {
    const made = await a7.post('ed-fi/courses', DOCS.course('LOCK-1'));
    const id = Api.idOf(made);
    const etag = made.headers.get('etag')!;
    expect((await a7.put(`ed-fi/courses/${id}`, { ...DOCS.course('LOCK-1'), courseTitle: 'v2' }, { 'if-match': etag })).status).toBe(204);
    const stale = await a7.put(`ed-fi/courses/${id}`, { ...DOCS.course('LOCK-1'), courseTitle: 'v3' }, { 'if-match': etag });
    expect(stale.body).toMatchObject({
      status: 412,
      type: 'urn:ed-fi:api:optimistic-lock-failed',
      title: 'Optimistic Lock Failed',
      detail: 'The item has been modified by another user.',
    });
    expect((await a7.post('ed-fi/courses', DOCS.course('LOCK-1'), { 'if-match': etag })).status).toBe(412);
    expect((await a7.delete(`ed-fi/courses/${id}`, { 'if-match': etag })).status).toBe(412);
    const m6 = await a6.post('ed-fi/courses', DOCS.course('LOCK-6'));
    await a6.post('ed-fi/courses', { ...DOCS.course('LOCK-6'), courseTitle: 'v2' });
    expect((await a6.delete(`ed-fi/courses/${Api.idOf(m6)}`, { 'if-match': m6.headers.get('etag')! })).body).toEqual({
      message: 'Resource was modified by another consumer.',
    });
  });

  it('a natural-key change: 7.x refuses it where the identity is not updatable; 6.1 keeps the stored key', async () => {
    const id7 = Api.idOf(await a7.post('ed-fi/courses', DOCS.course('KEY-1')));
    const k7 = await a7.put(`ed-fi/courses/${id7}`, DOCS.course('KEY-2'));
    expect(k7.body).toMatchObject({
      status: 400,
      type: 'urn:ed-fi:api:bad-request:data-validation-failed:key-change-not-supported',
      title: 'Key Change Not Supported',
      detail: 'Identifying values for the Course data cannot be changed. Delete and recreate the item instead.',
    });
    const id6 = Api.idOf(await a6.post('ed-fi/courses', DOCS.course('KEY-1')));
    expect((await a6.put(`ed-fi/courses/${id6}`, { ...DOCS.course('KEY-2'), courseTitle: 'kept key' })).status).toBe(204);
    expect((await a6.get(`ed-fi/courses/${id6}`)).body).toMatchObject({ courseCode: 'KEY-1', courseTitle: 'kept key' });
  });

  it('changes the key where allowed (sessions), cascading, and refuses a collision with 409', async () => {
    const id = Api.idOf(await a7.post('ed-fi/sessions', DOCS.session('Fall')));
    await a7.post('ed-fi/sessions', DOCS.session('Spring'));
    expect((await a7.put(`ed-fi/sessions/${id}`, DOCS.session('Fall 2024'))).status).toBe(204);
    expect((await a7.get(`ed-fi/sessions/${id}`)).body).toMatchObject({ sessionName: 'Fall 2024' });
    const clash = await a7.put(`ed-fi/sessions/${id}`, DOCS.session('Spring'));
    expect(clash.body).toMatchObject({
      status: 409,
      type: 'urn:ed-fi:api:data-conflict:non-unique-identity',
      detail: 'The identifying value(s) of the item are the same as another item that already exists.',
    });
  });
});

describe('DELETE', () => {
  it('204, then 404; 409 while something refers to the item (7.x and 6.1 texts)', async () => {
    const cal = Api.idOf(await a7.post('ed-fi/calendars', DOCS.calendar('DEL-1')));
    const date = {
      date: '2024-08-20',
      calendarReference: { calendarCode: 'DEL-1', schoolId: 149913003, schoolYear: 2025 },
      calendarEvents: [{ calendarEventDescriptor: 'uri://ed-fi.org/CalendarEventDescriptor#Instructional day' }],
    };
    const dateId = Api.idOf(await a7.post('ed-fi/calendarDates', date));
    const blocked = await a7.delete(`ed-fi/calendars/${cal}`);
    expect(blocked.body).toMatchObject({
      status: 409,
      type: 'urn:ed-fi:api:data-conflict:dependent-item-exists',
      title: 'Dependent Item Exists',
      detail: "The requested action cannot be performed because this item is referenced by an existing 'CalendarDate' item.",
    });
    expect((await a7.delete(`ed-fi/calendarDates/${dateId}`)).status).toBe(204);
    expect((await a7.delete(`ed-fi/calendars/${cal}`)).status).toBe(204);
    expect((await a7.delete(`ed-fi/calendars/${cal}`)).body).toMatchObject({ status: 404, detail: 'Resource to delete was not found.' });

    const cal6 = Api.idOf(await a6.post('ed-fi/calendars', DOCS.calendar('DEL-6')));
    await a6.post('ed-fi/calendarDates', { ...date, calendarReference: { ...date.calendarReference, calendarCode: 'DEL-6' } });
    expect((await a6.delete(`ed-fi/calendars/${cal6}`)).body).toEqual({
      message: "The resource (or a subordinate entity of the resource) cannot be deleted because it is a dependency of the 'calendarDate' entity.",
    });
  });

  it('a descriptor in use cannot be deleted', async () => {
    const list = (await a7.get(`ed-fi/schoolTypeDescriptors?codeValue=Regular`)).body as { id: string }[];
    expect((await a7.delete(`ed-fi/schoolTypeDescriptors/${list[0].id}`)).status).toBe(409);
  });
});

describe('references to missing items', () => {
  it('7.x 409 unresolved-reference naming the target; 6.1 409 with the table name', async () => {
    const r7 = await a7.post('ed-fi/calendars', DOCS.calendar('REF-1', 999));
    // The school check is authorization first: a missing ed-org is not one the client is related to.
    expect(r7.status).toBe(403);
    const ssa = await a7.post('ed-fi/studentSchoolAssociations', DOCS.ssa('NO-SUCH-STUDENT'));
    expect(ssa.body).toMatchObject({
      status: 409,
      type: 'urn:ed-fi:api:data-conflict:unresolved-reference',
      title: 'Unresolved Reference',
      detail: "The referenced 'Student' item does not exist.",
    });
    const l = await a6.post('ed-fi/studentSchoolAssociations', DOCS.ssa('NO-SUCH-STUDENT'));
    expect([l.status, l.body]).toEqual([409, { message: "The value supplied for the related 'student' resource does not exist." }]);
    const year = await a7.post('ed-fi/calendars', { ...DOCS.calendar('REF-2'), schoolYearTypeReference: { schoolYear: 1900 } });
    expect(year.body).toMatchObject({ status: 409, detail: "The referenced 'SchoolYearType' item does not exist." });
  });
});

describe('references to records with unified key parts', () => {
  it("resolves a section's courseOfferingReference, whose schoolId stands for both of the offering's schoolIds", async () => {
    const school = 149913003;
    const session = {
      sessionName: 'Unified Fall',
      schoolReference: { schoolId: school },
      schoolYearTypeReference: { schoolYear: 2025 },
      beginDate: '2024-08-14',
      endDate: '2024-12-20',
      termDescriptor: 'uri://ed-fi.org/TermDescriptor#Fall Semester',
      totalInstructionalDays: 80,
    };
    expect((await a7.post('ed-fi/sessions', session)).status).toBe(201);
    const course = {
      courseCode: 'UNIFIED1',
      educationOrganizationReference: { educationOrganizationId: 149913 },
      courseTitle: 'Unified',
      numberOfParts: 1,
      identificationCodes: [
        { courseIdentificationSystemDescriptor: 'uri://ed-fi.org/CourseIdentificationSystemDescriptor#State course code', identificationCode: 'UNIFIED1' },
      ],
    };
    expect((await a7.post('ed-fi/courses', course)).status).toBe(201);
    const offering = {
      localCourseCode: 'UNI',
      schoolReference: { schoolId: school },
      sessionReference: { schoolId: school, schoolYear: 2025, sessionName: 'Unified Fall' },
      courseReference: { courseCode: 'UNIFIED1', educationOrganizationId: 149913 },
    };
    expect((await a7.post('ed-fi/courseOfferings', offering)).status).toBe(201);
    const section = (code: string) => ({
      sectionIdentifier: `S-${code}`,
      courseOfferingReference: { localCourseCode: code, schoolId: school, schoolYear: 2025, sessionName: 'Unified Fall' },
    });
    expect((await a7.post('ed-fi/sections', section('UNI'))).status).toBe(201);
    expect((await a7.post('ed-fi/sections', section('NOPE'))).status).toBe(409);
  });
});

describe('GET by natural key', () => {
  it('finds a record by its whole natural key (any case), and nothing for a key that is not there', async () => {
    expect((await a7.post('ed-fi/academicSubjectDescriptors', desc('Keyed'))).status).toBe(201);
    const hit = await a7.get('ed-fi/academicSubjectDescriptors?namespace=URI://ED-FI.ORG/AcademicSubjectDescriptor&codeValue=keyed&totalCount=true');
    expect([hit.status, (hit.body as unknown[]).length, hit.headers.get('total-count')]).toEqual([200, 1, '1']);
    const miss = await a7.get('ed-fi/academicSubjectDescriptors?namespace=uri://ed-fi.org/AcademicSubjectDescriptor&codeValue=NotThere');
    expect(miss.body).toEqual([]);
  });
});
