/**
 * Staff (edfi-ds4-resources.md section 3, "Staff"). Left out because the targets are not modelled:
 * staffs.credentials[] and personReference, the associations' optional credentialReference.
 */
import { EDORG, bool, c, d, date, dec, int, money, r, resource, s, str } from './dsl.js';
import { ADDRESS, ELECTRONIC_MAIL, IDENTIFICATION_DOCUMENT, INTERNATIONAL_ADDRESS, OTHER_NAME, PERSON_NAMES, RECOGNITION, TELEPHONE } from './shapes.js';

export const staff = [
  resource(
    'Staff',
    [
      s('staffUniqueId*', str(32)),
      d('citizenshipStatus'),
      d('highestCompletedLevelOfEducation', 'levelOfEducation'),
      d('oldEthnicity'),
      d('sex'),
      ...PERSON_NAMES,
      s('birthDate', date),
      s('highlyQualifiedTeacher', bool),
      s('hispanicLatinoEthnicity', bool),
      s('loginId', str(60)),
      s('yearsOfPriorProfessionalExperience', dec(5, 2)),
      s('yearsOfPriorTeachingExperience', dec(5, 2)),
      c('addresses', ...ADDRESS),
      c('ancestryEthnicOrigins', d('ancestryEthnicOrigin*')),
      c('electronicMails', ...ELECTRONIC_MAIL),
      c('identificationCodes', d('staffIdentificationSystem*'), s('assigningOrganizationIdentificationCode', str(60)), s('identificationCode!', str(60))),
      c('identificationDocuments', ...IDENTIFICATION_DOCUMENT),
      c('internationalAddresses', ...INTERNATIONAL_ADDRESS),
      c('languages', d('language*'), c('uses', d('languageUse*'))),
      c('otherNames', ...OTHER_NAME),
      c('personalIdentificationDocuments', ...IDENTIFICATION_DOCUMENT),
      c('races', d('race*')),
      c('recognitions', ...RECOGNITION),
      c('telephones', ...TELEPHONE),
      c('tribalAffiliations', d('tribalAffiliation*')),
      c('visas', d('visa*')),
    ],
    { person: 'staff' },
  ),

  resource('StaffEducationOrganizationEmploymentAssociation', [
    d('employmentStatus*'),
    s('hireDate*', date),
    r('educationOrganization*', EDORG),
    r('staff*'),
    d('separation'),
    d('separationReason'),
    s('department', str(60)),
    s('endDate', date),
    s('fullTimeEquivalency', dec(5, 4)),
    s('hourlyWage', money),
    s('offerDate', date),
  ]),

  resource(
    'StaffEducationOrganizationAssignmentAssociation',
    [
      s('beginDate*', date),
      d('staffClassification*'),
      r('educationOrganization*', EDORG),
      r('staff*'),
      r('employmentStaffEducationOrganizationEmploymentAssociation', 'staffEducationOrganizationEmploymentAssociations'),
      s('endDate', date),
      s('fullTimeEquivalency', dec(5, 4)),
      s('orderOfAssignment', int()),
      s('positionTitle', str(100)),
    ],
    { match: ['employmentStaffEducationOrganizationEmploymentAssociationReference.staffUniqueId = staffReference.staffUniqueId'] },
  ),

  resource(
    'StaffSchoolAssociation',
    [
      d('programAssignment*'),
      r('school*'),
      r('staff*'),
      r('calendar'),
      r('schoolYearType'),
      c('academicSubjects', d('academicSubject*')),
      c('gradeLevels', d('gradeLevel*')),
    ],
    {
      match: ['calendarReference.schoolId = schoolReference.schoolId', 'calendarReference.schoolYear = schoolYearTypeReference.schoolYear'],
    },
  ),

  resource('StaffSectionAssociation', [
    r('section*'),
    r('staff*'),
    d('classroomPosition!'),
    s('beginDate', date),
    s('endDate', date),
    s('highlyQualifiedTeacher', bool),
    s('percentageContribution', dec(5, 4)),
    s('teacherStudentDataLinkExclusion', bool),
  ]),
];
