/**
 * Reading the event queue. Consumers keep the id of the last event they handled and ask for what
 * follows; nothing is deleted to read, so any number of consumers can follow the same queue.
 */
import type pg from 'pg';

export type EventAction = 'insert' | 'update' | 'delete';

export interface SisEvent {
  /** Monotonic, in commit order (see the capture trigger in schema.ts). */
  readonly id: number;
  readonly table: string;
  /** The row's key (the table's id column) as text. */
  readonly objectKey: string;
  readonly action: EventAction;
  /** Column names (lower case) whose value changed; only for updates. */
  readonly changedColumns: readonly string[] | null;
  readonly at: Date;
}

interface EventRow {
  eventid: string;
  tablename: string;
  objectkey: string;
  action: EventAction;
  changedcolumns: string[] | null;
  createdat: Date;
}

/** Up to `limit` events after `afterId`, oldest first; one index range scan on the primary key. */
export async function readEvents(client: pg.ClientBase, afterId: number, limit: number): Promise<SisEvent[]> {
  if (!Number.isSafeInteger(afterId) || afterId < 0) throw new Error(`readEvents: afterId must be a non-negative integer, got ${afterId}`);
  if (!Number.isSafeInteger(limit) || limit < 1) throw new Error(`readEvents: limit must be a positive integer, got ${limit}`);
  const result = await client.query<EventRow>(
    `SELECT eventID, tableName, objectKey, action, changedColumns, createdAt
       FROM event_queue WHERE eventID > $1 ORDER BY eventID LIMIT $2`,
    [afterId, limit],
  );
  return result.rows.map(eventOf);
}

function eventOf(r: EventRow): SisEvent {
  return { id: Number(r.eventid), table: r.tablename, objectKey: r.objectkey, action: r.action, changedColumns: r.changedcolumns, at: r.createdat };
}

/** The id of the newest event (0 when the queue is empty): where a new consumer starts. */
export async function latestEventId(client: pg.ClientBase): Promise<number> {
  const result = await client.query<{ id: string | null }>('SELECT max(eventID) AS id FROM event_queue');
  return Number(result.rows[0]?.id ?? 0);
}

/**
 * Events of some tables after `afterId` up to and including `upTo`, oldest first, at most `limit`:
 * what one resource's Now – Changes reads between its watermark and the newest event.
 */
export async function readEventsOf(client: pg.ClientBase, tables: readonly string[], afterId: number, upTo: number, limit: number): Promise<SisEvent[]> {
  const result = await client.query<EventRow>(
    `SELECT eventID, tableName, objectKey, action, changedColumns, createdAt
       FROM event_queue WHERE eventID > $1 AND eventID <= $2 AND tableName = ANY($3) ORDER BY eventID LIMIT $4`,
    [afterId, upTo, [...tables], limit],
  );
  return result.rows.map(eventOf);
}

/** Whether any event of these tables lies after `afterId` up to `upTo`: one index probe, stopping at the first. */
export async function hasEventsOf(client: pg.ClientBase, tables: readonly string[], afterId: number, upTo: number): Promise<boolean> {
  const result = await client.query('SELECT 1 FROM event_queue WHERE eventID > $1 AND eventID <= $2 AND tableName = ANY($3) LIMIT 1', [
    afterId,
    upTo,
    [...tables],
  ]);
  return (result.rowCount ?? 0) > 0;
}

/** Whether the queue still holds this event (a reload or a purge empties it; ids keep counting). */
export async function eventExists(client: pg.ClientBase, id: number): Promise<boolean> {
  const result = await client.query('SELECT 1 FROM event_queue WHERE eventID = $1', [id]);
  return (result.rowCount ?? 0) > 0;
}

/**
 * Which load of the replica this is: our replica's generator bookkeeping (a reload replaces every
 * row without events); null on a replica without it.
 */
export async function replicaLoad(client: pg.ClientBase): Promise<string | null> {
  const has = await client.query<{ found: boolean }>("SELECT to_regclass('sis_generation') IS NOT NULL AS found");
  if (has.rows[0]?.found !== true) return null;
  const result = await client.query<{ id: string | null }>('SELECT max(generationID)::text AS id FROM sis_generation');
  return result.rows[0]?.id ?? null;
}

/** Events after `afterId` up to `upTo`, counted by table, action and the columns an update changed (what Data Changes queues categories by). */
export async function countEventsByChange(
  db: pg.Pool | pg.ClientBase,
  afterId: number,
  upTo: number,
): Promise<Array<{ table: string; action: EventAction; changedColumns: string[] | null; n: number }>> {
  const { rows } = await db.query<{ table: string; action: EventAction; changed: string[] | null; n: string }>(
    'SELECT tableName AS table, action, changedColumns AS changed, count(*) AS n FROM event_queue WHERE eventID > $1 AND eventID <= $2 GROUP BY 1, 2, 3',
    [afterId, upTo],
  );
  return rows.map((r) => ({ table: r.table, action: r.action, changedColumns: r.changed, n: Number(r.n) }));
}

/** When the oldest event after `afterId` was committed (undefined: none is newer). */
export async function oldestEventAfter(client: pg.ClientBase | pg.Pool, afterId: number): Promise<Date | undefined> {
  const result = await client.query<{ at: Date }>('SELECT createdAt AS at FROM event_queue WHERE eventID > $1 ORDER BY eventID LIMIT 1', [afterId]);
  return result.rows[0]?.at;
}
