/**
 * "Now – Changes" and the other publish options as set operations in SQL: the extract of a
 * resource is staged (COPY), compared with the catalog in one statement, and the result written
 * as a plan of numbered batches that activities then send. Nothing here holds records in memory,
 * so it stays fast at millions of rows.
 */
import { statusesActedOn, usesExtract } from '../publishing/publishOptions.js';
import type pg from 'pg';
import type { PublishOption } from '../publishing/categories.js';
import { catalogObjectSql, type ChangeSources } from '../publishing/changeSet.js';
import { copyRows } from './copy.js';
import { sourceKeysCompareBytewise } from './collation.js';

export interface ExtractedRecord {
  readonly sourceKey: string;
  readonly schoolId: string | null;
  /** Canonical JSON of the Ed-Fi identity: a change here means DELETE the old, POST the new. */
  readonly naturalKey: string;
  /** Hash of the JSON that would be sent (32 hex). */
  readonly payloadHash: string;
  /** The JSON to send (canonical text), kept for this run's batches. */
  readonly doc?: string;
  /** Records it references, as `[{"targets":[…],"key":"…","property":"…"}]`. */
  readonly refs?: string;
  /** Computed dependency reason: withheld from sending. */
  readonly dependency?: string;
  /** Computed error: withheld from sending. */
  readonly error?: string;
  /** The record list's values (JSON text), never sent. */
  readonly display?: string;
  /** Kept out of publishing by the profile's settings, with the reason. */
  readonly excluded?: string;
}

export interface PlanScope {
  readonly runId: string;
  readonly profileId: string;
  readonly schoolYear: number;
  readonly resource: string;
  /** One school's records only (the dashboard's school context); all when undefined. */
  readonly schoolId?: string;
  /**
   * Only the records of the SIS objects in this run's change scope (Now – Changes from the event
   * queue): the stage holds just their extract, so nothing outside it is "gone".
   */
  readonly changed?: ChangeSources;
  /**
   * Now – Last 14 Days: only the records dated (natural-key field `naturalKeyDate`) from `since`
   * on — the stage holds just those, so nothing older is "gone".
   */
  readonly window?: { readonly naturalKeyDate: string; readonly since: string };
}

export type PlanAction = 'post' | 'rekey' | 'delete' | 'forget';
export type PlanCounts = Record<PlanAction, number> & { batches: number };

/** A plan with nothing in it. */
export const noPlan = (): PlanCounts => ({ post: 0, rekey: 0, delete: 0, forget: 0, batches: 0 });

/** Loads a resource's extract for this run (replacing an earlier attempt's). */
export async function stageExtract(client: pg.ClientBase, runId: string, records: Iterable<ExtractedRecord> | AsyncIterable<ExtractedRecord>): Promise<void> {
  await client.query('DELETE FROM extract_stage WHERE run_id = $1', [runId]);
  await appendStage(client, runId, records);
}

/** Replaces the staged rows of some records (a second, full pass over the ones a plan will send). */
export async function restage(
  client: pg.ClientBase,
  runId: string,
  sourceKeys: readonly string[],
  records: Iterable<ExtractedRecord> | AsyncIterable<ExtractedRecord>,
): Promise<void> {
  await client.query('DELETE FROM extract_stage WHERE run_id = $1 AND source_key = ANY($2)', [runId, [...sourceKeys]]);
  await appendStage(client, runId, records);
}

/**
 * True when the catalog holds no live record of the resource for the profile's year. Such a
 * resource has nothing to compare with and nothing to delete: every record it extracts is a post,
 * so its batches can be planned — and sent — while the rest of it is still being read.
 */
export async function nothingPublished(client: pg.ClientBase, profileId: string, schoolYear: number, resource: string): Promise<boolean> {
  const { rows } = await client.query<{ none: boolean }>(
    `SELECT NOT EXISTS (SELECT 1 FROM catalog WHERE profile_id = $1 AND school_year = $2 AND resource = $3 AND status <> 'deleted') AS none`,
    [profileId, schoolYear, resource],
  );
  return rows[0]?.none === true;
}

/** Starts a streamed plan (`planStreamedBatch`): an earlier attempt's stage and plan go. */
export async function startStreamedPlan(client: pg.ClientBase, runId: string, resource: string): Promise<void> {
  await client.query('DELETE FROM extract_stage WHERE run_id = $1', [runId]);
  await client.query('DELETE FROM publish_plan WHERE run_id = $1 AND resource = $2', [runId, resource]);
}

/**
 * Stages one chunk of a never-published resource's extract and plans it as batch `batchNo`, all
 * posts (see `nothingPublished`): the batch can go out before the next chunk is read.
 */
export async function planStreamedBatch(
  client: pg.ClientBase,
  runId: string,
  resource: string,
  batchNo: number,
  records: readonly ExtractedRecord[],
): Promise<void> {
  await appendStage(client, runId, records);
  await client.query(`INSERT INTO publish_plan (run_id, resource, batch_no, source_key, action) SELECT $1, $2, $3, k, 'post' FROM unnest($4::text[]) AS k`, [
    runId,
    resource,
    batchNo,
    records.map((r) => r.sourceKey),
  ]);
}

/** Stages more of a run's extract (a streamed plan's records that are planned later, with the rest). */
export async function stageMore(client: pg.ClientBase, runId: string, records: readonly ExtractedRecord[]): Promise<void> {
  if (records.length > 0) await appendStage(client, runId, records);
}

/** How a streamed chunk was planned: as a batch of so many posts (0: none, no batch), or not (it waits for the whole plan). */
export type ChunkPlan = { readonly posts: number } | 'whole-plan';

/**
 * Stages one chunk of a traced extract (Now – Changes from the SIS event queue) and, when every
 * record of it can go before the rest of the plan is known, plans its new and changed records as
 * posts of batch `batchNo` (none when nothing in it changed). A record whose identity changed
 * (its old record is deleted first) or whose identity another live record holds (deleted or
 * re-keyed later in the plan) cannot: the chunk is only staged, and answers `whole-plan`.
 */
export async function planTracedChunk(client: pg.ClientBase, scope: PlanScope, batchNo: number, records: readonly ExtractedRecord[]): Promise<ChunkPlan> {
  await appendStage(client, scope.runId, records);
  const { rows } = await client.query<{ held: number; posts: number }>(
    `WITH s AS (
       SELECT s.source_key, s.natural_key,
              c.source_key IS NULL OR c.natural_key <> s.natural_key AS new_identity,
              c.source_key IS NOT NULL AND c.natural_key <> s.natural_key AND c.edfi_id IS NOT NULL AS rekey,
              c.source_key IS NULL OR c.payload_hash <> s.payload_hash OR c.natural_key <> s.natural_key AS changed
         FROM extract_stage s
         LEFT JOIN catalog c ON c.profile_id = $2 AND c.school_year = $3 AND c.resource = $4 AND c.source_key = s.source_key AND c.status <> 'deleted'
        WHERE s.run_id = $1 AND s.source_key = ANY($6)
     ), held AS (
       SELECT 1 FROM s WHERE s.rekey OR (s.new_identity AND EXISTS (
         SELECT 1 FROM catalog o WHERE o.profile_id = $2 AND o.school_year = $3 AND o.resource = $4 AND o.natural_key = s.natural_key
            AND o.source_key <> s.source_key AND o.status <> 'deleted'))
     ), planned AS (
       INSERT INTO publish_plan (run_id, resource, batch_no, source_key, action)
       SELECT $1, $4, $5, s.source_key, 'post' FROM s WHERE s.changed AND NOT EXISTS (SELECT 1 FROM held)
       RETURNING 1
     )
     SELECT (SELECT count(*) FROM held)::int AS held, (SELECT count(*) FROM planned)::int AS posts`,
    [scope.runId, scope.profileId, scope.schoolYear, scope.resource, batchNo, records.map((r) => r.sourceKey)],
  );
  const row = rows[0];
  return row === undefined || row.held > 0 ? 'whole-plan' : { posts: row.posts };
}

/** A record a plan posts, as the plan saw it staged. */
export interface PlannedPost {
  readonly sourceKey: string;
  readonly naturalKey: string;
  readonly payloadHash: string;
}

/** The records a plan posts (new, changed or re-keyed), with the identity and hash it planned them on. */
export async function plannedPosts(client: pg.ClientBase, runId: string, resource: string): Promise<PlannedPost[]> {
  const { rows } = await client.query<{ source_key: string; natural_key: string; payload_hash: string }>(
    `SELECT p.source_key, s.natural_key, s.payload_hash FROM publish_plan p JOIN extract_stage s ON s.run_id = p.run_id AND s.source_key = p.source_key
      WHERE p.run_id = $1 AND p.resource = $2 AND p.action IN ('post', 'rekey')`,
    [runId, resource],
  );
  return rows.map((r) => ({ sourceKey: r.source_key, naturalKey: r.natural_key, payloadHash: r.payload_hash }));
}

async function appendStage(client: pg.ClientBase, runId: string, records: Iterable<ExtractedRecord> | AsyncIterable<ExtractedRecord>): Promise<void> {
  async function* rows(): AsyncGenerator<Array<string | null>> {
    for await (const r of records)
      yield [
        runId,
        r.sourceKey,
        r.schoolId,
        r.naturalKey,
        r.payloadHash,
        r.doc ?? null,
        r.refs ?? null,
        r.dependency ?? null,
        r.error ?? null,
        r.display ?? null,
        r.excluded ?? null,
      ];
  }
  await copyRows(
    client,
    'extract_stage',
    ['run_id', 'source_key', 'school_id', 'natural_key', 'payload_hash', 'doc', 'refs', 'dependency', 'error', 'display', 'excluded'],
    rows(),
  );
}

/** Which options compare a fresh extract with the catalog, and which work from the catalog alone. */
/** The option's statuses as SQL literals (a closed set of names, so no value reaches the text). */
function inStatuses(option: PublishOption): string {
  return (statusesActedOn(option) ?? []).map((st) => `'${st}'`).join(', ');
}

export { usesExtract };

/** Notes, durably, that a run planned `batches` batches: the plan itself is in an unlogged table. */
export async function markPlanned(client: pg.ClientBase, runId: string, batches: number): Promise<void> {
  await client.query(
    'INSERT INTO plan_marker (run_id, batches) VALUES ($1, $2) ON CONFLICT (run_id) DO UPDATE SET batches = excluded.batches, created_at = now()',
    [runId, batches],
  );
}

/**
 * True when the run planned batches but its plan is gone: a Postgres crash or failover empties
 * unlogged tables. A batch must then not count as sent: the run has to plan again.
 */
export async function planLost(db: pg.Pool | pg.ClientBase, runId: string): Promise<boolean> {
  const { rows } = await db.query<{ lost: boolean }>(
    'SELECT m.batches > 0 AND NOT EXISTS (SELECT 1 FROM publish_plan p WHERE p.run_id = m.run_id) AS lost FROM plan_marker m WHERE m.run_id = $1',
    [runId],
  );
  return rows[0]?.lost === true;
}

/** The SQL of a plan's catalog rows (parameters $1–$5, and $7 with a window) and its parameters after $5. */
interface CatalogScope {
  /** The resource's live records in the scope (one school's, the traced objects'). */
  readonly ofResource: string;
  /** Those that may be gone: only the window's when there is one (the stage holds nothing older). */
  readonly mayBeGone: string;
  /** The parameters from $1 to $5, then $6 (`batchSize`) and the window's date as $7. */
  readonly params: (batchSize: number) => unknown[];
}

/**
 * `bytewise`: the source keys compare byte by byte (`sourceKeysCompareBytewise`), so a traced
 * object's records keyed `object-…` are read as one key range each instead of by testing every
 * record of the resource (1.5 s for the sections at 1 M catalog rows).
 */
function catalogScope(scope: PlanScope, bytewise: boolean): CatalogScope {
  const { runId, profileId, schoolYear, resource } = scope;
  const school = scope.schoolId ?? null;
  const window = scope.window;
  if (window !== undefined && !/^[A-Za-z]+$/.test(window.naturalKeyDate)) throw new Error(`not a natural-key field: ${window.naturalKeyDate}`);
  // Dates compare as ISO text; the field name is a mapper's declaration (checked above), the date a parameter.
  const inWindow = window !== undefined ? ` AND natural_key::jsonb->>'${window.naturalKeyDate}' >= $7` : '';
  const live = `profile_id = $2 AND school_year = $3 AND resource = $4 AND status <> 'deleted' AND ($5::varchar IS NULL OR school_id = $5)`;
  let ofResource = `SELECT * FROM catalog WHERE ${live}`;
  if (scope.changed?.objectOfKey === 'beforeDash' && bytewise)
    // In byte order '.' follows '-': [o, o || '.') holds o and every o-…; split_part keeps exactly those.
    // OFFSET 0 keeps the planner from flattening the lateral read into a scan of every record (it did).
    ofResource = `SELECT c.* FROM change_scope o CROSS JOIN LATERAL (SELECT * FROM catalog WHERE ${live} AND source_key >= o.object_key AND source_key < o.object_key || '.' OFFSET 0) c
                   WHERE o.run_id = $1 AND ${catalogObjectSql(scope.changed, 'c')} = o.object_key`;
  else if (scope.changed !== undefined) ofResource += ` AND ${catalogObjectSql(scope.changed)} IN (SELECT object_key FROM change_scope WHERE run_id = $1)`;
  return {
    ofResource,
    mayBeGone: `${ofResource}${inWindow}`,
    params: (batchSize) => [runId, profileId, schoolYear, resource, school, batchSize, ...(window !== undefined ? [window.since] : [])],
  };
}

/** Whether the scope's traced objects can be read as key ranges (asked only when its keys are `object-…`). */
async function keyRanges(client: pg.ClientBase, scope: PlanScope): Promise<boolean> {
  return scope.changed?.objectOfKey === 'beforeDash' && (await sourceKeysCompareBytewise(client));
}

/**
 * Records in the catalog scope the stage no longer holds: deleted from the ODS, or forgotten if
 * never published. `probe`: look each up in the stage by its key — for a few records against a
 * stage with no statistics (the planner, taking it for one row, compared each record with every
 * staged row: 16 M comparisons, 1.6 s, for the sections at 1 M catalog rows); OFFSET 0 keeps the
 * look-up from being turned into a join.
 */
const goneSql = (mayBeGone: string, probe = false): string => `
        SELECT c.source_key, CASE WHEN c.edfi_id IS NOT NULL THEN 'delete' ELSE 'forget' END AS action
          FROM (${mayBeGone}) c
         WHERE NOT EXISTS (SELECT 1 FROM extract_stage s WHERE s.run_id = $1 AND s.source_key = c.source_key${probe ? ' OFFSET 0' : ''})`;

/**
 * Writes the plan for one resource and answers with its counts. Idempotent: a retried activity
 * replaces its earlier plan. `from`: a streamed plan already holds batches 0..from-1 (sent or being
 * sent); the rest of the stage is planned after them, their records left as they are.
 */
export async function planResource(client: pg.ClientBase, scope: PlanScope, option: PublishOption, batchSize: number, from = 0): Promise<PlanCounts> {
  const { runId, resource } = scope;
  if (from === 0) await client.query('DELETE FROM publish_plan WHERE run_id = $1 AND resource = $2', [runId, resource]);
  const { ofResource, mayBeGone: catalog, params } = catalogScope(scope, await keyRanges(client, scope));
  let planned: string;
  switch (option) {
    case 'changes':
    case 'preview':
    case 'all':
    case 'recent':
      // New records and changed ones are (re)posted; a changed identity deletes the old record first;
      // records gone from the SIS are deleted from the ODS (or just forgotten if never published).
      planned = `
        SELECT s.source_key,
               CASE WHEN c.source_key IS NULL THEN 'post'
                    WHEN c.natural_key <> s.natural_key AND c.edfi_id IS NOT NULL THEN 'rekey'
                    WHEN ${option === 'all' ? 'TRUE' : 'c.payload_hash <> s.payload_hash OR c.natural_key <> s.natural_key'} THEN 'post'
               END AS action
          FROM (SELECT * FROM extract_stage WHERE run_id = $1) s LEFT JOIN (${ofResource}) c USING (source_key)
        UNION ALL${goneSql(catalog)}`;
      break;
    case 'missing':
      // The guide's nightly "missing records only": what the ODS does not have yet; no updates, no deletes.
      planned = `
        SELECT s.source_key, 'post' AS action
          FROM (SELECT * FROM extract_stage WHERE run_id = $1) s LEFT JOIN (${catalog}) c USING (source_key)
         WHERE c.source_key IS NULL OR c.edfi_id IS NULL`;
      break;
    case 'errors':
    case 'dependencies':
      // Re-extracted, so fixed data goes out; only records in that status are sent.
      planned = `
        SELECT s.source_key, CASE WHEN c.natural_key <> s.natural_key AND c.edfi_id IS NOT NULL THEN 'rekey' ELSE 'post' END AS action
          FROM (SELECT * FROM extract_stage WHERE run_id = $1) s JOIN (${catalog}) c USING (source_key)
         WHERE c.status IN (${inStatuses(option)})`;
      break;
    case 'retry-errors':
      // The same JSON as last time: the error was the server's, not the data's.
      planned = `SELECT c.source_key, 'post' AS action FROM (${catalog}) c WHERE c.status IN (${inStatuses(option)}) AND c.sent_json IS NOT NULL`;
      break;
    case 'remove-unpublished':
      planned = `SELECT c.source_key, 'forget' AS action FROM (${catalog}) c WHERE c.edfi_id IS NULL AND c.status IN (${inStatuses(option)})`;
      break;
  }
  // After a streamed plan's batches, only what they did not plan.
  const unplanned = from > 0 ? ` AND NOT EXISTS (SELECT 1 FROM publish_plan q WHERE q.run_id = $1 AND q.resource = $4 AND q.source_key = p.source_key)` : '';
  await insertPlan(client, `SELECT * FROM (${planned}) p WHERE p.action IS NOT NULL${unplanned}`, params(batchSize), from);
  // A preview changes no catalog row.
  if (option !== 'preview') await followDisplay(client, scope);
  return planCounts(client, runId, resource);
}

/**
 * The end of a traced Now – Changes whose every chunk was planned as it was read
 * (`planTracedChunk`): only what the traced objects no longer give is left to plan, after the
 * streamed batches. The streamed records are not compared again (at 1 M catalog rows that took
 * 1.4 s of the sections' 2.4 s while their batches were being sent).
 */
export async function planGone(
  client: pg.ClientBase,
  scope: PlanScope & { readonly changed: ChangeSources },
  batchSize: number,
  from: number,
): Promise<PlanCounts> {
  const { mayBeGone, params } = catalogScope(scope, await keyRanges(client, scope));
  await insertPlan(client, goneSql(mayBeGone, true), params(batchSize), from);
  await followDisplay(client, scope);
  return planCounts(client, scope.runId, scope.resource);
}

/** Writes `planned` (source_key, action) as batches of $6 from batch `from`: posts first, deletes last, each in source-key order. */
async function insertPlan(client: pg.ClientBase, planned: string, params: unknown[], from: number): Promise<void> {
  await client.query(
    `INSERT INTO publish_plan (run_id, resource, batch_no, source_key, action)
     SELECT $1, $4, ${Math.trunc(from)} + (row_number() OVER (ORDER BY (p.action IN ('delete', 'forget')), p.source_key) - 1) / $6, p.source_key, p.action
       FROM (${planned}) p`,
    params,
  );
}

/** What the list shows follows the SIS even for records not sent again (a grade level, a name in a list column). */
async function followDisplay(client: pg.ClientBase, scope: PlanScope): Promise<void> {
  await client.query(
    `UPDATE catalog c SET display = s.display FROM extract_stage s
      WHERE s.run_id = $1 AND c.profile_id = $2 AND c.school_year = $3 AND c.resource = $4 AND c.source_key = s.source_key
        AND s.display IS NOT NULL AND c.display IS DISTINCT FROM s.display`,
    [scope.runId, scope.profileId, scope.schoolYear, scope.resource],
  );
}

/** A resource's plan as counts of each action and of batches. */
async function planCounts(client: pg.ClientBase, runId: string, resource: string): Promise<PlanCounts> {
  const counts = await client.query<{ action: PlanAction; n: string; batches: string }>(
    `SELECT action, count(*) AS n, max(batch_no) + 1 AS batches FROM publish_plan WHERE run_id = $1 AND resource = $2 GROUP BY action`,
    [runId, resource],
  );
  const out = noPlan();
  for (const row of counts.rows) {
    out[row.action] = Number(row.n);
    out.batches = Math.max(out.batches, Number(row.batches));
  }
  return out;
}

/** The batches of a plan that delete anything (gone records, or the old record of a re-keyed one). */
export async function batchesWithDeletes(client: pg.ClientBase, runId: string, resource: string): Promise<number[]> {
  const { rows } = await client.query<{ batch_no: number }>(
    `SELECT DISTINCT batch_no FROM publish_plan WHERE run_id = $1 AND resource = $2 AND action <> 'post' ORDER BY batch_no`,
    [runId, resource],
  );
  return rows.map((r) => r.batch_no);
}

export async function planBatch(
  client: pg.ClientBase,
  runId: string,
  resource: string,
  batchNo: number,
): Promise<Array<{ sourceKey: string; action: PlanAction }>> {
  const res = await client.query<{ source_key: string; action: PlanAction }>(
    'SELECT source_key, action FROM publish_plan WHERE run_id = $1 AND resource = $2 AND batch_no = $3 ORDER BY source_key',
    [runId, resource, batchNo],
  );
  return res.rows.map((r) => ({ sourceKey: r.source_key, action: r.action }));
}

/**
 * The SIS objects of a resource's records the ODS never got (no id: pending, waiting, in error or
 * excluded), at most `most`: what Now – Missing retries besides what the events trace.
 */
export async function unpublishedObjects(client: pg.ClientBase, scope: PlanScope, sources: ChangeSources, most: number): Promise<string[]> {
  const { rows } = await client.query<{ object: string }>(
    `SELECT DISTINCT ${catalogObjectSql(sources)} AS object FROM catalog
      WHERE profile_id = $1 AND school_year = $2 AND resource = $3 AND status IN ('pending', 'processing', 'dependency', 'error', 'excluded') AND edfi_id IS NULL
      LIMIT $4`,
    [scope.profileId, scope.schoolYear, scope.resource, most],
  );
  return rows.map((r) => r.object);
}

/** The SIS objects a run's events touched: the records a traced Now – Changes reads and compares. */
export async function stageChangeScope(client: pg.ClientBase, runId: string, objects: Iterable<string>): Promise<void> {
  await client.query('DELETE FROM change_scope WHERE run_id = $1', [runId]);
  await copyRows(
    client,
    'change_scope',
    ['run_id', 'object_key'],
    [...new Set(objects)].map((o) => [runId, o]),
  );
}

/**
 * Every resource run with work rows left, read from the work tables' keys (one index probe per run:
 * a run being staged holds millions of rows).
 */
export async function workRunIds(client: pg.ClientBase | pg.Pool): Promise<string[]> {
  const ids = new Set<string>();
  for (const table of ['extract_stage', 'publish_plan', 'change_scope'] as const) {
    const { rows } = await client.query<{ run_id: string }>(
      `WITH RECURSIVE r AS (
         (SELECT run_id FROM ${table} ORDER BY run_id LIMIT 1)
         UNION ALL
         SELECT (SELECT t.run_id FROM ${table} t WHERE t.run_id > r.run_id ORDER BY t.run_id LIMIT 1) FROM r WHERE r.run_id IS NOT NULL
       )
       SELECT run_id FROM r WHERE run_id IS NOT NULL`,
    );
    for (const r of rows) ids.add(r.run_id);
  }
  const { rows } = await client.query<{ run_id: string }>('SELECT run_id FROM plan_marker');
  for (const r of rows) ids.add(r.run_id);
  return [...ids].sort();
}

/**
 * Work tables' size (bytes, read from their files: no scan) from which emptying them beats deleting
 * a run's rows: a DELETE reads every page it clears (5 M rows took 21 s), TRUNCATE drops the files.
 */
export const TRUNCATE_FROM_BYTES = 64 * 1024 * 1024;

/**
 * Drops the work rows of runs that ended (a category's resource runs). Runs alone in big work
 * tables empty them with TRUNCATE: at the end of an `xl` initial publish, deleting its 5 M plan and
 * stage rows kept the run open 21 s after its last POST. Otherwise, or when another session holds
 * one of the tables (a run writing its stage), their rows are deleted one run at a time.
 */
export async function clearRuns(client: pg.ClientBase, runIds: readonly string[], truncateFrom = TRUNCATE_FROM_BYTES): Promise<void> {
  if (runIds.length === 0) return;
  const { rows } = await client.query<{ bytes: string }>("SELECT pg_relation_size('extract_stage') + pg_relation_size('publish_plan') AS bytes");
  if (Number(rows[0]?.bytes ?? 0) >= truncateFrom && (await alone(client, runIds)) && (await truncateAlone(client, runIds))) return;
  for (const id of runIds) await clearRun(client, id);
}

/** No run but these has work rows. */
async function alone(client: pg.ClientBase, runIds: readonly string[]): Promise<boolean> {
  const mine = new Set(runIds);
  return (await workRunIds(client)).every((id) => mine.has(id));
}

/** Empties the work tables if, once they are locked, no other run has rows there; false when it did not. */
async function truncateAlone(client: pg.ClientBase, runIds: readonly string[]): Promise<boolean> {
  await client.query('BEGIN');
  try {
    // NOWAIT: a session using a table (a run copying its stage in) means another run is at work.
    await client.query('LOCK TABLE extract_stage, publish_plan, change_scope, plan_marker IN ACCESS EXCLUSIVE MODE NOWAIT');
    if (!(await alone(client, runIds))) {
      await client.query('ROLLBACK');
      return false;
    }
    await client.query('TRUNCATE extract_stage, publish_plan, change_scope, plan_marker');
    await client.query('COMMIT');
    return true;
  } catch (err) {
    await client.query('ROLLBACK');
    if ((err as { code?: string }).code === LOCK_NOT_AVAILABLE) return false;
    throw err;
  }
}

const LOCK_NOT_AVAILABLE = '55P03';

/** A run's work rows are dropped when it ends; the catalog keeps the outcome. */
export async function clearRun(client: pg.ClientBase | pg.Pool, runId: string): Promise<void> {
  await client.query('DELETE FROM plan_marker WHERE run_id = $1', [runId]);
  await client.query('DELETE FROM publish_plan WHERE run_id = $1', [runId]);
  await client.query('DELETE FROM extract_stage WHERE run_id = $1', [runId]);
  await client.query('DELETE FROM change_scope WHERE run_id = $1', [runId]);
}
