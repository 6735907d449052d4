/**
 * `studentCohortAssociations` (Cohort Groups): a student's membership of a group in the school
 * year. Published only for groups mapped to a Cohort Type; it depends on the cohort, the Student ID
 * and the School Enrollment that claims the student.
 */
import type { MappedRecord, PublishContext } from './mapper.js';
import { sqlMapper } from './mapper.js';
import { COHORT_LIST_COLUMNS, cohortMember, cohortMemberChanges, cohortMembersSql, type CohortMemberRow } from './cohorts.js';
import { STUDENT_COLUMNS, studentDisplay, withoutUniqueId } from './students.js';

interface Row extends CohortMemberRow {
  studentNumber: string;
}

export const STUDENT_COHORTS_SQL = cohortMembersSql('cohortstudent', 'cohortStudentID', { table: 'student', columns: 'p.studentNumber AS "studentNumber"' });

export function studentCohortRecord(row: Row, ctx: PublishContext): MappedRecord {
  return cohortMember(row, ctx.descriptors.mapped('cohort-types', row.cohortType), {
    reference: { studentReference: { studentUniqueId: row.uniqueId } },
    display: studentDisplay({ ...row, grade: null }),
    fate: withoutUniqueId(row.uniqueId, ctx),
  });
}

export const studentCohortAssociations = sqlMapper<Row>({
  resource: 'ed-fi/studentCohortAssociations',
  sql: STUDENT_COHORTS_SQL,
  codeSets: ['cohort-types'],
  settings: ['ExcludeStudentsWithoutUniqueIDs'],
  revision: 1,
  listColumns: [...STUDENT_COLUMNS.filter((c) => c.id !== 'gradeLevel'), ...COHORT_LIST_COLUMNS, { id: 'beginDate', label: 'Begin Date' }],
  changes: cohortMemberChanges('cohortstudent', 'cohortStudentID', 'student'),
  params: ['schoolYear', 'schoolId', 'sourceKeys'],
  record: studentCohortRecord,
});
