/**
 * `localEducationAgencies`: the district itself. Its id is the LEA number (the county-district
 * number); the category comes from the district's local `leaCategory` code's state value.
 */
import type { EdfiDocument, MappedRecord } from './mapper.js';
import { sqlMapper } from './mapper.js';
import { readWholeOnAnyChange } from '../publishing/changeSet.js';

interface Row {
  districtId: number;
  name: string;
  number: string;
  category: string | null;
}

export const NON_NUMERIC_LEA_ID = 'The LEA number is not numeric: Ed-Fi identifies a district by its number. Correct the district number in the SIS.';

export const LEAS_SQL = `
  SELECT d.districtID AS "districtId", d.name, d.number, lc.stateCode AS category
    FROM district d
    LEFT JOIN localcode lc ON lc.category = 'leaCategory' AND lc.schoolID IS NULL AND lc.code = d.category
   WHERE ($1::text[] IS NULL OR d.districtID::text = ANY($1))
   ORDER BY d.districtID`;

export function localEducationAgencyRecord(row: Row): MappedRecord {
  const doc: EdfiDocument = {
    localEducationAgencyId: /^\d{1,10}$/.test(row.number.trim()) ? Number(row.number.trim()) : null,
    nameOfInstitution: row.name,
    localEducationAgencyCategoryDescriptor: `uri://ed-fi.org/LocalEducationAgencyCategoryDescriptor#${row.category ?? 'Independent'}`,
    categories: [{ educationOrganizationCategoryDescriptor: 'uri://ed-fi.org/EducationOrganizationCategoryDescriptor#Local Education Agency' }],
  };
  const base = { sourceKey: String(row.districtId), schoolId: null, doc };
  return doc.localEducationAgencyId === null ? { ...base, error: NON_NUMERIC_LEA_ID } : base;
}

export const localEducationAgencies = sqlMapper<Row>({
  resource: 'ed-fi/localEducationAgencies',
  sql: LEAS_SQL,
  codeSets: [],
  revision: 1,
  changes: readWholeOnAnyChange(['district', 'localcode']),
  params: ['sourceKeys'],
  record: localEducationAgencyRecord,
});
