import { describe, expect, it } from 'vitest';
import { mapped, testContext } from './testing.js';
import { incidentRecord } from './disciplineIncidents.js';
import { behaviorRoleRecord } from './studentDisciplineIncidentBehaviorAssociations.js';
import { disciplineActionRecord, DISCIPLINE_MISSING } from './disciplineActions.js';
import { UNIQUE_ID_MISSING } from './students.js';
import { cohortRecord, cohortTypeUnmapped } from './cohorts.js';
import { studentCohortRecord } from './studentCohortAssociations.js';
import { staffCohortRecord } from './staffCohortAssociations.js';
import { STAFF_UNIQUE_ID_MISSING } from './staffs.js';

const TEA = 'uri://tea.texas.gov';
const ctx = testContext([
  mapped('behavior-categories', '41', `${TEA}/BehaviorDescriptor`, '41'),
  mapped('disciplines', 'DET', `${TEA}/DisciplineDescriptor`, '27'),
  mapped('discipline-action-length-difference-reasons', '00', `${TEA}/DisciplineActionLengthDifferenceReasonDescriptor`, '00'),
  mapped('cohort-types', 'CLUB', 'uri://ed-fi.org/CohortTypeDescriptor', 'Extracurricular Activity'),
]);
const school = { schoolId: 3, edFiSchoolNumber: null, stateSchoolNumber: '149913001' };
const student = { uniqueId: '4000001619', firstName: 'Phoebe', lastName: 'Oates', studentNumber: '201619' };
const role = { ...school, ...student, incidentId: 77, incidentDate: '2024-10-02', behavior: '41' };

describe('Student Discipline', () => {
  const incident = {
    ...school,
    incidentId: 77,
    incidentDate: '2024-10-02',
    incidentTime: '10:15:00',
    title: 'Fight',
    location: 'CAF',
    description: null,
    reportedToPolice: false,
    behaviors: [{ code: '41', description: null }],
  };

  it('sends an incident with its behaviors as TEA codes and an unmapped location as a local descriptor', () => {
    const r = incidentRecord(incident, ctx());
    expect(r.error).toBeUndefined();
    expect(r.doc).toEqual({
      incidentIdentifier: '77',
      schoolReference: { schoolId: 149913001 },
      incidentDate: '2024-10-02',
      incidentTime: '10:15:00',
      incidentDescription: 'Fight',
      incidentLocationDescriptor: 'uri://local.texas.gov/IncidentLocationDescriptor#CAF',
      reportedToLawEnforcement: false,
      behaviors: [{ behaviorDescriptor: `${TEA}/BehaviorDescriptor#41` }],
    });
  });

  it('holds an incident with a behavior TEA has no code for as an error naming Behavior Categories', () => {
    expect(incidentRecord({ ...incident, behaviors: [{ code: 'CELL', description: null }] }, ctx()).error).toMatch(
      /^Behavior Categories: the local code "CELL"/,
    );
  });

  it("refers a student's behavior to the incident at its school, waiting on a student without a Unique ID", () => {
    const r = behaviorRoleRecord({ ...role, roleId: 5, role: 'OFF' }, ctx());
    expect(r.doc).toMatchObject({
      behaviorDescriptor: `${TEA}/BehaviorDescriptor#41`,
      disciplineIncidentReference: { incidentIdentifier: '77', schoolId: 149913001 },
      studentReference: { studentUniqueId: '4000001619' },
    });
    expect(behaviorRoleRecord({ ...role, roleId: 5, role: 'OFF', uniqueId: null }, ctx()).dependency).toBe(UNIQUE_ID_MISSING);
  });

  const action = {
    ...role,
    actionId: 9,
    action: 'DET',
    disciplineDate: '2024-10-03',
    lengthDays: 2,
    actualLengthDays: 2,
    lengthDifference: '00',
    assignmentEdFiSchoolNumber: null,
    assignmentStateSchoolNumber: '149913001',
  };

  it('sends an action with the mapped TEA discipline, the length difference, the behavior it answers and the Texas lengths in whole days', () => {
    const r = disciplineActionRecord(action, ctx());
    expect(r.error).toBeUndefined();
    expect(r.doc).toMatchObject({
      disciplineActionIdentifier: '9',
      responsibilitySchoolReference: { schoolId: 149913001 },
      assignmentSchoolReference: { schoolId: 149913001 },
      disciplines: [{ disciplineDescriptor: `${TEA}/DisciplineDescriptor#27` }],
      disciplineActionLengthDifferenceReasonDescriptor: `${TEA}/DisciplineActionLengthDifferenceReasonDescriptor#00`,
      studentDisciplineIncidentBehaviorAssociations: [
        {
          studentDisciplineIncidentBehaviorAssociationReference: {
            behaviorDescriptor: `${TEA}/BehaviorDescriptor#41`,
            incidentIdentifier: '77',
            schoolId: 149913001,
            studentUniqueId: '4000001619',
          },
        },
      ],
      _ext: { TX: { officialLengthOfDisciplinaryAssignment: 2, actualLengthOfDisciplinaryAssignment: 2 } },
    });
  });

  it('holds an action whose discipline or length difference has no TEA code as an error naming the code set', () => {
    expect(disciplineActionRecord({ ...action, action: '99' }, ctx()).error).toMatch(/^Disciplines: the local code "99"/);
    expect(disciplineActionRecord({ ...action, lengthDifference: 'WD' }, ctx()).error).toMatch(
      /^Discipline Action Length Difference Reasons: the local code "WD"/,
    );
    expect(disciplineActionRecord({ ...action, action: '' }, ctx()).error).toBe(DISCIPLINE_MISSING);
  });
});

describe('Cohort Groups', () => {
  const cohort = {
    cohortId: 4,
    schoolId: 3,
    cohortName: 'Chess Club',
    cohortType: 'CLUB',
    leaNumber: '149913',
    edFiSchoolNumber: null,
    stateSchoolNumber: '149913001',
  };

  it('sends a group mapped to a Cohort Type under its school, and a district-wide one under the LEA', () => {
    expect(cohortRecord({ ...cohort, description: null, programName: null, programType: null }, ctx()).doc).toEqual({
      cohortIdentifier: '4',
      educationOrganizationReference: { educationOrganizationId: 149913001 },
      cohortTypeDescriptor: 'uri://ed-fi.org/CohortTypeDescriptor#Extracurricular Activity',
      cohortDescription: 'Chess Club',
    });
    const district = cohortRecord({ ...cohort, schoolId: null, stateSchoolNumber: null, description: null, programName: null, programType: null }, ctx());
    expect(district.doc.educationOrganizationReference).toEqual({ educationOrganizationId: 149913 });
  });

  it('excludes a group whose type is not mapped, and its students and staff, saying which type to map', () => {
    const gt = { ...cohort, cohortType: 'GT' };
    expect(cohortRecord({ ...gt, description: null, programName: null, programType: null }, ctx()).excluded).toBe(cohortTypeUnmapped('GT'));
    const member = { ...gt, ...student, memberId: 1, beginDate: '2024-08-28', endDate: null };
    expect(studentCohortRecord(member, ctx()).excluded).toBe(cohortTypeUnmapped('GT'));
    expect(staffCohortRecord({ ...member, staffNumber: 'E1' }, ctx()).excluded).toBe(cohortTypeUnmapped('GT'));
  });

  it('refers a member to the group, waiting on a person without a Unique ID', () => {
    const member = { ...cohort, ...student, memberId: 1, beginDate: '2024-08-28', endDate: null };
    expect(studentCohortRecord(member, ctx()).doc).toEqual({
      cohortReference: { cohortIdentifier: '4', educationOrganizationId: 149913001 },
      studentReference: { studentUniqueId: '4000001619' },
      beginDate: '2024-08-28',
    });
    expect(studentCohortRecord({ ...member, uniqueId: null }, ctx()).dependency).toBe(UNIQUE_ID_MISSING);
    expect(staffCohortRecord({ ...member, staffNumber: 'E1', uniqueId: null }, ctx()).dependency).toBe(STAFF_UNIQUE_ID_MISSING);
  });
});
