/**
 * Students, parents and enrollment (edfi-ds4-resources.md section 3, "Students, parents, enrollment").
 * `personReference` (→ people) is left out on the people resources: people are not modelled.
 */
import { EDORG, bool, c, d, date, dec, int, r, resource, s, str } from './dsl.js';
import { ADDRESS, DISABILITY, ELECTRONIC_MAIL, IDENTIFICATION_DOCUMENT, INTERNATIONAL_ADDRESS, OTHER_NAME, PERSON_NAMES, TELEPHONE } from './shapes.js';

const LANGUAGES = c('languages', d('language*'), c('uses', d('languageUse*')));
const PERIODS = c('periods', s('beginDate*', date), s('endDate', date));

export const students = [
  resource(
    'Student',
    [
      s('studentUniqueId*', str(32)),
      d('birthCountry', 'country'),
      d('birthSex', 'sex'),
      d('birthStateAbbreviation', 'stateAbbreviation'),
      d('citizenshipStatus'),
      s('birthDate!', date),
      ...PERSON_NAMES,
      s('birthCity', str(30)),
      s('birthInternationalProvince', str(150)),
      s('dateEnteredUS', date),
      s('multipleBirthStatus', bool),
      c('identificationDocuments', ...IDENTIFICATION_DOCUMENT),
      c('otherNames', ...OTHER_NAME),
      c('personalIdentificationDocuments', ...IDENTIFICATION_DOCUMENT),
      c('visas', d('visa*')),
    ],
    { person: 'student' },
  ),

  resource(
    'StudentSchoolAssociation',
    [
      s('entryDate*', date),
      r('school*'),
      r('student*'),
      r('calendar'),
      r('classOfSchoolYearType', 'schoolYearTypes'),
      r('graduationPlan'),
      r('schoolYearType'),
      d('entryGradeLevel!', 'gradeLevel'),
      d('entryGradeLevelReason'),
      d('entryType'),
      d('exitWithdrawType'),
      d('residencyStatus'),
      s('employedWhileEnrolled', bool),
      s('exitWithdrawDate', date),
      s('fullTimeEquivalency', dec(5, 4)),
      s('primarySchool', bool),
      s('repeatGradeIndicator', bool),
      s('schoolChoiceTransfer', bool),
      s('termCompletionIndicator', bool),
      c('alternativeGraduationPlans', r('alternativeGraduationPlan*', 'graduationPlans')),
      c('educationPlans', d('educationPlan*')),
    ],
    {
      identityUpdate: true,
      match: ['calendarReference.schoolId = schoolReference.schoolId', 'calendarReference.schoolYear = schoolYearTypeReference.schoolYear'],
    },
  ),

  resource('StudentEducationOrganizationAssociation', [
    r('educationOrganization*', EDORG),
    r('student*'),
    d('barrierToInternetAccessInResidence'),
    d('internetAccessTypeInResidence'),
    d('internetPerformanceInResidence'),
    d('limitedEnglishProficiency'),
    d('oldEthnicity'),
    d('primaryLearningDeviceAccess'),
    d('primaryLearningDeviceAwayFromSchool'),
    d('primaryLearningDeviceProvider'),
    d('sex!'),
    s('hispanicLatinoEthnicity', bool),
    s('internetAccessInResidence', bool),
    s('loginId', str(60)),
    s('profileThumbnail', str(255)),
    c('addresses', ...ADDRESS),
    c('ancestryEthnicOrigins', d('ancestryEthnicOrigin*')),
    c('cohortYears', d('cohortYearType*'), d('term'), r('schoolYearType*')),
    c('disabilities', ...DISABILITY),
    c('electronicMails', ...ELECTRONIC_MAIL),
    c('internationalAddresses', ...INTERNATIONAL_ADDRESS),
    LANGUAGES,
    c(
      'programParticipations',
      d('programType*'),
      s('beginDate', date),
      s('designatedBy', str(60)),
      s('endDate', date),
      c('programCharacteristics', d('programCharacteristic*')),
    ),
    c('races', d('race*')),
    c('studentCharacteristics', d('studentCharacteristic*'), s('designatedBy', str(60)), PERIODS),
    c(
      'studentIdentificationCodes',
      s('assigningOrganizationIdentificationCode*', str(60)),
      d('studentIdentificationSystem*'),
      s('identificationCode!', str(60)),
    ),
    c('studentIndicators', s('indicatorName*', str(200)), s('designatedBy', str(60)), s('indicator!', str(60)), s('indicatorGroup', str(200)), PERIODS),
    c('telephones', ...TELEPHONE),
    c('tribalAffiliations', d('tribalAffiliation*')),
  ]),

  resource('StudentEducationOrganizationResponsibilityAssociation', [
    s('beginDate*', date),
    d('responsibility*'),
    r('educationOrganization*', EDORG),
    r('student*'),
    s('endDate', date),
  ]),

  resource(
    'Parent',
    [
      s('parentUniqueId*', str(32)),
      d('highestCompletedLevelOfEducation', 'levelOfEducation'),
      d('sex'),
      ...PERSON_NAMES,
      s('loginId', str(60)),
      c('addresses', ...ADDRESS),
      c('electronicMails', ...ELECTRONIC_MAIL),
      c('internationalAddresses', ...INTERNATIONAL_ADDRESS),
      LANGUAGES,
      c('otherNames', ...OTHER_NAME),
      c('personalIdentificationDocuments', ...IDENTIFICATION_DOCUMENT),
      c('telephones', ...TELEPHONE),
    ],
    { person: 'contact' },
  ),

  resource('StudentParentAssociation', [
    r('parent*'),
    r('student*'),
    d('relation'),
    s('contactPriority', int()),
    s('contactRestrictions', str(250)),
    s('emergencyContactStatus', bool),
    s('legalGuardian', bool),
    s('livesWith', bool),
    s('primaryContactStatus', bool),
  ]),

  resource(
    'StudentSectionAssociation',
    [
      s('beginDate*', date),
      r('section*'),
      r('student*'),
      d('attemptStatus'),
      d('repeatIdentifier'),
      s('endDate', date),
      s('homeroomIndicator', bool),
      s('teacherStudentDataLinkExclusion', bool),
    ],
    { identityUpdate: true },
  ),
];
