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
