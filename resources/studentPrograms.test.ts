import { describe, expect, it } from 'vitest';
import { mapped, testContext } from './testing.js';
import { PROGRAM_NOT_IN_CATALOG, programMember } from './programMembership.js';
import { specialEducationRecord } from './studentSpecialEducationProgramAssociations.js';
import { UNIQUE_ID_MISSING } from './students.js';
import { NON_NUMERIC_SCHOOL_ID } from './schoolId.js';
import { restraintRecord } from './restraintEvents.js';

const ctx = testContext([mapped('disabilities', '07', 'uri://tea.texas.gov/DisabilityDescriptor', '07')]);

const member = {
  memberId: 12,
  schoolId: 3,
  uniqueId: '4000001619',
  firstName: 'Phoebe',
  lastName: 'Oates',
  studentNumber: '201619',
  beginDate: '2024-08-14',
  endDate: null,
  programName: 'Special education',
  programType: 'Special Education',
  leaNumber: '149913',
  edFiSchoolNumber: null,
  stateSchoolNumber: '149913001',
};

describe('Student Programs', () => {
  it('refers to the program as the Program Catalog sends it, at the school, from the begin date', () => {
    expect(programMember(member, ctx(), {}).doc).toEqual({
      studentReference: { studentUniqueId: '4000001619' },
      educationOrganizationReference: { educationOrganizationId: 149913001 },
      programReference: {
        educationOrganizationId: 149913,
        programName: 'Special education',
        programTypeDescriptor: 'uri://ed-fi.org/ProgramTypeDescriptor#Special Education',
      },
      beginDate: '2024-08-14',
    });
  });

  it("holds a student without a Unique ID, a school without a number and a program the catalog cannot send, each with the guide's reason", () => {
    expect(programMember({ ...member, uniqueId: null }, ctx(), {}).dependency).toBe(UNIQUE_ID_MISSING);
    expect(programMember({ ...member, stateSchoolNumber: 'A01' }, ctx(), {}).error).toBe(NON_NUMERIC_SCHOOL_ID);
    expect(programMember({ ...member, programType: null }, ctx(), {}).dependency).toBe(PROGRAM_NOT_IN_CATALOG);
  });

  it('sends special education with the mapped primary disability and IEP dates, and names an unmapped disability', () => {
    const row = {
      ...member,
      primaryDisability: '07',
      iepBeginDate: '2024-05-01',
      iepEndDate: '2025-04-30',
      iepReviewDate: null,
      lastEvaluationDate: '2023-03-03',
      medicallyFragile: false,
      multiplyDisabled: true,
    };
    expect(specialEducationRecord(row, ctx()).doc).toMatchObject({
      disabilities: [{ disabilityDescriptor: 'uri://tea.texas.gov/DisabilityDescriptor#07', orderOfDisability: 1 }],
      iepBeginDate: '2024-05-01',
      iepEndDate: '2025-04-30',
      lastEvaluationDate: '2023-03-03',
      multiplyDisabled: true,
    });
    expect(specialEducationRecord(row, ctx()).doc).not.toHaveProperty('iepReviewDate');
    expect(specialEducationRecord({ ...row, primaryDisability: '99' }, ctx()).error).toMatch(/^Disabilities: the local code "99" is not mapped/);
  });
});

describe('Restraint Events', () => {
  const row = {
    restraintId: 5,
    schoolId: 3,
    uniqueId: '4000001619',
    firstName: 'Phoebe',
    lastName: 'Oates',
    studentNumber: '201619',
    eventDate: '2024-10-02',
    reason: '02',
    staffType: '01',
    environment: 'Classroom',
    edFiSchoolNumber: null,
    stateSchoolNumber: '149913001',
  };

  it('sends the restraint with its TEA reason, environment and, in Texas, the restraint staff type', () => {
    expect(restraintRecord(row, ctx()).doc).toEqual({
      restraintEventIdentifier: '5',
      schoolReference: { schoolId: 149913001 },
      studentReference: { studentUniqueId: '4000001619' },
      eventDate: '2024-10-02',
      reasons: [{ restraintEventReasonDescriptor: 'uri://tea.texas.gov/RestraintEventReasonDescriptor#02' }],
      educationalEnvironmentDescriptor: 'uri://ed-fi.org/EducationalEnvironmentDescriptor#Classroom',
      _ext: { TX: { restraintStaffTypeDescriptor: 'uri://tea.texas.gov/RestraintStaffTypeDescriptor#01' } },
    });
  });

  it('holds a restraint of a student without a Unique ID, and sends no Texas extension to a profile without one', () => {
    expect(restraintRecord({ ...row, uniqueId: null }, ctx()).dependency).toBe(UNIQUE_ID_MISSING);
    expect(restraintRecord(row, ctx({ teds: undefined })).doc).not.toHaveProperty('_ext');
  });
});
