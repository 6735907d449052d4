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
  return result.rows.map((r) => ({
    id: Number(r.eventid),
    table: r.tablename,
    objectKey: r.objectkey,
    action: r.action,
    changedColumns: r.changedcolumns,
    at: r.createdat,
  }));
}

/** The id of the newest event (0 when the queue is empty): where a new consumer starts. */
export async function latestEventId(client: pg.ClientBase): Promise<number> {
  const result = await client.query<{ id: string | null }>('SELECT max(eventID) AS id FROM event_queue');
  return Number(result.rows[0]?.id ?? 0);
}
