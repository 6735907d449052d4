/**
 * `tx/ssaOrgAssociationExts` (SSA Organization Association): each shared services arrangement the
 * district belongs to — its type (C049) and the fiscal agent's county-district number — published
 * only by a profile with PublishSSAOrganizationAssociationExtensions on (publishing/profileScope.ts).
 */
import type { MappedRecord } from './mapper.js';
import { sqlMapper } from './mapper.js';
import { teaDescriptor } from './financeCodes.js';

interface Row {
  ssaId: number;
  leaNumber: string;
  ssaType: string;
  fiscalAgentNumber: string;
  name: string;
}

export const SSA_SQL = `
  SELECT a.ssaID AS "ssaId", d.number AS "leaNumber", a.ssaType AS "ssaType", a.fiscalAgentNumber AS "fiscalAgentNumber", a.name
    FROM ssa a
    JOIN district d ON d.districtID = a.districtID
   WHERE ($1::text[] IS NULL OR a.ssaID::text = ANY($1))
   ORDER BY a.ssaID`;

export const FISCAL_AGENT_NOT_A_DISTRICT_ID =
  "Fiscal Agent District ID (E0777): expected the fiscal agent's six-digit county-district number (CCCDDD). Correct it on the shared services arrangement, then run 'Now – Errors' on Organization Catalog.";

export function ssaRecord(row: Row): MappedRecord {
  const agent = row.fiscalAgentNumber.trim();
  const doc = {
    educationOrganizationReference: { educationOrganizationId: Number(row.leaNumber) },
    ssaTypeDescriptor: teaDescriptor('SSAType', row.ssaType),
    fiscalAgentDistrictId: /^\d{6}$/.test(agent) ? Number(agent) : null,
  };
  const base = { sourceKey: String(row.ssaId), schoolId: null, doc, display: { arrangement: row.name, fiscalAgent: row.fiscalAgentNumber } };
  return /^\d{6}$/.test(agent) ? base : { ...base, error: FISCAL_AGENT_NOT_A_DISTRICT_ID };
}

export const ssaOrgAssociationExts = sqlMapper<Row>({
  resource: 'tx/ssaOrgAssociationExts',
  sql: SSA_SQL,
  codeSets: [],
  revision: 1,
  listColumns: [
    { id: 'arrangement', label: 'Arrangement' },
    { id: 'fiscalAgent', label: 'Fiscal Agent' },
  ],
  changes: { objectOfKey: 'whole', tables: { ssa: 'everything', district: 'everything' } },
  params: ['sourceKeys'],
  record: ssaRecord,
});
