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
import { MISSING_SECTION_MEETING } from './schedules.js';
import { memberOfSection, sectionDisplay, sectionMemberChanges, sectionMembersSql, type SectionMemberRow } from './sectionTerms.js';
import { STUDENT_COLUMNS, studentDisplay, withoutUniqueId } from './students.js';

interface Row extends SectionMemberRow {
  uniqueId: string | null;
  firstName: string;
  lastName: string;
  studentNumber: string;
}

export const STUDENT_SECTIONS_SQL = sectionMembersSql({
  table: 'roster',
  key: 'rosterID',
  person: 'JOIN student st ON st.personID = m.personID',
  personColumns: 'st.stateID AS "uniqueId", st.firstName AS "firstName", st.lastName AS "lastName", st.studentNumber AS "studentNumber"',
});

export function studentSectionRecord(row: Row, ctx: PublishContext): MappedRecord {
  const { fields, schoolError } = memberOfSection(row);
  const doc: EdfiDocument = { studentReference: { studentUniqueId: row.uniqueId }, ...fields };
  const base = { sourceKey: row.sourceKey, schoolId: row.schoolId, doc, display: { ...studentDisplay({ ...row, grade: null }), ...sectionDisplay(row) } };
  if (schoolError !== undefined) return { ...base, error: schoolError };
  const missing = withoutUniqueId(row.uniqueId, ctx);
  if (missing !== undefined) return { ...base, ...missing };
  if (row.termState === null) return { ...base, dependency: MISSING_SECTION_MEETING };
  return base;
}

const ROSTER_CHANGES = sectionMemberChanges('roster', 'rosterID');

export const studentSectionAssociations = sqlMapper<Row>({
  resource: 'ed-fi/studentSectionAssociations',
  sql: STUDENT_SECTIONS_SQL,
  codeSets: [],
  settings: ['ExcludeStudentsWithoutUniqueIDs'],
  revision: 1,
  listColumns: [...STUDENT_COLUMNS.filter((c) => c.id !== 'gradeLevel'), { id: 'section', label: 'Section' }, { id: 'beginDate', label: 'Begin Date' }],
  changes: {
    ...ROSTER_CHANGES,
    tables: { ...ROSTER_CHANGES.tables, student: { sql: 'SELECT rosterID::text AS object FROM roster WHERE personID::text = ANY($1)' } },
  },
  params: ['schoolYear', 'schoolId', 'sourceKeys'],
  record: studentSectionRecord,
});
