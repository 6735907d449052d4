import { describe, expect, it } from 'vitest';
import { edfiModel, type Property, type ReferenceProperty, type ResourceModel } from './index.js';

const DS4 = edfiModel({ dataStandard: '4.0' });
const DS5 = edfiModel({ dataStandard: '5.x' });

function get(path: string, model = DS5): ResourceModel {
  const r = model.resource(path);
  if (!r) throw new Error(`${path} missing`);
  return r;
}
const prop = (r: ResourceModel, name: string): Property | undefined => r.properties.find((p) => p.name === name);
function ref(r: ResourceModel, name: string): ReferenceProperty {
  const p = prop(r, name);
  if (p?.kind !== 'reference') throw new Error(`${r.path}.${name} is not a reference`);
  return p;
}

describe('DS 5.x', () => {
  it('renames parents to contacts and studentParentAssociations to studentContactAssociations', () => {
    expect(DS5.resource('ed-fi/parents')).toBeUndefined();
    expect(DS5.resource('ed-fi/studentParentAssociations')).toBeUndefined();
    const contacts = get('ed-fi/contacts');
    expect(contacts).toMatchObject({ entity: 'Contact', person: 'contact', identity: [['contactUniqueId']] });
    const sca = get('ed-fi/studentContactAssociations');
    expect(sca.entity).toBe('StudentContactAssociation');
    expect(sca.identity).toEqual([
      ['contactReference', 'contactUniqueId'],
      ['studentReference', 'studentUniqueId'],
    ]);
    expect(ref(sca, 'contactReference').targets).toEqual(['ed-fi/contacts']);
    // Body otherwise the same as parents, plus the new optional fields.
    const parentNames = get('ed-fi/parents', DS4)
      .properties.map((p) => p.name)
      .filter((n) => n !== 'parentUniqueId');
    expect(contacts.properties.map((p) => p.name)).toEqual(['contactUniqueId', ...parentNames, 'preferredFirstName', 'preferredLastSurname', 'genderIdentity']);
  });

  it('keys gradingPeriods by gradingPeriodName, and every grading period reference follows', () => {
    const gp = get('ed-fi/gradingPeriods');
    expect(gp.identity).toEqual([
      ['gradingPeriodDescriptor'],
      ['gradingPeriodName'],
      ['schoolReference', 'schoolId'],
      ['schoolYearTypeReference', 'schoolYear'],
    ]);
    expect(prop(gp, 'periodSequence')).toMatchObject({ identity: false, required: false });
    const grades = get('ed-fi/grades');
    expect(ref(grades, 'gradingPeriodReference').fields.map((f) => f.name)).toEqual(['gradingPeriodDescriptor', 'gradingPeriodName', 'schoolId', 'schoolYear']);
    expect(grades.identity).toContainEqual(['gradingPeriodReference', 'gradingPeriodName']);
    expect(grades.identity).not.toContainEqual(['gradingPeriodReference', 'periodSequence']);
    const sessionPeriods = prop(get('ed-fi/sessions'), 'gradingPeriods');
    const item = sessionPeriods?.kind === 'collection' ? sessionPeriods.item.properties[0] : undefined;
    expect(item?.kind === 'reference' && item.fields.map((f) => f.name)).toContain('gradingPeriodName');
  });

  it('adds beginDate to the staffSectionAssociations identity', () => {
    expect(get('ed-fi/staffSectionAssociations').identity).toEqual([
      ['beginDate'],
      ...['localCourseCode', 'schoolId', 'schoolYear', 'sectionIdentifier', 'sessionName'].map((f) => ['sectionReference', f]),
      ['staffReference', 'staffUniqueId'],
    ]);
  });

  it('removes what section 7 removes', () => {
    expect(DS5.resource('ed-fi/oldEthnicityDescriptors')).toBeUndefined();
    const gone: [string, string][] = [
      ['disciplineActions', 'receivedEducationServicesDuringExpulsion'],
      ['disciplineIncidents', 'staffReference'],
      ['studentEducationOrganizationAssociations', 'oldEthnicityDescriptor'],
      ['staffs', 'oldEthnicityDescriptor'],
      ['studentEducationOrganizationAssociations', 'programParticipations'],
      ['studentCTEProgramAssociations', 'ctePrograms'],
      ['studentCTEProgramAssociations', 'services'],
      ['studentTitleIPartAProgramAssociations', 'services'],
      ['programs', 'services'],
      ['courses', 'academicSubjectDescriptor'],
      ['studentAcademicRecords', 'cumulativeGradePointAverage'],
      ['studentAcademicRecords', 'cumulativeGradePointsEarned'],
      ['studentAcademicRecords', 'sessionGradePointAverage'],
      ['studentAcademicRecords', 'sessionGradePointsEarned'],
      ['studentAcademicRecords', 'gradeValueQualifier'],
      ['courseTranscripts', 'alternativeCourseCode'],
      ...[
        'studentCTEProgramAssociations',
        'studentLanguageInstructionProgramAssociations',
        'studentSpecialEducationProgramAssociations',
        'studentTitleIPartAProgramAssociations',
      ].map((n): [string, string] => [n, 'participationStatus']),
    ];
    for (const [resource, name] of gone) {
      expect(prop(get(`ed-fi/${resource}`, DS4), name), `DS4 ${resource}.${name}`).toBeDefined();
      expect(prop(get(`ed-fi/${resource}`), name), `DS5 ${resource}.${name}`).toBeUndefined();
    }
    expect(prop(get('ed-fi/studentCTEProgramAssociations'), 'programParticipationStatuses')).toBeDefined();
  });

  it('makes SEOA sexDescriptor and courseTranscripts earnedCredits optional', () => {
    expect(prop(get('ed-fi/studentEducationOrganizationAssociations', DS4), 'sexDescriptor')?.required).toBe(true);
    expect(prop(get('ed-fi/studentEducationOrganizationAssociations'), 'sexDescriptor')?.required).toBe(false);
    expect(prop(get('ed-fi/courseTranscripts', DS4), 'earnedCredits')?.required).toBe(true);
    expect(prop(get('ed-fi/courseTranscripts'), 'earnedCredits')?.required).toBe(false);
  });

  it('adds the new optional fields', () => {
    const added: Record<string, string[]> = {
      students: ['preferredFirstName', 'preferredLastSurname'],
      staffs: ['preferredFirstName', 'preferredLastSurname', 'genderIdentity'],
      studentEducationOrganizationAssociations: ['genderIdentity', 'supporterMilitaryConnectionDescriptor'],
      studentSchoolAssociations: [
        'nextYearSchoolReference',
        'nextYearGradeLevelDescriptor',
        'enrollmentTypeDescriptor',
        'schoolChoice',
        'schoolChoiceBasisDescriptor',
      ],
      studentSectionAssociations: [
        'dualCreditEducationOrganizationReference',
        'dualCreditIndicator',
        'dualCreditInstitutionDescriptor',
        'dualCreditTypeDescriptor',
        'dualHighSchoolCreditIndicator',
        'programs',
      ],
      sections: ['sectionTypeDescriptor'],
      courses: ['academicSubjects'],
      courseTranscripts: ['coursePrograms', 'responsibleTeacherStaffReference', 'sections'],
      grades: ['gradeEarnedDescription'],
      restraintEvents: ['disciplineIncidentReference'],
      studentDisciplineIncidentBehaviorAssociations: ['weapons'],
      staffEducationOrganizationEmploymentAssociations: ['annualWage'],
      studentSpecialEducationProgramAssociations: [
        'specialEducationExitDate',
        'specialEducationExitReasonDescriptor',
        'specialEducationExitExplained',
        'reductionInHoursPerWeekComparedToPeers',
        'shortenedSchoolDayIndicator',
      ],
    };
    for (const [resource, names] of Object.entries(added)) {
      for (const name of names) {
        expect(prop(get(`ed-fi/${resource}`, DS4), name), `DS4 ${resource}.${name}`).toBeUndefined();
        expect(prop(get(`ed-fi/${resource}`), name), `DS5 ${resource}.${name}`).toMatchObject({ required: false });
      }
    }
    expect(ref(get('ed-fi/studentSchoolAssociations'), 'nextYearSchoolReference').targets).toEqual(['ed-fi/schools']);
    expect(get('ed-fi/restraintEvents').mustMatch).toContainEqual({
      left: ['disciplineIncidentReference', 'schoolId'],
      right: ['schoolReference', 'schoolId'],
    });
  });

  it('adds studentSpecialEducationProgramEligibilityAssociations', () => {
    expect(DS4.resource('ed-fi/studentSpecialEducationProgramEligibilityAssociations')).toBeUndefined();
    const r = get('ed-fi/studentSpecialEducationProgramEligibilityAssociations');
    expect(r.identity).toEqual([
      ['consentToEvaluationReceivedDate'],
      ['educationOrganizationReference', 'educationOrganizationId'],
      ['programReference', 'educationOrganizationId'],
      ['programReference', 'programName'],
      ['programReference', 'programTypeDescriptor'],
      ['studentReference', 'studentUniqueId'],
    ]);
    expect(prop(r, 'ideaPartDescriptor')).toMatchObject({ required: true, descriptor: 'ed-fi/ideaPartDescriptors' });
    expect(get('ed-fi/ideaPartDescriptors').isDescriptor).toBe(true);
  });

  it('keeps every other identity the same as DS 4.0', () => {
    const changed = new Set(['ed-fi/gradingPeriods', 'ed-fi/grades', 'ed-fi/staffSectionAssociations', 'ed-fi/parents', 'ed-fi/studentParentAssociations']);
    for (const r of DS4.resources.values()) {
      if (changed.has(r.path) || r.path === 'ed-fi/oldEthnicityDescriptors') continue;
      expect(get(r.path).identity, r.path).toEqual(r.identity);
    }
  });

  it('widens the identifiers DS 5.2 widened', () => {
    expect(prop(get('ed-fi/disciplineIncidents'), 'incidentIdentifier')).toMatchObject({ type: { kind: 'string', maxLength: 36 } });
    expect(prop(get('ed-fi/disciplineIncidents', DS4), 'incidentIdentifier')).toMatchObject({ type: { kind: 'string', maxLength: 20 } });
    const behaviour = ref(get('ed-fi/studentDisciplineIncidentBehaviorAssociations'), 'disciplineIncidentReference');
    expect(behaviour.fields.find((f) => f.name === 'incidentIdentifier')?.type).toEqual({ kind: 'string', maxLength: 36 });
  });
});
