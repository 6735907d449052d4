/**
 * `studentCTEProgramAssociations` (Student Programs, CTE): a high-school student's participation in
 * the district's career and technical education program at their school.
 */
import { sqlMapper } from './mapper.js';
import { PROGRAM_COLUMNS, programMember, programMemberChanges, programMembersSql, type ProgramMemberRow } from './programMembership.js';

export const CTE_SQL = programMembersSql('cte', 'cteID', '');

export const studentCTEProgramAssociations = sqlMapper<ProgramMemberRow & Record<string, unknown>>({
  resource: 'ed-fi/studentCTEProgramAssociations',
  sql: CTE_SQL,
  codeSets: [],
  settings: ['ExcludeStudentsWithoutUniqueIDs'],
  revision: 1,
  listColumns: PROGRAM_COLUMNS,
  changes: programMemberChanges('cte', 'cteID'),
  params: ['schoolYear', 'schoolId', 'sourceKeys'],
  record: (row, ctx) => programMember(row, ctx, {}),
});
