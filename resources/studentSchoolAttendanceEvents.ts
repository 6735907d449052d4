/**
 * `studentSchoolAttendanceEvents` (Attendance): a student's daily attendance exception at their
 * school, in the session of the day. Depends on the Student ID, the School Enrollment that claims
 * the student and the session.
 */
import type { MappedRecord, PublishContext } from './mapper.js';
import { sqlMapper, KEY_IDS } from './mapper.js';
import { TERM_STATE } from './schedules.js';
import { edfiSchoolId, type SchoolNumbers } from './schoolId.js';
import { sessionName } from './sessions.js';
import {
  ATTENDANCE_COLUMNS_SQL,
  ATTENDANCE_LIST_COLUMNS,
  ATTENDANCE_SCHOOL_READS,
  ATTENDANCE_STUDENT_READS,
  attendanceWindow,
  attendanceEvent,
  IN_YEAR_AND_WINDOW,
  NO_SESSION,
  sinceParam,
  type AttendanceRow,
} from './attendanceEvents.js';

interface Row extends AttendanceRow, SchoolNumbers {
  schoolId: number;
  endYear: number;
}

export const SCHOOL_ATTENDANCE_SQL = `
  SELECT a.attendanceID AS "eventId", a.schoolID AS "schoolId", sy.endYear AS "endYear", ${ATTENDANCE_COLUMNS_SQL}, tm.state AS "termState",
         s.edFiSchoolNumber AS "edFiSchoolNumber", s.stateSchoolNumber AS "stateSchoolNumber"
    FROM attendance a
    JOIN student st ON st.personID = a.personID
    JOIN calendar c ON c.calendarID = a.calendarID AND NOT c.exclude
    JOIN school s ON s.schoolID = a.schoolID AND NOT s.exclude
    JOIN schoolyear sy ON sy.endYear = $1
    LEFT JOIN LATERAL (SELECT ${TERM_STATE} AS state FROM term t JOIN schedulestructure ss ON ss.structureID = t.structureID AND ss.isPrimary
                        WHERE ss.calendarID = a.calendarID AND a.date BETWEEN t.startDate AND t.endDate ORDER BY t.seq LIMIT 1) tm ON true
   WHERE ${IN_YEAR_AND_WINDOW}
     AND ($2::int IS NULL OR a.schoolID = $2)
     AND ($3::text[] IS NULL OR a.attendanceID = ANY(${KEY_IDS}))
   ORDER BY a.attendanceID`;

export function schoolAttendanceRecord(row: Row, ctx: PublishContext): MappedRecord {
  const school = edfiSchoolId(row);
  const schoolId = 'id' in school ? school.id : null;
  return attendanceEvent(row, ctx, {
    category: ctx.descriptors.uri('attendance-categories', row.code),
    school,
    own: {
      schoolReference: { schoolId },
      sessionReference: { schoolId, schoolYear: row.endYear, sessionName: row.termState !== null ? sessionName(row.endYear, row.termState) : null },
      ...(row.minutes !== null ? { schoolAttendanceDuration: row.minutes } : {}),
    },
    noTerm: NO_SESSION,
  });
}

export const studentSchoolAttendanceEvents = sqlMapper<Row>({
  resource: 'ed-fi/studentSchoolAttendanceEvents',
  sql: SCHOOL_ATTENDANCE_SQL,
  codeSets: ['attendance-categories'],
  settings: ['ExcludeStudentsWithoutUniqueIDs'],
  revision: 1,
  listColumns: ATTENDANCE_LIST_COLUMNS,
  recent: attendanceWindow('attendance'),
  changes: {
    objectOfKey: 'whole',
    tables: {
      attendance: 'key',
      student: { sql: 'SELECT attendanceID::text AS object FROM attendance WHERE personID::text = ANY($1)', reads: ATTENDANCE_STUDENT_READS },
      calendar: 'everything',
      school: 'everything',
      schoolyear: 'everything',
      term: 'everything',
      schedulestructure: 'everything',
      localcode: 'everything',
    },
    wholeReads: { school: ATTENDANCE_SCHOOL_READS },
  },
  params: ['schoolYear', 'schoolId', 'sourceKeys', sinceParam],
  record: schoolAttendanceRecord,
});
