/**
 * `restraintEvents` (Restraint Events): a restraint of a student at a school — the reason as TEA's
 * code (the local code's state value), the educational environment, and in Texas `_ext.TX` the
 * restraint staff type (C194). Like discipline, it depends only on the Student ID and the School
 * Enrollment that claims the student (the guide).
 */
import { localStateValueSql } from './stateCode.js';
import type { EdfiDocument, MappedRecord, PublishContext } from './mapper.js';
import { sqlMapper, KEY_IDS } from './mapper.js';
import { edfiSchoolId, type SchoolNumbers } from './schoolId.js';
import { STUDENT_COLUMNS, studentDisplay, withoutUniqueId } from './students.js';

interface Row extends SchoolNumbers {
  restraintId: number;
  schoolId: number;
  uniqueId: string | null;
  firstName: string;
  lastName: string;
  studentNumber: string;
  eventDate: string;
  reason: string;
  staffType: string | null;
  environment: string | null;
}

/** A local code's state value, or the code itself when the SIS gives none. */
const stateValue = (category: string, column: string): string => localStateValueSql(category, `r.${column}`);

export const RESTRAINTS_SQL = `
  SELECT r.restraintID AS "restraintId", r.schoolID AS "schoolId", st.stateID AS "uniqueId", st.firstName AS "firstName", st.lastName AS "lastName",
         st.studentNumber AS "studentNumber", to_char(r.date, 'YYYY-MM-DD') AS "eventDate", ${stateValue('restraintReason', 'reason')} AS reason,
         ${stateValue('restraintStaffType', 'staffType')} AS "staffType", ${stateValue('educationalEnvironment', 'environment')} AS environment,
         s.edFiSchoolNumber AS "edFiSchoolNumber", s.stateSchoolNumber AS "stateSchoolNumber"
    FROM restraintevent r
    JOIN student st ON st.personID = r.personID
    JOIN school s ON s.schoolID = r.schoolID AND NOT s.exclude
    JOIN schoolyear sy ON sy.endYear = $1
   WHERE r.date BETWEEN sy.startDate AND sy.endDate
     AND ($2::int IS NULL OR r.schoolID = $2)
     AND ($3::text[] IS NULL OR r.restraintID = ANY(${KEY_IDS}))
   ORDER BY r.restraintID`;

export function restraintRecord(row: Row, ctx: PublishContext): MappedRecord {
  const school = edfiSchoolId(row);
  const doc: EdfiDocument = {
    restraintEventIdentifier: String(row.restraintId),
    schoolReference: { schoolId: 'id' in school ? school.id : null },
    studentReference: { studentUniqueId: row.uniqueId },
    eventDate: row.eventDate,
    reasons: [{ restraintEventReasonDescriptor: `uri://tea.texas.gov/RestraintEventReasonDescriptor#${row.reason}` }],
    ...(row.environment !== null ? { educationalEnvironmentDescriptor: `uri://ed-fi.org/EducationalEnvironmentDescriptor#${row.environment}` } : {}),
  };
  if (ctx.teds !== undefined && row.staffType !== null)
    doc._ext = { TX: { restraintStaffTypeDescriptor: `uri://tea.texas.gov/RestraintStaffTypeDescriptor#${row.staffType}` } };
  const base = {
    sourceKey: String(row.restraintId),
    schoolId: row.schoolId,
    doc,
    display: { ...studentDisplay({ ...row, grade: null }), eventDate: row.eventDate },
  };
  if ('error' in school) return { ...base, error: school.error };
  return { ...base, ...withoutUniqueId(row.uniqueId, ctx) };
}

export const restraintEvents = sqlMapper<Row>({
  resource: 'ed-fi/restraintEvents',
  sql: RESTRAINTS_SQL,
  codeSets: [],
  settings: ['ExcludeStudentsWithoutUniqueIDs'],
  revision: 1,
  listColumns: [...STUDENT_COLUMNS.filter((c) => c.id !== 'gradeLevel'), { id: 'eventDate', label: 'Event Date' }],
  changes: {
    objectOfKey: 'whole',
    tables: {
      restraintevent: 'key',
      student: { sql: 'SELECT restraintID::text AS object FROM restraintevent WHERE personID::text = ANY($1)' },
      localcode: 'everything',
      school: 'everything',
      schoolyear: 'everything',
    },
  },
  params: ['schoolYear', 'schoolId', 'sourceKeys'],
  record: restraintRecord,
});
