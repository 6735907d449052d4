/**
 * `studentSectionAttendanceEvents` (Attendance): a student's attendance exception in one section
 * on a school day — where the school takes attendance every period — referring to the section of
 * the term that day falls in. Depends on the Student ID, the School Enrollment and the section.
 */
import type { MappedRecord, PublishContext } from './mapper.js';
import { sqlMapper, KEY_IDS } from './mapper.js';
import { MISSING_SECTION_MEETING, TERM_STATE } from './schedules.js';
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
  sinceParam,
  type AttendanceRow,
} from './attendanceEvents.js';

interface Row extends AttendanceRow, SchoolNumbers {
  schoolId: number;
  endYear: number;
  sectionId: number;
  localCourseCode: string;
}

export const SECTION_ATTENDANCE_SQL = `
  SELECT a.sectionAttendanceID AS "eventId", c.schoolID AS "schoolId", c.endYear AS "endYear", ${ATTENDANCE_COLUMNS_SQL}, tm.state AS "termState",
         x.sectionID AS "sectionId", co.number AS "localCourseCode", s.edFiSchoolNumber AS "edFiSchoolNumber", s.stateSchoolNumber AS "stateSchoolNumber"
    FROM sectionattendance a
    JOIN student st ON st.personID = a.personID
    JOIN section x ON x.sectionID = a.sectionID
    JOIN course co ON co.courseID = x.courseID AND co.active
    JOIN calendar c ON c.calendarID = co.calendarID AND NOT c.exclude
    JOIN school s ON s.schoolID = c.schoolID AND NOT s.exclude
    JOIN schoolyear sy ON sy.endYear = $1 AND sy.endYear = c.endYear
    LEFT JOIN LATERAL (SELECT ${TERM_STATE} AS state FROM sectionplacement sp JOIN term t ON t.termID = sp.termID
                        WHERE sp.sectionID = a.sectionID AND a.date BETWEEN t.startDate AND t.endDate ORDER BY t.seq LIMIT 1) tm ON true
   WHERE ${IN_YEAR_AND_WINDOW}
     AND ($2::int IS NULL OR c.schoolID = $2)
     AND ($3::text[] IS NULL OR a.sectionAttendanceID = ANY(${KEY_IDS}))
   ORDER BY a.sectionAttendanceID`;

export function sectionAttendanceRecord(row: Row, ctx: PublishContext): MappedRecord {
  const school = edfiSchoolId(row);
  return attendanceEvent(row, ctx, {
    category: ctx.descriptors.uri('attendance-categories', row.code),
    school,
    own: {
      sectionReference: {
        localCourseCode: row.localCourseCode,
        schoolId: 'id' in school ? school.id : null,
        schoolYear: row.endYear,
        sectionIdentifier: String(row.sectionId),
        sessionName: row.termState !== null ? sessionName(row.endYear, row.termState) : null,
      },
      ...(row.minutes !== null ? { sectionAttendanceDuration: row.minutes } : {}),
    },
    display: { section: `${row.localCourseCode} ${row.sectionId}` },
    noTerm: MISSING_SECTION_MEETING,
  });
}

export const studentSectionAttendanceEvents = sqlMapper<Row>({
  resource: 'ed-fi/studentSectionAttendanceEvents',
  sql: SECTION_ATTENDANCE_SQL,
  codeSets: ['attendance-categories'],
  settings: ['ExcludeStudentsWithoutUniqueIDs'],
  revision: 1,
  listColumns: [...ATTENDANCE_LIST_COLUMNS, { id: 'section', label: 'Section' }],
  recent: attendanceWindow('sectionattendance'),
  changes: {
    objectOfKey: 'whole',
    tables: {
      sectionattendance: 'key',
      student: { sql: 'SELECT sectionAttendanceID::text AS object FROM sectionattendance WHERE personID::text = ANY($1)', reads: ATTENDANCE_STUDENT_READS },
      // A section's teacher, room or name is not part of its attendance.
      section: { sql: 'SELECT sectionAttendanceID::text AS object FROM sectionattendance WHERE sectionID::text = ANY($1)', reads: ['courseID'] },
      course: 'everything',
      calendar: 'everything',
      school: 'everything',
      schoolyear: 'everything',
      sectionplacement: 'everything',
      term: 'everything',
      localcode: 'everything',
    },
    wholeReads: { school: ATTENDANCE_SCHOOL_READS },
  },
  params: ['schoolYear', 'schoolId', 'sourceKeys', sinceParam],
  record: sectionAttendanceRecord,
});
