/**
 * The catalog's reads and writes during a publish run, in set-sized SQL: one batch's plan with its
 * staged JSON, the references in it that are not published yet, and the outcomes of a batch in
 * one statement.
 */
import type pg from 'pg';
import type { PlanAction } from './catalogPlan.js';
import type { CatalogStatus, DependencySource } from '../publishing/outcome.js';

/**
 * A catalog record the ODS holds: published, or sent once and refused only on a later update (a
 * Student ID the ODS took at creation, refused an update until the enrollment claims the student)
 * — what refers to it is accepted either way.
 */
export const inOds = (alias: string): string => `(${alias}.status = 'published' OR ${alias}.edfi_id IS NOT NULL)`;

/**
 * The profiles whose records are in the same ODS as this one's (the same API URL, ignoring a
 * trailing slash), itself first: a district's SIS and HR profiles publish to one ODS, and a record
 * one of them published satisfies the other's references (a Staff Section's staff member).
 */
export async function odsPeers(db: pg.Pool | pg.ClientBase, profileId: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT p2.id FROM profile p1 JOIN profile p2 ON p2.id = p1.id OR rtrim(p2.api_url, '/') = rtrim(p1.api_url, '/')
      WHERE p1.id = $1 ORDER BY p2.id = $1 DESC, p2.id`,
    [profileId],
  );
  return rows.length > 0 ? rows.map((r) => r.id) : [profileId];
}

export interface BatchRow {
  readonly sourceKey: string;
  readonly action: PlanAction;
  readonly schoolId: string | null;
  /** From this run's extract; null for options that work from the catalog alone. */
  readonly naturalKey: string | null;
  readonly payloadHash: string | null;
  /** The staged JSON as text: sent as it is, never parsed here (it was checked when extracted). */
  readonly docText: string | null;
  readonly dependency: string | null;
  readonly error: string | null;
  readonly excluded: string | null;
  /** What the catalog holds for the record already. */
  readonly edfiId: string | null;
  readonly sentJson: Record<string, unknown> | null;
  readonly catalogNaturalKey: string | null;
  readonly catalogHash: string | null;
  readonly catalogSchoolId: string | null;
  readonly attempts: number;
}

export async function batchRows(db: pg.Pool, runId: string, resource: string, batchNo: number, profileId: string, schoolYear: number): Promise<BatchRow[]> {
  const { rows } = await db.query<BatchRow>(
    `SELECT p.source_key AS "sourceKey", p.action, coalesce(s.school_id, c.school_id) AS "schoolId", s.natural_key AS "naturalKey", s.payload_hash AS "payloadHash",
            s.doc::text AS "docText", s.dependency, s.error, s.excluded, c.edfi_id AS "edfiId",
            -- The catalog's JSON only when there is no staged one (a resend): not read for nothing.
            CASE WHEN s.doc IS NULL THEN c.sent_json END AS "sentJson", c.natural_key AS "catalogNaturalKey",
            c.payload_hash AS "catalogHash", c.school_id AS "catalogSchoolId", coalesce(c.attempts, 0) AS attempts
       FROM publish_plan p
       -- One key lookup each per planned record (LIMIT 1 keeps them lookups): with statistics a
       -- growing catalog outpaces, the planner would otherwise scan the whole catalog per batch.
       LEFT JOIN LATERAL (SELECT * FROM extract_stage s WHERE s.run_id = p.run_id AND s.source_key = p.source_key LIMIT 1) s ON true
       LEFT JOIN LATERAL (SELECT * FROM catalog c WHERE c.profile_id = $4 AND c.school_year = $5 AND c.resource = p.resource AND c.source_key = p.source_key LIMIT 1) c ON true
      WHERE p.run_id = $1 AND p.resource = $2 AND p.batch_no = $3
      ORDER BY p.source_key`,
    [runId, resource, batchNo, profileId, schoolYear],
  );
  return rows;
}

/** Whether a batch holds anything for the delete phase (a plan lists posts first, deletes last). */
export async function batchHasDeletes(db: pg.Pool, runId: string, resource: string, batchNo: number): Promise<boolean> {
  const { rows } = await db.query<{ found: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM publish_plan WHERE run_id = $1 AND resource = $2 AND batch_no = $3 AND action <> 'post') AS found`,
    [runId, resource, batchNo],
  );
  return rows[0]?.found === true;
}

export interface UnresolvedReference {
  readonly sourceKey: string;
  readonly property: string;
  readonly target: string;
  readonly key: string;
}

/** For each record of the batch that points at something not published (here) yet, its first such reference. */
export async function unresolvedReferences(
  db: pg.Pool,
  runId: string,
  resource: string,
  batchNo: number,
  /** The profile and its ODS peers (`odsPeers`): a reference any of them published is resolved. */
  profileIds: readonly string[],
  schoolYear: number,
): Promise<Map<string, UnresolvedReference>> {
  const { rows } = await db.query<UnresolvedReference>(
    `SELECT DISTINCT ON (s.source_key) s.source_key AS "sourceKey", r.property, r.candidates->0->>'target' AS target, r.candidates->0->>'key' AS key
       FROM publish_plan p
       CROSS JOIN LATERAL (SELECT s.source_key, s.refs FROM extract_stage s WHERE s.run_id = p.run_id AND s.source_key = p.source_key LIMIT 1) s
       CROSS JOIN LATERAL jsonb_to_recordset(s.refs) AS r(property text, candidates jsonb)
      WHERE p.run_id = $1 AND p.resource = $2 AND p.batch_no = $3 AND p.action IN ('post', 'rekey')
        AND NOT EXISTS (
          SELECT 1 FROM jsonb_to_recordset(r.candidates) AS k(target text, key text)
           WHERE EXISTS (SELECT 1 FROM catalog c WHERE c.profile_id = ANY($4) AND c.school_year = $5 AND c.resource = split_part(k.target, '/', 2) AND c.natural_key = k.key AND ${inOds('c')}))
      ORDER BY s.source_key, r.property`,
    [runId, resource, batchNo, [...profileIds], schoolYear],
  );
  return new Map(rows.map((r) => [r.sourceKey, r]));
}

export interface CatalogWrite {
  readonly sourceKey: string;
  readonly schoolId: string | null;
  readonly naturalKey: string;
  readonly payloadHash: string;
  readonly sentJson: Record<string, unknown> | null;
  readonly edfiId: string | null;
  readonly status: CatalogStatus;
  readonly statusDescription: string | null;
  readonly httpStatus: number | null;
  readonly dependencySource: DependencySource | null;
  /** `resource|naturalKey` of the record this one waits for. */
  readonly dependsOn: string | null;
  /** Whether this outcome came from a request (counts an attempt and its time). */
  readonly attempted: boolean;
}

/**
 * Writes a batch's outcomes in one statement; a record seen for the first time gets its row. A write
 * without `sentJson` takes the JSON from the run's stage (`stageRunId`), so it never travels back.
 */
export async function writeOutcomes(
  db: pg.Pool,
  profileId: string,
  schoolYear: number,
  resource: string,
  writes: readonly CatalogWrite[],
  stageRunId: string | null = null,
): Promise<void> {
  if (writes.length === 0) return;
  await db.query(
    `INSERT INTO catalog AS c (profile_id, school_year, resource, source_key, school_id, natural_key, payload_hash, sent_json, edfi_id, status, status_description,
                               http_status, attempts, dependency_source, depends_on, first_published_at, last_published_at, last_attempt_at, updated_at, display,
                               dependency_since)
     SELECT $1, $2, $3, w."sourceKey", w."schoolId", w."naturalKey", w."payloadHash", coalesce(w."sentJson", st.doc), w."edfiId", w.status, w."statusDescription",
            w."httpStatus", CASE WHEN w.attempted THEN 1 ELSE 0 END, w."dependencySource", w."dependsOn",
            CASE WHEN w.status = 'published' THEN now() END, CASE WHEN w.status = 'published' THEN now() END, CASE WHEN w.attempted THEN now() END, now(), st.display,
            CASE WHEN w.status = 'dependency' THEN now() END
       FROM jsonb_to_recordset($4::jsonb) AS w("sourceKey" text, "schoolId" text, "naturalKey" text, "payloadHash" text, "sentJson" jsonb, "edfiId" text,
            status text, "statusDescription" text, "httpStatus" int, "dependencySource" text, "dependsOn" text, attempted boolean)
       LEFT JOIN LATERAL (SELECT st.doc, st.display FROM extract_stage st WHERE st.run_id = $5 AND st.source_key = w."sourceKey" LIMIT 1) st ON true
     ON CONFLICT (profile_id, school_year, resource, source_key) DO UPDATE SET
       school_id = excluded.school_id, natural_key = excluded.natural_key, payload_hash = excluded.payload_hash,
       sent_json = coalesce(excluded.sent_json, c.sent_json), edfi_id = excluded.edfi_id, status = excluded.status,
       -- An attempt's status is its own, also none (a reset, a timeout): an error row must not show an earlier 201.
       status_description = excluded.status_description, http_status = CASE WHEN excluded.attempts > 0 THEN excluded.http_status ELSE c.http_status END,
       attempts = c.attempts + excluded.attempts, dependency_source = excluded.dependency_source, depends_on = excluded.depends_on,
       -- Out of dependency, off the dependency timetable.
       retry_at = CASE WHEN excluded.status = 'dependency' THEN c.retry_at END, retry_attempts = CASE WHEN excluded.status = 'dependency' THEN c.retry_attempts ELSE 0 END,
       -- Tried (or planned again): no longer handed to a bulk wake.
       retry_queued_at = NULL,
       -- Waiting since it first entered dependency, not since its latest retry.
       dependency_since = CASE WHEN excluded.status = 'dependency' THEN CASE WHEN c.status = 'dependency' THEN coalesce(c.dependency_since, now()) ELSE now() END END,
       first_published_at = coalesce(c.first_published_at, excluded.first_published_at),
       -- Last published: a request the ODS accepted now (not a record it already had, counted as published).
       last_published_at = CASE WHEN excluded.status = 'published' AND excluded.attempts > 0 THEN now() ELSE c.last_published_at END,
       last_attempt_at = coalesce(excluded.last_attempt_at, c.last_attempt_at), updated_at = now(), display = coalesce(excluded.display, c.display)`,
    [profileId, schoolYear, resource, JSON.stringify(writes), stageRunId],
  );
}

/** Drops records from the catalog (Remove – Unpublished, and gone records never published). */
export async function forgetRecords(db: pg.Pool, profileId: string, schoolYear: number, resource: string, sourceKeys: readonly string[]): Promise<void> {
  if (sourceKeys.length === 0) return;
  await db.query('DELETE FROM catalog WHERE profile_id = $1 AND school_year = $2 AND resource = $3 AND source_key = ANY($4)', [
    profileId,
    schoolYear,
    resource,
    [...sourceKeys],
  ]);
}

/** Dependency records of earlier versions (a per-record workflow, no place on the timetable) waiting for any of these blockers (`resource|naturalKey`). */
export async function legacyDependentsOf(
  db: pg.Pool,
  profileId: string,
  schoolYear: number,
  blockers: readonly string[],
): Promise<Array<{ resource: string; sourceKey: string }>> {
  if (blockers.length === 0) return [];
  const { rows } = await db.query<{ resource: string; sourceKey: string }>(
    `SELECT resource, source_key AS "sourceKey" FROM catalog WHERE profile_id = $1 AND school_year = $2 AND depends_on = ANY($3) AND status = 'dependency' AND retry_at IS NULL`,
    [profileId, schoolYear, [...blockers]],
  );
  return rows;
}

/** The columns the plan, the batch reads and the reference checks filter and join on. */
const KEY_COLUMNS = {
  catalog: ['profile_id', 'school_year', 'resource', 'source_key', 'natural_key', 'status', 'depends_on', 'school_id'],
  extract_stage: ['run_id', 'source_key'],
} as const;

/**
 * Fresh statistics for the columns plans use: a run grows the catalog and the stage by thousands of
 * rows, and stale statistics send the reference checks to sequential scans. Only the key columns:
 * gathering statistics of the JSON columns would cost more than the plans it helps.
 */
export async function analyzeKeys(db: pg.ClientBase | pg.Pool, table: keyof typeof KEY_COLUMNS): Promise<void> {
  await db.query(`ANALYZE ${table} (${KEY_COLUMNS[table].join(', ')})`);
}

/** The catalog's size may drift this far from its size at the last ANALYZE before plans suffer. */
const STALE_FRACTION = 0.05;

/**
 * Whether statistics taken at `analyzedRows` (pg_class.reltuples: -1 when never taken) are stale
 * for a table of `rows` now: never taken, or off by more than 5 %.
 */
export function statisticsStale(rows: number, analyzedRows: number): boolean {
  if (analyzedRows < 0) return true;
  return Math.abs(rows - analyzedRows) > STALE_FRACTION * Math.max(rows, analyzedRows, 1);
}

/**
 * ANALYZE the catalog's key columns when it grew or shrank since the last time (a category that
 * sent thousands of records): a run that changed a few records leaves it be, so a quiet or small
 * Now – Changes does not pay a statistics pass over a million rows. The size comes from the
 * counts the catalog's triggers keep, not a count of the table.
 */
export async function analyzeCatalogIfGrown(db: pg.ClientBase | pg.Pool): Promise<boolean> {
  const { rows } = await db.query<{ rows: string; analyzed: number }>(
    `SELECT (SELECT coalesce(sum(n), 0) FROM catalog_counts)::text AS rows,
            (SELECT reltuples FROM pg_class WHERE oid = 'catalog'::regclass)::float8 AS analyzed`,
  );
  const stale = statisticsStale(Number(rows[0]?.rows ?? 0), Number(rows[0]?.analyzed ?? -1));
  if (stale) await analyzeKeys(db, 'catalog');
  return stale;
}

/** One record's catalog row, as the record actions need it; undefined when the catalog has none. */
export interface CatalogRow {
  readonly status: CatalogStatus;
  readonly edfiId: string | null;
  readonly naturalKey: string;
  readonly payloadHash: string;
  readonly schoolId: string | null;
}

export async function catalogRow(db: pg.Pool, profileId: string, schoolYear: number, resource: string, sourceKey: string): Promise<CatalogRow | undefined> {
  const { rows } = await db.query<CatalogRow>(
    `SELECT status, edfi_id AS "edfiId", natural_key AS "naturalKey", payload_hash AS "payloadHash", school_id AS "schoolId"
       FROM catalog WHERE profile_id = $1 AND school_year = $2 AND resource = $3 AND source_key = $4`,
    [profileId, schoolYear, resource, sourceKey],
  );
  return rows[0];
}

/** Whether any of a reference's candidates (target path and natural key) is published by the profile or an ODS peer. */
export async function anyPublished(
  db: pg.Pool,
  profileIds: readonly string[],
  schoolYear: number,
  candidates: ReadonlyArray<{ readonly target: string; readonly key: string }>,
): Promise<boolean> {
  const found = await db.query(
    `SELECT 1 FROM jsonb_to_recordset($3::jsonb) AS k(target text, key text)
       JOIN catalog c ON c.profile_id = ANY($1) AND c.school_year = $2 AND c.resource = split_part(k.target, '/', 2) AND c.natural_key = k.key AND ${inOds('c')} LIMIT 1`,
    [[...profileIds], schoolYear, JSON.stringify(candidates)],
  );
  return (found.rowCount ?? 0) > 0;
}
