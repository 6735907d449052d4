/** Storage of downloads: each category's state on the Download page, and the records downloaded, keyed by natural key. */
import type { MikroORM } from '@mikro-orm/postgresql';

type Conn = ReturnType<MikroORM['em']['getConnection']>;

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
  await conn.execute(
    `INSERT INTO download_status (profile_id, school_year, category, status, downloaded, message, last_activity) VALUES (?, ?, ?, ?, 0, ?, now())
     ON CONFLICT (profile_id, school_year, category) DO UPDATE SET status = excluded.status, message = excluded.message, last_activity = now()${resetCount ? ', downloaded = 0' : ''}`,
    [step.profileId, step.schoolYear, step.category, state, message],
  );
}

export async function countDownloaded(conn: Conn, step: DownloadTarget & { readonly category: string }, n: number): Promise<void> {
  await conn.execute(
    'UPDATE download_status SET downloaded = downloaded + ?, last_activity = now() WHERE profile_id = ? AND school_year = ? AND category = ?',
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
  await conn.execute(
    `INSERT INTO downloaded_record (profile_id, school_year, resource, natural_key, edfi_id, doc, run_id, gone, updated_at)
     SELECT DISTINCT ON (r.key) ?, ?, ?, r.key, r."edfiId", r.doc, ?, false, now() FROM jsonb_to_recordset(?::jsonb) AS r(key text, "edfiId" text, doc jsonb)
     ON CONFLICT (profile_id, school_year, resource, natural_key) DO UPDATE SET edfi_id = excluded.edfi_id, doc = excluded.doc, run_id = excluded.run_id, gone = false, updated_at = now()`,
    [target.profileId, target.schoolYear, target.resource, target.runId, JSON.stringify(records)],
  );
}

/** Marks gone the records of these resources the run did not see; answers how many. */
export async function markDownloadsGone(conn: Conn, target: DownloadTarget & { readonly runId: string }, resources: readonly string[]): Promise<number> {
  if (resources.length === 0) return 0;
  const res = await conn.execute<{ affectedRows?: number }>(
    `UPDATE downloaded_record SET gone = true, updated_at = now() WHERE profile_id = ? AND school_year = ? AND resource IN (${resources.map(() => '?').join(', ')}) AND run_id <> ? AND NOT gone`,
    [target.profileId, target.schoolYear, ...resources, target.runId],
    'run',
  );
  return res.affectedRows ?? 0;
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
  const rows = await conn.execute<Array<{ category: string; status: string; downloaded: number; message: string | null; last_activity: Date }>>(
    'SELECT category, status, downloaded, message, last_activity FROM download_status WHERE profile_id = ? AND school_year = ? ORDER BY category',
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
  const rows = await conn.execute<Array<{ resource: string; n: string; gone: string }>>(
    `SELECT resource, count(*) FILTER (WHERE NOT gone) AS n, count(*) FILTER (WHERE gone) AS gone FROM downloaded_record
      WHERE profile_id = ? AND school_year = ? AND resource LIKE '%Descriptors' GROUP BY resource ORDER BY resource`,
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
): Promise<{ total: number; rows: Array<{ key: string; gone: boolean; doc: Record<string, unknown>; updatedAt: string }> }> {
  const where = ['profile_id = ?', 'school_year = ?', 'resource = ?'];
  const args: unknown[] = [target.profileId, target.schoolYear, q.resource];
  if (q.contains !== undefined) {
    where.push('doc::text ILIKE ?');
    args.push(like(q.contains));
  }
  for (const f of q.fields) {
    where.push('(doc #>> ?) ILIKE ?');
    args.push(`{${f.path.join(',')}}`, like(f.text));
  }
  const whereSql = where.join(' AND ');
  const [{ total }] = await conn.execute<[{ total: string }]>(`SELECT count(*) AS total FROM downloaded_record WHERE ${whereSql}`, args);
  const rows = await conn.execute<Array<{ natural_key: string; gone: boolean; doc: Record<string, unknown>; updated_at: Date }>>(
    `SELECT natural_key, gone, doc, updated_at FROM downloaded_record WHERE ${whereSql} ORDER BY natural_key LIMIT ? OFFSET ?`,
    [...args, q.pageSize, (q.page - 1) * q.pageSize],
  );
  return {
    total: Number(total),
    rows: rows.map((r) => ({ key: r.natural_key, gone: r.gone, doc: r.doc, updatedAt: new Date(r.updated_at).toISOString() })),
  };
}
