/**
 * Code-set mapping (the guide's Mapping page): the local code sets a clerk maps to Ed-Fi
 * descriptors, which of them TEA reporting needs, the automatic pre-mapping of codes whose value
 * matches a downloaded descriptor, and the local descriptors that unmapped codes become.
 */

export interface CodeSet {
  readonly id: string;
  /** The guide's name on the Mapping page. */
  readonly label: string;
  /** The Ed-Fi descriptor resource it maps to. */
  readonly descriptor: string;
  /** Needed for state reporting: unmapped codes here block it (shown first, counted). */
  readonly requiredForState: boolean;
  /** The SIS replica's code table (`localcode.category`) holding its local codes; null when the SIS keeps none. */
  readonly localCategory: string | null;
  /** The SIS keeps this code table per school, so each school's codes are mapped on their own. */
  readonly perSchool: boolean;
  readonly note?: string;
}

export const CODE_SETS = [
  {
    id: 'academic-subjects',
    label: 'Academic Subjects',
    descriptor: 'academicSubjectDescriptors',
    localCategory: 'subject',
    perSchool: false,
    requiredForState: false,
    note: 'not used in publishing',
  },
  {
    id: 'behavior-categories',
    label: 'Behavior Categories',
    descriptor: 'behaviorDescriptors',
    localCategory: 'behavior',
    perSchool: false,
    requiredForState: true,
  },
  {
    id: 'calendar-types',
    label: 'Calendar Types',
    descriptor: 'calendarTypeDescriptors',
    localCategory: 'calendarType',
    perSchool: false,
    requiredForState: true,
    note: 'an unmapped or empty calendar type is refused by the API (Calendars spec)',
  },
  {
    id: 'cohort-types',
    label: 'Cohort Types',
    descriptor: 'cohortTypeDescriptors',
    localCategory: 'cohortType',
    perSchool: false,
    requiredForState: false,
    note: 'used in Cohorts',
  },
  { id: 'disabilities', label: 'Disabilities', descriptor: 'disabilityDescriptors', localCategory: 'disability', perSchool: false, requiredForState: true },
  {
    id: 'discipline-action-length-difference-reasons',
    label: 'Discipline Action Length Difference Reasons',
    descriptor: 'disciplineActionLengthDifferenceReasonDescriptors',
    localCategory: 'disciplineLengthDifference',
    perSchool: false,
    requiredForState: true,
    note: 'why a discipline action served differs from the one assigned (TEA C166; 00 = no difference)',
  },
  {
    id: 'attendance-categories',
    label: 'Attendance Event Categories',
    descriptor: 'attendanceEventCategoryDescriptors',
    localCategory: 'attendanceCode',
    perSchool: false,
    requiredForState: false,
    note: 'what an attendance exception is (absence, tardy, early departure); unmapped codes go out as local descriptors',
  },
  {
    id: 'course-attempt-results',
    label: 'Course Attempt Results',
    descriptor: 'courseAttemptResultDescriptors',
    localCategory: 'courseResult',
    perSchool: false,
    requiredForState: false,
    note: 'the result of a course on the transcript (pass, fail, incomplete); unmapped codes go out as local descriptors',
  },
  {
    id: 'diploma-types',
    label: 'Diploma Types',
    descriptor: 'diplomaTypeDescriptors',
    localCategory: 'diplomaType',
    perSchool: false,
    requiredForState: false,
    note: "a graduate's diploma on the academic record (TEA's graduation types, pre-mapped where the codes match); unmapped codes go out as local descriptors",
  },
  {
    id: 'incident-locations',
    label: 'Incident Locations',
    descriptor: 'incidentLocationDescriptors',
    localCategory: 'incidentLocation',
    perSchool: false,
    requiredForState: false,
    note: 'where a discipline incident happened; unmapped codes go out as local descriptors',
  },
  {
    id: 'participation-codes',
    label: 'Discipline Incident Participation Codes',
    descriptor: 'disciplineIncidentParticipationCodeDescriptors',
    localCategory: 'participation',
    perSchool: false,
    requiredForState: false,
    note: "a student's part in a behavior (perpetrator, victim, witness); unmapped codes go out as local descriptors",
  },
  { id: 'disciplines', label: 'Disciplines', descriptor: 'disciplineDescriptors', localCategory: 'disciplineAction', perSchool: false, requiredForState: true },
  { id: 'entry-codes', label: 'Entry Codes', descriptor: 'entryTypeDescriptors', localCategory: 'entryType', perSchool: false, requiredForState: true },
  {
    id: 'exit-withdraw-codes',
    label: 'Exit Withdraw Codes',
    descriptor: 'exitWithdrawTypeDescriptors',
    localCategory: 'exitWithdraw',
    perSchool: false,
    requiredForState: true,
  },
  {
    id: 'grade-levels',
    label: 'Grade Levels',
    descriptor: 'gradeLevelDescriptors',
    localCategory: 'gradeLevel',
    perSchool: false,
    requiredForState: false,
    note: 'calendar grade levels, when reported',
  },
  {
    id: 'grade-types',
    label: 'Grade Types',
    descriptor: 'gradeTypeDescriptors',
    localCategory: 'gradeType',
    perSchool: false,
    requiredForState: false,
    note: 'used in Grades; optional',
  },
  { id: 'languages', label: 'Languages', descriptor: 'languageDescriptors', localCategory: 'language', perSchool: false, requiredForState: true },
  { id: 'races', label: 'Races', descriptor: 'raceDescriptors', localCategory: 'race', perSchool: false, requiredForState: true },
  {
    id: 'relations',
    label: 'Relations',
    descriptor: 'relationDescriptors',
    localCategory: 'relationship',
    perSchool: false,
    requiredForState: false,
    note: 'how a contact is related to the student; unmapped codes go out as local descriptors',
  },
  {
    id: 'reporting-terms',
    label: 'Reporting Terms',
    descriptor: 'gradingPeriodDescriptors',
    localCategory: 'gradingPeriod',
    perSchool: true,
    requiredForState: false,
    note: 'grading periods (not TEA reporting terms), used in Grades; optional',
  },
  { id: 'sex', label: 'Sex', descriptor: 'sexDescriptors', localCategory: 'gender', perSchool: false, requiredForState: true },
  {
    id: 'staff-classifications',
    label: 'Staff Classifications',
    descriptor: 'staffClassificationDescriptors',
    localCategory: 'staffClassification',
    perSchool: false,
    requiredForState: true,
    note: 'the Service ID (TEA role id, C021) of a Staff Assignment; a SIS profile publishes the assignments whose Service ID maps to a state value',
  },
  {
    id: 'employment-statuses',
    label: 'Employment Statuses',
    descriptor: 'employmentStatusDescriptors',
    localCategory: 'employmentStatus',
    perSchool: false,
    requiredForState: false,
    note: 'used in Staff Employment; unmapped codes go out as local descriptors',
  },
  {
    id: 'program-assignments',
    label: 'Program Assignments',
    descriptor: 'programAssignmentDescriptors',
    localCategory: 'programAssignment',
    perSchool: false,
    requiredForState: false,
    note: 'used in Staff School; unmapped codes go out as local descriptors',
  },
  {
    id: 'classroom-positions',
    label: 'Classroom Positions',
    descriptor: 'classroomPositionDescriptors',
    localCategory: 'classroomPosition',
    perSchool: false,
    requiredForState: false,
    note: 'used in Staff Section; unmapped codes go out as local descriptors',
  },
  {
    id: 'levels-of-education',
    label: 'Levels of Education',
    descriptor: 'levelOfEducationDescriptors',
    localCategory: 'levelOfEducation',
    perSchool: false,
    requiredForState: false,
    note: "a staff member's highest completed level of education; unmapped codes go out as local descriptors",
  },
  {
    id: 'excluded-reporting-terms',
    label: 'Excluded Reporting Terms',
    descriptor: 'gradingPeriodDescriptors',
    localCategory: 'gradingPeriod',
    perSchool: true,
    requiredForState: false,
    note: 'used in Grades; optional',
  },
] as const satisfies readonly CodeSet[];

/** A code set's id: a misspelt one fails to compile. */
export type CodeSetId = (typeof CODE_SETS)[number]['id'];

export function findCodeSet(id: string): CodeSet | undefined {
  return CODE_SETS.find((c) => c.id === id);
}

export interface DescriptorValue {
  /** e.g. uri://tea.texas.gov/BehaviorDescriptor */
  readonly namespace: string;
  readonly codeValue: string;
  readonly shortDescription: string;
}

export interface Mapping {
  readonly namespace: string;
  readonly codeValue: string;
  /** Chosen by the pre-mapping rule, not by a person. */
  readonly auto: boolean;
}

const CORE = 'uri://ed-fi.org/';

/** Where a namespace stands in the choices: core Ed-Fi first, then the state's, then the rest. */
export function namespaceRank(namespace: string, statePrefix: string): number {
  if (namespace.startsWith(CORE)) return 0;
  if (namespace.startsWith(statePrefix)) return 1;
  return 2;
}

/** The drop-down's choices, grouped by namespace in the guide's order, values sorted within. */
export function groupChoices(values: readonly DescriptorValue[], statePrefix: string): Array<{ namespace: string; values: DescriptorValue[] }> {
  const groups = new Map<string, DescriptorValue[]>();
  for (const v of values) groups.set(v.namespace, [...(groups.get(v.namespace) ?? []), v]);
  return [...groups.entries()]
    .sort(([a], [b]) => namespaceRank(a, statePrefix) - namespaceRank(b, statePrefix) || a.localeCompare(b))
    .map(([namespace, vs]) => ({ namespace, values: vs.sort((x, y) => x.codeValue.localeCompare(y.codeValue, 'en', { numeric: true })) }));
}

/**
 * Pre-mapping: a local code whose value equals a downloaded code value (ignoring case and
 * surrounding spaces) maps to it, the state's namespace preferred — those are promoted to the
 * state as mapped. Codes with a mapping already keep it.
 */
export function autoMap(
  localCodes: readonly string[],
  values: readonly DescriptorValue[],
  existing: ReadonlyMap<string, Mapping>,
  statePrefix: string,
): Map<string, Mapping> {
  const byValue = new Map<string, DescriptorValue>();
  for (const v of values) {
    const key = v.codeValue.trim().toLowerCase();
    const held = byValue.get(key);
    // The state's namespace wins over core Ed-Fi: the state recognises its own codes.
    if (held === undefined || (v.namespace.startsWith(statePrefix) && !held.namespace.startsWith(statePrefix))) byValue.set(key, v);
  }
  const out = new Map(existing);
  for (const code of localCodes) {
    if (out.has(code)) continue;
    const match = byValue.get(code.trim().toLowerCase());
    if (match !== undefined) out.set(code, { namespace: match.namespace, codeValue: match.codeValue, auto: true });
  }
  return out;
}

/** `behaviorDescriptors` → `BehaviorDescriptor`, the last segment of a descriptor namespace. */
export function descriptorTypeName(resource: string): string {
  const singular = resource.replace(/s$/, '');
  return singular.charAt(0).toUpperCase() + singular.slice(1);
}

/** An unmapped local code is published as a local descriptor in the profile's namespace prefix. */
export function localDescriptor(prefix: string, resource: string, localCode: string): { namespace: string; codeValue: string; uri: string } {
  const namespace = `${prefix.replace(/\/+$/, '')}/${descriptorTypeName(resource)}`;
  return { namespace, codeValue: localCode, uri: `${namespace}#${localCode}` };
}

/** The descriptor URI an Ed-Fi payload carries for a local code: its mapping, or its local descriptor. */
export function descriptorUri(mapping: Mapping | undefined, prefix: string, resource: string, localCode: string): string {
  return mapping !== undefined ? `${mapping.namespace}#${mapping.codeValue}` : localDescriptor(prefix, resource, localCode).uri;
}

/** One local code of a code set as the Mapping page shows it, with what it maps to. */
export interface CodeRow {
  /** SIS school id for per-school code sets; null for district-wide codes. */
  readonly schoolId: number | null;
  readonly code: string;
  /** A mapping (auto or chosen), or null: published as a local descriptor in the profile's namespace. */
  readonly mapping: Mapping | null;
}

/** Codes that still publish as local descriptors (nothing chosen and nothing pre-mapped). */
export function unmappedCodes<T extends CodeRow>(rows: readonly T[]): T[] {
  return rows.filter((r) => r.mapping === null);
}
