import { describe, expect, it } from 'vitest';
import { testContext } from './testing.js';
import { STATE_STUDENT_ID_MISSING, studentRecord, UNIQUE_ID_MISSING } from './students.js';
import { enrollmentRecord } from './studentSchoolAssociations.js';
import { demographicsRecord } from './studentEducationOrganizationAssociations.js';
import { NON_NUMERIC_SCHOOL_ID } from './schoolId.js';
import type { StoredDecision } from '../publishing/descriptorLookup.js';

const map = (codeSet: StoredDecision['codeSet'], code: string, namespace: string, codeValue: string): StoredDecision => ({
  codeSet,
  schoolId: null,
  code,
  mapping: { namespace, codeValue, auto: true },
});
const decisions = [
  map('sex', 'F', 'uri://tea.texas.gov/SexDescriptor', 'F'),
  map('entry-codes', '01', 'uri://tea.texas.gov/EntryTypeDescriptor', '01'),
  map('exit-withdraw-codes', '81', 'uri://tea.texas.gov/ExitWithdrawTypeDescriptor', '81'),
  map('grade-levels', '09', 'uri://tea.texas.gov/GradeLevelDescriptor', '09'),
  map('calendar-types', 'REG', 'uri://tea.texas.gov/CalendarTypeDescriptor', '01'),
];
const ctx = testContext(decisions);

const student = {
  personId: 1619,
  schoolId: 18,
  uniqueId: '4000001619',
  ssn: '999999999',
  studentNumber: '201619',
  firstName: 'Phoebe',
  middleName: 'Presley',
  lastName: 'Oates',
  suffix: null,
  birthDate: '2008-03-14',
  gender: 'F',
  censusBlockGroup: '480850313142',
};

describe('Student ID (students)', () => {
  it("builds the guide's Student ID JSON: names, birth date, mapped sex, and Texas's state id, local id, do-not-report flag and census block group", () => {
    const r = studentRecord(student, ctx());
    expect(r).toEqual({
      sourceKey: '1619',
      schoolId: 18,
      doc: {
        studentUniqueId: '4000001619',
        firstName: 'Phoebe',
        middleName: 'Presley',
        lastSurname: 'Oates',
        birthDate: '2008-03-14',
        birthSexDescriptor: 'uri://tea.texas.gov/SexDescriptor#F',
        _ext: {
          TX: {
            studentId: '999999999',
            localStudentId: '201619',
            studentDoNotReportTSDS: false,
            censusBlockGroupSets: [{ beginDate: '2024-07-01', studentCensusBlockGroup: '480850313142' }],
          },
        },
      },
    });
  });

  it('sends no Texas extension to a profile without one, and no census set for a malformed block group', () => {
    expect(studentRecord(student, ctx({ teds: undefined })).doc._ext).toBeUndefined();
    expect(studentRecord({ ...student, censusBlockGroup: '4808' }, ctx()).doc._ext).not.toHaveProperty('TX.censusBlockGroupSets');
  });

  it('holds a student without a Unique ID as a dependency with the guide\'s "Student/Staff Unique ID" resolution', () => {
    const r = studentRecord({ ...student, uniqueId: null }, ctx());
    expect(r.dependency).toBe(UNIQUE_ID_MISSING);
    expect(r.dependency).toMatch(/^Student\/Staff Unique ID: /);
  });

  it('holds a Texas student without an SSN or S-number as an error (TEA requires E0001); other states do not need it', () => {
    expect(studentRecord({ ...student, ssn: null }, ctx()).error).toBe(STATE_STUDENT_ID_MISSING);
    expect(studentRecord({ ...student, ssn: null }, ctx({ teds: undefined })).error).toBeUndefined();
  });

  it('sends an unmapped sex code as a local descriptor in the profile namespace', () => {
    expect(studentRecord({ ...student, gender: 'X' }, ctx()).doc.birthSexDescriptor).toBe('uri://local.texas.gov/SexDescriptor#X');
  });
});

const enrollment = {
  enrollmentId: 501,
  personId: 1619,
  schoolId: 18,
  calendarId: 7,
  structureId: 70,
  structures: 1,
  calendarType: 'REG' as string | null,
  endYear: 2025,
  uniqueId: '4000001619' as string | null,
  grade: '09',
  serviceType: 'P',
  entryDate: '2024-08-14',
  entryType: '01',
  exitDate: null as string | null,
  exitType: null as string | null,
  edFiSchoolNumber: null,
  stateSchoolNumber: '255901018',
};

describe('School Enrollment (studentSchoolAssociations)', () => {
  it('refers to the student, the school and its calendar, with the mapped entry code and grade level', () => {
    expect(enrollmentRecord(enrollment, ctx())).toEqual({
      sourceKey: '501',
      schoolId: 18,
      doc: {
        studentReference: { studentUniqueId: '4000001619' },
        schoolReference: { schoolId: 255901018 },
        entryDate: '2024-08-14',
        entryGradeLevelDescriptor: 'uri://tea.texas.gov/GradeLevelDescriptor#09',
        entryTypeDescriptor: 'uri://tea.texas.gov/EntryTypeDescriptor#01',
        primarySchool: true,
        schoolYearTypeReference: { schoolYear: 2025 },
        calendarReference: { calendarCode: '7', schoolId: 255901018, schoolYear: 2025 },
      },
    });
  });

  it('carries a withdrawal: the exit date and the mapped Exit/Withdraw code', () => {
    const doc = enrollmentRecord({ ...enrollment, exitDate: '2025-01-10', exitType: '81' }, ctx()).doc;
    expect(doc).toMatchObject({ exitWithdrawDate: '2025-01-10', exitWithdrawTypeDescriptor: 'uri://tea.texas.gov/ExitWithdrawTypeDescriptor#81' });
  });

  it('holds an unmapped entry or exit code as an error naming the code set and the code (TEA needs its own values)', () => {
    expect(enrollmentRecord({ ...enrollment, entryType: 'LT' }, ctx()).error).toMatch(
      /^Entry Codes: the local code "LT" is not mapped .*Mapping → Entry Codes/,
    );
    expect(enrollmentRecord({ ...enrollment, exitDate: '2025-01-10', exitType: 'TR' }, ctx()).error).toMatch(/^Exit Withdraw Codes: the local code "TR"/);
  });

  it("waits for the Unique ID like the Student ID; a school with a non-numeric number is the school's error", () => {
    expect(enrollmentRecord({ ...enrollment, uniqueId: null }, ctx()).dependency).toBe(UNIQUE_ID_MISSING);
    expect(enrollmentRecord({ ...enrollment, stateSchoolNumber: 'A01' }, ctx()).error).toBe(NON_NUMERIC_SCHOOL_ID);
  });

  it('names the calendar by the calendar code rule: calendarId-structureId when the calendar has several structures', () => {
    expect(enrollmentRecord({ ...enrollment, structures: 2 }, ctx()).doc.calendarReference).toEqual({
      calendarCode: '7-70',
      schoolId: 255901018,
      schoolYear: 2025,
    });
  });

  it('with ExcludeUnmappedCalendarReference, leaves out the reference to a calendar whose type is not mapped (and keeps a mapped one)', () => {
    const skip = testContext(decisions, { ExcludeUnmappedCalendarReference: true });
    expect(enrollmentRecord({ ...enrollment, calendarType: 'SUM' }, skip()).doc).not.toHaveProperty('calendarReference');
    expect(enrollmentRecord({ ...enrollment, calendarType: null }, skip()).doc).not.toHaveProperty('calendarReference');
    expect(enrollmentRecord(enrollment, skip()).doc).toHaveProperty('calendarReference');
    expect(enrollmentRecord({ ...enrollment, calendarType: 'SUM' }, ctx()).doc).toHaveProperty('calendarReference');
  });

  it('marks a secondary enrollment as not the primary school', () => {
    expect(enrollmentRecord({ ...enrollment, serviceType: 'S' }, ctx()).doc.primarySchool).toBe(false);
  });
});

const demographics = {
  personId: 1619,
  schoolId: 18,
  leaNumber: '149913',
  uniqueId: '4000001619' as string | null,
  gender: 'F',
  hispanic: true,
  races: ['W', 'B'] as string[] | null,
  homeLanguage: 'SPA' as string | null,
  primaryLanguage: 'ENG' as string | null,
  address: '12 Elm St',
  city: 'Austin',
  state: 'TX',
  zip: '78701',
  phone: '512-555-0100',
  email: null as string | null,
};
const demoCtx = testContext([
  ...decisions,
  map('races', 'W', 'uri://ed-fi.org/RaceDescriptor', 'White'),
  map('races', 'B', 'uri://ed-fi.org/RaceDescriptor', 'Black - African American'),
  map('languages', 'SPA', 'uri://ed-fi.org/LanguageDescriptor', 'spa'),
  map('languages', 'ENG', 'uri://ed-fi.org/LanguageDescriptor', 'eng'),
]);

describe('Student Demographics (studentEducationOrganizationAssociations)', () => {
  it('associates the student with the district, with mapped sex, races and languages (each with its uses), ethnicity and home contact details', () => {
    expect(demographicsRecord(demographics, demoCtx()).doc).toEqual({
      educationOrganizationReference: { educationOrganizationId: 149913 },
      studentReference: { studentUniqueId: '4000001619' },
      sexDescriptor: 'uri://tea.texas.gov/SexDescriptor#F',
      hispanicLatinoEthnicity: true,
      races: [{ raceDescriptor: 'uri://ed-fi.org/RaceDescriptor#White' }, { raceDescriptor: 'uri://ed-fi.org/RaceDescriptor#Black - African American' }],
      languages: [
        {
          languageDescriptor: 'uri://ed-fi.org/LanguageDescriptor#spa',
          uses: [{ languageUseDescriptor: 'uri://ed-fi.org/LanguageUseDescriptor#Home language' }],
        },
        {
          languageDescriptor: 'uri://ed-fi.org/LanguageDescriptor#eng',
          uses: [{ languageUseDescriptor: 'uri://ed-fi.org/LanguageUseDescriptor#Dominant language' }],
        },
      ],
      addresses: [
        {
          addressTypeDescriptor: 'uri://ed-fi.org/AddressTypeDescriptor#Home',
          streetNumberName: '12 Elm St',
          city: 'Austin',
          stateAbbreviationDescriptor: 'uri://ed-fi.org/StateAbbreviationDescriptor#TX',
          postalCode: '78701',
        },
      ],
      telephones: [{ telephoneNumber: '512-555-0100', telephoneNumberTypeDescriptor: 'uri://ed-fi.org/TelephoneNumberTypeDescriptor#Home' }],
    });
  });

  it('gives one language both uses when home and dominant are the same', () => {
    const doc = demographicsRecord({ ...demographics, homeLanguage: 'ENG' }, demoCtx()).doc;
    expect(doc.languages).toEqual([
      {
        languageDescriptor: 'uri://ed-fi.org/LanguageDescriptor#eng',
        uses: [
          { languageUseDescriptor: 'uri://ed-fi.org/LanguageUseDescriptor#Home language' },
          { languageUseDescriptor: 'uri://ed-fi.org/LanguageUseDescriptor#Dominant language' },
        ],
      },
    ]);
  });

  it('holds an unmapped race or language as an error naming the code set and the code; a missing Unique ID as the dependency', () => {
    expect(demographicsRecord({ ...demographics, races: ['Q'] }, demoCtx()).error).toMatch(/^Races: the local code "Q" is not mapped/);
    expect(demographicsRecord({ ...demographics, homeLanguage: 'KLI' }, demoCtx()).error).toMatch(/^Languages: the local code "KLI"/);
    expect(demographicsRecord({ ...demographics, uniqueId: null }, demoCtx()).dependency).toBe(UNIQUE_ID_MISSING);
  });

  it('leaves out an incomplete address rather than sending one the API refuses', () => {
    expect(demographicsRecord({ ...demographics, zip: null }, demoCtx()).doc).not.toHaveProperty('addresses');
  });
});
