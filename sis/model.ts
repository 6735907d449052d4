/**
 * The SIS replica's tables, described once: the DDL, the COPY column order of the loader and the
 * schema section of sis/README.md are all derived from this list, so they cannot drift apart.
 *
 * Names follow the SIS style of the seed documents (`calendar.calendarID`,
 * `schedulestructure.structureID`). They are unquoted in SQL, so Postgres folds them to lower case:
 * `SELECT calendar.calendarID FROM calendar` works, and result rows come back as `calendarid`.
 */

export type ColumnType = 'int' | 'bigint' | 'text' | 'date' | 'time' | 'bool' | 'numeric' | 'text[]';

export interface ColumnDef {
  readonly name: string;
  readonly type: ColumnType;
  readonly notNull: boolean;
  readonly doc: string;
}

export interface TableDef {
  readonly name: string;
  /** The single integer key; the event queue reports it as the object key. */
  readonly key: string;
  readonly doc: string;
  /** The Ed-Fi resources (or other consumers) this table feeds. */
  readonly feeds: string;
  readonly columns: readonly ColumnDef[];
  /** Columns that get a plain b-tree index (the joins the mappers make). */
  readonly indexes: readonly string[];
}

/** `name type[!] doc`: a trailing `!` on the type marks NOT NULL. */
type ColumnSpec = readonly [name: string, type: `${ColumnType}` | `${ColumnType}!`, doc: string];

function table(name: string, key: string, doc: string, feeds: string, specs: readonly ColumnSpec[], indexes: readonly string[] = []): TableDef {
  const columns = specs.map(([n, t, d]): ColumnDef => ({
    name: n,
    type: (t.endsWith('!') ? t.slice(0, -1) : t) as ColumnType,
    notNull: t.endsWith('!') || n === key,
    doc: d,
  }));
  if (columns[0]?.name !== key) throw new Error(`table ${name}: the key ${key} must be the first column`);
  return { name, key, doc, feeds, columns, indexes };
}

const address: readonly ColumnSpec[] = [
  ['address', 'text', 'Street number and name'],
  ['city', 'text', 'City'],
  ['state', 'text', 'State abbreviation'],
  ['zip', 'text', 'Postal code'],
];

export const TABLES: readonly TableDef[] = [
  table('district', 'districtID', 'The local education agency.', 'localEducationAgencies', [
    ['districtID', 'int', 'Internal id'],
    ['name', 'text!', 'District name'],
    ['number', 'text!', 'LEA number (6-digit county-district number); the Ed-Fi localEducationAgencyId'],
    ['category', 'text', 'Local code `leaCategory` (→ localEducationAgencyCategoryDescriptor)'],
    ...address,
    ['phone', 'text', 'Main phone'],
  ]),
  table('schoolyear', 'endYear', 'School years the SIS knows (scope years).', 'schoolYearTypes (references), scope-year checks', [
    ['endYear', 'int', 'Year the school year ends (2025 = 2024-2025)'],
    ['label', 'text!', 'Display label, e.g. 24-25'],
    ['startDate', 'date!', 'First day of the school year'],
    ['endDate', 'date!', 'Last day of the school year'],
    ['active', 'bool!', 'The current school year'],
  ]),
  table('school', 'schoolID', 'Campuses of the district.', 'schools; the schoolId of every school reference', [
    ['schoolID', 'int', 'Internal id'],
    ['districtID', 'int!', 'District'],
    ['name', 'text!', 'School name'],
    ['number', 'text!', 'Local school number (3 digits); dirty profile `school-number-change` changes it'],
    ['stateSchoolNumber', 'text', 'State school number (LEA number + 3 digits). Letters here make an invalid Ed-Fi schoolId'],
    ['edFiSchoolNumber', 'int', 'Numeric Ed-Fi school number; when set it is sent instead of stateSchoolNumber'],
    ['type', 'text!', 'Local code `schoolType`: E elementary, M middle, H high, S secondary (6-12)'],
    ['titleI', 'bool!', 'Title I Part A campus'],
    ['exclude', 'bool!', 'Excluded from Ed-Fi: nothing of this school is sent'],
    ...address,
    ['phone', 'text', 'Main phone'],
  ], ['districtID']),
  table('calendar', 'calendarID', 'One school\'s calendar for one school year.', 'calendars (one per calendar × schedule structure), sessions, calendarDates', [
    ['calendarID', 'int', 'Internal id; the calendar code'],
    ['schoolID', 'int!', 'School'],
    ['endYear', 'int!', 'School year (schoolyear.endYear)'],
    ['name', 'text!', 'Calendar name'],
    ['type', 'text', 'Local code `calendarType` (→ calendarTypeDescriptor); NULL = not selected (dirty `calendar-without-type`)'],
    ['programType', 'text', 'Local code `instructionalProgramType` (instructional program type of the calendar)'],
    ['startDate', 'date!', 'First day'],
    ['endDate', 'date!', 'Last day'],
    ['summerSchool', 'bool!', 'Summer-school calendar'],
    ['exclude', 'bool!', 'Excluded from Ed-Fi: no data of this calendar is sent'],
  ], ['schoolID']),
  table('schedulestructure', 'structureID', 'Schedule structures of a calendar (a calendar may have several, e.g. A/B block).', 'calendars: calendar code is calendarID, or calendarID-structureID when the calendar has more than one; identity-mapping object key', [
    ['structureID', 'int', 'Internal id'],
    ['calendarID', 'int!', 'Calendar'],
    ['name', 'text!', 'Structure name'],
    ['label', 'text', 'Short label'],
    ['isPrimary', 'bool!', 'The calendar\'s primary structure'],
  ], ['calendarID']),
  table('gradelevel', 'gradeLevelID', 'Grade levels offered on a calendar.', 'calendars.gradeLevels[], schools.gradeLevels[]', [
    ['gradeLevelID', 'int', 'Internal id'],
    ['calendarID', 'int!', 'Calendar'],
    ['name', 'text!', 'Local code `gradeLevel` (PK, KG, 01 … 12) (→ gradeLevelDescriptor)'],
    ['seq', 'int!', 'Order'],
  ], ['calendarID']),
  table('day', 'dayID', 'Calendar days (weekdays of the school year) per schedule structure.', 'calendarDates', [
    ['dayID', 'int', 'Internal id'],
    ['calendarID', 'int!', 'Calendar'],
    ['structureID', 'int!', 'Schedule structure'],
    ['date', 'date!', 'The date'],
    ['instruction', 'bool!', 'Instructional day'],
    ['attendance', 'bool!', 'Attendance is taken'],
    ['eventCode', 'text!', 'Local code `dayEvent`, per school (→ calendarEventDescriptor)'],
    ['comments', 'text', 'Why (holiday name, …)'],
  ], ['calendarID', 'structureID']),
  table('term', 'termID', 'Terms (semesters) of a schedule structure.', 'sessions', [
    ['termID', 'int', 'Internal id'],
    ['structureID', 'int!', 'Schedule structure'],
    ['name', 'text!', 'Term name (S1, S2); the session name'],
    ['seq', 'int!', 'Order'],
    ['termType', 'text!', 'Local code `term` (→ termDescriptor)'],
    ['startDate', 'date!', 'First day'],
    ['endDate', 'date!', 'Last day'],
  ], ['structureID']),
  table('gradingperiod', 'gradingPeriodID', 'Grading periods (six weeks) of a schedule structure.', 'gradingPeriods, sessions.gradingPeriods[], grades', [
    ['gradingPeriodID', 'int', 'Internal id'],
    ['structureID', 'int!', 'Schedule structure'],
    ['termID', 'int!', 'Term it belongs to'],
    ['name', 'text!', 'Name (1st Six Weeks)'],
    ['seq', 'int!', 'Period sequence in the year'],
    ['code', 'text!', 'Local code `gradingPeriod`, per school (→ gradingPeriodDescriptor)'],
    ['startDate', 'date!', 'First day'],
    ['endDate', 'date!', 'Last day'],
  ], ['structureID']),
  table('periodschedule', 'periodScheduleID', 'Bell schedules of a schedule structure.', 'bellSchedules', [
    ['periodScheduleID', 'int', 'Internal id'],
    ['structureID', 'int!', 'Schedule structure'],
    ['name', 'text!', 'Bell schedule name'],
  ], ['structureID']),
  table('period', 'periodID', 'Class periods of a bell schedule.', 'classPeriods, bellSchedules.classPeriods[]', [
    ['periodID', 'int', 'Internal id'],
    ['periodScheduleID', 'int!', 'Bell schedule'],
    ['name', 'text!', 'Period name; the classPeriodName'],
    ['seq', 'int!', 'Order'],
    ['startTime', 'time!', 'Start'],
    ['endTime', 'time!', 'End'],
    ['nonInstructional', 'bool!', 'Lunch / passing'],
  ], ['periodScheduleID']),
  table('room', 'roomID', 'Rooms of a school.', 'locations', [
    ['roomID', 'int', 'Internal id'],
    ['schoolID', 'int!', 'School'],
    ['name', 'text!', 'Room number; the classroomIdentificationCode'],
    ['description', 'text', 'What the room is'],
    ['maxStudents', 'int', 'Seats'],
  ], ['schoolID']),
  table('course', 'courseID', 'Courses of a calendar.', 'courses, courseOfferings', [
    ['courseID', 'int', 'Internal id'],
    ['calendarID', 'int!', 'Calendar'],
    ['number', 'text!', 'Local course number; the localCourseCode'],
    ['name', 'text!', 'Course name'],
    ['stateCode', 'text', 'Alternate (state) course number, 8-digit TX service id; NULL → "Alternate Course Number not set"'],
    ['subject', 'text', 'Local code `subject` (→ academicSubjectDescriptor)'],
    ['credits', 'numeric', 'Credits for the whole course'],
    ['homeroom', 'bool!', 'Self-contained / homeroom course'],
    ['active', 'bool!', 'Offered this year'],
  ], ['calendarID']),
  table('courseoffering', 'offeringID', 'A course offered in a term.', 'courseOfferings', [
    ['offeringID', 'int', 'Internal id'],
    ['courseID', 'int!', 'Course'],
    ['termID', 'int!', 'Term (session)'],
    ['localTitle', 'text', 'Title used this term'],
    ['instructionalMinutes', 'int', 'Planned minutes'],
  ], ['courseID']),
  table('section', 'sectionID', 'Sections (classes) of a course.', 'sections', [
    ['sectionID', 'int', 'Internal id; the sectionIdentifier'],
    ['courseID', 'int!', 'Course'],
    ['number', 'int!', 'Section number within the course'],
    ['roomID', 'int', 'Room'],
    ['maxStudents', 'int', 'Capacity'],
    ['homeroom', 'bool!', 'Homeroom section'],
  ], ['courseID']),
  table('sectionplacement', 'placementID', 'When a section meets: term × period. A section without one has no meeting record.', 'sections.classPeriods[]; missing → "Missing Section Meeting Record"', [
    ['placementID', 'int', 'Internal id'],
    ['sectionID', 'int!', 'Section'],
    ['termID', 'int!', 'Term'],
    ['periodID', 'int!', 'Period'],
  ], ['sectionID']),
  table('student', 'personID', 'Students (current and prior-year leavers).', 'students, studentEducationOrganizationAssociations (demographics)', [
    ['personID', 'int', 'Internal person id (unique across students, contacts, staff)'],
    ['studentNumber', 'text!', 'District student number'],
    ['stateID', 'text', 'State unique id (TX Unique ID); NULL until assigned (dirty `missing-student-unique-id`)'],
    ['ssn', 'text', 'SSN-like state student id (9 digits, E0001); fake'],
    ['lastName', 'text!', 'Last name'],
    ['firstName', 'text!', 'First name'],
    ['middleName', 'text', 'Middle name'],
    ['suffix', 'text', 'Generation suffix'],
    ['birthDate', 'date!', 'Birth date'],
    ['gender', 'text!', 'Local code `gender` (→ sexDescriptor)'],
    ['hispanicEthnicity', 'bool!', 'Hispanic/Latino'],
    ['raceCodes', 'text[]', 'Local codes `race` (→ raceDescriptor)'],
    ['homeLanguage', 'text', 'Local code `language` (→ languageDescriptor, use: home)'],
    ['primaryLanguage', 'text', 'Local code `language` (use: dominant)'],
    ['censusBlockGroup', 'text', '12-digit census block group'],
    ...address,
    ['phone', 'text', 'Home phone'],
    ['email', 'text', 'Student e-mail'],
  ], ['stateID']),
  table('enrollment', 'enrollmentID', 'A student\'s enrollment in a calendar (school + year).', 'studentSchoolAssociations, studentEducationOrganizationResponsibilityAssociations', [
    ['enrollmentID', 'int', 'Internal id'],
    ['personID', 'int!', 'Student'],
    ['calendarID', 'int!', 'Calendar (gives school and year)'],
    ['structureID', 'int!', 'Schedule structure'],
    ['grade', 'text!', 'Local code `gradeLevel` (→ entryGradeLevelDescriptor)'],
    ['serviceType', 'text!', 'P primary, S secondary'],
    ['startDate', 'date!', 'Entry date'],
    ['startStatus', 'text!', 'Local code `entryType` (→ entryTypeDescriptor)'],
    ['endDate', 'date', 'Exit/withdraw date'],
    ['endStatus', 'text', 'Local code `exitWithdraw` (→ exitWithdrawTypeDescriptor)'],
    ['noShow', 'bool!', 'Never attended'],
    ['stateExclude', 'bool!', 'Excluded from state reporting'],
  ], ['personID', 'calendarID']),
  table('contact', 'personID', 'Parents, guardians and emergency contacts.', 'parents, priorYearLeaverParents', [
    ['personID', 'int', 'Internal person id'],
    ['lastName', 'text!', 'Last name'],
    ['firstName', 'text!', 'First name'],
    ['middleName', 'text', 'Middle name'],
    ['gender', 'text', 'Local code `gender`'],
    ['highestEducation', 'text', 'Local code `levelOfEducation`'],
    ...address,
    ['phone', 'text', 'Cell phone'],
    ['email', 'text', 'E-mail'],
  ]),
  table('relatedpair', 'relatedPairID', 'Student–contact relationships.', 'studentParentAssociations, priorYearLeaverStudentParentAssociations', [
    ['relatedPairID', 'int', 'Internal id'],
    ['personID1', 'int!', 'Student'],
    ['personID2', 'int!', 'Contact'],
    ['name', 'text!', 'Local code `relationship` (→ relationDescriptor)'],
    ['guardian', 'bool!', 'Legal guardian'],
    ['livesWith', 'bool!', 'Student lives with the contact'],
    ['emergencyPriority', 'int', 'Contact priority (1 first)'],
    ['startDate', 'date', 'From'],
    ['endDate', 'date', 'Until'],
  ], ['personID1', 'personID2']),
  table('roster', 'rosterID', 'A student in a section.', 'studentSectionAssociations', [
    ['rosterID', 'int', 'Internal id'],
    ['personID', 'int!', 'Student'],
    ['sectionID', 'int!', 'Section'],
    ['startDate', 'date!', 'Begin date'],
    ['endDate', 'date', 'End date (dropped or term end)'],
  ], ['personID', 'sectionID']),
  table('staff', 'personID', 'Staff members.', 'staffs', [
    ['personID', 'int', 'Internal person id'],
    ['staffNumber', 'text!', 'District employee number'],
    ['stateID', 'text', 'Staff unique id (TX Unique ID)'],
    ['lastName', 'text!', 'Last name'],
    ['firstName', 'text!', 'First name'],
    ['middleName', 'text', 'Middle name'],
    ['birthDate', 'date', 'Birth date'],
    ['gender', 'text', 'Local code `gender`'],
    ['hispanicEthnicity', 'bool!', 'Hispanic/Latino'],
    ['raceCodes', 'text[]', 'Local codes `race`'],
    ['email', 'text', 'Work e-mail'],
    ['highestEducation', 'text', 'Local code `levelOfEducation`'],
    ['yearsExperience', 'int', 'Years of prior teaching experience'],
  ], ['stateID']),
  table('employment', 'employmentID', 'Employment records (HR) of staff.', 'staffEducationOrganizationEmploymentAssociations; missing → default employment or dependency', [
    ['employmentID', 'int', 'Internal id'],
    ['personID', 'int!', 'Staff'],
    ['districtID', 'int!', 'Employing district'],
    ['startDate', 'date!', 'Hire date'],
    ['endDate', 'date', 'End date'],
    ['status', 'text!', 'Local code `employmentStatus` (→ employmentStatusDescriptor)'],
    ['fte', 'numeric', 'Full-time equivalency'],
    ['endReason', 'text', 'Local code `separationReason`'],
  ], ['personID']),
  table('employmentassignment', 'assignmentID', 'Staff assignments to a school with a service id / role.', 'staffEducationOrganizationAssignmentAssociations', [
    ['assignmentID', 'int', 'Internal id'],
    ['personID', 'int!', 'Staff'],
    ['schoolID', 'int!', 'School'],
    ['startDate', 'date!', 'Begin date'],
    ['endDate', 'date', 'End date'],
    ['title', 'text!', 'Position title'],
    ['serviceID', 'text!', 'Local code `staffClassification` (TX role id, → staffClassificationDescriptor)'],
    ['teacher', 'bool!', 'Teaching assignment'],
    ['fte', 'numeric', 'FTE of the assignment'],
  ], ['personID']),
  table('staffschool', 'staffSchoolID', 'Staff associated with a school for a school year.', 'staffSchoolAssociations', [
    ['staffSchoolID', 'int', 'Internal id'],
    ['personID', 'int!', 'Staff'],
    ['schoolID', 'int!', 'School'],
    ['calendarID', 'int', 'Calendar (optional calendar reference)'],
    ['programAssignment', 'text!', 'Local code `programAssignment` (→ programAssignmentDescriptor)'],
    ['startDate', 'date!', 'From'],
    ['endDate', 'date', 'Until'],
  ], ['personID']),
  table('sectionstaff', 'sectionStaffID', 'Teachers of a section.', 'staffSectionAssociations', [
    ['sectionStaffID', 'int', 'Internal id'],
    ['sectionID', 'int!', 'Section'],
    ['personID', 'int!', 'Staff'],
    ['role', 'text!', 'Local code `classroomPosition` (→ classroomPositionDescriptor)'],
    ['startDate', 'date!', 'Begin date'],
    ['endDate', 'date', 'End date'],
  ], ['sectionID', 'personID']),
  table('program', 'programID', 'Programs the district runs.', 'programs', [
    ['programID', 'int', 'Internal id'],
    ['districtID', 'int!', 'District'],
    ['name', 'text!', 'Program name; the programName'],
    ['programType', 'text!', 'Local code `programType` (→ programTypeDescriptor)'],
  ]),
  table('cte', 'cteID', 'Career and technical education participation.', 'studentCTEProgramAssociations', [
    ['cteID', 'int', 'Internal id'],
    ['personID', 'int!', 'Student'],
    ['programID', 'int!', 'Program'],
    ['schoolID', 'int!', 'School'],
    ['startDate', 'date!', 'Begin date'],
    ['endDate', 'date', 'End date'],
    ['careerPathway', 'text', 'Local code `careerPathway`'],
    ['serviceCode', 'text', 'Local code `cteService`'],
  ], ['personID']),
  table('languageprogram', 'languageProgramID', 'Bilingual / ESL participation.', 'studentLanguageInstructionProgramAssociations', [
    ['languageProgramID', 'int', 'Internal id'],
    ['personID', 'int!', 'Student'],
    ['programID', 'int!', 'Program (bilingual or ESL)'],
    ['schoolID', 'int!', 'School'],
    ['startDate', 'date!', 'Begin date'],
    ['endDate', 'date', 'End date'],
    ['serviceCode', 'text!', 'Local code `languageInstructionService`'],
    ['proficiency', 'text', 'Local code `englishProficiency` (→ limitedEnglishProficiencyDescriptor)'],
    ['parentPermission', 'bool!', 'Parent permission on file'],
  ], ['personID']),
  table('specialed', 'specialEdID', 'Special education participation.', 'studentSpecialEducationProgramAssociations', [
    ['specialEdID', 'int', 'Internal id'],
    ['personID', 'int!', 'Student'],
    ['programID', 'int!', 'Program'],
    ['schoolID', 'int!', 'School'],
    ['startDate', 'date!', 'Begin date'],
    ['endDate', 'date', 'End date'],
    ['primaryDisability', 'text!', 'Local code `disability` (→ disabilityDescriptor)'],
    ['setting', 'text', 'Local code `specialEducationSetting`'],
    ['iepBeginDate', 'date', 'IEP begin'],
    ['iepEndDate', 'date', 'IEP end'],
    ['iepReviewDate', 'date', 'IEP review'],
    ['lastEvaluationDate', 'date', 'Last evaluation'],
    ['medicallyFragile', 'bool!', 'Medically fragile'],
    ['multiplyDisabled', 'bool!', 'Multiply disabled'],
    ['caseManagerPersonID', 'int', 'Staff case manager (service provider)'],
  ], ['personID']),
  table('specialedeligibility', 'eligibilityID', 'Special education evaluations (Child Find).', 'studentSpecialEducationProgramEligibilityAssociations (TX)', [
    ['eligibilityID', 'int', 'Internal id'],
    ['personID', 'int!', 'Student'],
    ['programID', 'int!', 'Special education program'],
    ['schoolID', 'int!', 'School'],
    ['consentDate', 'date!', 'Parent consent to evaluate received'],
    ['evaluationDate', 'date', 'Evaluation completed'],
    ['eligibilityDate', 'date', 'Eligibility determined'],
    ['evaluationDelayDays', 'int', 'Days the evaluation was late'],
    ['delayReason', 'text', 'Local code `evaluationDelayReason`'],
    ['ideaIndicator', 'bool', 'Found eligible under IDEA'],
  ], ['personID']),
  table('titleone', 'titleOneID', 'Title I Part A participation.', 'studentTitleIPartAProgramAssociations', [
    ['titleOneID', 'int', 'Internal id'],
    ['personID', 'int!', 'Student'],
    ['programID', 'int!', 'Program'],
    ['schoolID', 'int!', 'School'],
    ['startDate', 'date!', 'Begin date'],
    ['endDate', 'date', 'End date'],
    ['participant', 'text!', 'Local code `titleIParticipant` (→ titleIPartAParticipantDescriptor)'],
  ], ['personID']),
  table('cohort', 'cohortID', 'Groups (cohorts) of students and staff.', 'cohorts', [
    ['cohortID', 'int', 'Internal id; the cohortIdentifier'],
    ['schoolID', 'int', 'School; NULL = district-wide'],
    ['name', 'text!', 'Name'],
    ['type', 'text!', 'Local code `cohortType` (→ cohortTypeDescriptor)'],
    ['description', 'text', 'Description'],
    ['programID', 'int', 'Program it serves'],
  ], ['schoolID']),
  table('cohortstudent', 'cohortStudentID', 'Students in a cohort.', 'studentCohortAssociations', [
    ['cohortStudentID', 'int', 'Internal id'],
    ['cohortID', 'int!', 'Cohort'],
    ['personID', 'int!', 'Student'],
    ['startDate', 'date!', 'Begin date'],
    ['endDate', 'date', 'End date'],
  ], ['cohortID', 'personID']),
  table('cohortstaff', 'cohortStaffID', 'Staff sponsoring a cohort.', 'staffCohortAssociations', [
    ['cohortStaffID', 'int', 'Internal id'],
    ['cohortID', 'int!', 'Cohort'],
    ['personID', 'int!', 'Staff'],
    ['startDate', 'date!', 'Begin date'],
    ['endDate', 'date', 'End date'],
  ], ['cohortID']),
  table('behaviorincident', 'incidentID', 'Discipline incidents.', 'disciplineIncidents', [
    ['incidentID', 'int', 'Internal id; the incidentIdentifier'],
    ['schoolID', 'int!', 'School'],
    ['calendarID', 'int!', 'Calendar'],
    ['date', 'date!', 'Incident date'],
    ['time', 'time', 'Incident time'],
    ['title', 'text!', 'Short title'],
    ['location', 'text', 'Local code `incidentLocation`'],
    ['description', 'text', 'What happened'],
    ['reportedToPolice', 'bool!', 'Reported to law enforcement'],
    ['reporterPersonID', 'int', 'Staff who reported it'],
  ], ['schoolID']),
  table('behaviorevent', 'eventID', 'Behaviors of an incident.', 'disciplineIncidents.behaviors[]', [
    ['eventID', 'int', 'Internal id'],
    ['incidentID', 'int!', 'Incident'],
    ['code', 'text!', 'Local code `behavior` (→ behaviorDescriptor)'],
    ['description', 'text', 'Detail'],
  ], ['incidentID']),
  table('behaviorrole', 'roleID', 'Students involved in a behavior.', 'studentDisciplineIncidentBehaviorAssociations', [
    ['roleID', 'int', 'Internal id'],
    ['eventID', 'int!', 'Behavior event'],
    ['personID', 'int!', 'Student'],
    ['role', 'text!', 'Local code `participation` (offender, victim, witness)'],
  ], ['eventID', 'personID']),
  table('behaviorresolution', 'resolutionID', 'Discipline actions for an offender.', 'disciplineActions', [
    ['resolutionID', 'int', 'Internal id; the disciplineActionIdentifier'],
    ['roleID', 'int!', 'Offender role'],
    ['code', 'text!', 'Local code `disciplineAction` (→ disciplineDescriptor)'],
    ['startDate', 'date!', 'Discipline date'],
    ['endDate', 'date', 'End'],
    ['lengthDays', 'numeric', 'Assigned length (days)'],
    ['actualLengthDays', 'numeric', 'Actual length (days)'],
    ['assignmentSchoolID', 'int', 'School where it is served'],
    ['staffPersonID', 'int', 'Administrator who assigned it'],
  ], ['roleID']),
  table('restraintevent', 'restraintID', 'Restraints of students.', 'restraintEvents', [
    ['restraintID', 'int', 'Internal id; the restraintEventIdentifier'],
    ['personID', 'int!', 'Student'],
    ['schoolID', 'int!', 'School'],
    ['date', 'date!', 'Event date'],
    ['reason', 'text!', 'Local code `restraintReason`'],
    ['staffType', 'text', 'Local code `restraintStaffType` (TX)'],
    ['environment', 'text', 'Local code `educationalEnvironment`'],
  ], ['personID']),
  table('gradingscore', 'scoreID', 'Posted grades by grading period (and semester grades).', 'grades', [
    ['scoreID', 'int', 'Internal id'],
    ['personID', 'int!', 'Student'],
    ['sectionID', 'int!', 'Section'],
    ['gradingPeriodID', 'int!', 'Grading period'],
    ['gradeType', 'text!', 'Local code `gradeType` (→ gradeTypeDescriptor)'],
    ['score', 'text', 'Letter grade'],
    ['percent', 'numeric', 'Numeric grade'],
    ['date', 'date!', 'Posted on'],
  ], ['personID', 'sectionID']),
  table('academicrecord', 'recordID', 'A student\'s academic record for a school year and term.', 'studentAcademicRecords', [
    ['recordID', 'int', 'Internal id'],
    ['personID', 'int!', 'Student'],
    ['schoolID', 'int!', 'School'],
    ['endYear', 'int!', 'School year'],
    ['term', 'text!', 'Local code `term` (→ termDescriptor)'],
    ['gpaCumulative', 'numeric', 'Cumulative GPA'],
    ['creditsAttempted', 'numeric', 'Credits attempted this term'],
    ['creditsEarned', 'numeric', 'Credits earned this term'],
    ['creditsEarnedCumulative', 'numeric', 'Cumulative credits earned'],
    ['diplomaType', 'text', 'Local code `diplomaType` when graduated'],
    ['diplomaDate', 'date', 'Diploma award date'],
  ], ['personID']),
  table('transcriptcourse', 'transcriptID', 'Completed courses on a student\'s transcript.', 'courseTranscripts', [
    ['transcriptID', 'int', 'Internal id'],
    ['personID', 'int!', 'Student'],
    ['schoolID', 'int!', 'School'],
    ['endYear', 'int!', 'School year taken'],
    ['term', 'text!', 'Local code `term`'],
    ['grade', 'text!', 'Local code `gradeLevel` when taken'],
    ['courseNumber', 'text!', 'Local course number'],
    ['courseName', 'text!', 'Course name'],
    ['stateCode', 'text', 'State course number'],
    ['score', 'text', 'Final letter grade'],
    ['percent', 'numeric', 'Final numeric grade'],
    ['creditsAttempted', 'numeric!', 'Credits attempted'],
    ['creditsEarned', 'numeric!', 'Credits earned'],
    ['result', 'text!', 'Local code `courseResult` (→ courseAttemptResultDescriptor)'],
  ], ['personID']),
  table('prioryearleaver', 'leaverID', 'Students enrolled last year who did not return (leavers and graduates).', 'priorYearLeavers (their contacts via relatedpair: priorYearLeaverParents, priorYearLeaverStudentParentAssociations)', [
    ['leaverID', 'int', 'Internal id'],
    ['personID', 'int!', 'Student'],
    ['schoolID', 'int!', 'Last school'],
    ['endYear', 'int!', 'School year left'],
    ['grade', 'text!', 'Local code `gradeLevel` at exit'],
    ['exitDate', 'date!', 'Exit date'],
    ['exitCode', 'text!', 'Local code `exitWithdraw`'],
    ['lastFridayOctoberStatus', 'text!', 'Local code `lastFridayOctoberStatus` (TX C324)'],
    ['diplomaType', 'text', 'Local code `diplomaType` for graduates'],
    ['diplomaDate', 'date', 'Diploma award date'],
  ], ['personID']),
  table('financeline', 'lineID', 'District finance lines: budget, actuals and payroll (PEIMS account codes).', 'budgetExts, actualExts, payrollExts (HR/finance profiles)', [
    ['lineID', 'int', 'Internal id'],
    ['districtID', 'int!', 'District'],
    ['lineType', 'text!', 'budget, actual or payroll'],
    ['personID', 'int', 'Staff (payroll lines)'],
    ['fiscalYear', 'int!', 'Fiscal year'],
    ['fund', 'text!', 'Fund code (C145)'],
    ['function', 'text!', 'Function code (C146)'],
    ['object', 'text!', 'Object code (C159)'],
    ['organization', 'text!', 'Organization (campus) code, 3 digits'],
    ['programIntent', 'text!', 'Program intent code (C147)'],
    ['payrollActivity', 'text', 'Payroll activity code (C018)'],
    ['amount', 'numeric!', 'Whole dollars'],
    ['beginDate', 'date!', 'Begin date'],
    ['endDate', 'date', 'End date'],
  ], ['lineType']),
  table('localcode', 'localCodeID', 'Local code tables: the values a clerk maps to Ed-Fi descriptors. Some categories are per school.', 'descriptor mapping (app), descriptors', [
    ['localCodeID', 'int', 'Internal id'],
    ['category', 'text!', 'Code table (entryType, exitWithdraw, behavior, …)'],
    ['schoolID', 'int', 'School for per-school categories; NULL = district-wide'],
    ['code', 'text!', 'Local code value'],
    ['name', 'text!', 'Description'],
    ['stateCode', 'text', 'The state / Ed-Fi code value it corresponds to; NULL = no obvious mapping (dirty `unmapped-local-codes`)'],
    ['active', 'bool!', 'In use'],
  ], ['category']),
];

export const TABLE_BY_NAME: ReadonlyMap<string, TableDef> = new Map(TABLES.map((t) => [t.name, t]));

export function tableDef(name: string): TableDef {
  const def = TABLE_BY_NAME.get(name);
  if (def === undefined) throw new Error(`unknown SIS table ${name}`);
  return def;
}

const SQL_TYPE: Record<ColumnType, string> = {
  int: 'integer', bigint: 'bigint', text: 'text', date: 'date', time: 'time', bool: 'boolean', numeric: 'numeric', 'text[]': 'text[]',
};

/** CREATE TABLE / INDEX statements for one table, idempotent. The key is an identity so later inserts need no id. */
export function tableDdl(def: TableDef): string {
  const cols = def.columns.map((c) =>
    c.name === def.key
      ? `  ${c.name} integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY`
      : `  ${c.name} ${SQL_TYPE[c.type]}${c.notNull ? ' NOT NULL' : ''}`,
  );
  const idx = def.indexes.map((col) => `CREATE INDEX IF NOT EXISTS ${def.name}_${col.toLowerCase()}_idx ON ${def.name} (${col});`);
  return [`CREATE TABLE IF NOT EXISTS ${def.name} (\n${cols.join(',\n')}\n);`, ...idx].join('\n');
}

/** The schema section of sis/README.md: one table per entity. */
export function schemaMarkdown(): string {
  const parts: string[] = [];
  for (const def of TABLES) {
    parts.push(`### \`${def.name}\`\n\n${def.doc} **Feeds:** ${def.feeds}.\n`);
    parts.push('| column | type | meaning |\n| --- | --- | --- |');
    for (const c of def.columns) parts.push(`| ${c.name === def.key ? `**${c.name}**` : c.name} | ${c.type}${c.notNull ? ' not null' : ''} | ${c.doc.replaceAll('|', '\\|')} |`);
    parts.push('');
  }
  return parts.join('\n');
}
