import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectionClass, singular } from './names.js';
import { startSandbox, type Sandbox } from './server.js';
import { Api, DOCS } from './testing.js';

let s7: Sandbox;
let s6: Sandbox;
let s5: Sandbox;
let strict: Sandbox;
let a7: Api;
let a6: Api;
let a5: Api;
let aStrict: Api;

beforeAll(async () => {
  [s7, s6, s5, strict] = await Promise.all([
    startSandbox(),
    startSandbox({ apiVersion: '6.1' }),
    startSandbox({ dataStandard: '5.x', texasExtension: 'none' }),
    startSandbox({ strict: true }),
  ]);
  [a7, a6, a5, aStrict] = await Promise.all([Api.of(s7), Api.of(s6), Api.of(s5), Api.of(strict)]);
});
afterAll(async () => {
  for (const s of [s7, s6, s5, strict]) await s?.close();
});

const errorsOf = (body: unknown) => (body as { validationErrors?: Record<string, string[]> }).validationErrors;

describe('required fields', () => {
  it('7.x: a missing field, an empty string, a missing reference, a partial reference', async () => {
    const a = await a7.post('ed-fi/students', { studentUniqueId: 'V1', firstName: '', birthDate: '2010-01-01' });
    expect(a.status).toBe(400);
    expect(a.body).toMatchObject({
      type: 'urn:ed-fi:api:bad-request:data-validation-failed',
      title: 'Data Validation Failed',
      detail: "Data validation failed. See 'validationErrors' for details.",
    });
    expect(errorsOf(a.body)).toEqual({ '$.firstName': ['FirstName is required and should not be left empty.'], '$.lastSurname': ['LastSurname is required.'] });
    const ref = await a7.post('ed-fi/calendars', {
      calendarCode: 'C',
      schoolReference: { schoolId: 149913003 },
      calendarTypeDescriptor: 'uri://ed-fi.org/CalendarTypeDescriptor#School',
    });
    expect(errorsOf(ref.body)).toEqual({ '$.schoolYearTypeReference': ['SchoolYearTypeReference is required.'] });
    const partial = await a7.post('ed-fi/calendarDates', {
      date: '2024-08-20',
      calendarReference: { calendarCode: 'C', schoolIdX: 1 },
      calendarEvents: [{ calendarEventDescriptor: 'uri://ed-fi.org/CalendarEventDescriptor#Holiday' }],
    });
    expect(errorsOf(partial.body)).toEqual({ '$.calendarReference': ['CalendarReference is missing the following properties: SchoolId, SchoolYear'] });
    const noInt = await a7.post('ed-fi/sessions', { ...DOCS.session('S'), totalInstructionalDays: undefined });
    expect(errorsOf(noInt.body)).toEqual({ '$.totalInstructionalDays': ['TotalInstructionalDays is required.'] });
  });

  it('6.1: "Validation of \'X\' failed." with one line per problem; a missing value type through modelState', async () => {
    const a = await a6.post('ed-fi/students', { studentUniqueId: 'V1', firstName: '', birthDate: '2010-01-01' });
    expect([a.status, a.body]).toEqual([400, { message: "Validation of 'Student' failed.\n\tFirstName is required.\n\tLastSurname is required." }]);
    const noInt = await a6.post('ed-fi/sessions', { ...DOCS.session('S'), totalInstructionalDays: undefined });
    expect(noInt.body).toMatchObject({
      message: 'The request is invalid.',
      modelState: { 'request.totalInstructionalDays': [expect.stringContaining('Required') as unknown] },
    });
  });

  it('a required collection needs an item; duplicate collection items are refused', async () => {
    const none = await a7.post('ed-fi/courses', { ...DOCS.course('C1'), identificationCodes: [] });
    expect(errorsOf(none.body)).toEqual({ '$.identificationCodes': ['CourseIdentificationCodes requires at least one object in the collection.'] });
    const dup = await a7.post('ed-fi/schools', {
      schoolId: 149913003,
      nameOfInstitution: 'Adams High School',
      educationOrganizationCategories: [{ educationOrganizationCategoryDescriptor: 'uri://ed-fi.org/EducationOrganizationCategoryDescriptor#School' }],
      gradeLevels: [
        { gradeLevelDescriptor: 'uri://ed-fi.org/GradeLevelDescriptor#Ninth grade' },
        { gradeLevelDescriptor: 'uri://ed-fi.org/GradeLevelDescriptor#ninth GRADE' },
      ],
    });
    expect(errorsOf(dup.body)).toEqual({
      '$.gradeLevels': ['The 2nd item of the SchoolGradeLevels has the same identifying values as another item earlier in the list.'],
    });
  });

  it("names an inherited collection's items as the ODS does: EducationOrganizationCategories, EducationOrganizationAddressPeriods", async () => {
    const category = { educationOrganizationCategoryDescriptor: 'uri://ed-fi.org/EducationOrganizationCategoryDescriptor#School' };
    const dup = await a7.post('ed-fi/schools', {
      schoolId: 149913004,
      nameOfInstitution: 'Dup',
      educationOrganizationCategories: [category, category],
      gradeLevels: [{ gradeLevelDescriptor: 'uri://ed-fi.org/GradeLevelDescriptor#Ninth grade' }],
    });
    expect(errorsOf(dup.body)).toEqual({
      '$.educationOrganizationCategories': [
        'The 2nd item of the EducationOrganizationCategories has the same identifying values as another item earlier in the list.',
      ],
    });
    expect(collectionClass('School', 'educationOrganizationCategories')).toBe('EducationOrganizationCategories');
    expect(collectionClass(singular(collectionClass('School', 'addresses')), 'periods')).toBe('EducationOrganizationAddressPeriods');
    expect(collectionClass('StudentEducationOrganizationAssociation', 'addresses')).toBe('StudentEducationOrganizationAssociationAddresses');
    expect(['Addresses', 'Categories', 'GradeLevels', 'Classes'].map(singular)).toEqual(['Address', 'Category', 'GradeLevel', 'Class']);
  });
});

describe('types and lengths', () => {
  it('string length: DS 4.0 "between 1 and n", DS 5.x "at most n"', async () => {
    const long = { ...DOCS.student('LEN'), firstName: 'x'.repeat(76) };
    expect(errorsOf((await a7.post('ed-fi/students', long)).body)).toEqual({ '$.firstName': ['FirstName must be between 1 and 75 characters in length.'] });
    expect(errorsOf((await a5.post('ed-fi/students', long)).body)).toEqual({ '$.firstName': ['FirstName must be at most 75 characters in length.'] });
  });

  it('coerces numeric strings and boolean spellings; refuses what the strict converters refuse', async () => {
    const ok = await a7.post('ed-fi/classPeriods', { classPeriodName: 'P1', schoolReference: { schoolId: '149913003' }, officialAttendancePeriod: 'TRUE' });
    expect(ok.status).toBe(201);
    expect((await a7.get(`ed-fi/classPeriods/${Api.idOf(ok)}`)).body).toMatchObject({
      schoolReference: { schoolId: 149913003 },
      officialAttendancePeriod: true,
    });
    expect((await a7.post('ed-fi/classPeriods', { classPeriodName: 'P2', schoolReference: { schoolId: 149913003 }, officialAttendancePeriod: 1 })).status).toBe(
      201,
    );
    const bool = await a7.post('ed-fi/classPeriods', { classPeriodName: 'P3', schoolReference: { schoolId: 149913003 }, officialAttendancePeriod: 2 });
    expect(errorsOf(bool.body)).toEqual({ '$.officialAttendancePeriod': ['Unexpected value for boolean: 2 (type: Integer)'] });
    const truthy = await a7.post('ed-fi/classPeriods', { classPeriodName: 'P3', schoolReference: { schoolId: 149913003 }, officialAttendancePeriod: 'truthy' });
    expect(errorsOf(truthy.body)).toEqual({ '$.officialAttendancePeriod': ['Unexpected value for boolean: truthy (type: String)'] });
    const notInt = await a7.post('ed-fi/classPeriods', { classPeriodName: 'P3', schoolReference: { schoolId: 'abc' } });
    expect(errorsOf(notInt.body)?.['$.schoolReference.schoolId']?.[0]).toMatch(/^Could not convert string to integer: abc/);
    const zero = await a7.post('ed-fi/localEducationAgencies', {
      localEducationAgencyId: 0,
      nameOfInstitution: 'Z',
      localEducationAgencyCategoryDescriptor: 'uri://ed-fi.org/LocalEducationAgencyCategoryDescriptor#Independent',
      categories: [{ educationOrganizationCategoryDescriptor: 'uri://ed-fi.org/EducationOrganizationCategoryDescriptor#Local Education Agency' }],
    });
    expect(errorsOf(zero.body)).toEqual({ '$.localEducationAgencyId': ['LocalEducationAgencyId value must be different than 0.'] });
    const decimal = await a7.post('ed-fi/staffs', { ...DOCS.staff('D1'), yearsOfPriorProfessionalExperience: 1000 });
    expect(errorsOf(decimal.body)).toEqual({
      '$.yearsOfPriorProfessionalExperience': ['YearsOfPriorProfessionalExperience must be between -999.99 and 999.99.'],
    });
    const date = await a7.post('ed-fi/students', { ...DOCS.student('D2'), birthDate: '2010-02-30' });
    expect(Object.keys(errorsOf(date.body) ?? {})).toEqual(['$.birthDate']);
  });

  it('6.1 reports type failures as modelState', async () => {
    const a = await a6.post('ed-fi/classPeriods', { classPeriodName: 'P3', schoolReference: { schoolId: 149913003 }, officialAttendancePeriod: 2 });
    expect(a.body).toEqual({
      message: 'The request is invalid.',
      modelState: { 'request.officialAttendancePeriod': ['Unexpected value for boolean: 2 (type: Integer)'] },
    });
  });
});

describe('descriptors', () => {
  it('7.x: a value without # and an unknown value, keyed by path; matching ignores case and stores the canonical URI', async () => {
    const a = await a7.post('ed-fi/students', {
      ...DOCS.student('DSC'),
      birthCountryDescriptor: '00',
      birthStateAbbreviationDescriptor: 'uri://ed-fi.org/StateAbbreviationDescriptor#XYZ',
    });
    expect(errorsOf(a.body)).toEqual({
      '$.birthCountryDescriptor': [
        "CountryDescriptor value '00' is not a valid value for use as a descriptor (a '#' is expected to delineate the namespace and code value portions).",
      ],
      '$.birthStateAbbreviationDescriptor': ["StateAbbreviationDescriptor value 'uri://ed-fi.org/StateAbbreviationDescriptor#XYZ' does not exist."],
    });
    const ok = await a7.post('ed-fi/students', { ...DOCS.student('DSC'), birthSexDescriptor: 'URI://ED-FI.ORG/SexDescriptor#female' });
    // Reading a student needs an enrollment with one of the client's schools.
    await a7.post('ed-fi/studentSchoolAssociations', DOCS.ssa('DSC'));
    expect((await a7.get(`ed-fi/students/${Api.idOf(ok)}`)).body).toMatchObject({ birthSexDescriptor: 'uri://ed-fi.org/SexDescriptor#Female' });
  });

  it('6.1: "Unable to resolve value … to an existing \'…Descriptor\' resource."', async () => {
    const a = await a6.post('ed-fi/students', { ...DOCS.student('DSC'), birthStateAbbreviationDescriptor: 'uri://ed-fi.org/StateAbbreviationDescriptor#XYZ' });
    expect([a.status, a.body]).toEqual([
      400,
      { message: "Unable to resolve value 'uri://ed-fi.org/StateAbbreviationDescriptor#XYZ' to an existing 'StateAbbreviationDescriptor' resource." },
    ]);
  });
});

describe('key unification and unknown properties', () => {
  it('refuses references that disagree on a shared key', async () => {
    await a7.post('ed-fi/students', DOCS.student('KU'));
    await a7.post('ed-fi/calendars', DOCS.calendar('KU-CAL', 149913041));
    const a = await a7.post('ed-fi/studentSchoolAssociations', {
      ...DOCS.ssa('KU'),
      calendarReference: { calendarCode: 'KU-CAL', schoolId: 149913041, schoolYear: 2025 },
    });
    expect(errorsOf(a.body)).toEqual({
      '$.calendarReference.schoolId': [
        "All values supplied for 'schoolId' must match. Review all references (including those in collections) and update the values appropriately.",
      ],
    });
  });

  it('ignores unknown properties (they are not stored); the strict option refuses them', async () => {
    const a = await a7.post('ed-fi/students', { ...DOCS.student('UNK'), favouriteColour: 'blue' });
    expect(a.status).toBe(201);
    await a7.post('ed-fi/studentSchoolAssociations', DOCS.ssa('UNK'));
    expect((await a7.get(`ed-fi/students/${Api.idOf(a)}`)).body).not.toHaveProperty('favouriteColour');
    const s = await aStrict.post('ed-fi/students', { ...DOCS.student('UNK'), favouriteColour: 'blue' });
    expect(errorsOf(s.body)).toEqual({ '$.favouriteColour': ["Could not find member 'favouriteColour' on object of type 'Student'. Path 'favouriteColour'."] });
  });

  it('takes education organization ids above Int32 on DS 5.x (bigint there, as the ODS suite posts them), and refuses them on DS 4.0', async () => {
    const big = Number.MAX_SAFE_INTEGER;
    const school = {
      schoolId: big,
      nameOfInstitution: 'Big Id',
      educationOrganizationCategories: [{ educationOrganizationCategoryDescriptor: 'uri://ed-fi.org/EducationOrganizationCategoryDescriptor#School' }],
      gradeLevels: [{ gradeLevelDescriptor: 'uri://ed-fi.org/GradeLevelDescriptor#First grade' }],
    };
    const five = await a5.post('ed-fi/schools', school);
    expect(five.status, JSON.stringify(five.body)).toBe(201);
    expect((await a5.get(`ed-fi/schools/${Api.idOf(five)}`)).body).toMatchObject({ schoolId: big });
    const four = await a7.post('ed-fi/schools', school);
    expect(four.status).toBe(400);
    expect(JSON.stringify(four.body)).toContain('too large or too small for an Int32');
  });

  it('binds property names in any case, as Newtonsoft does', async () => {
    const a = await a7.post('ed-fi/students', { StudentUniqueId: 'CASE', FirstName: 'A', LastSurname: 'B', BirthDate: '2010-01-01' });
    expect(a.status).toBe(201);
  });

  it('binds a reference\'s members in any case too ({"SchoolReference":{"SchoolId":…}} is a 201 on an ODS), storing them in the model\'s case', async () => {
    const ssa = DOCS.ssa('CASE');
    const { schoolId } = ssa.schoolReference;
    const a = await a7.post('ed-fi/studentSchoolAssociations', { ...ssa, schoolReference: undefined, SchoolReference: { SchoolId: schoolId } });
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    expect((await a7.get(`ed-fi/studentSchoolAssociations/${Api.idOf(a)}`)).body).toMatchObject({ schoolReference: { schoolId } });
  });

  it('Texas extension: _ext.TX is validated with its own required fields', async () => {
    const missing = await a7.post('ed-fi/students', { ...DOCS.student('TX1'), _ext: { TX: { localStudentId: '1' } } });
    expect(errorsOf(missing.body)).toEqual({ '$._ext.TX.studentId': ['StudentId is required.'] });
    const ok = await a7.post('ed-fi/students', { ...DOCS.student('TX1'), _ext: { TX: { studentId: 'S12345678' } } });
    await a7.post('ed-fi/studentSchoolAssociations', DOCS.ssa('TX1'));
    expect((await a7.get(`ed-fi/students/${Api.idOf(ok)}`)).body).toMatchObject({ _ext: { TX: { studentId: 'S12345678' } } });
  });
});
