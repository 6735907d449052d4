/**
 * `studentTitleIPartAProgramAssociations` (Student Programs, Title I Part A): a student served by
 * Title I Part A at a Title I campus, with the participant type (targeted assistance or schoolwide:
 * the local code's Ed-Fi value, as the SIS's code table gives it).
 */
import { sqlMapper } from './mapper.js';
import { PROGRAM_COLUMNS, programMember, programMemberChanges, programMembersSql, type ProgramMemberRow } from './programMembership.js';

interface Row extends ProgramMemberRow {
  participant: string;
}

export const TITLE_I_SQL = programMembersSql(
  'titleone',
  'titleOneID',
  `coalesce((SELECT tc.stateCode FROM localcode tc WHERE tc.category = 'titleIParticipant' AND tc.schoolID IS NULL AND tc.code = m.participant), m.participant) AS participant`,
);

export const studentTitleIPartAProgramAssociations = sqlMapper<Row>({
  resource: 'ed-fi/studentTitleIPartAProgramAssociations',
  sql: TITLE_I_SQL,
  codeSets: [],
  settings: ['ExcludeStudentsWithoutUniqueIDs'],
  revision: 1,
  listColumns: PROGRAM_COLUMNS,
  changes: programMemberChanges('titleone', 'titleOneID'),
  params: ['schoolYear', 'schoolId', 'sourceKeys'],
  record: (row, ctx) => programMember(row, ctx, { titleIPartAParticipantDescriptor: `uri://ed-fi.org/TitleIPartAParticipantDescriptor#${row.participant}` }),
});
