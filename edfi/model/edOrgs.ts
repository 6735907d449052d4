/**
 * Education organizations and school years (edfi-ds4-resources.md section 3, "Education organizations
 * & types"). stateEducationAgencies and educationServiceCenters are outside the product's publishing
 * scope but are modelled (identity, name, categories, the shared ed-org collections) because LEAs
 * reference them and they are targets of every abstract `educationOrganizationReference`.
 */
import { bool, c, d, int, money, dec, r, resource, s, str, type PropDef } from './dsl.js';
import { ADDRESS, EDORG_INDICATOR, INTERNATIONAL_ADDRESS } from './shapes.js';

/** What every ed-org inherits from EducationOrganization; the category collection's name differs per type. */
function edOrgCommon(categories: 'categories' | 'educationOrganizationCategories'): PropDef[] {
  return [
    d('operationalStatus'),
    s('nameOfInstitution!', str(75)),
    s('shortNameOfInstitution', str(75)),
    s('webSite', str(255)),
    c('addresses', ...ADDRESS),
    c(`${categories}!`, d('educationOrganizationCategory*')),
    c('identificationCodes', d('educationOrganizationIdentificationSystem*'), s('identificationCode!', str(60))),
    c('indicators', ...EDORG_INDICATOR),
    c('institutionTelephones', d('institutionTelephoneNumberType*'), s('telephoneNumber!', str(24))),
    c('internationalAddresses', ...INTERNATIONAL_ADDRESS),
  ];
}

export const edOrgs = [
  resource('SchoolYearType', [s('schoolYear*', int()), s('currentSchoolYear!', bool), s('schoolYearDescription!', str(50))]),

  resource('StateEducationAgency', [s('stateEducationAgencyId*', int()), ...edOrgCommon('categories')]),

  resource('EducationServiceCenter', [s('educationServiceCenterId*', int()), r('stateEducationAgency'), ...edOrgCommon('categories')]),

  resource('LocalEducationAgency', [
    s('localEducationAgencyId*', int()),
    r('educationServiceCenter'),
    r('parentLocalEducationAgency', 'localEducationAgencies'),
    r('stateEducationAgency'),
    d('charterStatus'),
    d('localEducationAgencyCategory!'),
    ...edOrgCommon('categories'),
    c('accountabilities', d('gunFreeSchoolsActReportingStatus'), d('schoolChoiceImplementStatus'), r('schoolYearType*')),
    c(
      'federalFunds',
      s('fiscalYear*', int()),
      s('innovativeDollarsSpent', money),
      s('innovativeDollarsSpentStrategicPriorities', money),
      s('innovativeProgramsFundsReceived', money),
      s('schoolImprovementAllocation', money),
      s('schoolImprovementReservedFundsPercentage', dec(5, 4)),
      s('stateAssessmentAdministrationFunding', dec(5, 4)),
      s('supplementalEducationalServicesFundsSpent', money),
      s('supplementalEducationalServicesPerPupilExpenditure', money),
    ),
  ]),

  resource('School', [
    s('schoolId*', int()),
    r('charterApprovalSchoolYearType', 'schoolYearTypes'),
    r('localEducationAgency'),
    d('administrativeFundingControl'),
    d('charterApprovalAgencyType'),
    d('charterStatus'),
    d('internetAccess'),
    d('magnetSpecialProgramEmphasisSchool'),
    d('schoolType'),
    d('titleIPartASchoolDesignation'),
    ...edOrgCommon('educationOrganizationCategories'),
    c('schoolCategories', d('schoolCategory*')),
    c('gradeLevels!', d('gradeLevel*')),
  ]),
];
