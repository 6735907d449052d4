/**
 * Applies the SIS replica schema: the entity tables of model.ts, the event queue with its capture
 * triggers, and two bookkeeping tables of the generator. Safe to run any number of times.
 */
import pg from 'pg';
import { TABLES, tableDdl } from './model.js';

/** The channel the capture triggers NOTIFY on; the payload is the table name. */
export const EVENT_CHANNEL = 'sis_events';

/** Advisory-lock key that serialises schema application and writers on the event queue. */
const SCHEMA_LOCK = 7_310_001;
export const EVENT_QUEUE_LOCK = 7_310_002;

const EVENT_QUEUE_DDL = `
CREATE TABLE IF NOT EXISTS event_queue (
  eventID bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tableName text NOT NULL,
  objectKey text NOT NULL,
  action text NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
  changedColumns text[],
  createdAt timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- Writers take one transaction-scoped advisory lock before their first event, so event ids are
-- handed out in commit order: a consumer that remembers the last id it read never skips a
-- transaction that committed later with a smaller id. (A replica has one applying writer anyway.)
CREATE OR REPLACE FUNCTION sis_capture() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  key_column text := TG_ARGV[0];
  new_row jsonb;
  old_row jsonb;
  changed text[];
BEGIN
  PERFORM pg_advisory_xact_lock(${EVENT_QUEUE_LOCK});
  IF TG_OP = 'INSERT' THEN
    new_row := to_jsonb(NEW);
    INSERT INTO event_queue (tableName, objectKey, action, changedColumns)
      VALUES (TG_TABLE_NAME, new_row ->> key_column, 'insert', NULL);
  ELSIF TG_OP = 'UPDATE' THEN
    new_row := to_jsonb(NEW);
    old_row := to_jsonb(OLD);
    SELECT array_agg(n.key ORDER BY n.key) INTO changed
      FROM jsonb_each(new_row) n JOIN jsonb_each(old_row) o USING (key)
     WHERE n.value IS DISTINCT FROM o.value;
    -- An UPDATE that changes nothing is no change to publish.
    IF changed IS NULL THEN RETURN NULL; END IF;
    INSERT INTO event_queue (tableName, objectKey, action, changedColumns)
      VALUES (TG_TABLE_NAME, old_row ->> key_column, 'update', changed);
    IF new_row ->> key_column IS DISTINCT FROM old_row ->> key_column THEN
      INSERT INTO event_queue (tableName, objectKey, action, changedColumns)
        VALUES (TG_TABLE_NAME, new_row ->> key_column, 'insert', NULL);
    END IF;
  ELSE
    old_row := to_jsonb(OLD);
    INSERT INTO event_queue (tableName, objectKey, action, changedColumns)
      VALUES (TG_TABLE_NAME, old_row ->> key_column, 'delete', NULL);
  END IF;
  PERFORM pg_notify('${EVENT_CHANNEL}', TG_TABLE_NAME);
  RETURN NULL;
END $$;
`;

const BOOKKEEPING_DDL = `
CREATE TABLE IF NOT EXISTS sis_generation (
  generationID integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  size text NOT NULL,
  seed bigint NOT NULL,
  dirty text[] NOT NULL,
  asOfDate date NOT NULL,
  counts jsonb NOT NULL,
  dirtyCounts jsonb NOT NULL,
  plannedChanges jsonb NOT NULL,
  plannedAppliedOnDay integer,
  loadedAt timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS sis_mutation (
  day integer PRIMARY KEY,
  seed bigint NOT NULL,
  date date NOT NULL,
  summary jsonb NOT NULL,
  appliedAt timestamptz NOT NULL DEFAULT now()
);
`;

function triggerDdl(table: string, key: string): string {
  return `CREATE OR REPLACE TRIGGER ${table}_capture AFTER INSERT OR UPDATE OR DELETE ON ${table}
  FOR EACH ROW EXECUTE FUNCTION sis_capture('${key.toLowerCase()}');`;
}

/** The whole schema as one SQL script (also what `sis/README.md` describes). */
export function sisSchemaSql(): string {
  return [...TABLES.map(tableDdl), EVENT_QUEUE_DDL, ...TABLES.map((t) => triggerDdl(t.name, t.key)), BOOKKEEPING_DDL].join('\n\n');
}

/** Creates (or completes) the replica schema in the database at `url`. Idempotent. */
export async function applySisSchema(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await applySisSchemaWith(client);
  } finally {
    await client.end();
  }
}

/** Same as applySisSchema on a connected client, in its own transaction. */
export async function applySisSchemaWith(client: pg.ClientBase): Promise<void> {
  await client.query('BEGIN');
  try {
    // Two processes applying at once would race on CREATE ... IF NOT EXISTS.
    await client.query(`SELECT pg_advisory_xact_lock(${SCHEMA_LOCK})`);
    await client.query('SET LOCAL client_min_messages = warning');
    await client.query(sisSchemaSql());
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}
