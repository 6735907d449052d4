/**
 * `tx/contractedInstructionalStaffFTEExts` (Staff FTE, Contracted Instructional FTEs): the FTEs of
 * instructional staff a campus contracts rather than employs, by program intent (C147), for the
 * school year's fiscal year. The guide shows it only when the profile publishes Finance Data.
 */
import type { MappedRecord } from './mapper.js';
import { sqlMapper, KEY_IDS } from './mapper.js';
import { edfiSchoolId, type SchoolNumbers } from './schoolId.js';
import { teaDescriptor } from './financeCodes.js';

interface Row extends SchoolNumbers {
  contractedFteId: number;
  schoolId: number;
  leaNumber: string;
  programIntent: string;
  fte: string;
}

export const CONTRACTED_FTE_SQL = `
  SELECT cf.contractedFteID AS "contractedFteId", cf.schoolID AS "schoolId", d.number AS "leaNumber", cf.programIntent AS "programIntent",
         cf.fte::text AS fte, s.edFiSchoolNumber AS "edFiSchoolNumber", s.stateSchoolNumber AS "stateSchoolNumber"
    FROM contractedfte cf
    JOIN school s ON s.schoolID = cf.schoolID AND NOT s.exclude
    JOIN district d ON d.districtID = s.districtID
   WHERE cf.fiscalYear = $1
     AND ($2::int IS NULL OR cf.schoolID = $2)
     AND ($3::text[] IS NULL OR cf.contractedFteID = ANY(${KEY_IDS}))
   ORDER BY cf.contractedFteID`;

/** TEDS E0980: 0.01 to 999.99, two decimals. */
export function contractedFte(fte: string): { value: number } | { error: string } {
  const value = Math.round(Number(fte) * 100) / 100;
  return Number.isFinite(value) && value >= 0.01 && value <= 999.99
    ? { value }
    : { error: `Total Contracted Instructional Staff FTE (E0980) ${fte} is outside TEDS's range 0.01 to 999.99: correct it in the HR system.` };
}

export function contractedFteRecord(row: Row): MappedRecord {
  const school = edfiSchoolId(row);
  const fte = contractedFte(row.fte);
  const doc = {
    educationOrganizationReference: { educationOrganizationId: Number(row.leaNumber) },
    schoolReference: { schoolId: 'id' in school ? school.id : null },
    ciStaffProgramIntentDescriptor: teaDescriptor('CIStaffProgramIntent', row.programIntent),
    totalContractedInstrStaffFTE: 'value' in fte ? fte.value : null,
  };
  const base = { sourceKey: String(row.contractedFteId), schoolId: row.schoolId, doc, display: { programIntent: row.programIntent, fte: row.fte } };
  if ('error' in school) return { ...base, error: school.error };
  if ('error' in fte) return { ...base, error: fte.error };
  return base;
}

export const contractedInstructionalStaffFTEExts = sqlMapper<Row>({
  resource: 'tx/contractedInstructionalStaffFTEExts',
  sql: CONTRACTED_FTE_SQL,
  codeSets: [],
  revision: 1,
  listColumns: [
    { id: 'programIntent', label: 'Program Intent' },
    { id: 'fte', label: 'FTE' },
  ],
  // A few rows a district: read whole on any change.
  changes: { objectOfKey: 'whole', tables: { contractedfte: 'everything', school: 'everything', district: 'everything' } },
  params: ['schoolYear', 'schoolId', 'sourceKeys'],
  record: contractedFteRecord,
});
