/** Local descriptors in the catalog: staged when extracting meets them, read back to publish. */
import type pg from 'pg';
import type { CatalogStatus } from '../publishing/outcome.js';

export interface LocalDescriptorStage {
  /** Catalog name, e.g. `behaviorDescriptors`. */
  readonly resource: string;
  readonly sourceKey: string;
  readonly naturalKey: string;
  readonly hash: string;
  readonly doc: Record<string, unknown>;
}

/** Adds the ones the catalog does not hold yet, pending; answers how many were new. */
export async function stageLocalDescriptorRows(db: pg.Pool, profileId: string, schoolYear: number, rows: readonly LocalDescriptorStage[]): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await db.query(
    `INSERT INTO catalog (profile_id, school_year, resource, source_key, school_id, natural_key, payload_hash, sent_json, status, updated_at)
     SELECT $1, $2, w.resource, w."sourceKey", NULL, w."naturalKey", w.hash, w.doc, 'pending', now()
       FROM jsonb_to_recordset($3::jsonb) AS w(resource text, "sourceKey" text, "naturalKey" text, hash text, doc jsonb)
     ON CONFLICT (profile_id, school_year, resource, source_key) DO NOTHING`,
    [profileId, schoolYear, JSON.stringify(rows)],
  );
  return inserted.rowCount ?? 0;
}

export interface LocalDescriptorToSend {
  readonly resource: string;
  readonly sourceKey: string;
  readonly naturalKey: string;
  readonly payloadHash: string;
  readonly doc: Record<string, unknown>;
  readonly edfiId: string | null;
}

/** The catalog's local descriptors in these statuses, with the JSON to send. */
export async function localDescriptorsToSend(
  db: pg.Pool,
  profileId: string,
  schoolYear: number,
  statuses: readonly CatalogStatus[],
): Promise<LocalDescriptorToSend[]> {
  const { rows } = await db.query<LocalDescriptorToSend>(
    `SELECT resource, source_key AS "sourceKey", natural_key AS "naturalKey", payload_hash AS "payloadHash", sent_json AS doc, edfi_id AS "edfiId"
       FROM catalog WHERE profile_id = $1 AND school_year = $2 AND status = ANY($3) AND sent_json IS NOT NULL
        -- Which descriptor resources hold any, from the dashboard's counts: a pattern on the
        -- catalog itself would walk every record of the year (a million in a large district).
        AND resource IN (SELECT resource FROM catalog_counts WHERE profile_id = $1 AND school_year = $2 AND resource LIKE '%Descriptors' AND status = ANY($3) AND n > 0)`,
    [profileId, schoolYear, statuses],
  );
  return rows;
}

/**
 * True when local descriptors wait to be published (pending, or in error: every run tries those
 * again), read from the dashboard's counts by key: local descriptors are only ever of the code
 * sets' descriptor resources (`resources`), so no scan of the profile's counts.
 */
export async function localDescriptorsWaiting(
  db: pg.Pool | pg.ClientBase,
  profileId: string,
  schoolYear: number,
  resources: readonly string[],
  statuses: readonly CatalogStatus[],
): Promise<boolean> {
  const { rows } = await db.query<{ waiting: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM catalog_counts WHERE profile_id = $1 AND school_year = $2 AND resource = ANY($3) AND status = ANY($4) AND n > 0) AS waiting`,
    [profileId, schoolYear, [...resources], statuses],
  );
  return rows[0]?.waiting === true;
}
