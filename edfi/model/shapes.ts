/**
 * Collection item shapes shared by several resources (edfi-ds4-resources.md section 4). Lengths and
 * types from the DS 4.0 DDL (Ed-Fi-ODS `Standard/4.0.0/Artifacts/MsSql/Structure/Ods/0020-Tables.sql`).
 */
import { bool, c, d, date, int, s, str, type PropDef } from './dsl.js';

const PERIODS = c('periods', s('beginDate*', date), s('endDate', date));

export const ADDRESS: readonly PropDef[] = [
  d('addressType*'),
  s('city*', str(30)),
  s('postalCode*', str(17)),
  d('stateAbbreviation*'),
  s('streetNumberName*', str(150)),
  s('apartmentRoomSuiteNumber', str(50)),
  s('buildingSiteNumber', str(20)),
  s('congressionalDistrict', str(30)),
  s('countyFIPSCode', str(5)),
  s('doNotPublishIndicator', bool),
  s('latitude', str(20)),
  d('locale'),
  s('longitude', str(20)),
  s('nameOfCounty', str(30)),
  PERIODS,
];

export const COURSE_IDENTIFICATION_CODE: readonly PropDef[] = [
  d('courseIdentificationSystem*'),
  s('assigningOrganizationIdentificationCode', str(60)),
  s('courseCatalogURL', str(255)),
  s('identificationCode!', str(60)),
];

export const DISABILITY: readonly PropDef[] = [
  d('disability*'),
  d('disabilityDeterminationSourceType'),
  s('disabilityDiagnosis', str(80)),
  s('orderOfDisability', int()),
  c('designations', d('disabilityDesignation*')),
];

export const EDORG_INDICATOR: readonly PropDef[] = [
  d('indicator*'),
  s('designatedBy', str(60)),
  d('indicatorGroup'),
  d('indicatorLevel'),
  s('indicatorValue', str(60)),
  PERIODS,
];

export const ELECTRONIC_MAIL: readonly PropDef[] = [
  s('electronicMailAddress*', str(128)),
  d('electronicMailType*'),
  s('doNotPublishIndicator', bool),
  s('primaryEmailAddressIndicator', bool),
];

export const IDENTIFICATION_DOCUMENT: readonly PropDef[] = [
  d('identificationDocumentUse*'),
  d('personalInformationVerification*'),
  s('documentExpirationDate', date),
  s('documentTitle', str(60)),
  d('issuerCountry', 'country'),
  s('issuerDocumentIdentificationCode', str(60)),
  s('issuerName', str(150)),
];

export const INTERNATIONAL_ADDRESS: readonly PropDef[] = [
  d('addressType*'),
  s('addressLine1!', str(150)),
  s('addressLine2', str(150)),
  s('addressLine3', str(150)),
  s('addressLine4', str(150)),
  s('beginDate', date),
  d('country!'),
  s('endDate', date),
  s('latitude', str(20)),
  s('longitude', str(20)),
];

export const OTHER_NAME: readonly PropDef[] = [
  d('otherNameType*'),
  s('firstName!', str(75)),
  s('generationCodeSuffix', str(10)),
  s('lastSurname!', str(75)),
  s('middleName', str(75)),
  s('personalTitlePrefix', str(30)),
];

export const PROGRAM_PARTICIPATION_STATUS: readonly PropDef[] = [
  d('participationStatus*'),
  s('statusBeginDate*', date),
  s('designatedBy', str(60)),
  s('statusEndDate', date),
];

export const RECOGNITION: readonly PropDef[] = [
  d('recognitionType*'),
  d('achievementCategory'),
  s('achievementCategorySystem', str(60)),
  s('achievementTitle', str(60)),
  s('criteria', str(150)),
  s('criteriaURL', str(255)),
  s('evidenceStatement', str(150)),
  s('imageURL', str(255)),
  s('issuerName', str(150)),
  s('issuerOriginURL', str(255)),
  s('recognitionAwardDate', date),
  s('recognitionAwardExpiresDate', date),
  s('recognitionDescription', str(80)),
];

export const SERVICE: readonly PropDef[] = [d('service*'), s('primaryIndicator', bool), s('serviceBeginDate', date), s('serviceEndDate', date)];

export const TELEPHONE: readonly PropDef[] = [
  s('telephoneNumber*', str(24)),
  d('telephoneNumberType*'),
  s('doNotPublishIndicator', bool),
  s('orderOfPriority', int()),
  s('textMessageCapabilityIndicator', bool),
];

/** The embedded `participationStatus` object on DS 4.0 student program associations (removed in DS 5). */
export const PARTICIPATION_STATUS: readonly PropDef[] = [
  s('designatedBy', str(60)),
  d('participationStatus!'),
  s('statusBeginDate', date),
  s('statusEndDate', date),
];

/** Names of people (students, staffs, parents/contacts). */
export const PERSON_NAMES: readonly PropDef[] = [
  s('firstName!', str(75)),
  s('lastSurname!', str(75)),
  s('generationCodeSuffix', str(10)),
  s('maidenName', str(75)),
  s('middleName', str(75)),
  s('personalTitlePrefix', str(30)),
];
