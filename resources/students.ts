/**
 * `students` (Student ID): each student enrolled in the school year (in the district, or in the
 * school of the context), identified by the state's Unique ID. Texas adds, in `_ext.TX`, the state
 * student id (SSN or S-number, E0001), the local student id (E0923), the do-not-report flag and the
 * census block group of the student's address (the guide's JSON example).
 *
 * A student without a Unique ID waits as a computed dependency with the guide's "Student/Staff
 * Unique ID" resolution — or, with the profile's ExcludeStudentsWithoutUniqueIDs on, is not
 * extracted at all (the guide: set at the start of the year so thousands of dependencies do not
 * slow the system). The ODS takes a Student ID once before its School Enrollment; any update needs
 * the enrollment, which the engine waits for and retries (edfi/relationships.ts).
 */
import type { EdfiDocument, ListColumnSpec, MappedRecord, PublishContext } from './mapper.js';
import { sqlMapper, KEY_IDS } from './mapper.js';

/** The guide's "Student/Staff Unique ID" dependency, for a student. */
export const UNIQUE_ID_MISSING =
  "Student/Staff Unique ID: the student has no State Assigned Unique ID (TX Unique ID). Obtain it through the state's process and enter it on the student's page, then run 'Now – Changes' for the category (or Publish the record from its details). Profiles that do not want these students yet can turn on ExcludeStudentsWithoutUniqueIDs.";

/** Why a student without a Unique ID is left out when the profile says so. */
export const EXCLUDED_WITHOUT_UNIQUE_ID =
  'Excluded: the student has no State Assigned Unique ID and the profile excludes such students (ExcludeStudentsWithoutUniqueIDs). Turn the setting off once Unique IDs are assigned, then run Now – Changes.';

/**
 * The fate of a record about a student without a Unique ID (undefined when they have one): waiting
 * with the guide's dependency, or — with ExcludeStudentsWithoutUniqueIDs on (the guide: at the start
 * of a year, so thousands of dependencies do not slow the system) — excluded, listed with the reason
 * and never retried.
 */
export function withoutUniqueId(uniqueId: string | null, ctx: PublishContext): { dependency: string } | { excluded: string } | undefined {
  if (uniqueId !== null && uniqueId.trim() !== '') return undefined;
  return ctx.setting('ExcludeStudentsWithoutUniqueIDs') ? { excluded: EXCLUDED_WITHOUT_UNIQUE_ID } : { dependency: UNIQUE_ID_MISSING };
}

export const STATE_STUDENT_ID_MISSING =
  "Texas Student ID (E0001): the student has no SSN or state-approved S-number, which TEA requires on every Student ID. Enter it on the student's page, then run 'Now – Errors' on Student Identification.";

/** The guide's list columns of the records about a student (Student ID, enrollments, sections, …). */
export const STUDENT_COLUMNS: readonly ListColumnSpec[] = [
  { id: 'studentName', label: 'Student Name' },
  { id: 'studentUid', label: 'Student UID' },
  { id: 'studentNumber', label: 'District Student Number' },
  { id: 'gradeLevel', label: 'Grade Level' },
];

/** What those columns show for one student (the SIS's own grade level code). */
export function studentDisplay(s: {
  readonly firstName: string;
  readonly lastName: string;
  readonly uniqueId: string | null;
  readonly studentNumber: string;
  readonly grade: string | null;
}): Record<string, string | null> {
  return { studentName: `${s.firstName} ${s.lastName}`, studentUid: s.uniqueId, studentNumber: s.studentNumber, gradeLevel: s.grade };
}

/** The `student` table's identity columns, as the Student ID and a Prior Year Leaver read them. */
export interface StudentIdentityColumns {
  uniqueId: string | null;
  ssn: string | null;
  studentNumber: string;
  firstName: string;
  middleName: string | null;
  lastName: string;
  birthDate: string;
  gender: string;
}

interface Row extends StudentIdentityColumns {
  personId: number;
  schoolId: number;
  grade: string | null;
  suffix: string | null;
  censusBlockGroup: string | null;
}

/**
 * The student's enrollment the record is filed under (the school context's filter): the primary
 * one, else the latest. Students enrolled only at excluded schools or calendars, or excluded from
 * state reporting, are not sent. `anySchool`: any school of the district, whatever the context
 * (for records filed under another school, as a responsible campus).
 */
export const enrolledThisYear = (scope: 'context' | 'anySchool' = 'context'): string => `
  SELECT c.schoolID AS "schoolId", en.grade
    FROM enrollment en
    JOIN calendar c ON c.calendarID = en.calendarID
    JOIN school s ON s.schoolID = c.schoolID
   WHERE en.personID = st.personID AND c.endYear = $1 AND NOT c.exclude AND NOT s.exclude AND NOT en.stateExclude AND NOT en.noShow
     ${scope === 'context' ? 'AND ($2::int IS NULL OR c.schoolID = $2)' : ''}
   ORDER BY (en.serviceType = 'P') DESC, en.startDate DESC, en.enrollmentID DESC
   LIMIT 1`;

export const ENROLLED_THIS_YEAR = enrolledThisYear();

export const STUDENTS_SQL = `
  SELECT st.personID AS "personId", e."schoolId", e.grade, st.stateID AS "uniqueId", st.ssn, st.studentNumber AS "studentNumber",
         st.firstName AS "firstName", st.middleName AS "middleName", st.lastName AS "lastName", st.suffix,
         to_char(st.birthDate, 'YYYY-MM-DD') AS "birthDate", st.gender, st.censusBlockGroup AS "censusBlockGroup"
    FROM student st
    JOIN LATERAL (${ENROLLED_THIS_YEAR}) e ON true
   WHERE ($3::text[] IS NULL OR st.personID = ANY(${KEY_IDS}))
   ORDER BY st.personID`;

/** The Texas extension of a Student ID (2024.2.1 to 2026.2.1 carry the same fields). */
function texasStudent(row: Row, ctx: PublishContext): EdfiDocument {
  return {
    studentId: row.ssn,
    ...(row.studentNumber.length <= 9 ? { localStudentId: row.studentNumber } : {}),
    studentDoNotReportTSDS: false,
    // The census block group of the address the student lives at this school year (from July 1st, as TEA's year runs).
    ...(row.censusBlockGroup !== null && /^\d{12}$/.test(row.censusBlockGroup)
      ? { censusBlockGroupSets: [{ beginDate: `${ctx.schoolYear - 1}-07-01`, studentCensusBlockGroup: row.censusBlockGroup }] }
      : {}),
  };
}

export function studentRecord(row: Row, ctx: PublishContext): MappedRecord {
  const sex = ctx.descriptors.uri('sex', row.gender);
  const doc: EdfiDocument = {
    studentUniqueId: row.uniqueId,
    firstName: row.firstName,
    ...(row.middleName !== null ? { middleName: row.middleName } : {}),
    lastSurname: row.lastName,
    ...(row.suffix !== null ? { generationCodeSuffix: row.suffix } : {}),
    birthDate: row.birthDate,
    ...(sex !== undefined ? { birthSexDescriptor: sex } : {}),
  };
  if (ctx.teds !== undefined) doc._ext = { TX: texasStudent(row, ctx) };
  const base = { sourceKey: String(row.personId), schoolId: row.schoolId, doc, display: studentDisplay(row) };
  const missing = withoutUniqueId(row.uniqueId, ctx);
  if (missing !== undefined) return { ...base, ...missing };
  if (ctx.teds !== undefined && (row.ssn === null || row.ssn.trim() === '')) return { ...base, error: STATE_STUDENT_ID_MISSING };
  return base;
}

/** How a change in the SIS leads to a student's record: the student, or an enrollment of theirs. */
export const STUDENT_CHANGES = {
  objectOfKey: 'whole',
  tables: {
    student: 'key',
    enrollment: { sql: 'SELECT personID::text AS object FROM enrollment WHERE enrollmentID::text = ANY($1)' },
    // Excluding a school or calendar, or moving a calendar's year, reaches every student in it: rare, read whole.
    calendar: 'everything',
    school: 'everything',
  },
} as const;

export const students = sqlMapper<Row>({
  resource: 'ed-fi/students',
  sql: STUDENTS_SQL,
  codeSets: ['sex'],
  settings: ['ExcludeStudentsWithoutUniqueIDs'],
  revision: 1,
  strayOwnership: 'none',
  listColumns: STUDENT_COLUMNS,
  changes: STUDENT_CHANGES,
  params: ['schoolYear', 'schoolId', 'sourceKeys'],
  record: studentRecord,
});
