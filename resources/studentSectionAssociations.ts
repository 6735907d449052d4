/**
 * `studentSectionAssociations` (Student Section): a student on a section's roster, once per term the
 * section meets in — the Ed-Fi section of that term (`sections` sends one per section and term),
 * from the later of the roster's and the term's start. A roster whose section meets in no period
 * waits with the guide's "Missing Section Meeting Record"; one whose section is not published yet
 * waits as a "Section Record" dependency (the engine's reference check), and one whose student is
 * not claimed yet waits for their School Enrollment.
 */
import type { EdfiDocument, MappedRecord, PublishContext } from './mapper.js';
import { sqlMapper } from './mapper.js';
import { edfiSchoolId, type SchoolNumbers } from './schoolId.js';
import { sessionName } from './sessions.js';
import { MISSING_SECTION_MEETING, TERM_STATE } from './schedules.js';
import { STUDENT_COLUMNS, studentDisplay, withoutUniqueId } from './students.js';

interface Row extends SchoolNumbers {
  sourceKey: string;
  schoolId: number;
  endYear: number;
  sectionId: number;
  localCourseCode: string;
  termState: string | null;
  uniqueId: string | null;
  firstName: string;
  lastName: string;
  studentNumber: string;
  beginDate: string;
  endDate: string | null;
}

// One row per roster and term its section meets in that the roster's dates reach; a section that
// meets nowhere gives one row with no term.
export const STUDENT_SECTIONS_SQL = `
  WITH terms AS (
    SELECT DISTINCT x.sectionID, t.termID, t.startDate, t.endDate, ${TERM_STATE} AS term_state
      FROM sectionplacement x JOIN term t ON t.termID = x.termID)
  SELECT ro.rosterID || '-' || coalesce(tm.termID::text, '') AS "sourceKey", c.schoolID AS "schoolId", c.endYear AS "endYear",
         x.sectionID AS "sectionId", co.number AS "localCourseCode", tm.term_state AS "termState", st.stateID AS "uniqueId",
         st.firstName AS "firstName", st.lastName AS "lastName", st.studentNumber AS "studentNumber",
         to_char(greatest(ro.startDate, coalesce(tm.startDate, ro.startDate)), 'YYYY-MM-DD') AS "beginDate",
         to_char(CASE WHEN tm.termID IS NULL THEN ro.endDate ELSE least(coalesce(ro.endDate, tm.endDate), tm.endDate) END, 'YYYY-MM-DD') AS "endDate",
         s.edFiSchoolNumber AS "edFiSchoolNumber", s.stateSchoolNumber AS "stateSchoolNumber"
    FROM roster ro
    JOIN student st ON st.personID = ro.personID
    JOIN section x ON x.sectionID = ro.sectionID
    JOIN course co ON co.courseID = x.courseID
    JOIN calendar c ON c.calendarID = co.calendarID
    JOIN school s ON s.schoolID = c.schoolID
    LEFT JOIN terms tm ON tm.sectionID = x.sectionID
   WHERE c.endYear = $1 AND co.active AND NOT c.exclude AND NOT s.exclude
     AND (tm.termID IS NULL OR (ro.startDate <= tm.endDate AND (ro.endDate IS NULL OR ro.endDate >= tm.startDate)))
     AND ($2::int IS NULL OR c.schoolID = $2)
     AND ($3::text[] IS NULL OR ro.rosterID::text = ANY($3) OR ro.rosterID || '-' || coalesce(tm.termID::text, '') = ANY($3))
   ORDER BY ro.rosterID, tm.termID`;

export function studentSectionRecord(row: Row, ctx: PublishContext): MappedRecord {
  const school = edfiSchoolId(row);
  const schoolId = 'id' in school ? school.id : null;
  const doc: EdfiDocument = {
    studentReference: { studentUniqueId: row.uniqueId },
    sectionReference: {
      localCourseCode: row.localCourseCode,
      schoolId,
      schoolYear: row.endYear,
      sectionIdentifier: String(row.sectionId),
      sessionName: row.termState !== null ? sessionName(row.endYear, row.termState) : null,
    },
    beginDate: row.beginDate,
    ...(row.endDate !== null ? { endDate: row.endDate } : {}),
  };
  const base = {
    sourceKey: row.sourceKey,
    schoolId: row.schoolId,
    doc,
    display: { ...studentDisplay({ ...row, grade: null }), section: `${row.localCourseCode} ${row.sectionId}`, beginDate: row.beginDate },
  };
  if ('error' in school) return { ...base, error: school.error };
  const missing = withoutUniqueId(row.uniqueId, ctx);
  if (missing !== undefined) return { ...base, ...missing };
  if (row.termState === null) return { ...base, dependency: MISSING_SECTION_MEETING };
  return base;
}

const ROSTERS_OF_SECTIONS = (where: string): string => `SELECT ro.rosterID::text AS object FROM roster ro WHERE ro.sectionID IN (${where})`;

export const studentSectionAssociations = sqlMapper<Row>({
  resource: 'ed-fi/studentSectionAssociations',
  sql: STUDENT_SECTIONS_SQL,
  codeSets: [],
  settings: ['ExcludeStudentsWithoutUniqueIDs'],
  revision: 1,
  listColumns: [...STUDENT_COLUMNS.filter((c) => c.id !== 'gradeLevel'), { id: 'section', label: 'Section' }, { id: 'beginDate', label: 'Begin Date' }],
  changes: {
    // A roster's records are one per term its section meets in (`rosterID-termID`): changes trace to the roster.
    objectOfKey: 'beforeDash',
    tables: {
      roster: 'key',
      student: { sql: 'SELECT rosterID::text AS object FROM roster WHERE personID::text = ANY($1)' },
      section: { sql: 'SELECT rosterID::text AS object FROM roster WHERE sectionID::text = ANY($1)' },
      sectionplacement: { sql: ROSTERS_OF_SECTIONS('SELECT sectionID FROM sectionplacement WHERE placementID::text = ANY($1)') },
      term: { sql: ROSTERS_OF_SECTIONS('SELECT sectionID FROM sectionplacement WHERE termID::text = ANY($1)') },
      course: { sql: ROSTERS_OF_SECTIONS('SELECT sectionID FROM section WHERE courseID::text = ANY($1)') },
      calendar: 'everything',
      school: 'everything',
      localcode: 'everything',
    },
  },
  params: ['schoolYear', 'schoolId', 'sourceKeys'],
  record: studentSectionRecord,
});
