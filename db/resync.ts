/** What resync reads from the app database: the catalog's records in the ODS and the profile's LEA. */
import type pg from 'pg';

export interface CatalogInOds {
  readonly sourceKey: string;
  readonly edfiId: string;
  readonly schoolId: string | null;
  readonly naturalKey: string;
  readonly payloadHash: string;
}

/** A resource's catalog records that went to the ODS and were not deleted since. */
export async function catalogInOds(db: pg.Pool, profileId: string, schoolYear: number, resource: string): Promise<CatalogInOds[]> {
  const { rows } = await db.query<CatalogInOds>(
    `SELECT source_key AS "sourceKey", edfi_id AS "edfiId", school_id AS "schoolId", natural_key AS "naturalKey", payload_hash AS "payloadHash"
       FROM catalog WHERE profile_id = $1 AND school_year = $2 AND resource = $3 AND edfi_id IS NOT NULL AND status <> 'deleted'`,
    [profileId, schoolYear, resource],
  );
  return rows;
}

/** The ids of the education organizations the profile has published (its LEA and schools). */
export async function publishedEdOrgIds(db: pg.Pool, profileId: string, schoolYear: number): Promise<string[]> {
  const { rows } = await db.query<{ natural_key: string }>(
    "SELECT natural_key FROM catalog WHERE profile_id = $1 AND school_year = $2 AND resource IN ('schools', 'localEducationAgencies') AND edfi_id IS NOT NULL",
    [profileId, schoolYear],
  );
  return rows.flatMap((r) => Object.values(JSON.parse(r.natural_key) as Record<string, unknown>)).map(String);
}

/** The state LEA number of the LEA the profile publishes for (its enabled connection's). */
export async function profileLeaNumber(db: pg.Pool, profileId: string): Promise<string | undefined> {
  const { rows } = await db.query<{ state_number: string }>(
    'SELECT l.state_number FROM lea_connection c JOIN lea l ON l.id = c.lea_id WHERE c.profile_id = $1 AND c.enabled LIMIT 1',
    [profileId],
  );
  return rows[0]?.state_number;
}
