/**
 * `studentAcademicRecords` (Student Transcripts): a student's record for a term of the school year
 * at their school — credits attempted and earned this term, cumulative credits and (Data Standard
 * 4) cumulative GPA, and a diploma when the student graduated (Diploma Types: TEA's graduation
 * types, pre-mapped where the codes match). The guide: the current year's course completion
 * and graduation data, which TEA collects later in the year.
 */
import { localStateValueSql } from './stateCode.js';
import type { MappedRecord, PublishContext } from './mapper.js';
import { sqlMapper, KEY_IDS } from './mapper.js';
import { edfiSchoolId, type SchoolNumbers } from './schoolId.js';
import { STUDENT_COLUMNS, studentDisplay, withoutUniqueId } from './students.js';

/** A term's state value as sessions send it (`r.term` is the local code). */
export const RECORD_TERM = localStateValueSql('term', 'r.term');

/**
 * A transcript table's rows (`table` as `r`, keyed by `key`) of the school year (`$1`) at a school
 * that is not excluded, in the school context (`$2`), narrowed to source keys (`$3`), with the
 * student, the term's state value, the school's numbers and the table's own `columns`.
 */
export function transcriptRowsSql(table: string, key: string, idAlias: string, columns: string): string {
  return `
  SELECT r.${key} AS "${idAlias}", r.schoolID AS "schoolId", r.endYear AS "endYear", st.stateID AS "uniqueId", st.firstName AS "firstName",
         st.lastName AS "lastName", st.studentNumber AS "studentNumber", ${RECORD_TERM} AS "termState", ${columns},
         s.edFiSchoolNumber AS "edFiSchoolNumber", s.stateSchoolNumber AS "stateSchoolNumber"
    FROM ${table} r
    JOIN student st ON st.personID = r.personID
    JOIN school s ON s.schoolID = r.schoolID AND NOT s.exclude
   WHERE r.endYear = $1
     AND ($2::int IS NULL OR r.schoolID = $2)
     AND ($3::text[] IS NULL OR r.${key} = ANY(${KEY_IDS}))
   ORDER BY r.${key}`;
}
export const termDescriptor = (termState: string): string => `uri://ed-fi.org/TermDescriptor#${termState}`;

interface Row extends SchoolNumbers {
  recordId: number;
  schoolId: number;
  endYear: number;
  uniqueId: string | null;
  firstName: string;
  lastName: string;
  studentNumber: string;
  termState: string;
  gpaCumulative: number | null;
  creditsAttempted: number | null;
  creditsEarned: number | null;
  creditsEarnedCumulative: number | null;
  diplomaType: string | null;
  diplomaDate: string | null;
}

export const ACADEMIC_RECORDS_SQL = transcriptRowsSql(
  'academicrecord',
  'recordID',
  'recordId',
  `r.gpaCumulative::float8 AS "gpaCumulative", r.creditsAttempted::float8 AS "creditsAttempted", r.creditsEarned::float8 AS "creditsEarned",
   r.creditsEarnedCumulative::float8 AS "creditsEarnedCumulative", r.diplomaType AS "diplomaType", to_char(r.diplomaDate, 'YYYY-MM-DD') AS "diplomaDate"`,
);

export function academicRecordRecord(row: Row, ctx: PublishContext): MappedRecord {
  const school = edfiSchoolId(row);
  const diploma = row.diplomaDate !== null ? ctx.descriptors.uri('diploma-types', row.diplomaType) : undefined;
  const doc = {
    studentReference: { studentUniqueId: row.uniqueId },
    educationOrganizationReference: { educationOrganizationId: 'id' in school ? school.id : null },
    schoolYearTypeReference: { schoolYear: row.endYear },
    termDescriptor: termDescriptor(row.termState),
    ...(row.creditsAttempted !== null ? { sessionAttemptedCredits: row.creditsAttempted } : {}),
    ...(row.creditsEarned !== null ? { sessionEarnedCredits: row.creditsEarned } : {}),
    ...(row.creditsEarnedCumulative !== null ? { cumulativeEarnedCredits: row.creditsEarnedCumulative } : {}),
    // Data Standard 5 keeps GPAs only in gradePointAverages[], with a GPA type the SIS does not record.
    ...(row.gpaCumulative !== null && ctx.dataStandard === '4.0' ? { cumulativeGradePointAverage: row.gpaCumulative } : {}),
    ...(diploma !== undefined && row.diplomaDate !== null ? { diplomas: [{ diplomaAwardDate: row.diplomaDate, diplomaTypeDescriptor: diploma }] } : {}),
  };
  const display = { ...studentDisplay({ ...row, grade: null }), schoolYear: row.endYear, term: row.termState };
  const base = { sourceKey: String(row.recordId), schoolId: row.schoolId, doc, display };
  if ('error' in school) return { ...base, error: school.error };
  const missing = withoutUniqueId(row.uniqueId, ctx);
  if (missing !== undefined) return { ...base, ...missing };
  return base;
}

export const studentAcademicRecords = sqlMapper<Row>({
  resource: 'ed-fi/studentAcademicRecords',
  sql: ACADEMIC_RECORDS_SQL,
  codeSets: ['diploma-types'],
  settings: ['ExcludeStudentsWithoutUniqueIDs'],
  revision: 1,
  listColumns: [...STUDENT_COLUMNS.filter((c) => c.id !== 'gradeLevel'), { id: 'schoolYear', label: 'School Year' }, { id: 'term', label: 'Term' }],
  changes: {
    objectOfKey: 'whole',
    tables: {
      academicrecord: 'key',
      student: { sql: 'SELECT recordID::text AS object FROM academicrecord WHERE personID::text = ANY($1)' },
      school: 'everything',
      localcode: 'everything',
    },
  },
  params: ['schoolYear', 'schoolId', 'sourceKeys'],
  record: academicRecordRecord,
});
