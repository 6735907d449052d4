/**
 * The publishing dashboard's groups, categories and entities, in the guide's recommended order
 * (seed 000, "Publishing Data" and Appendix A). A category is what a clerk publishes; its
 * entities are Ed-Fi resources, published in the order listed.
 */

export interface DashboardEntity {
  /** The name the dashboard shows. */
  readonly label: string;
  /** The Ed-Fi API resource it publishes (Appendix A); `descriptors` stands for every descriptor resource. */
  readonly resource: string;
}

export interface Category {
  readonly id: string;
  readonly label: string;
  readonly group: GroupId;
  readonly entities: readonly DashboardEntity[];
  /** District-level data: the guide says to publish it from the District context only. */
  readonly districtOnly?: boolean;
  /** Publish options offered for this category; the common ones (and its nightly mode) when absent. */
  readonly options?: readonly PublishOption[];
  /**
   * The guide moves large, fast-changing categories to the weekday-nightly process, each with its
   * own mode (grades and transcripts: missing records only); the weekend run sends all changes.
   */
  readonly nightly?: PublishOption;
}

export const GROUPS = [
  { id: 'organization', label: 'Organization' },
  { id: 'students', label: 'Students' },
  { id: 'staff', label: 'Staff' },
  { id: 'programs', label: 'Programs & Cohort Groups' },
  { id: 'attendance-grades', label: 'Attendance & Grades' },
  { id: 'other', label: 'Other' },
  { id: 'finance', label: 'Finance' },
] as const;
export type GroupId = (typeof GROUPS)[number]['id'];

/** The ⋮ menu of a category, in the guide's words. */
export const PUBLISH_OPTIONS = {
  changes: 'Now – Changes',
  preview: 'Preview – Changes',
  all: 'Now – All',
  dependencies: 'Now – Dependencies',
  errors: 'Now – Errors',
  'retry-errors': 'Retry – Errors',
  'remove-unpublished': 'Remove – Unpublished',
  missing: 'Now – Missing',
  recent: 'Now – Last 14 Days',
} as const;
export type PublishOption = keyof typeof PUBLISH_OPTIONS;
export const PUBLISH_OPTION_IDS = Object.keys(PUBLISH_OPTIONS) as PublishOption[];
/** The ⋮ menu every category offers; a nightly category adds its nightly mode. */
const COMMON_OPTIONS: readonly PublishOption[] = ['changes', 'preview', 'all', 'dependencies', 'errors', 'retry-errors', 'remove-unpublished'];

const e = (label: string, resource: string): DashboardEntity => ({ label, resource });

export const CATEGORIES: readonly Category[] = [
  {
    id: 'organization-catalog',
    label: 'Organization Catalog',
    group: 'organization',
    districtOnly: true,
    entities: [e('Local Education Agency (LEA)', 'localEducationAgencies'), e('School', 'schools'), e('SSA Organization Association', 'ssaOrgAssociationExts')],
  },
  { id: 'course-catalog', label: 'Course Catalog', group: 'organization', districtOnly: true, entities: [e('Course', 'courses')] },
  { id: 'program-catalog', label: 'Program Catalog', group: 'organization', districtOnly: true, entities: [e('Program', 'programs')] },
  {
    id: 'organization-info',
    label: 'Organization Info',
    group: 'organization',
    entities: [e('Location', 'locations'), e('Class Period', 'classPeriods'), e('Graduation Plan', 'graduationPlans')],
  },
  {
    id: 'organization-calendars',
    label: 'Organization Calendars',
    group: 'organization',
    entities: [e('School Calendar', 'calendars'), e('Calendar Date', 'calendarDates'), e('Grading Period', 'gradingPeriods'), e('Session', 'sessions')],
  },
  {
    id: 'organization-schedules',
    label: 'Organization Schedules',
    group: 'organization',
    entities: [e('Course Offering', 'courseOfferings'), e('Section', 'sections'), e('Bell Schedule Entry', 'bellSchedules')],
  },
  {
    id: 'student-identification',
    label: 'Student Identification',
    group: 'students',
    entities: [e('Student ID', 'students'), e('Student Application', 'studentApplications')],
  },
  {
    id: 'enrollment-demographics',
    label: 'Enrollment & Demographics',
    group: 'students',
    entities: [
      e('School Enrollment', 'studentSchoolAssociations'),
      e('Student Demographics', 'studentEducationOrganizationAssociations'),
      e('Responsible Organizations', 'studentEducationOrganizationResponsibilityAssociations'),
    ],
  },
  {
    id: 'contacts',
    label: 'Contacts',
    group: 'students',
    entities: [e('Student Contact', 'parents'), e('Student Contact Relationship', 'studentParentAssociations')],
  },
  { id: 'student-sections', label: 'Student Sections', group: 'students', entities: [e('Student Section', 'studentSectionAssociations')] },
  {
    id: 'prior-year-leavers',
    label: 'Prior Year Leavers',
    group: 'students',
    entities: [
      e('Status A Leaver', 'priorYearLeavers'),
      e('Prior Year Contact', 'priorYearLeaverParents'),
      e('Prior Year Contact Relationship', 'priorYearLeaverStudentParentAssociations'),
    ],
  },
  { id: 'staff-demographics', label: 'Staff Demographics', group: 'staff', entities: [e('Staff', 'staffs')] },
  {
    id: 'staff-associations',
    label: 'Staff Associations',
    group: 'staff',
    entities: [
      e('Staff Employment', 'staffEducationOrganizationEmploymentAssociations'),
      e('Staff Assignment', 'staffEducationOrganizationAssignmentAssociations'),
      e('Staff School', 'staffSchoolAssociations'),
    ],
  },
  { id: 'staff-sections', label: 'Staff Sections', group: 'staff', entities: [e('Staff Section', 'staffSectionAssociations')] },
  { id: 'staff-fte', label: 'Staff FTE', group: 'staff', entities: [e('Contracted Instructional FTEs', 'contractedInstructionalStaffFTEExts')] },
  {
    id: 'student-programs',
    label: 'Student Programs',
    group: 'programs',
    entities: [
      e('CTE', 'studentCTEProgramAssociations'),
      e('Language Instruction', 'studentLanguageInstructionProgramAssociations'),
      e('Special Education', 'studentSpecialEducationProgramAssociations'),
      e('Child Find', 'studentSpecialEducationProgramEligibilityAssociations'),
      e('Student Title I Part A Program', 'studentTitleIPartAProgramAssociations'),
    ],
  },
  {
    id: 'cohort-groups',
    label: 'Cohort Groups',
    group: 'programs',
    entities: [e('Cohort (Group)', 'cohorts'), e('Student Cohort', 'studentCohortAssociations'), e('Staff Cohort', 'staffCohortAssociations')],
  },
  {
    id: 'attendance',
    label: 'Attendance',
    group: 'attendance-grades',
    entities: [e('School Attendance', 'studentSchoolAttendanceEvents'), e('Section Attendance', 'studentSectionAttendanceEvents')],
    nightly: 'recent',
  },
  { id: 'student-grades', label: 'Student Grades', group: 'attendance-grades', entities: [e('Grade', 'grades')], nightly: 'missing' },
  {
    id: 'student-transcripts',
    label: 'Student Transcripts',
    group: 'attendance-grades',
    nightly: 'missing',
    entities: [e('Student Academic Records', 'studentAcademicRecords'), e('Student Course Transcript', 'courseTranscripts')],
  },
  {
    id: 'student-discipline',
    label: 'Student Discipline',
    group: 'other',
    entities: [
      e('Discipline Incident', 'disciplineIncidents'),
      e('Student Discipline Incident Behavior', 'studentDisciplineIncidentBehaviorAssociations'),
      e('Discipline Action', 'disciplineActions'),
    ],
  },
  { id: 'restraint-events', label: 'Restraint Events', group: 'other', entities: [e('Restraint Events', 'restraintEvents')] },
  // Descriptors are published as they are met; the guide limits the menu to these two options.
  { id: 'descriptors', label: 'Descriptors (Common Codes)', group: 'other', entities: [e('Descriptors', 'descriptors')], options: ['retry-errors', 'all'] },
  // Finance is the district's: its account codes name the campus themselves.
  {
    id: 'accounts',
    label: 'Accounts',
    group: 'finance',
    districtOnly: true,
    entities: [e('Account Budgets', 'budgetExts'), e('Account Actuals', 'actualExts')],
  },
  { id: 'payroll', label: 'Payroll', group: 'finance', districtOnly: true, entities: [e('Payroll Transactions', 'payrollExts')] },
];

const BY_ID = new Map(CATEGORIES.map((c) => [c.id, c]));

export function findCategory(id: string): Category | undefined {
  return BY_ID.get(id);
}

export function optionsFor(category: Category): readonly PublishOption[] {
  if (category.options !== undefined) return category.options;
  return category.nightly === undefined || COMMON_OPTIONS.includes(category.nightly) ? COMMON_OPTIONS : [...COMMON_OPTIONS, category.nightly];
}

const CATEGORY_OF_ENTITY = new Map(CATEGORIES.flatMap((c) => c.entities.map((e) => [e.resource, c] as const)));

/** The category that publishes an entity (by its catalog name); undefined when none does. */
export function categoryOfEntity(resource: string): Category | undefined {
  return CATEGORY_OF_ENTITY.get(resource);
}

const ENTITY_LABELS = new Map(CATEGORIES.flatMap((c) => c.entities.map((e) => [e.resource, e.label] as const)));

/** The guide's name of an entity: "School", "Calendar Date"; the resource name when no category publishes it. */
export function entityLabel(resource: string): string {
  return ENTITY_LABELS.get(resource) ?? resource;
}
