import { describe, expect, it } from 'vitest';
import { mapped, testContext } from './testing.js';
import { STAFF_ID_MISSING, STAFF_UNIQUE_ID_MISSING, staffRecord } from './staffs.js';
import { DEFAULT_EMPLOYMENT_STATUS, employmentRecord } from './staffEducationOrganizationEmploymentAssociations.js';
import { assignmentRecord } from './staffEducationOrganizationAssignmentAssociations.js';
import { staffSchoolRecord } from './staffSchoolAssociations.js';
import { staffSectionRecord } from './staffSectionAssociations.js';
import { MISSING_SECTION_MEETING } from './schedules.js';
import { NON_NUMERIC_SCHOOL_ID } from './schoolId.js';
import { ONLY_STATE_SERVICE_IDS } from '../publishing/profileScope.js';

const map = mapped;
const decisions = [
  map('sex', 'F', 'uri://tea.texas.gov/SexDescriptor', 'F'),
  map('races', 'W', 'uri://ed-fi.org/RaceDescriptor', 'White'),
  map('staff-classifications', '087', 'uri://tea.texas.gov/StaffClassificationDescriptor', '087'),
  map('levels-of-education', 'MA', 'uri://ed-fi.org/LevelOfEducationDescriptor', "Master's"),
];
const sisProfile = testContext(decisions);
const hrProfile = testContext(decisions, {}, { profileType: 'HR-only', sisProduct: 'Other' });

const person = { uniqueId: '3000000123', firstName: 'Ada', lastName: 'Reyes', staffNumber: 'E000123' };
const staff = {
  ...person,
  personId: 123,
  schoolId: 2,
  ssn: '600000123',
  middleName: null,
  birthDate: '1980-05-06',
  gender: 'F',
  hispanic: true,
  raceCodes: ['W'],
  email: 'ada.reyes@example.org',
  highestEducation: 'MA',
  yearsExperience: 12,
};
const school = { edFiSchoolNumber: null, stateSchoolNumber: '149913001' };

describe('Staff', () => {
  it('sends the staff member with mapped sex, races and level of education, and the Texas staff id and experience', () => {
    const r = staffRecord(staff, hrProfile());
    expect(r).toMatchObject({ sourceKey: '123', schoolId: 2 });
    expect(r.error ?? r.dependency).toBeUndefined();
    expect(r.doc).toMatchObject({
      staffUniqueId: '3000000123',
      sexDescriptor: 'uri://tea.texas.gov/SexDescriptor#F',
      hispanicLatinoEthnicity: true,
      races: [{ raceDescriptor: 'uri://ed-fi.org/RaceDescriptor#White' }],
      highestCompletedLevelOfEducationDescriptor: "uri://ed-fi.org/LevelOfEducationDescriptor#Master's",
      electronicMails: [{ electronicMailAddress: 'ada.reyes@example.org', electronicMailTypeDescriptor: 'uri://ed-fi.org/ElectronicMailTypeDescriptor#Work' }],
      yearsOfPriorTeachingExperience: 12,
      _ext: { TX: { staffId: '600000123', staffDoNotReportTSDS: false, totalYearsPriorTeachingExperience: 12 } },
    });
  });

  it("holds a staff member without a Unique ID with the guide's dependency, and one without a TX staff id as an error", () => {
    expect(staffRecord({ ...staff, uniqueId: null }, hrProfile()).dependency).toBe(STAFF_UNIQUE_ID_MISSING);
    expect(staffRecord({ ...staff, ssn: null }, hrProfile()).error).toBe(STAFF_ID_MISSING);
    expect(staffRecord({ ...staff, ssn: '12345' }, hrProfile()).error).toBe(STAFF_ID_MISSING);
  });

  it("caps years of experience at TEDS's 99 and names an unmapped race", () => {
    expect(staffRecord({ ...staff, yearsExperience: 140 }, hrProfile()).doc.yearsOfPriorTeachingExperience).toBe(99);
    expect(staffRecord({ ...staff, raceCodes: ['B'] }, hrProfile()).error).toMatch(/^Races: the local code "B" is not mapped/);
  });
});

describe('Staff Employment', () => {
  const row = {
    ...person,
    sourceKey: '41',
    schoolId: 2,
    leaNumber: '149913',
    status: 'C',
    hireDate: '2019-08-01',
    endDate: null,
    fte: '1.0000',
    isDefault: false,
  };

  it('sends the employment by the LEA with its status, hire date and FTE', () => {
    expect(employmentRecord(row, hrProfile()).doc).toEqual({
      staffReference: { staffUniqueId: '3000000123' },
      educationOrganizationReference: { educationOrganizationId: 149913 },
      employmentStatusDescriptor: 'uri://local.texas.gov/EmploymentStatusDescriptor#C',
      hireDate: '2019-08-01',
      fullTimeEquivalency: 1,
    });
  });

  it('sends a default employment, status Other, hired when the assignment began', () => {
    const d = employmentRecord({ ...row, sourceKey: 'default-123', status: null, fte: null, isDefault: true }, hrProfile());
    expect(d.doc).toMatchObject({ employmentStatusDescriptor: DEFAULT_EMPLOYMENT_STATUS, hireDate: '2019-08-01' });
    expect(d.display?.kind).toBe('Default (no HR employment)');
  });

  it('leaves out an FTE beyond one (Ed-Fi counts a fraction of a full-time position)', () => {
    expect(employmentRecord({ ...row, fte: '40' }, hrProfile()).doc).not.toHaveProperty('fullTimeEquivalency');
  });
});

describe('Staff Assignment', () => {
  const row = {
    ...person,
    ...school,
    assignmentId: 7,
    schoolId: 2,
    serviceId: '087',
    title: 'Teacher - Math',
    beginDate: '2024-08-05',
    endDate: null,
    fte: '1',
  };

  it('sends the assignment to the school with the Service ID as the state staff classification', () => {
    const r = assignmentRecord(row, sisProfile());
    expect(r.excluded ?? r.error).toBeUndefined();
    expect(r.doc).toMatchObject({
      educationOrganizationReference: { educationOrganizationId: 149913001 },
      staffClassificationDescriptor: 'uri://tea.texas.gov/StaffClassificationDescriptor#087',
      positionTitle: 'Teacher - Math',
    });
  });

  it('from a SIS profile without HR staff, excludes an assignment whose Service ID is not a state value', () => {
    expect(assignmentRecord({ ...row, serviceId: 'X9' }, sisProfile()).excluded).toBe(ONLY_STATE_SERVICE_IDS);
  });

  it('from an HR profile, holds an unmapped Service ID as an error naming the mapping', () => {
    expect(assignmentRecord({ ...row, serviceId: 'X9' }, hrProfile()).error).toMatch(/^Staff Classifications: the local code "X9" is not mapped/);
    expect(assignmentRecord({ ...row, edFiSchoolNumber: null, stateSchoolNumber: 'A12' }, hrProfile()).error).toBe(NON_NUMERIC_SCHOOL_ID);
  });
});

describe('Staff School and Staff Section', () => {
  it('sends the staff school with its program assignment and school year', () => {
    const r = staffSchoolRecord({ ...person, ...school, staffSchoolId: 5, schoolId: 2, endYear: 2025, programAssignment: 'REG' }, sisProfile());
    expect(r.doc).toEqual({
      staffReference: { staffUniqueId: '3000000123' },
      schoolReference: { schoolId: 149913001 },
      schoolYearTypeReference: { schoolYear: 2025 },
      programAssignmentDescriptor: 'uri://local.texas.gov/ProgramAssignmentDescriptor#REG',
    });
  });

  it("sends a teacher's section of one term, and holds a section that meets nowhere", () => {
    const row = {
      ...person,
      ...school,
      sourceKey: '9-3',
      schoolId: 2,
      endYear: 2025,
      sectionId: 88,
      localCourseCode: 'ALG1',
      termState: 'Fall Semester',
      role: 'T',
      beginDate: '2024-08-14',
      endDate: '2024-12-20',
    };
    const r = staffSectionRecord(row, sisProfile());
    expect(r.doc).toMatchObject({
      sectionReference: { localCourseCode: 'ALG1', schoolId: 149913001, schoolYear: 2025, sectionIdentifier: '88' },
      classroomPositionDescriptor: 'uri://local.texas.gov/ClassroomPositionDescriptor#T',
      beginDate: '2024-08-14',
      endDate: '2024-12-20',
    });
    expect(staffSectionRecord({ ...row, termState: null }, sisProfile()).dependency).toBe(MISSING_SECTION_MEETING);
  });
});
