/**
 * `tx/studentSpecialEducationProgramEligibilityAssociations` (Student Programs, Child Find): a
 * special education evaluation — parental consent received, evaluation and eligibility dates, days
 * late (TEDS 0..999) and whether the student was found eligible under IDEA. TEA's Child Find
 * collection; keyed by the student, the school and the program, so it carries no begin date.
 */
import { sqlMapper } from './mapper.js';
import { PROGRAM_COLUMNS, programMember, programMemberChanges, programMembersSql, type ProgramMemberRow } from './programMembership.js';

interface Row extends ProgramMemberRow {
  evaluationDate: string | null;
  eligibilityDate: string | null;
  evaluationDelayDays: number | null;
  ideaIndicator: boolean | null;
}

export const CHILD_FIND_SQL = programMembersSql(
  'specialedeligibility',
  'eligibilityID',
  `to_char(m.evaluationDate, 'YYYY-MM-DD') AS "evaluationDate", to_char(m.eligibilityDate, 'YYYY-MM-DD') AS "eligibilityDate",
   m.evaluationDelayDays AS "evaluationDelayDays", m.ideaIndicator AS "ideaIndicator"`,
  { from: 'consentDate', to: null },
);

export const studentSpecialEducationProgramEligibilityAssociations = sqlMapper<Row>({
  resource: 'tx/studentSpecialEducationProgramEligibilityAssociations',
  sql: CHILD_FIND_SQL,
  codeSets: [],
  settings: ['ExcludeStudentsWithoutUniqueIDs'],
  revision: 1,
  listColumns: PROGRAM_COLUMNS,
  changes: programMemberChanges('specialedeligibility', 'eligibilityID'),
  params: ['schoolYear', 'schoolId', 'sourceKeys'],
  record: (row, ctx) =>
    programMember(
      row,
      ctx,
      {
        consentToEvaluationReceivedDate: row.beginDate,
        ...(row.evaluationDate !== null ? { eligibilityEvaluationDate: row.evaluationDate } : {}),
        ...(row.eligibilityDate !== null ? { eligibilityDeterminationDate: row.eligibilityDate } : {}),
        ...(row.evaluationDelayDays !== null ? { evaluationDelayDays: Math.min(Math.max(row.evaluationDelayDays, 0), 999) } : {}),
        ...(row.ideaIndicator !== null ? { ideaIndicator: row.ideaIndicator } : {}),
      },
      false,
    ),
});
