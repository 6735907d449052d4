/**
 * `programs` (Program Catalog, district level): one program per program type the SIS uses
 * (CTE, bilingual, ESL, special education, Title I Part A, …), named by its local description,
 * typed by the local code's state value in the core namespace, under the LEA.
 */
import type { MappedRecord } from './mapper.js';
import { sqlMapper } from './mapper.js';
import { readWholeOnAnyChange } from '../publishing/changeSet.js';

interface Row {
  code: string;
  name: string;
  stateCode: string | null;
  leaNumber: string;
}

export const PROGRAMS_SQL = `
  SELECT lc.code, lc.name, lc.stateCode AS "stateCode", (SELECT number FROM district ORDER BY districtID LIMIT 1) AS "leaNumber"
    FROM localcode lc
   WHERE lc.category = 'programType' AND lc.schoolID IS NULL AND lc.active
     AND ($1::text[] IS NULL OR lc.code = ANY($1))
   ORDER BY lc.code`;

export const PROGRAM_TYPE_UNKNOWN =
  'Program type: the local program type has no state value to send as its Ed-Fi program type. Set the state code of the program type in the SIS.';

export function programRecord(row: Row): MappedRecord {
  const doc = {
    programName: row.name.slice(0, 60),
    programTypeDescriptor: `uri://ed-fi.org/ProgramTypeDescriptor#${row.stateCode ?? ''}`,
    educationOrganizationReference: { educationOrganizationId: Number(row.leaNumber) },
    programId: row.code,
  };
  const base = { sourceKey: row.code, schoolId: null, doc };
  return row.stateCode === null ? { ...base, dependency: PROGRAM_TYPE_UNKNOWN } : base;
}

export const programs = sqlMapper<Row>({
  resource: 'ed-fi/programs',
  sql: PROGRAMS_SQL,
  codeSets: [],
  revision: 1,
  changes: readWholeOnAnyChange(['district', 'localcode']),
  params: ['sourceKeys'],
  record: programRecord,
});
