/**
 * Descriptor resources (edfi-ds4-resources.md section 5; edfi-api-facts.md section 6). All have the same
 * body and the natural key namespace + codeValue; values are referred to by the URI `namespace#codeValue`.
 */
import { descriptor, type ResourceDef } from './dsl.js';

/** Needed by identity or required fields (directly, or inside identifying references). */
export const REQUIRED_DESCRIPTORS: readonly string[] = [
  'behaviorDescriptors', 'calendarEventDescriptors', 'calendarTypeDescriptors', 'classroomPositionDescriptors',
  'cohortTypeDescriptors', 'courseAttemptResultDescriptors', 'courseIdentificationSystemDescriptors',
  'disciplineDescriptors', 'educationOrganizationCategoryDescriptors', 'employmentStatusDescriptors',
  'gradeLevelDescriptors', 'gradeTypeDescriptors', 'gradingPeriodDescriptors', 'graduationPlanTypeDescriptors',
  'localEducationAgencyCategoryDescriptors', 'programAssignmentDescriptors', 'programTypeDescriptors',
  'responsibilityDescriptors', 'sexDescriptors', 'staffClassificationDescriptors', 'termDescriptors',
  'titleIPartAParticipantDescriptors',
];

/** Used only by optional fields or as keys of optional collection items. */
export const OPTIONAL_DESCRIPTORS: readonly string[] = [
  'academicHonorCategoryDescriptors', 'academicSubjectDescriptors', 'achievementCategoryDescriptors',
  'additionalCreditTypeDescriptors', 'addressTypeDescriptors', 'administrativeFundingControlDescriptors',
  'ancestryEthnicOriginDescriptors', 'assessmentReportingMethodDescriptors', 'attemptStatusDescriptors',
  'barrierToInternetAccessInResidenceDescriptors', 'careerPathwayDescriptors',
  'charterApprovalAgencyTypeDescriptors', 'charterStatusDescriptors', 'citizenshipStatusDescriptors',
  'cohortScopeDescriptors', 'cohortYearTypeDescriptors', 'competencyLevelDescriptors', 'countryDescriptors',
  'courseDefinedByDescriptors', 'courseGPAApplicabilityDescriptors', 'courseLevelCharacteristicDescriptors',
  'courseRepeatCodeDescriptors', 'creditCategoryDescriptors', 'creditTypeDescriptors',
  'cteProgramServiceDescriptors', 'curriculumUsedDescriptors', 'diplomaLevelDescriptors', 'diplomaTypeDescriptors',
  'disabilityDescriptors', 'disabilityDesignationDescriptors', 'disabilityDeterminationSourceTypeDescriptors',
  'disciplineActionLengthDifferenceReasonDescriptors', 'disciplineIncidentParticipationCodeDescriptors',
  'educationOrganizationIdentificationSystemDescriptors', 'educationPlanDescriptors',
  'educationalEnvironmentDescriptors', 'electronicMailTypeDescriptors', 'entryGradeLevelReasonDescriptors',
  'entryTypeDescriptors', 'exitWithdrawTypeDescriptors', 'gradePointAverageTypeDescriptors',
  'gunFreeSchoolsActReportingStatusDescriptors', 'identificationDocumentUseDescriptors',
  'incidentLocationDescriptors', 'indicatorDescriptors', 'indicatorGroupDescriptors', 'indicatorLevelDescriptors',
  'institutionTelephoneNumberTypeDescriptors', 'internetAccessDescriptors',
  'internetAccessTypeInResidenceDescriptors', 'internetPerformanceInResidenceDescriptors', 'languageDescriptors',
  'languageInstructionProgramServiceDescriptors', 'languageUseDescriptors', 'levelOfEducationDescriptors',
  'limitedEnglishProficiencyDescriptors', 'localeDescriptors', 'magnetSpecialProgramEmphasisSchoolDescriptors',
  'mediumOfInstructionDescriptors', 'methodCreditEarnedDescriptors', 'monitoredDescriptors',
  'oldEthnicityDescriptors', 'operationalStatusDescriptors', 'otherNameTypeDescriptors', 'participationDescriptors',
  'participationStatusDescriptors', 'performanceBaseConversionDescriptors', 'performanceLevelDescriptors',
  'personalInformationVerificationDescriptors', 'populationServedDescriptors',
  'primaryLearningDeviceAccessDescriptors', 'primaryLearningDeviceAwayFromSchoolDescriptors',
  'primaryLearningDeviceProviderDescriptors', 'proficiencyDescriptors', 'programCharacteristicDescriptors',
  'programSponsorDescriptors', 'progressDescriptors', 'raceDescriptors', 'reasonExitedDescriptors',
  'recognitionTypeDescriptors', 'relationDescriptors', 'repeatIdentifierDescriptors',
  'reporterDescriptionDescriptors', 'residencyStatusDescriptors', 'restraintEventReasonDescriptors',
  'resultDatatypeTypeDescriptors', 'schoolCategoryDescriptors', 'schoolChoiceImplementStatusDescriptors',
  'schoolTypeDescriptors', 'sectionCharacteristicDescriptors', 'separationDescriptors',
  'separationReasonDescriptors', 'serviceDescriptors', 'sourceSystemDescriptors',
  'specialEducationProgramServiceDescriptors', 'specialEducationSettingDescriptors',
  'staffIdentificationSystemDescriptors', 'stateAbbreviationDescriptors', 'studentCharacteristicDescriptors',
  'studentIdentificationSystemDescriptors', 'technicalSkillsAssessmentDescriptors', 'telephoneNumberTypeDescriptors',
  'titleIPartAProgramServiceDescriptors', 'titleIPartASchoolDesignationDescriptors', 'tribalAffiliationDescriptors',
  'visaDescriptors', 'weaponDescriptors',
];

/** New in DS 5.x, for the fields section 7 adds (names and tables from the DS 5.2 DDL). */
export const DS5_NEW_DESCRIPTORS: readonly string[] = [
  'dualCreditInstitutionDescriptors', 'dualCreditTypeDescriptors', 'eligibilityDelayReasonDescriptors',
  'eligibilityEvaluationTypeDescriptors', 'enrollmentTypeDescriptors', 'evaluationDelayReasonDescriptors', 'ideaPartDescriptors',
  'schoolChoiceBasisDescriptors', 'sectionTypeDescriptors', 'specialEducationExitReasonDescriptors',
  'supporterMilitaryConnectionDescriptors',
];

/** DS 4.0 descriptors gone in DS 5.x. */
export const DS5_REMOVED_DESCRIPTORS: readonly string[] = ['oldEthnicityDescriptors'];

/** Entity names whose leading acronym the plain capitalisation would get wrong. */
const ENTITY: Readonly<Record<string, string>> = {
  cteProgramServiceDescriptors: 'CTEProgramServiceDescriptor',
  ideaPartDescriptors: 'IDEAPartDescriptor',
};

export function edfiDescriptors(names: readonly string[]): ResourceDef[] {
  return names.map((name) => descriptor('ed-fi', name, ENTITY[name]));
}
