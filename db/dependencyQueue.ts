/**
 * The dependency-retry timetable kept in the catalog: each record in dependency has the time of
 * its next try (`retry_at`) and its tries so far (`retry_attempts`). Times come from the caller
 * (the sweeping workflow's clock), so the timetable is testable on a time-skipping server.
 */
import type pg from 'pg';
import { DEPENDENCY_RETRY_MINUTES as M, type DependencySource } from '../publishing/outcome.js';
import { inOds } from './catalog.js';

export interface DueRetry {
  readonly schoolYear: number;
  /** Catalog name, e.g. `calendars`. */
  readonly resource: string;
  readonly sourceKey: string;
  readonly attempts: number;
  readonly source: DependencySource;
  /** Its blocker (`dependsOn`) is known and still not published: trying it now would change nothing. */
  readonly stillBlocked: boolean;
  /** The JSON last staged for it (withheld records keep theirs), when there is one. */
  readonly doc: Record<string, unknown> | null;
}

const at = (ms: number): string => new Date(ms).toISOString();

/**
 * Puts records that just went into dependency on the timetable (first try after `firstDelayMs`).
 * A record already on it keeps its place and count, as one retry per record always did.
 */
export async function queueRetries(
  db: pg.Pool | pg.ClientBase,
  profileId: string,
  schoolYear: number,
  resource: string,
  entries: ReadonlyArray<{ sourceKey: string; retryAtMs: number }>,
): Promise<void> {
  if (entries.length === 0) return;
  await db.query(
    `UPDATE catalog c SET retry_at = coalesce(c.retry_at, u.at), retry_attempts = CASE WHEN c.retry_at IS NULL THEN 0 ELSE c.retry_attempts END
       FROM unnest($4::text[], $5::timestamptz[]) AS u(key, at)
      WHERE c.profile_id = $1 AND c.school_year = $2 AND c.resource = $3 AND c.source_key = u.key AND c.status = 'dependency'`,
    [profileId, schoolYear, resource, entries.map((e) => e.sourceKey), entries.map((e) => at(e.retryAtMs))],
  );
}

/**
 * A record's known blocker (`depends_on`) is a record of this catalog that is not published. Only
 * a blocker the catalog holds counts: `depends_on` names a reference's first candidate, and a
 * reference with several (an education organization: a school or the LEA) may be met by another —
 * a course pointing at the LEA is not blocked by a school of that id that does not exist. Those,
 * and blockers not extracted yet, are checked against every candidate (`stillUnresolved`).
 */
const STILL_BLOCKED = `c.depends_on IS NOT NULL AND EXISTS (
   SELECT 1 FROM catalog b WHERE b.profile_id = c.profile_id AND b.school_year = c.school_year
      AND b.resource = split_part(c.depends_on, '|', 1) AND b.natural_key = substr(c.depends_on, strpos(c.depends_on, '|') + 1)
      AND NOT ${inOds('b')})`;

/** `dependencyRetryDelayMinutes` in SQL, from the same numbers (a test holds the two together). */
export const RETRY_DELAY_SQL = (attempts: string, source: string): string =>
  `least(${M.max}, CASE WHEN ${source} = 'api' THEN ${M.first.api} ELSE ${M.first.computed} END + greatest(0, ${attempts}))`;

/**
 * Every due record of the profile whose known blocker is still unpublished gets its next time at
 * once, in the database: a try would change nothing, so none is made and nothing leaves Postgres.
 * Counts as a try. Answers how many.
 */
export async function rescheduleStillBlocked(db: pg.Pool | pg.ClientBase, profileId: string, nowMs: number): Promise<number> {
  const moved = await db.query(
    `UPDATE catalog c SET retry_attempts = c.retry_attempts + 1, retry_at = $2::timestamptz + make_interval(mins => ${RETRY_DELAY_SQL('c.retry_attempts + 1', 'c.dependency_source')})
      WHERE c.profile_id = $1 AND c.status = 'dependency' AND c.retry_at IS NOT NULL AND c.retry_at <= $2 AND ${STILL_BLOCKED}`,
    [profileId, at(nowMs)],
  );
  return moved.rowCount ?? 0;
}

/**
 * For due records whose references are known (their JSON as last staged), the first reference
 * that still has no published candidate — a record blocked by something other than what it last
 * waited for (a date whose calendar published but whose school did not) is not worth a try.
 */
export async function stillUnresolved(
  db: pg.Pool | pg.ClientBase,
  /** The profile and its ODS peers: what any of them published resolves a reference. */
  profileIds: readonly string[],
  items: ReadonlyArray<{
    schoolYear: number;
    sourceKey: string;
    refs: ReadonlyArray<{ property: string; candidates: ReadonlyArray<{ target: string; key: string }> }>;
  }>,
): Promise<Map<string, { target: string; key: string }>> {
  if (items.length === 0) return new Map();
  const { rows } = await db.query<{ year: number; key: string; target: string; ref_key: string }>(
    `SELECT DISTINCT ON (i.year, i.key) i.year, i.key, r.ref->'candidates'->0->>'target' AS target, r.ref->'candidates'->0->>'key' AS ref_key
       FROM jsonb_to_recordset($2::jsonb) AS i(year int, key text, refs jsonb)
       CROSS JOIN LATERAL jsonb_array_elements(i.refs) WITH ORDINALITY AS r(ref, n)
      WHERE NOT EXISTS (
        SELECT 1 FROM jsonb_to_recordset(r.ref->'candidates') AS k(target text, key text)
         WHERE EXISTS (SELECT 1 FROM catalog c WHERE c.profile_id = ANY($1) AND c.school_year = i.year AND c.resource = split_part(k.target, '/', 2) AND c.natural_key = k.key AND ${inOds('c')}))
      ORDER BY i.year, i.key, r.n`,
    [[...profileIds], JSON.stringify(items.map((i) => ({ year: i.schoolYear, key: i.sourceKey, refs: i.refs })))],
  );
  return new Map(rows.map((r) => [`${r.year}|${r.key}`, { target: r.target, key: r.ref_key }]));
}

/** What each record now waits for (`resource|naturalKey`), so the next still-blocked sweep finds it in SQL. */
export async function setDependsOn(
  db: pg.Pool | pg.ClientBase,
  profileId: string,
  items: ReadonlyArray<{ schoolYear: number; resource: string; sourceKey: string; dependsOn: string }>,
): Promise<void> {
  if (items.length === 0) return;
  await db.query(
    `UPDATE catalog c SET depends_on = u.dep FROM unnest($2::int[], $3::text[], $4::text[], $5::text[]) AS u(year, resource, key, dep)
      WHERE c.profile_id = $1 AND c.school_year = u.year AND c.resource = u.resource AND c.source_key = u.key AND c.status = 'dependency'`,
    [profileId, items.map((i) => i.schoolYear), items.map((i) => i.resource), items.map((i) => i.sourceKey), items.map((i) => i.dependsOn)],
  );
}

/** The records of a profile due for a try at `nowMs`, oldest first, with whether their known blocker still blocks. */
export async function dueRetries(db: pg.Pool | pg.ClientBase, profileId: string, nowMs: number, limit: number): Promise<DueRetry[]> {
  const { rows } = await db.query<{
    school_year: number;
    resource: string;
    source_key: string;
    retry_attempts: number;
    dependency_source: string | null;
    still_blocked: boolean;
    sent_json: Record<string, unknown> | null;
  }>(
    `SELECT c.school_year, c.resource, c.source_key, c.retry_attempts, c.dependency_source, (${STILL_BLOCKED}) AS still_blocked, c.sent_json
       FROM catalog c
      WHERE c.profile_id = $1 AND c.status = 'dependency' AND c.retry_at IS NOT NULL AND c.retry_at <= $2
      ORDER BY c.retry_at
      LIMIT $3`,
    [profileId, at(nowMs), limit],
  );
  return rows.map((r) => ({
    schoolYear: r.school_year,
    resource: r.resource,
    sourceKey: r.source_key,
    attempts: r.retry_attempts,
    source: r.dependency_source === 'api' ? 'api' : 'computed',
    stillBlocked: r.still_blocked,
    doc: r.sent_json,
  }));
}

/** The next try of one record (null: off the timetable), with its count of tries. */
export async function scheduleRetries(
  db: pg.Pool | pg.ClientBase,
  profileId: string,
  next: ReadonlyArray<{ schoolYear: number; resource: string; sourceKey: string; retryAtMs: number | null; attempts: number; queued?: boolean }>,
): Promise<void> {
  if (next.length === 0) return;
  // `queued`: handed to a bulk wake (a Now – Dependencies run reads these); the time stays as a safety net.
  await db.query(
    `UPDATE catalog c SET retry_at = CASE WHEN c.status = 'dependency' THEN u.at END, retry_attempts = u.attempts,
            retry_queued_at = CASE WHEN u.queued AND c.status = 'dependency' THEN now() ELSE c.retry_queued_at END
       FROM unnest($2::int[], $3::text[], $4::text[], $5::timestamptz[], $6::int[], $7::boolean[]) AS u(year, resource, key, at, attempts, queued)
      WHERE c.profile_id = $1 AND c.school_year = u.year AND c.resource = u.resource AND c.source_key = u.key`,
    [
      profileId,
      next.map((n) => n.schoolYear),
      next.map((n) => n.resource),
      next.map((n) => n.sourceKey),
      next.map((n) => (n.retryAtMs === null ? null : at(n.retryAtMs))),
      next.map((n) => n.attempts),
      next.map((n) => n.queued === true),
    ],
  );
}

/**
 * The records waiting for these blockers (`resource|naturalKey`), which just published. Of a
 * resource with fewer than `bulkAt` of them, each is brought forward to `nowMs` for the sweeper to
 * try; of one with more, all are marked for a bulk wake (a Now – Dependencies run reads them by
 * key) and keep their time as a safety net. Answers how many went each way.
 */
export async function wakeRetries(
  db: pg.Pool | pg.ClientBase,
  profileId: string,
  schoolYear: number,
  blockers: readonly string[],
  nowMs: number,
  bulkAt = Number.POSITIVE_INFINITY,
): Promise<{ woken: number; bulk: Array<{ resource: string; count: number }> }> {
  if (blockers.length === 0) return { woken: 0, bulk: [] };
  const { rows } = await db.query<{ resource: string; n: string; bulk: boolean }>(
    `WITH w AS (SELECT resource, source_key FROM catalog
                 WHERE profile_id = $1 AND school_year = $2 AND depends_on = ANY($3) AND status = 'dependency' AND retry_at > $4),
          n AS (SELECT resource, count(*) AS n FROM w GROUP BY resource),
          u AS (UPDATE catalog c SET retry_at = CASE WHEN n.n >= $5 THEN c.retry_at ELSE $4 END,
                                     retry_queued_at = CASE WHEN n.n >= $5 THEN now() ELSE c.retry_queued_at END
                  FROM w JOIN n USING (resource)
                 WHERE c.profile_id = $1 AND c.school_year = $2 AND c.resource = w.resource AND c.source_key = w.source_key
                RETURNING c.resource)
     SELECT n.resource, n.n, n.n >= $5 AS bulk FROM n WHERE (SELECT count(*) FROM u) > 0`,
    [profileId, schoolYear, [...blockers], at(nowMs), Number.isFinite(bulkAt) ? bulkAt : 2_147_483_647],
  );
  return {
    woken: rows.filter((r) => !r.bulk).reduce((sum, r) => sum + Number(r.n), 0),
    bulk: rows.filter((r) => r.bulk).map((r) => ({ resource: r.resource, count: Number(r.n) })),
  };
}

/** When the profile's next try is due (ms), or null when nothing waits. */
export async function nextRetryAt(db: pg.Pool | pg.ClientBase, profileId: string): Promise<number | null> {
  const { rows } = await db.query<{ next: Date | null }>(
    `SELECT min(retry_at) AS next FROM catalog WHERE profile_id = $1 AND status = 'dependency' AND retry_at IS NOT NULL`,
    [profileId],
  );
  return rows[0]?.next == null ? null : new Date(rows[0].next).getTime();
}

/**
 * The source keys a Now – Errors or Now – Dependencies run re-reads: the resource's records in
 * those statuses, so the SIS is read by key for them instead of whole. `wake` (the sweeper's bulk
 * wake): only the records handed over ready — the others would be refused again — oldest first and
 * at most `most` of them, so a wake run stays short and a record waits for one short run, not for a
 * run as large as everything that became ready meanwhile.
 */
export async function keysToRetry(
  db: pg.Pool | pg.ClientBase,
  scope: { profileId: string; schoolYear: number; resource: string; schoolId?: string },
  statuses: readonly string[],
  wake?: { most: number },
): Promise<string[]> {
  const { rows } = await db.query<{ source_key: string }>(
    `SELECT c.source_key FROM catalog c
      WHERE c.profile_id = $1 AND c.school_year = $2 AND c.resource = $3 AND c.status = ANY($4) AND ($5::varchar IS NULL OR c.school_id = $5)
        ${wake !== undefined ? 'AND c.retry_queued_at IS NOT NULL ORDER BY c.retry_queued_at, c.source_key LIMIT $6' : 'ORDER BY c.source_key'}`,
    [scope.profileId, scope.schoolYear, scope.resource, statuses, scope.schoolId ?? null, ...(wake !== undefined ? [wake.most] : [])],
  );
  return rows.map((r) => r.source_key);
}
