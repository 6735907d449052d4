/**
 * `studentSchoolAssociations` (School Enrollment): each enrollment of the school year at a school
 * and calendar not excluded, with the mapped Entry and Exit/Withdraw codes (TEA's own values:
 * unmapped is a computed error naming the code), the entry grade level and the calendar it follows.
 *
 * Publishing one claims its student for the district in the ODS: every other record of that student
 * waiting for the relationship is retried as soon as it publishes (edfi/relationships.ts).
 *
 * The calendar reference: with ExcludeUnmappedCalendarReference on (PowerSchool profiles, at the
 * start of a year), an enrollment whose calendar is not defined for state reporting yet — its type
 * not mapped, so the calendar is not published — goes without the reference instead of waiting.
 */
import type { EdfiDocument, MappedRecord, PublishContext } from './mapper.js';
import { sqlMapper, KEY_IDS } from './mapper.js';
import { calendarCode, STRUCTURE_COUNT_SQL } from './calendarCode.js';
import { edfiSchoolId, type SchoolNumbers } from './schoolId.js';
import { stateCode } from './stateCode.js';
import { STUDENT_COLUMNS, studentDisplay, withoutUniqueId } from './students.js';

const CATEGORY = 'Enrollment & Demographics';

interface Row extends SchoolNumbers {
  enrollmentId: number;
  personId: number;
  schoolId: number;
  calendarId: number;
  structureId: number;
  structures: number;
  calendarType: string | null;
  endYear: number;
  uniqueId: string | null;
  firstName: string;
  lastName: string;
  studentNumber: string;
  grade: string;
  serviceType: string;
  entryDate: string;
  entryType: string;
  exitDate: string | null;
  exitType: string | null;
}

export const ENROLLMENTS_SQL = `
  SELECT en.enrollmentID AS "enrollmentId", en.personID AS "personId", c.schoolID AS "schoolId", c.calendarID AS "calendarId",
         en.structureID AS "structureId", ${STRUCTURE_COUNT_SQL} AS structures, c.type AS "calendarType", c.endYear AS "endYear",
         st.stateID AS "uniqueId", st.firstName AS "firstName", st.lastName AS "lastName", st.studentNumber AS "studentNumber", en.grade, en.serviceType AS "serviceType",
         to_char(en.startDate, 'YYYY-MM-DD') AS "entryDate", en.startStatus AS "entryType",
         to_char(en.endDate, 'YYYY-MM-DD') AS "exitDate", en.endStatus AS "exitType",
         s.edFiSchoolNumber AS "edFiSchoolNumber", s.stateSchoolNumber AS "stateSchoolNumber"
    FROM enrollment en
    JOIN student st ON st.personID = en.personID
    JOIN calendar c ON c.calendarID = en.calendarID
    JOIN school s ON s.schoolID = c.schoolID
   WHERE c.endYear = $1 AND NOT c.exclude AND NOT s.exclude AND NOT en.stateExclude AND NOT en.noShow
     AND ($2::int IS NULL OR c.schoolID = $2)
     AND ($3::text[] IS NULL OR en.enrollmentID = ANY(${KEY_IDS}))
   ORDER BY en.enrollmentID`;

/** Whether the enrollment refers to its calendar: always, unless the profile skips calendars not yet defined for the state. */
function withCalendar(row: Row, ctx: PublishContext): boolean {
  if (!ctx.setting('ExcludeUnmappedCalendarReference')) return true;
  return ctx.descriptors.mapped('calendar-types', row.calendarType, row.schoolId) !== undefined;
}

export function enrollmentRecord(row: Row, ctx: PublishContext): MappedRecord {
  const school = edfiSchoolId(row);
  const schoolId = 'id' in school ? school.id : null;
  const entry = stateCode(ctx, 'entry-codes', row.entryType, CATEGORY);
  const exit = stateCode(ctx, 'exit-withdraw-codes', row.exitType, CATEGORY);
  const grade = ctx.descriptors.uri('grade-levels', row.grade, row.schoolId);
  const doc: EdfiDocument = {
    studentReference: { studentUniqueId: row.uniqueId },
    schoolReference: { schoolId },
    entryDate: row.entryDate,
    entryGradeLevelDescriptor: grade ?? null,
    ...(entry !== undefined && 'uri' in entry ? { entryTypeDescriptor: entry.uri } : {}),
    ...(row.exitDate !== null ? { exitWithdrawDate: row.exitDate } : {}),
    ...(exit !== undefined && 'uri' in exit ? { exitWithdrawTypeDescriptor: exit.uri } : {}),
    primarySchool: row.serviceType === 'P',
    schoolYearTypeReference: { schoolYear: row.endYear },
    ...(withCalendar(row, ctx)
      ? { calendarReference: { calendarCode: calendarCode(row.calendarId, row.structureId, row.structures), schoolId, schoolYear: row.endYear } }
      : {}),
  };
  const base = {
    sourceKey: String(row.enrollmentId),
    schoolId: row.schoolId,
    doc,
    display: { ...studentDisplay(row), entryDate: row.entryDate, exitDate: row.exitDate },
  };
  if ('error' in school) return { ...base, error: school.error };
  const missing = withoutUniqueId(row.uniqueId, ctx);
  if (missing !== undefined) return { ...base, ...missing };
  for (const code of [entry, exit]) if (code !== undefined && 'error' in code) return { ...base, error: code.error };
  return base;
}

export const studentSchoolAssociations = sqlMapper<Row>({
  resource: 'ed-fi/studentSchoolAssociations',
  sql: ENROLLMENTS_SQL,
  codeSets: ['entry-codes', 'exit-withdraw-codes', 'grade-levels', 'calendar-types'],
  settings: ['ExcludeStudentsWithoutUniqueIDs', 'ExcludeUnmappedCalendarReference'],
  revision: 1,
  listColumns: [...STUDENT_COLUMNS, { id: 'entryDate', label: 'Entry Date' }, { id: 'exitDate', label: 'Exit Date' }],
  changes: {
    objectOfKey: 'whole',
    tables: {
      enrollment: 'key',
      student: { sql: 'SELECT enrollmentID::text AS object FROM enrollment WHERE personID::text = ANY($1)' },
      // A calendar's structure count decides its calendar code (what the enrollment refers to).
      schedulestructure: {
        sql: 'SELECT en.enrollmentID::text AS object FROM schedulestructure ss JOIN enrollment en ON en.calendarID = ss.calendarID WHERE ss.structureID::text = ANY($1)',
      },
      calendar: 'everything',
      school: 'everything',
    },
  },
  params: ['schoolYear', 'schoolId', 'sourceKeys'],
  record: enrollmentRecord,
});
