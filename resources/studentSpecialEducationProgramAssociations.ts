/**
 * `studentSpecialEducationProgramAssociations` (Student Programs, Special Education): a student's
 * special education services — the primary disability through the Disabilities mapping (a TEA code
 * set: unmapped, it is an error naming the code), the IEP dates, medically fragile and multiply
 * disabled.
 */
import type { MappedRecord, PublishContext } from './mapper.js';
import { sqlMapper } from './mapper.js';
import { stateCode } from './stateCode.js';
import { PROGRAM_COLUMNS, programMember, programMemberChanges, programMembersSql, type ProgramMemberRow } from './programMembership.js';

interface Row extends ProgramMemberRow {
  primaryDisability: string;
  iepBeginDate: string | null;
  iepEndDate: string | null;
  iepReviewDate: string | null;
  lastEvaluationDate: string | null;
  medicallyFragile: boolean;
  multiplyDisabled: boolean;
}

const ymd = (column: string): string => `to_char(m.${column}, 'YYYY-MM-DD') AS "${column}"`;

export const SPECIAL_EDUCATION_SQL = programMembersSql(
  'specialed',
  'specialEdID',
  `m.primaryDisability AS "primaryDisability", ${['iepBeginDate', 'iepEndDate', 'iepReviewDate', 'lastEvaluationDate'].map(ymd).join(', ')},
   m.medicallyFragile AS "medicallyFragile", m.multiplyDisabled AS "multiplyDisabled"`,
);

export function specialEducationRecord(row: Row, ctx: PublishContext): MappedRecord {
  const disability = stateCode(ctx, 'disabilities', row.primaryDisability, 'Student Programs');
  const dates = Object.fromEntries(
    (['iepBeginDate', 'iepEndDate', 'iepReviewDate', 'lastEvaluationDate'] as const).flatMap((k) => (row[k] !== null ? [[k, row[k]]] : [])),
  );
  const record = programMember(row, ctx, {
    ...(disability !== undefined && 'uri' in disability ? { disabilities: [{ disabilityDescriptor: disability.uri, orderOfDisability: 1 }] } : {}),
    ...dates,
    medicallyFragile: row.medicallyFragile,
    multiplyDisabled: row.multiplyDisabled,
  });
  if (record.error === undefined && record.dependency === undefined && record.excluded === undefined && disability !== undefined && 'error' in disability)
    return { ...record, error: disability.error };
  return record;
}

export const studentSpecialEducationProgramAssociations = sqlMapper<Row>({
  resource: 'ed-fi/studentSpecialEducationProgramAssociations',
  sql: SPECIAL_EDUCATION_SQL,
  codeSets: ['disabilities'],
  settings: ['ExcludeStudentsWithoutUniqueIDs'],
  revision: 1,
  listColumns: PROGRAM_COLUMNS,
  changes: programMemberChanges('specialed', 'specialEdID'),
  params: ['schoolYear', 'schoolId', 'sourceKeys'],
  record: specialEducationRecord,
});
