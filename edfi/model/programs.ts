/**
 * Programs and student program participation (edfi-ds4-resources.md section 3; the associations all
 * derive from GeneralStudentProgramAssociation, whose members they share). Left out because the
 * targets are not modelled: programs.learningObjectives[]/learningStandards[].
 */
import { EDORG, bool, c, d, date, dec, int, o, r, resource, s, str, type PropDef } from './dsl.js';
import { DISABILITY, PARTICIPATION_STATUS, PROGRAM_PARTICIPATION_STATUS, SERVICE } from './shapes.js';

/** GeneralStudentProgramAssociation's identity and members, the first and last part of every association. */
const GSPA_KEY: readonly PropDef[] = [s('beginDate*', date), r('educationOrganization*', EDORG), r('program*'), r('student*')];
const GSPA_MEMBERS: readonly PropDef[] = [
  d('reasonExited'),
  s('endDate', date),
  s('servedOutsideOfRegularSession', bool),
  c('programParticipationStatuses', ...PROGRAM_PARTICIPATION_STATUS),
  o('participationStatus', ...PARTICIPATION_STATUS),
];
const PROVIDER: readonly PropDef[] = [s('primaryProvider', bool), r('staff*')];

export const programs = [
  resource('Program', [
    s('programName*', str(60)),
    d('programType*'),
    r('educationOrganization*', EDORG),
    s('programId', str(20)),
    c('characteristics', d('programCharacteristic*')),
    c('services', d('service*')),
    c('sponsors', d('programSponsor*')),
  ]),

  resource('StudentCTEProgramAssociation', [
    ...GSPA_KEY,
    d('technicalSkillsAssessment'),
    s('nonTraditionalGenderStatus', bool),
    s('privateCTEProgram', bool),
    c('ctePrograms', d('careerPathway*'), s('cipCode', str(120)), s('cteProgramCompletionIndicator', bool), s('primaryCTEProgramIndicator', bool)),
    c(
      'cteProgramServices',
      d('cteProgramService*'),
      s('cipCode', str(120)),
      s('primaryIndicator', bool),
      s('serviceBeginDate', date),
      s('serviceEndDate', date),
    ),
    c('services', ...SERVICE),
    ...GSPA_MEMBERS,
  ]),

  resource('StudentLanguageInstructionProgramAssociation', [
    ...GSPA_KEY,
    s('dosage', int()),
    s('englishLearnerParticipation', bool),
    c('englishLanguageProficiencyAssessments', d('monitored'), d('participation'), d('proficiency'), d('progress'), r('schoolYearType*')),
    c(
      'languageInstructionProgramServices',
      d('languageInstructionProgramService*'),
      s('primaryIndicator', bool),
      s('serviceBeginDate', date),
      s('serviceEndDate', date),
    ),
    ...GSPA_MEMBERS,
  ]),

  resource('StudentSpecialEducationProgramAssociation', [
    ...GSPA_KEY,
    d('specialEducationSetting'),
    s('ideaEligibility', bool),
    s('iepBeginDate', date),
    s('iepEndDate', date),
    s('iepReviewDate', date),
    s('lastEvaluationDate', date),
    s('medicallyFragile', bool),
    s('multiplyDisabled', bool),
    s('schoolHoursPerWeek', dec(5, 2)),
    s('specialEducationHoursPerWeek', dec(5, 2)),
    c('disabilities', ...DISABILITY),
    c('serviceProviders', ...PROVIDER),
    c(
      'specialEducationProgramServices',
      d('specialEducationProgramService*'),
      s('primaryIndicator', bool),
      s('serviceBeginDate', date),
      s('serviceEndDate', date),
      c('providers', ...PROVIDER),
    ),
    ...GSPA_MEMBERS,
  ]),

  resource('StudentTitleIPartAProgramAssociation', [
    ...GSPA_KEY,
    d('titleIPartAParticipant!'),
    c('services', ...SERVICE),
    c('titleIPartAProgramServices', d('titleIPartAProgramService*'), s('primaryIndicator', bool), s('serviceBeginDate', date), s('serviceEndDate', date)),
    ...GSPA_MEMBERS,
  ]),
];
