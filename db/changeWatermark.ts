/**
 * Where Now – Changes can start reading the SIS event queue, per profile, school year and resource.
 * A run writes its candidate (the newest event before it extracted, and the configuration it
 * extracted under) as pending; only a run that ends well makes it the watermark, so a run that
 * fails part-way is read again from the old one.
 */
import type pg from 'pg';
import { OWN_MARK_OPTIONS, ownMarkOf, type Watermark } from '../publishing/watermark.js';

export type { Watermark };

export async function readWatermark(db: pg.ClientBase | pg.Pool, profileId: string, schoolYear: number, resource: string): Promise<Watermark | undefined> {
  const { rows } = await db.query<{ event_id: string | null; fingerprint: string | null; window_since: string | null }>(
    `SELECT event_id, fingerprint, to_char(window_since, 'YYYY-MM-DD') AS window_since FROM change_watermark WHERE profile_id = $1 AND school_year = $2 AND resource = $3`,
    [profileId, schoolYear, resource],
  );
  const row = rows[0];
  return row?.event_id != null && row.fingerprint !== null
    ? { eventId: Number(row.event_id), fingerprint: row.fingerprint, windowSince: row.window_since }
    : undefined;
}

/** `oldestChangeAt`: the commit time of the oldest SIS change the run traced (none when it read whole). */
export async function setPendingWatermark(
  db: pg.ClientBase | pg.Pool,
  runId: string,
  profileId: string,
  schoolYear: number,
  resource: string,
  mark: Watermark,
  oldestChangeAt?: Date,
): Promise<void> {
  await db.query(
    `INSERT INTO change_watermark (profile_id, school_year, resource, pending_run_id, pending_event_id, pending_fingerprint, pending_oldest_change_at, pending_window_since, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::date, now())
     ON CONFLICT (profile_id, school_year, resource) DO UPDATE
       SET pending_run_id = excluded.pending_run_id, pending_event_id = excluded.pending_event_id, pending_fingerprint = excluded.pending_fingerprint,
           pending_oldest_change_at = excluded.pending_oldest_change_at, pending_window_since = excluded.pending_window_since, updated_at = now()`,
    [profileId, schoolYear, resource, runId, mark.eventId, mark.fingerprint, oldestChangeAt ?? null, mark.windowSince ?? null],
  );
}

/** A resource whose traced changes a run just settled, and how long ago the oldest was committed. */
export interface SettledChanges {
  readonly profileId: string;
  readonly resource: string;
  readonly oldestSeconds: number;
}

/**
 * The runs ended well: their candidates become the watermarks. Returns, per resource that traced
 * its changes, the seconds since the oldest of them was committed in the SIS.
 */
export async function promoteWatermarks(db: pg.ClientBase | pg.Pool, runIds: readonly string[]): Promise<SettledChanges[]> {
  if (runIds.length === 0) return [];
  // The CTE reads the candidates before the update clears them (RETURNING shows the new row).
  const { rows } = await db.query<{ profile_id: string; resource: string; oldest_seconds: number | null }>(
    `WITH promoted AS (
       SELECT profile_id, school_year, resource, pending_oldest_change_at FROM change_watermark WHERE pending_run_id = ANY($1) FOR UPDATE
     )
     UPDATE change_watermark w SET event_id = w.pending_event_id, fingerprint = w.pending_fingerprint, window_since = w.pending_window_since,
            pending_run_id = NULL, pending_event_id = NULL, pending_fingerprint = NULL, pending_oldest_change_at = NULL, pending_window_since = NULL, updated_at = now()
       FROM promoted p
      WHERE w.profile_id = p.profile_id AND w.school_year = p.school_year AND w.resource = p.resource
      RETURNING p.profile_id, p.resource, greatest(0, extract(epoch FROM clock_timestamp() - p.pending_oldest_change_at))::float8 AS oldest_seconds`,
    [[...runIds]],
  );
  return rows.flatMap((r) => (r.oldest_seconds === null ? [] : [{ profileId: r.profile_id, resource: r.resource, oldestSeconds: r.oldest_seconds }]));
}

/**
 * Resources whose tables had no event up to `eventId` (and whose inputs are unchanged): their
 * watermarks move there without a run, so the next look starts past the other tables' events.
 */
export async function advanceQuietWatermarks(
  db: pg.ClientBase | pg.Pool,
  profileId: string,
  schoolYear: number,
  resources: readonly string[],
  eventId: number,
): Promise<void> {
  await db.query(
    'UPDATE change_watermark SET event_id = $4, updated_at = now() WHERE profile_id = $1 AND school_year = $2 AND resource = ANY($3) AND event_id < $4',
    [profileId, schoolYear, [...resources], eventId],
  );
}

/**
 * The catalog changed in a way no SIS event tells (records forgotten by Remove – Unpublished or a
 * resync): the next Now – Changes (and nightly mode) of these resources extracts everything.
 */
export async function forgetWatermarks(db: pg.ClientBase | pg.Pool, profileId: string, schoolYear: number, resources: readonly string[]): Promise<void> {
  await db.query('DELETE FROM change_watermark WHERE profile_id = $1 AND school_year = $2 AND resource = ANY($3)', [
    profileId,
    schoolYear,
    resources.flatMap((r) => [r, ...OWN_MARK_OPTIONS.map((o) => ownMarkOf(r, o))]),
  ]);
}
