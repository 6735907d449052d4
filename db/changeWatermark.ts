/**
 * Where Now – Changes can start reading the SIS event queue, per profile, school year and resource.
 * A run writes its candidate (the newest event before it extracted, and the configuration it
 * extracted under) as pending; only a run that ends well makes it the watermark, so a run that
 * fails part-way is read again from the old one.
 */
import type pg from 'pg';
import type { Watermark } from '../publishing/watermark.js';

export type { Watermark };

export async function readWatermark(db: pg.ClientBase | pg.Pool, profileId: string, schoolYear: number, resource: string): Promise<Watermark | undefined> {
  const { rows } = await db.query<{ event_id: string | null; fingerprint: string | null }>(
    'SELECT event_id, fingerprint FROM change_watermark WHERE profile_id = $1 AND school_year = $2 AND resource = $3',
    [profileId, schoolYear, resource],
  );
  const row = rows[0];
  return row?.event_id != null && row.fingerprint !== null ? { eventId: Number(row.event_id), fingerprint: row.fingerprint } : undefined;
}

export async function setPendingWatermark(
  db: pg.ClientBase | pg.Pool,
  runId: string,
  profileId: string,
  schoolYear: number,
  resource: string,
  mark: Watermark,
): Promise<void> {
  await db.query(
    `INSERT INTO change_watermark (profile_id, school_year, resource, pending_run_id, pending_event_id, pending_fingerprint, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, now())
     ON CONFLICT (profile_id, school_year, resource) DO UPDATE
       SET pending_run_id = excluded.pending_run_id, pending_event_id = excluded.pending_event_id, pending_fingerprint = excluded.pending_fingerprint, updated_at = now()`,
    [profileId, schoolYear, resource, runId, mark.eventId, mark.fingerprint],
  );
}

/** The runs ended well: their candidates become the watermarks. */
export async function promoteWatermarks(db: pg.ClientBase | pg.Pool, runIds: readonly string[]): Promise<void> {
  if (runIds.length === 0) return;
  await db.query(
    `UPDATE change_watermark SET event_id = pending_event_id, fingerprint = pending_fingerprint,
            pending_run_id = NULL, pending_event_id = NULL, pending_fingerprint = NULL, updated_at = now()
      WHERE pending_run_id = ANY($1)`,
    [[...runIds]],
  );
}

/**
 * The catalog changed in a way no SIS event tells (records forgotten by Remove – Unpublished or a
 * resync): the next Now – Changes of these resources extracts everything.
 */
export async function forgetWatermarks(db: pg.ClientBase | pg.Pool, profileId: string, schoolYear: number, resources: readonly string[]): Promise<void> {
  await db.query('DELETE FROM change_watermark WHERE profile_id = $1 AND school_year = $2 AND resource = ANY($3)', [profileId, schoolYear, [...resources]]);
}
