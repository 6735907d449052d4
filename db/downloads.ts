/** Storage of downloads: each category's state on the Download page, and the records downloaded, keyed by natural key. */
import type pg from 'pg';

type Conn = pg.Pool | pg.ClientBase;

export interface DownloadTarget {
  readonly profileId: string;
  readonly schoolYear: number;
}

/** Sets a category's state; `resetCount` starts its downloaded count again (a new run). */
export async function setDownloadState(
  conn: Conn,
  step: DownloadTarget & { readonly category: string },
  state: string,
  message: string | null,
  resetCount: boolean,
): Promise<void> {
  await conn.query(
    `INSERT INTO download_status (profile_id, school_year, category, status, downloaded, message, last_activity) VALUES ($1, $2, $3, $4, 0, $5, now())
     ON CONFLICT (profile_id, school_year, category) DO UPDATE SET status = excluded.status, message = excluded.message, last_activity = now()${resetCount ? ', downloaded = 0' : ''}`,
    [step.profileId, step.schoolYear, step.category, state, message],
  );
}

export async function countDownloaded(conn: Conn, step: DownloadTarget & { readonly category: string }, n: number): Promise<void> {
  await conn.query(
    'UPDATE download_status SET downloaded = downloaded + $1, last_activity = now() WHERE profile_id = $2 AND school_year = $3 AND category = $4',
    [n, step.profileId, step.schoolYear, step.category],
  );
}

export interface DownloadedRecord {
  readonly key: string;
  readonly edfiId: string | null;
  readonly doc: Record<string, unknown>;
}

/** Upserts one page of a resource in one statement, stamped with the run (what the run did not see is marked gone after it). */
export async function saveDownloadedPage(
  conn: Conn,
  target: DownloadTarget & { readonly resource: string; readonly runId: string },
  records: readonly DownloadedRecord[],
): Promise<void> {
  if (records.length === 0) return;
  await conn.query(
    `INSERT INTO downloaded_record (profile_id, school_year, resource, natural_key, edfi_id, doc, run_id, gone, updated_at)
     SELECT DISTINCT ON (r.key) $1, $2, $3, r.key, r."edfiId", r.doc, $4, false, now() FROM jsonb_to_recordset($5::jsonb) AS r(key text, "edfiId" text, doc jsonb)
     ON CONFLICT (profile_id, school_year, resource, natural_key) DO UPDATE SET edfi_id = excluded.edfi_id, doc = excluded.doc, run_id = excluded.run_id, gone = false, updated_at = now()`,
    [target.profileId, target.schoolYear, target.resource, target.runId, JSON.stringify(records)],
  );
}

/** Marks gone the records of these resources the run did not see; answers how many. */
export async function markDownloadsGone(conn: Conn, target: DownloadTarget & { readonly runId: string }, resources: readonly string[]): Promise<number> {
  if (resources.length === 0) return 0;
  const res = await conn.query(
    'UPDATE downloaded_record SET gone = true, updated_at = now() WHERE profile_id = $1 AND school_year = $2 AND resource = ANY($3) AND run_id <> $4 AND NOT gone',
    [target.profileId, target.schoolYear, [...resources], target.runId],
  );
  return res.rowCount ?? 0;
}

// ── reads for the Download page ──────────────────────────────────────────────────────────────

export interface DownloadStateRow {
  readonly category: string;
  readonly status: string;
  readonly downloaded: number;
  readonly message: string | null;
  readonly lastActivity: string;
}

export async function readDownloadStates(conn: Conn, target: DownloadTarget): Promise<DownloadStateRow[]> {
  const { rows } = await conn.query<{ category: string; status: string; downloaded: number; message: string | null; last_activity: Date }>(
    'SELECT category, status, downloaded, message, last_activity FROM download_status WHERE profile_id = $1 AND school_year = $2 ORDER BY category',
    [target.profileId, target.schoolYear],
  );
  return rows.map((r) => ({
    category: r.category,
    status: r.status,
    downloaded: Number(r.downloaded),
    message: r.message,
    lastActivity: new Date(r.last_activity).toISOString(),
  }));
}

/** Each descriptor resource downloaded for the year, with how many values are current and how many gone. */
export async function downloadedDescriptorCounts(conn: Conn, target: DownloadTarget): Promise<Array<{ resource: string; count: number; gone: number }>> {
  const { rows } = await conn.query<{ resource: string; n: string; gone: string }>(
    `SELECT resource, count(*) FILTER (WHERE NOT gone) AS n, count(*) FILTER (WHERE gone) AS gone FROM downloaded_record
      WHERE profile_id = $1 AND school_year = $2 AND resource LIKE '%Descriptors' GROUP BY resource ORDER BY resource`,
    [target.profileId, target.schoolYear],
  );
  return rows.map((r) => ({ resource: r.resource, count: Number(r.n), gone: Number(r.gone) }));
}

/** What the records list asks for: text anywhere in the document, and field (dotted path) contains text. */
export interface DownloadedRecordsQuery {
  readonly resource: string;
  readonly contains?: string | undefined;
  readonly fields: ReadonlyArray<{ readonly path: readonly string[]; readonly text: string }>;
  readonly page: number;
  readonly pageSize: number;
}

const like = (text: string): string => `%${text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

export async function downloadedRecordsPage(
  conn: Conn,
  target: DownloadTarget,
  q: DownloadedRecordsQuery,
): Promise<{ total: number; rows: Array<{ key: string; gone: boolean; doc: Record<string, unknown>; updatedAt: string; origin: 'state' | 'district' }> }> {
  const args: unknown[] = [target.profileId, target.schoolYear, q.resource];
  // Each value's placeholder is its place in `args`.
  const arg = (v: unknown): string => `$${args.push(v)}`;
  const downloaded = `SELECT natural_key, gone, doc, updated_at, 'state' AS origin FROM downloaded_record WHERE profile_id = $1 AND school_year = $2 AND resource = $3`;
  // The guide: the Course Catalog lists the state's courses and the ones the district published.
  // A district course downloaded back from the ODS shows once, as the district's.
  const published = `SELECT natural_key, sent_json, updated_at FROM catalog WHERE profile_id = $1 AND school_year = $2 AND resource = 'courses' AND status = 'published' AND sent_json IS NOT NULL`;
  const source =
    q.resource === 'ed-fi/courses'
      ? `${downloaded} AND natural_key NOT IN (SELECT natural_key FROM (${published}) AS p)
         UNION ALL SELECT natural_key, false, sent_json, updated_at, 'district' FROM (${published}) AS p`
      : downloaded;
  const where = ['true'];
  if (q.contains !== undefined) where.push(`doc::text ILIKE ${arg(like(q.contains))}`);
  for (const f of q.fields) where.push(`(doc #>> ${arg(f.path)}) ILIKE ${arg(like(f.text))}`);
  const whereSql = where.join(' AND ');
  const { rows: counted } = await conn.query<{ total: string }>(`SELECT count(*) AS total FROM (${source}) AS src WHERE ${whereSql}`, args);
  const total = counted[0]?.total ?? '0';
  const page = `LIMIT ${arg(q.pageSize)} OFFSET ${arg((q.page - 1) * q.pageSize)}`;
  const { rows } = await conn.query<{ natural_key: string; gone: boolean; doc: Record<string, unknown>; updated_at: Date; origin: 'state' | 'district' }>(
    `SELECT natural_key, gone, doc, updated_at, origin FROM (${source}) AS src WHERE ${whereSql} ORDER BY origin = 'district' DESC, natural_key ${page}`,
    args,
  );
  return {
    total: Number(total),
    rows: rows.map((r) => ({ key: r.natural_key, gone: r.gone, doc: r.doc, updatedAt: new Date(r.updated_at).toISOString(), origin: r.origin })),
  };
}
