/**
 * Data Standard 5.x, as edits of the DS 4.0 definitions (edfi-ds4-resources.md section 7). Types of
 * the added fields, the new resource and the widened identifiers come from the DS 5.2 DDL
 * (Ed-Fi-ODS `Standard/5.2.0/Artifacts/MsSql/Structure/Ods/0020-Tables.sql`).
 *
 * Not modelled: SEOA `displacedStudents[]` (its key is a reference to crisisEvents, which is not
 * modelled); reportCards (gone already in DS 4.0 here).
 */
import { EDORG, bool, c, camel, d, date, dec, int, money, mustMatch, pathOf, plural, r, resource, s, str, type PropDef, type ResourceDef } from './dsl.js';
import type { ScalarType } from './types.js';
import { DS5_NEW_DESCRIPTORS, DS5_REMOVED_DESCRIPTORS, edfiDescriptors } from './descriptors.js';

type Edit = (def: ResourceDef) => ResourceDef;

function find(def: ResourceDef, name: string): number {
  const i = def.properties.findIndex((p) => p.name === name);
  // A typo here would silently leave DS 4.0 behaviour in place, so fail the build instead.
  if (i < 0) throw new Error(`DS 5.x edit: ${pathOf(def)} has no property ${name}`);
  return i;
}

function mapProp(name: string, fn: (p: PropDef) => PropDef): Edit {
  return (def) => {
    const i = find(def, name);
    return { ...def, properties: def.properties.map((p, j) => (j === i ? fn(p) : p)) };
  };
}

const add =
  (...props: PropDef[]): Edit =>
  (def) => ({ ...def, properties: [...def.properties, ...props] });
const replace = (name: string, prop: PropDef): Edit => mapProp(name, () => prop);
const optional = (name: string): Edit => mapProp(name, (p) => ({ ...p, identity: false, required: false }));
const identity = (name: string): Edit => mapProp(name, (p) => ({ ...p, identity: true, required: true }));
const widen = (name: string, type: ScalarType): Edit => mapProp(name, (p) => (p.kind === 'scalar' ? { ...p, type } : p));
const match =
  (text: string): Edit =>
  (def) => ({ ...def, mustMatch: [...def.mustMatch, mustMatch(text)] });
const renameTo =
  (entity: string): Edit =>
  (def) => ({ ...def, entity, name: plural(camel(entity)) });
function drop(...names: string[]): Edit {
  return (def) => {
    for (const n of names) find(def, n);
    return { ...def, properties: def.properties.filter((p) => !names.includes(p.name)) };
  };
}

const PREFERRED_NAMES = [s('preferredFirstName', str(75)), s('preferredLastSurname', str(75))];
const GENDER_IDENTITY = s('genderIdentity', str(60));
const PROGRAM_ASSOCIATIONS = [
  'studentCTEProgramAssociations',
  'studentLanguageInstructionProgramAssociations',
  'studentSpecialEducationProgramAssociations',
  'studentTitleIPartAProgramAssociations',
];

/** Section 7, resource by resource. Keys are DS 4.0 paths. */
const EDITS: readonly (readonly [string, ...Edit[]])[] = [
  ['parents', renameTo('Contact'), replace('parentUniqueId', s('contactUniqueId*', str(32))), add(...PREFERRED_NAMES, GENDER_IDENTITY)],
  ['studentParentAssociations', renameTo('StudentContactAssociation'), replace('parentReference', r('contact*'))],
  // periodSequence leaves the key (becomes optional) and gradingPeriodName joins it; references follow.
  ['gradingPeriods', replace('periodSequence', s('gradingPeriodName*', str(60))), add(s('periodSequence', int()))],
  ['staffSectionAssociations', identity('beginDate')],
  ['students', add(...PREFERRED_NAMES)],
  ['staffs', drop('oldEthnicityDescriptor'), add(...PREFERRED_NAMES, GENDER_IDENTITY)],
  [
    'studentEducationOrganizationAssociations',
    drop('oldEthnicityDescriptor', 'programParticipations'),
    optional('sexDescriptor'),
    add(GENDER_IDENTITY, d('supporterMilitaryConnection')),
  ],
  [
    'studentSchoolAssociations',
    add(r('nextYearSchool', 'schools'), d('nextYearGradeLevel', 'gradeLevel'), d('enrollmentType'), s('schoolChoice', bool), d('schoolChoiceBasis')),
  ],
  [
    'studentSectionAssociations',
    add(
      r('dualCreditEducationOrganization', EDORG),
      s('dualCreditIndicator', bool),
      d('dualCreditInstitution'),
      d('dualCreditType'),
      s('dualHighSchoolCreditIndicator', bool),
      c('programs', r('program*')),
    ),
  ],
  ['sections', add(d('sectionType'))],
  ['courses', drop('academicSubjectDescriptor'), add(c('academicSubjects', d('academicSubject*')))],
  ['programs', drop('services')],
  [
    'courseTranscripts',
    drop('alternativeCourseCode'),
    optional('earnedCredits'),
    add(c('coursePrograms', r('courseProgram*', 'programs')), r('responsibleTeacherStaff', 'staffs'), c('sections', r('section*'))),
  ],
  [
    'studentAcademicRecords',
    drop('cumulativeGradePointAverage', 'cumulativeGradePointsEarned', 'sessionGradePointAverage', 'sessionGradePointsEarned', 'gradeValueQualifier'),
  ],
  ['grades', add(s('gradeEarnedDescription', str(64)))],
  ['studentCTEProgramAssociations', drop('ctePrograms', 'services')],
  ['studentTitleIPartAProgramAssociations', drop('services')],
  [
    'studentSpecialEducationProgramAssociations',
    add(
      s('specialEducationExitDate', date),
      d('specialEducationExitReason'),
      s('specialEducationExitExplained', str(1024)),
      s('reductionInHoursPerWeekComparedToPeers', dec(5, 2)),
      s('shortenedSchoolDayIndicator', bool),
    ),
  ],
  ...PROGRAM_ASSOCIATIONS.map((name): [string, Edit] => [name, drop('participationStatus')]),
  ['staffEducationOrganizationEmploymentAssociations', add(s('annualWage', money))],
  ['studentDisciplineIncidentBehaviorAssociations', add(c('weapons', d('weapon*')))],
  // DS 5.2 widens these identifiers from 20/32 to 36 characters (DDL), though section 7 does not list it.
  ['disciplineIncidents', drop('staffReference'), widen('incidentIdentifier', str(36))],
  ['disciplineActions', drop('receivedEducationServicesDuringExpulsion'), widen('disciplineActionIdentifier', str(36))],
  [
    'restraintEvents',
    widen('restraintEventIdentifier', str(36)),
    add(r('disciplineIncident')),
    match('disciplineIncidentReference.schoolId = schoolReference.schoolId'),
  ],
  ['cohorts', widen('cohortIdentifier', str(36))],
];

/** New in DS 5.0: the evaluation/eligibility timeline of a special education referral. */
const specialEducationEligibility = resource('StudentSpecialEducationProgramEligibilityAssociation', [
  s('consentToEvaluationReceivedDate*', date),
  r('educationOrganization*', EDORG),
  r('program*'),
  r('student*'),
  d('ideaPart!'),
  s('consentToEvaluationDate', date),
  s('eligibilityConferenceDate', date),
  d('eligibilityDelayReason'),
  s('eligibilityDeterminationDate', date),
  s('eligibilityEvaluationDate', date),
  d('eligibilityEvaluationType'),
  s('evaluationCompleteIndicator', bool),
  s('evaluationDelayDays', int()),
  d('evaluationDelayReason'),
  s('evaluationLateReason', str(255)),
  s('ideaIndicator', bool),
  s('originalECIServicesDate', date),
  s('transitionConferenceDate', date),
  s('transitionNotificationDate', date),
]);

export function toDs5(defs: readonly ResourceDef[]): ResourceDef[] {
  const edits = new Map<string, Edit[]>();
  for (const [name, ...fns] of EDITS) edits.set(`ed-fi/${name}`, [...(edits.get(`ed-fi/${name}`) ?? []), ...fns]);
  const seen = new Set<string>();
  const removed = new Set(DS5_REMOVED_DESCRIPTORS.map((n) => `ed-fi/${n}`));
  const out: ResourceDef[] = [];
  for (const def of defs) {
    const path = pathOf(def);
    if (removed.has(path)) continue;
    const fns = edits.get(path) ?? [];
    if (fns.length) seen.add(path);
    out.push(fns.reduce((acc, fn) => fn(acc), def));
  }
  const missing = [...edits.keys()].filter((p) => !seen.has(p));
  if (missing.length) throw new Error(`DS 5.x edits for resources not in the model: ${missing.join(', ')}`);
  return [...out, specialEducationEligibility, ...edfiDescriptors(DS5_NEW_DESCRIPTORS)];
}
