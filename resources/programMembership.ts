/**
 * What the Student Programs share (the guide: CTE, Language Instruction, Special Education, Child
 * Find, Title I Part A): a student's participation in one of the district's programs at a school,
 * referring to the program as the Program Catalog sends it (the LEA, the program type's name and
 * its Ed-Fi program type) — so it depends only on the Program Catalog, the Student ID and the School
 * Enrollment that claims the student, as the guide says.
 */
import { KEY_IDS } from './mapper.js';
import type { EdfiDocument, MappedRecord, PublishContext } from './mapper.js';
import { edfiSchoolId, type SchoolNumbers } from './schoolId.js';
import { STUDENT_COLUMNS, studentDisplay, withoutUniqueId } from './students.js';

/** The columns every program query reads; each program's own come on top. */
export interface ProgramMemberRow extends SchoolNumbers {
  memberId: number;
  schoolId: number;
  uniqueId: string | null;
  firstName: string;
  lastName: string;
  studentNumber: string;
  beginDate: string;
  endDate: string | null;
  programName: string;
  programType: string | null;
  leaNumber: string;
}

/**
 * The participations in `table` (keyed by `key`, with personID, programID, schoolID and the dates
 * `from`/`to`) reaching the school year (`$1`), in the school context (`$2`), narrowed to source keys
 * (`$3`), with the program as the catalog names it and the program's own `columns`.
 */
export function programMembersSql(
  table: string,
  key: string,
  columns: string,
  dates: { from: string; to: string | null } = { from: 'startDate', to: 'endDate' },
): string {
  const to = dates.to === null ? 'NULL::date' : `m.${dates.to}`;
  return `
  SELECT m.${key} AS "memberId", m.schoolID AS "schoolId", st.stateID AS "uniqueId", st.firstName AS "firstName", st.lastName AS "lastName",
         st.studentNumber AS "studentNumber", to_char(m.${dates.from}, 'YYYY-MM-DD') AS "beginDate", to_char(${to}, 'YYYY-MM-DD') AS "endDate",
         lc.name AS "programName", lc.stateCode AS "programType", d.number AS "leaNumber",
         s.edFiSchoolNumber AS "edFiSchoolNumber", s.stateSchoolNumber AS "stateSchoolNumber"${columns === '' ? '' : `, ${columns}`}
    FROM ${table} m
    JOIN student st ON st.personID = m.personID
    JOIN program p ON p.programID = m.programID
    JOIN district d ON d.districtID = p.districtID
    JOIN localcode lc ON lc.category = 'programType' AND lc.schoolID IS NULL AND lc.code = p.programType
    JOIN school s ON s.schoolID = m.schoolID AND NOT s.exclude
    JOIN schoolyear sy ON sy.endYear = $1
   WHERE m.${dates.from} <= sy.endDate AND (${to} IS NULL OR ${to} >= sy.startDate)
     AND ($2::int IS NULL OR m.schoolID = $2)
     AND ($3::text[] IS NULL OR m.${key} = ANY(${KEY_IDS}))
   ORDER BY m.${key}`;
}

export const PROGRAM_NOT_IN_CATALOG =
  "Program record: the student's program has no Ed-Fi program type (its program type's state code is missing), so the Program Catalog cannot publish it. Set the state code of the program type in the SIS, then run 'Now – All' on Program Catalog and 'Now – Changes' on Student Programs.";

/** The participation's common fields, and its fate when the school, the student or the program cannot be sent. */
export function programMember(row: ProgramMemberRow, ctx: PublishContext, own: EdfiDocument, dated = true): MappedRecord {
  const school = edfiSchoolId(row);
  const doc: EdfiDocument = {
    studentReference: { studentUniqueId: row.uniqueId },
    educationOrganizationReference: { educationOrganizationId: 'id' in school ? school.id : null },
    programReference: {
      educationOrganizationId: Number(row.leaNumber),
      programName: row.programName.slice(0, 60),
      programTypeDescriptor: `uri://ed-fi.org/ProgramTypeDescriptor#${row.programType ?? ''}`,
    },
    ...(dated ? { beginDate: row.beginDate, ...(row.endDate !== null ? { endDate: row.endDate } : {}) } : {}),
    ...own,
  };
  const display = { ...studentDisplay({ ...row, grade: null }), program: row.programName, beginDate: row.beginDate };
  const base = { sourceKey: String(row.memberId), schoolId: row.schoolId, doc, display };
  if ('error' in school) return { ...base, error: school.error };
  const missing = withoutUniqueId(row.uniqueId, ctx);
  if (missing !== undefined) return { ...base, ...missing };
  if (row.programType === null) return { ...base, dependency: PROGRAM_NOT_IN_CATALOG };
  return base;
}

export const PROGRAM_COLUMNS = [
  ...STUDENT_COLUMNS.filter((c) => c.id !== 'gradeLevel'),
  { id: 'program', label: 'Program' },
  { id: 'beginDate', label: 'Begin Date' },
] as const;

/** How changes reach a participation: its own row, the student's, and (rare, read whole) the program, its type, the school or the year. */
export function programMemberChanges(table: string, key: string) {
  return {
    objectOfKey: 'whole',
    tables: {
      [table]: 'key',
      student: { sql: `SELECT ${key}::text AS object FROM ${table} WHERE personID::text = ANY($1)` },
      program: 'everything',
      district: 'everything',
      localcode: 'everything',
      school: 'everything',
      schoolyear: 'everything',
    },
  } as const;
}
