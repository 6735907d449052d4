/**
 * `studentLanguageInstructionProgramAssociations` (Student Programs, Language Instruction): an
 * emergent bilingual student's participation in the bilingual (elementary) or ESL program.
 */
import { sqlMapper } from './mapper.js';
import { PROGRAM_COLUMNS, programMember, programMemberChanges, programMembersSql, type ProgramMemberRow } from './programMembership.js';

export const LANGUAGE_PROGRAM_SQL = programMembersSql('languageprogram', 'languageProgramID', '');

export const studentLanguageInstructionProgramAssociations = sqlMapper<ProgramMemberRow & Record<string, unknown>>({
  resource: 'ed-fi/studentLanguageInstructionProgramAssociations',
  sql: LANGUAGE_PROGRAM_SQL,
  codeSets: [],
  settings: ['ExcludeStudentsWithoutUniqueIDs'],
  revision: 1,
  listColumns: PROGRAM_COLUMNS,
  changes: programMemberChanges('languageprogram', 'languageProgramID'),
  params: ['schoolYear', 'schoolId', 'sourceKeys'],
  record: (row, ctx) => programMember(row, ctx, {}),
});
