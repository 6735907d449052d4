/**
 * Storage of the clerk's code-set mappings and the downloaded descriptor values they choose from.
 * School id 0 stands for district-wide codes (a primary key cannot hold NULL).
 */
import type pg from 'pg';
import type { DescriptorValue, Mapping } from '../publishing/codeSets.js';

type Conn = pg.Pool | pg.ClientBase;

/** A stored decision: a mapping, or null when the clerk chose "publish as a local descriptor". */
export type StoredMapping = Mapping | null;

export function mappingKey(schoolId: number | null, code: string): string {
  return `${schoolId ?? 0}|${code}`;
}

/** Every decision stored for one code set of a profile, by `mappingKey`. */
export async function readMappings(conn: Conn, profileId: string, codeSet: string): Promise<Map<string, StoredMapping>> {
  const { rows } = await conn.query<{ school_id: number; local_code: string; namespace: string | null; code_value: string | null; auto: boolean }>(
    'SELECT school_id, local_code, namespace, code_value, auto FROM code_mapping WHERE profile_id = $1 AND code_set = $2',
    [profileId, codeSet],
  );
  return new Map(
    rows.map((r) => [
      mappingKey(r.school_id === 0 ? null : r.school_id, r.local_code),
      r.namespace !== null && r.code_value !== null ? { namespace: r.namespace, codeValue: r.code_value, auto: r.auto } : null,
    ]),
  );
}

export interface MappingWrite {
  readonly profileId: string;
  readonly codeSet: string;
  readonly schoolId: number | null;
  readonly code: string;
  /** null = publish as a local descriptor. */
  readonly target: { readonly namespace: string; readonly codeValue: string } | null;
  readonly by: string;
}

/** Stores the clerk's choice for one code, replacing whatever was there (auto or not). */
export async function saveMapping(conn: Conn, w: MappingWrite): Promise<void> {
  await conn.query(
    `INSERT INTO code_mapping (profile_id, code_set, school_id, local_code, namespace, code_value, auto, updated_by, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, false, $7, now())
     ON CONFLICT (profile_id, code_set, school_id, local_code)
     DO UPDATE SET namespace = excluded.namespace, code_value = excluded.code_value, auto = false, updated_by = excluded.updated_by, updated_at = now()`,
    [w.profileId, w.codeSet, w.schoolId ?? 0, w.code, w.target?.namespace ?? null, w.target?.codeValue ?? null, w.by],
  );
}

/** Forgets the decision for one code, so pre-mapping may map it again. */
export async function clearMapping(conn: Conn, profileId: string, codeSet: string, schoolId: number | null, code: string): Promise<boolean> {
  const res = await conn.query('DELETE FROM code_mapping WHERE profile_id = $1 AND code_set = $2 AND school_id = $3 AND local_code = $4', [
    profileId,
    codeSet,
    schoolId ?? 0,
    code,
  ]);
  return (res.rowCount ?? 0) > 0;
}

/** Stores pre-mappings; a decision already stored (by the clerk, or an earlier pre-mapping) wins. */
export async function insertAutoMappings(
  conn: Conn,
  profileId: string,
  codeSet: string,
  mappings: ReadonlyArray<{ schoolId: number | null; code: string; mapping: Mapping }>,
): Promise<void> {
  if (mappings.length === 0) return;
  const values = mappings.map((_, i) => `(${[1, 2, 3, 4, 5, 6].map((k) => `$${i * 6 + k}`).join(', ')}, true, 'pre-mapping', now())`).join(', ');
  await conn.query(
    `INSERT INTO code_mapping (profile_id, code_set, school_id, local_code, namespace, code_value, auto, updated_by, updated_at) VALUES ${values} ON CONFLICT DO NOTHING`,
    mappings.flatMap((m) => [profileId, codeSet, m.schoolId ?? 0, m.code, m.mapping.namespace, m.mapping.codeValue]),
  );
}

/** The values of one descriptor resource downloaded for the profile (any school year, newest text wins; gone ones left out). */
export async function downloadedDescriptors(conn: Conn, profileId: string, descriptorResource: string): Promise<DescriptorValue[]> {
  const { rows } = await conn.query<{ namespace: string; code_value: string; short_description: string | null }>(
    `SELECT DISTINCT ON (doc->>'namespace', doc->>'codeValue') doc->>'namespace' AS namespace, doc->>'codeValue' AS code_value, doc->>'shortDescription' AS short_description
       FROM downloaded_record
      WHERE profile_id = $1 AND resource = $2 AND NOT gone
      ORDER BY doc->>'namespace', doc->>'codeValue', school_year DESC`,
    [profileId, `ed-fi/${descriptorResource}`],
  );
  return rows.map((r) => ({ namespace: r.namespace, codeValue: r.code_value, shortDescription: r.short_description ?? '' }));
}

/** Every code-set decision of a profile, as publishing reads them (school id 0 = district-wide). */
export interface StoredDecisionRow {
  readonly codeSet: string;
  readonly schoolId: number;
  readonly code: string;
  readonly namespace: string | null;
  readonly codeValue: string | null;
  readonly auto: boolean;
}

const DECISION_COLUMNS = 'code_set AS "codeSet", school_id AS "schoolId", local_code AS code, namespace, code_value AS "codeValue", auto';

export async function readAllDecisions(conn: Conn, profileId: string): Promise<StoredDecisionRow[]> {
  const { rows } = await conn.query<StoredDecisionRow>(`SELECT ${DECISION_COLUMNS} FROM code_mapping WHERE profile_id = $1`, [profileId]);
  return rows;
}

/** The decisions of some code sets only (a district maps thousands of reporting terms that most resources never read). */
export async function readDecisionsOf(conn: Conn, profileId: string, codeSets: readonly string[]): Promise<StoredDecisionRow[]> {
  if (codeSets.length === 0) return [];
  const { rows } = await conn.query<StoredDecisionRow>(`SELECT ${DECISION_COLUMNS} FROM code_mapping WHERE profile_id = $1 AND code_set = ANY($2)`, [
    profileId,
    [...codeSets],
  ]);
  return rows;
}
