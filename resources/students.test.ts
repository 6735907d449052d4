import { describe, expect, it } from 'vitest';
import { mapped, testContext } from './testing.js';
import { EXCLUDED_WITHOUT_UNIQUE_ID, STATE_STUDENT_ID_MISSING, studentRecord, UNIQUE_ID_MISSING } from './students.js';
import { enrollmentRecord } from './studentSchoolAssociations.js';
import { demographicsRecord } from './studentEducationOrganizationAssociations.js';
import { contactRecord, relationshipRecord } from './parents.js';
import { studentSectionRecord } from './studentSectionAssociations.js';
import { responsibilityRecord } from './studentEducationOrganizationResponsibilityAssociations.js';
import { MISSING_SECTION_MEETING } from './schedules.js';
import { applicationRecord } from './studentApplications.js';
import { leaverParentRecord, leaverRecord, leaverRelationshipRecord } from './priorYearLeavers.js';
import { NON_NUMERIC_SCHOOL_ID } from './schoolId.js';

const map = mapped;
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
  grade: '09' as string | null,
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
      display: { studentName: 'Phoebe Oates', studentUid: '4000001619', studentNumber: '201619', gradeLevel: '09' },
    });
  });

  it('sends no Texas extension to a profile without one, and no census set for a malformed block group', () => {
    expect(studentRecord(student, ctx({ teds: undefined })).doc._ext).toBeUndefined();
    expect(studentRecord({ ...student, censusBlockGroup: '4808' }, ctx()).doc._ext).not.toHaveProperty('TX.censusBlockGroupSets');
  });

  it('excludes a student without a Unique ID, with the reason, when the profile says so (ExcludeStudentsWithoutUniqueIDs)', () => {
    const excluding = testContext(decisions, { ExcludeStudentsWithoutUniqueIDs: true });
    const r = studentRecord({ ...student, uniqueId: null }, excluding());
    expect(r.excluded).toBe(EXCLUDED_WITHOUT_UNIQUE_ID);
    expect(r.dependency).toBeUndefined();
    expect(enrollmentRecord({ ...enrollment, uniqueId: null }, excluding()).excluded).toBe(EXCLUDED_WITHOUT_UNIQUE_ID);
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
  firstName: 'Phoebe',
  lastName: 'Oates',
  studentNumber: '201619',
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
      display: { studentName: 'Phoebe Oates', studentUid: '4000001619', studentNumber: '201619', gradeLevel: '09', entryDate: '2024-08-14', exitDate: null },
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
  firstName: 'Phoebe',
  lastName: 'Oates',
  studentNumber: '201619',
  grade: '09' as string | null,
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

describe('Contacts (parents / contacts, studentParentAssociations / studentContactAssociations)', () => {
  const contact = {
    personId: 90001,
    schoolId: 18,
    firstName: 'Maria',
    middleName: null,
    lastName: 'Oates',
    gender: 'F',
    address: '12 Elm St',
    city: 'Austin',
    state: 'TX',
    zip: '78701',
    phone: '512-555-0101',
    email: 'maria@mail.example.com',
  };
  it('sends a contact under the Data Standard’s id field, with a cell phone and e-mail', () => {
    const ds4 = contactRecord(contact, ctx()).doc;
    expect(ds4).toMatchObject({ parentUniqueId: '90001', firstName: 'Maria', lastSurname: 'Oates', sexDescriptor: 'uri://tea.texas.gov/SexDescriptor#F' });
    expect(ds4.telephones).toEqual([
      { telephoneNumber: '512-555-0101', telephoneNumberTypeDescriptor: 'uri://ed-fi.org/TelephoneNumberTypeDescriptor#Mobile' },
    ]);
    expect(ds4.electronicMails).toEqual([
      { electronicMailAddress: 'maria@mail.example.com', electronicMailTypeDescriptor: 'uri://ed-fi.org/ElectronicMailTypeDescriptor#Home/Personal' },
    ]);
    const ds5 = contactRecord(contact, ctx({ dataStandard: '5.x', teds: undefined })).doc;
    expect(ds5).toHaveProperty('contactUniqueId', '90001');
    expect(ds5).not.toHaveProperty('parentUniqueId');
  });

  const pair = {
    relatedPairId: 7,
    schoolId: 18,
    uniqueId: '4000001619' as string | null,
    studentName: 'Phoebe Oates',
    contactName: 'Maria Oates',
    contactId: 90001,
    relation: 'MOT',
    guardian: true,
    livesWith: true,
    priority: 1 as number | null,
  };
  it('relates student and contact with the relation (unmapped: a local descriptor), guardian, lives-with and emergency priority', () => {
    expect(relationshipRecord(pair, ctx()).doc).toEqual({
      studentReference: { studentUniqueId: '4000001619' },
      parentReference: { parentUniqueId: '90001' },
      relationDescriptor: 'uri://local.texas.gov/RelationDescriptor#MOT',
      legalGuardian: true,
      livesWith: true,
      emergencyContactStatus: true,
      primaryContactStatus: true,
      contactPriority: 1,
    });
    expect(relationshipRecord(pair, ctx({ dataStandard: '5.x', teds: undefined })).doc).toHaveProperty('contactReference', { contactUniqueId: '90001' });
    expect(relationshipRecord({ ...pair, priority: null }, ctx()).doc).toMatchObject({ emergencyContactStatus: false, primaryContactStatus: false });
    expect(relationshipRecord({ ...pair, uniqueId: null }, ctx()).dependency).toBe(UNIQUE_ID_MISSING);
  });
});

describe('Student Section (studentSectionAssociations)', () => {
  const roster = {
    sourceKey: '33-4',
    schoolId: 18,
    endYear: 2025,
    sectionId: 812,
    localCourseCode: 'ALG1',
    termState: 'Fall Semester' as string | null,
    uniqueId: '4000001619' as string | null,
    firstName: 'Phoebe',
    lastName: 'Oates',
    studentNumber: '201619',
    beginDate: '2024-08-14',
    endDate: '2024-12-20' as string | null,
    edFiSchoolNumber: null,
    stateSchoolNumber: '255901018',
  };
  it("refers to the term's Ed-Fi section (section id, course, session) with the roster's dates in that term", () => {
    expect(studentSectionRecord(roster, ctx()).doc).toEqual({
      studentReference: { studentUniqueId: '4000001619' },
      sectionReference: { localCourseCode: 'ALG1', schoolId: 255901018, schoolYear: 2025, sectionIdentifier: '812', sessionName: '2024-2025 Fall Semester' },
      beginDate: '2024-08-14',
      endDate: '2024-12-20',
    });
  });
  it('waits with "Missing Section Meeting Record" when the section meets in no period, and for a missing Unique ID', () => {
    expect(studentSectionRecord({ ...roster, termState: null }, ctx()).dependency).toBe(MISSING_SECTION_MEETING);
    expect(studentSectionRecord({ ...roster, uniqueId: null }, ctx()).dependency).toBe(UNIQUE_ID_MISSING);
  });
});

describe('Responsible Organizations (studentEducationOrganizationResponsibilityAssociations)', () => {
  const row = {
    responsibilityId: 4,
    schoolId: 19,
    uniqueId: '4000001619' as string | null,
    responsibility: 'Accountability',
    beginDate: '2024-08-14',
    endDate: null as string | null,
    edFiSchoolNumber: null,
    stateSchoolNumber: '255901019',
  };
  it("names the responsible campus and the core Responsibility value of the SIS's code", () => {
    expect(responsibilityRecord(row, ctx()).doc).toEqual({
      studentReference: { studentUniqueId: '4000001619' },
      educationOrganizationReference: { educationOrganizationId: 255901019 },
      responsibilityDescriptor: 'uri://ed-fi.org/ResponsibilityDescriptor#Accountability',
      beginDate: '2024-08-14',
    });
    expect(responsibilityRecord({ ...row, uniqueId: null }, ctx()).dependency).toBe(UNIQUE_ID_MISSING);
    expect(responsibilityRecord({ ...row, stateSchoolNumber: 'X1' }, ctx()).error).toBe(NON_NUMERIC_SCHOOL_ID);
  });
});

describe('Prior Year Leavers (tx/priorYearLeavers, tx/priorYearLeaverParents, tx/priorYearLeaverStudentParentAssociations)', () => {
  const leaver = {
    leaverId: 3,
    schoolId: 18,
    uniqueId: '4000001619' as string | null,
    ssn: '999999999',
    studentNumber: '201619',
    firstName: 'Phoebe',
    middleName: null,
    lastName: 'Oates',
    birthDate: '2006-03-14',
    gender: 'F',
    hispanic: false,
    races: ['W'],
    grade: '09',
    exitDate: '2024-05-30',
    exitCode: '81',
    octoberStatus: '03',
    address: '12 Elm St',
    city: 'Austin',
    state: 'TX',
    zip: '78701',
    phone: null,
    email: null,
    edFiSchoolNumber: null,
    stateSchoolNumber: '255901018',
  };
  const lctx = testContext([...decisions, map('races', 'W', 'uri://ed-fi.org/RaceDescriptor', 'White')]);
  it('keys a leaver by last school and Unique ID, with the mapped exit code, the October status and one address object (an array in TEDS 2024.2.1)', () => {
    const doc = leaverRecord(leaver, lctx()).doc;
    expect(doc).toMatchObject({
      schoolReference: { schoolId: 255901018 },
      studentUId: '4000001619',
      studentId: '999999999',
      exitWithdrawTypeDescriptor: 'uri://tea.texas.gov/ExitWithdrawTypeDescriptor#81',
      asOfStatusLastFridayOctoberDescriptor: 'uri://tea.texas.gov/AsOfStatusLastFridayOctoberDescriptor#03',
      races: [{ raceDescriptor: 'uri://ed-fi.org/RaceDescriptor#White' }],
      address: { city: 'Austin', postalCode: '78701' },
    });
    expect(leaverRecord(leaver, lctx({ teds: '2024.2.1' })).doc).toHaveProperty('addresses');
    expect(leaverRecord({ ...leaver, exitCode: 'TR' }, lctx()).error).toMatch(/^Exit Withdraw Codes: the local code "TR"/);
    expect(leaverRecord({ ...leaver, uniqueId: null }, lctx()).dependency).toBe(UNIQUE_ID_MISSING);
  });

  it("sends a leaver's contact with single address, phone and e-mail objects from TEDS 2025.2.1, arrays before", () => {
    const parent = {
      personId: 90001,
      schoolId: 18,
      firstName: 'Maria',
      middleName: null,
      lastName: 'Oates',
      address: null,
      city: null,
      state: null,
      zip: null,
      phone: '512',
      email: 'm@x.org',
    };
    expect(leaverParentRecord(parent, ctx()).doc).toEqual({
      parentUId: '90001',
      firstName: 'Maria',
      lastSurname: 'Oates',
      telephone: { telephoneNumber: '512', telephoneNumberTypeDescriptor: 'uri://ed-fi.org/TelephoneNumberTypeDescriptor#Mobile' },
      electronicMail: { electronicMailAddress: 'm@x.org', electronicMailTypeDescriptor: 'uri://ed-fi.org/ElectronicMailTypeDescriptor#Home/Personal' },
    });
    expect(leaverParentRecord(parent, ctx({ teds: '2024.2.1' })).doc).toHaveProperty('telephones');
  });

  it('relates a leaver and a contact by their references, the relation and the priority', () => {
    const pair = {
      relatedPairId: 9,
      schoolId: 18,
      uniqueId: '4000001619',
      contactId: 90001,
      relation: 'MOT',
      priority: 2,
      edFiSchoolNumber: null,
      stateSchoolNumber: '255901018',
    };
    expect(leaverRelationshipRecord(pair, ctx()).doc).toEqual({
      priorYearLeaverReference: { schoolId: 255901018, studentUId: '4000001619' },
      priorYearLeaverParentReference: { parentUId: '90001' },
      relationDescriptor: 'uri://local.texas.gov/RelationDescriptor#MOT',
      contactPriority: 2,
    });
  });
});

describe('Student Application (tx/studentApplications)', () => {
  const app = {
    applicationId: 12,
    schoolId: 18,
    endYear: 2025,
    applicationType: '01',
    applicationDate: '2024-04-02',
    grade: '09',
    firstName: 'Ava',
    lastName: 'Stone',
    birthDate: '2010-01-02',
    gender: 'F',
    ssn: '812345678' as string | null,
    uniqueId: null as string | null,
    edFiSchoolNumber: null,
    stateSchoolNumber: '255901018',
  };
  it("applies to the charter campus for the year with TEA's application type, the grade and the state student id", () => {
    expect(applicationRecord(app, ctx()).doc).toEqual({
      educationOrganizationReference: { educationOrganizationId: 255901018 },
      schoolYearTypeReference: { schoolYear: 2025 },
      applicationIdentifier: '12',
      applicationTypeDescriptor: 'uri://tea.texas.gov/ApplicationTypeDescriptor#01',
      applicationDate: '2024-04-02',
      entryGradeLevelDescriptor: 'uri://tea.texas.gov/GradeLevelDescriptor#09',
      sexDescriptor: 'uri://tea.texas.gov/SexDescriptor#F',
      firstName: 'Ava',
      lastSurname: 'Stone',
      birthDate: '2010-01-02',
      studentId: '812345678',
    });
    expect(applicationRecord({ ...app, uniqueId: '7000000012' }, ctx()).doc.studentUId).toBe('7000000012');
    expect(applicationRecord({ ...app, ssn: null }, ctx()).error).toBe(STATE_STUDENT_ID_MISSING);
    expect(applicationRecord({ ...app, gender: 'X' }, ctx()).error).toMatch(/^Sex: the local code "X"/);
  });
});
