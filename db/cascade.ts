/** The catalog side of a natural-key cascade: what refers to a record, and what was deleted for it. */
import type pg from 'pg';

export interface CatalogDependent {
  /** The profile whose catalog holds it: this one, or another publishing to the same ODS. */
  readonly profileId: string;
  readonly resource: string;
  readonly sourceKey: string;
  readonly edfiId: string;
  readonly sentJson: Record<string, unknown>;
}

/** The JSON the catalog last sent for a record, or null. */
export async function sentDocument(
  db: pg.Pool,
  profileId: string,
  schoolYear: number,
  resource: string,
  sourceKey: string,
): Promise<Record<string, unknown> | null> {
  const { rows } = await db.query<{ sent_json: Record<string, unknown> | null }>(
    'SELECT sent_json FROM catalog WHERE profile_id = $1 AND school_year = $2 AND resource = $3 AND source_key = $4',
    [profileId, schoolYear, resource, sourceKey],
  );
  return rows[0]?.sent_json ?? null;
}

/**
 * Records in the ODS whose last JSON contains one of the filters' documents (each filter one
 * resource), in the catalogs of these profiles (one, and the others publishing to its ODS).
 */
export async function catalogDependents(
  db: pg.Pool,
  profileIds: readonly string[],
  schoolYear: number,
  filters: ReadonlyArray<{ resource: string; contains: Record<string, unknown> }>,
): Promise<CatalogDependent[]> {
  if (filters.length === 0) return [];
  const { rows } = await db.query<CatalogDependent>(
    `SELECT DISTINCT c.profile_id AS "profileId", c.resource, c.source_key AS "sourceKey", c.edfi_id AS "edfiId", c.sent_json AS "sentJson"
       FROM jsonb_to_recordset($3::jsonb) AS f(resource text, contains jsonb)
       JOIN catalog c ON c.profile_id = ANY($1) AND c.school_year = $2 AND c.resource = f.resource
      WHERE c.edfi_id IS NOT NULL AND c.status <> 'deleted' AND c.sent_json @> f.contains`,
    [[...profileIds], schoolYear, JSON.stringify(filters)],
  );
  return rows;
}

/** Dependents deleted from the ODS for a parent's new key: pending again, to be sent with the new key. */
export async function markCascaded(
  db: pg.Pool,
  profileId: string,
  schoolYear: number,
  records: ReadonlyArray<{ resource: string; sourceKey: string }>,
  why: string,
): Promise<void> {
  if (records.length === 0) return;
  await db.query(
    `UPDATE catalog c SET status = 'pending', edfi_id = NULL, status_description = $4, http_status = NULL, updated_at = now()
       FROM unnest($3::text[], $5::text[]) AS r(resource, source_key)
      WHERE c.profile_id = $1 AND c.school_year = $2 AND c.resource = r.resource AND c.source_key = r.source_key`,
    [profileId, schoolYear, records.map((r) => r.resource), why, records.map((r) => r.sourceKey)],
  );
}
