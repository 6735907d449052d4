import { describe, expect, it } from 'vitest';
import { edfiModel } from './model/index.js';
import { canonicalJson, documentProblem, naturalKeyOf, payloadHash, referencesOf } from './documents.js';

const model = edfiModel({ dataStandard: '4.0', teds: '2025.2.1' });
const resource = (path: string) => {
  const r = model.resource(path);
  if (r === undefined) throw new Error(path);
  return r;
};
const calendarDate = {
  calendarReference: { calendarCode: '101-7', schoolId: 255901001, schoolYear: 2025 },
  date: '2024-08-14',
  calendarEvents: [{ calendarEventDescriptor: 'uri://tea.texas.gov/CalendarEventDescriptor#01' }],
};

describe('naturalKeyOf', () => {
  it('is the identity values by field name, in the model order', () => {
    expect(naturalKeyOf(resource('ed-fi/calendarDates'), calendarDate)).toEqual({
      key: JSON.stringify({ date: '2024-08-14', calendarCode: '101-7', schoolId: 255901001, schoolYear: 2025 }),
    });
    expect(
      naturalKeyOf(resource('ed-fi/calendars'), { calendarCode: 'HS-A', schoolReference: { schoolId: 1 }, schoolYearTypeReference: { schoolYear: 2025 } }),
    ).toEqual({ key: '{"calendarCode":"HS-A","schoolId":1,"schoolYear":2025}' });
  });

  it('names key parts that share a field name by their whole path', () => {
    const offering = { localCourseCode: 'ALG', schoolReference: { schoolId: 1 }, sessionReference: { schoolId: 1, schoolYear: 2025, sessionName: 'Fall' } };
    expect(JSON.parse(naturalKeyOf(resource('ed-fi/courseOfferings'), offering).key)).toEqual({
      localCourseCode: 'ALG',
      schoolReference_schoolId: 1,
      sessionReference_schoolId: 1,
      schoolYear: 2025,
      sessionName: 'Fall',
    });
  });

  it('names the first identity field that is missing, keeping the key readable', () => {
    expect(naturalKeyOf(resource('ed-fi/calendarDates'), { ...calendarDate, calendarReference: { calendarCode: '101', schoolYear: 2025 } })).toEqual({
      key: JSON.stringify({ date: '2024-08-14', calendarCode: '101', schoolId: null, schoolYear: 2025 }),
      missing: 'calendarReference.schoolId',
    });
  });
});

describe('referencesOf', () => {
  it("gives each referenced record's natural key in the target's own key form", () => {
    const refs = referencesOf(model, resource('ed-fi/calendarDates'), calendarDate);
    expect(refs).toEqual([{ property: 'calendarReference', candidates: [{ target: 'ed-fi/calendars', key: naturalKeyOfCalendar('101-7', 255901001, 2025) }] }]);
  });

  it('leaves out school years and descriptors, which every ODS has before anything is sent', () => {
    const refs = referencesOf(model, resource('ed-fi/calendars'), {
      calendarCode: '1',
      schoolReference: { schoolId: 9 },
      schoolYearTypeReference: { schoolYear: 2025 },
      calendarTypeDescriptor: 'uri://x#y',
    });
    expect(refs).toEqual([{ property: 'schoolReference', candidates: [{ target: 'ed-fi/schools', key: '{"schoolId":9}' }] }]);
  });

  it("gives an abstract ed-org reference each target's own key, schools and LEAs first", () => {
    const course = { courseCode: 'ALG', educationOrganizationReference: { educationOrganizationId: 149913 } };
    const [ref] = referencesOf(model, resource('ed-fi/courses'), course);
    expect(ref?.candidates.slice(0, 2)).toEqual([
      { target: 'ed-fi/schools', key: '{"schoolId":149913}' },
      { target: 'ed-fi/localEducationAgencies', key: '{"localEducationAgencyId":149913}' },
    ]);
  });

  it('follows references inside collections', () => {
    const section = {
      sectionIdentifier: 'S1',
      courseOfferingReference: { localCourseCode: 'ALG', schoolId: 1, schoolYear: 2025, sessionName: 'Fall' },
      classPeriods: [{ classPeriodReference: { classPeriodName: '1', schoolId: 1 } }],
    };
    expect(referencesOf(model, resource('ed-fi/sections'), section).map((r) => r.property)).toEqual([
      'courseOfferingReference',
      'classPeriods[].classPeriodReference',
    ]);
  });

  it('gives the key the referenced record itself has, unified key parts included', () => {
    const section = { sectionIdentifier: 'S1', courseOfferingReference: { localCourseCode: 'ALG', schoolId: 1, schoolYear: 2025, sessionName: 'Fall' } };
    const offering = {
      localCourseCode: 'ALG',
      courseReference: { courseCode: 'ALG', educationOrganizationId: 1 },
      schoolReference: { schoolId: 1 },
      sessionReference: { schoolId: 1, schoolYear: 2025, sessionName: 'Fall' },
    };
    const own = naturalKeyOf(resource('ed-fi/courseOfferings'), offering);
    expect(referencesOf(model, resource('ed-fi/sections'), section)[0]?.candidates).toEqual([{ target: 'ed-fi/courseOfferings', key: own.key }]);
  });
});

function naturalKeyOfCalendar(code: string, school: number, year: number): string {
  const k = naturalKeyOf(resource('ed-fi/calendars'), {
    calendarCode: code,
    schoolReference: { schoolId: school },
    schoolYearTypeReference: { schoolYear: year },
  });
  return k.key;
}

describe('payloadHash', () => {
  it('is the same for the same content built in another key order, and differs when a value changes', () => {
    expect(payloadHash({ a: 1, b: { c: 2, d: [1, 2] } })).toBe(payloadHash({ b: { d: [1, 2], c: 2 }, a: 1 }));
    expect(payloadHash({ a: 1 })).not.toBe(payloadHash({ a: 2 }));
    expect(canonicalJson({ b: 1, a: undefined, c: null })).toBe('{"b":1,"c":null}');
  });

  it('keeps the text and hash the catalog already holds: keys sorted by code unit at every depth, arrays in order, escapes as JSON.stringify', () => {
    const doc = {
      studentUniqueId: 'S"1\\é\u2028',
      birthDate: '2010-05-01',
      z: [3, { b: null, a: [true, 1.5] }, 'x'],
      aB: { y: undefined, x: -0.25 },
      ab: 2,
      _ext: { TX: { pk: 'é' } },
    };
    expect(canonicalJson(doc)).toBe(
      `{"_ext":{"TX":{"pk":"é"}},"aB":{"x":-0.25},"ab":2,"birthDate":"2010-05-01","studentUniqueId":${JSON.stringify(doc.studentUniqueId)},"z":[3,{"a":[true,1.5],"b":null},"x"]}`,
    );
    // Computed by the implementation every catalog was hashed with: a different text republishes everything.
    expect(payloadHash(doc)).toBe('f4f61f566e0cb611478076787dfbb7b8');
  });
});

describe('documentProblem', () => {
  it('accepts a well-formed document, Texas extension included', () => {
    expect(documentProblem(resource('ed-fi/calendarDates'), { ...calendarDate, _ext: { TX: { schoolDayOperationalMinutes: 420 } } })).toBeUndefined();
  });

  it('names a missing required field, a required collection left empty, a bad type, a long string and a bad descriptor', () => {
    const cal = resource('ed-fi/calendars');
    const ok = {
      calendarCode: '1',
      schoolReference: { schoolId: 9 },
      schoolYearTypeReference: { schoolYear: 2025 },
      calendarTypeDescriptor: 'uri://ed-fi.org/CalendarTypeDescriptor#School',
    };
    expect(documentProblem(cal, ok)).toBeUndefined();
    expect(documentProblem(cal, { ...ok, calendarTypeDescriptor: undefined })).toBe('calendarTypeDescriptor is required');
    expect(documentProblem(resource('ed-fi/calendarDates'), { ...calendarDate, calendarEvents: [] })).toBe('calendarEvents needs at least one item');
    expect(documentProblem(cal, { ...ok, schoolReference: { schoolId: '9' } })).toBe('schoolReference.schoolId must be a whole number');
    expect(documentProblem(cal, { ...ok, calendarCode: 'x'.repeat(61) })).toBe('calendarCode is 61 characters; at most 60 are allowed');
    expect(documentProblem(cal, { ...ok, calendarTypeDescriptor: 'School' })).toBe('calendarTypeDescriptor must be a descriptor URI (namespace#codeValue)');
    expect(documentProblem(resource('ed-fi/calendarDates'), { ...calendarDate, date: '2024-13-45' })).toBe('date must be a date (YYYY-MM-DD)');
    expect(documentProblem(resource('ed-fi/calendarDates'), { ...calendarDate, _ext: { TX: { schoolDayOperationalMinutes: 601 } } })).toBe(
      '_ext.TX.schoolDayOperationalMinutes must be at most 600',
    );
  });
});
