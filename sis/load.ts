/**
 * Loads a generated district with COPY, all in one transaction: a failure leaves the database as
 * it was, never half a district. Capture triggers are switched off inside that transaction so the
 * initial load is not millions of change events (the first publish reads the tables anyway).
 */
import pg from 'pg';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { TABLES } from './model.js';
import { applySisSchemaWith } from './schema.js';
import { generateDistrict, type District, type GenerateOptions } from './generate.js';
import { hrReplicaOf } from './hrReplica.js';

/** Serialises loads and mutation days against each other. */
export const SIS_WRITE_LOCK = 7_310_003;

export class SisNotEmptyError extends Error {
  constructor(readonly tablesWithRows: readonly string[]) {
    super(
      `the SIS database already holds data (tables ${tablesWithRows.slice(0, 5).join(', ')}${tablesWithRows.length > 5 ? ', …' : ''}); pass --replace (replace: true) to discard it and load the new district`,
    );
    this.name = 'SisNotEmptyError';
  }
}

export interface LoadOptions {
  /** Discard whatever the replica holds (and its event queue) and load this district instead. */
  readonly replace?: boolean;
}

export interface LoadResult {
  readonly rows: number;
  readonly milliseconds: number;
}

/** Names of replica tables that hold at least one row. */
export async function tablesWithRows(client: pg.ClientBase): Promise<string[]> {
  const sql = TABLES.map((t) => `SELECT '${t.name}' AS name WHERE EXISTS (SELECT 1 FROM ${t.name})`).join(' UNION ALL ');
  const result = await client.query<{ name: string }>(sql);
  return result.rows.map((r) => r.name);
}

export async function loadDistrict(url: string, district: District, options: LoadOptions = {}): Promise<LoadResult> {
  const started = Date.now();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await applySisSchemaWith(client);
    await client.query('BEGIN');
    try {
      await client.query(`SELECT pg_advisory_xact_lock(${SIS_WRITE_LOCK})`);
      const filled = await tablesWithRows(client);
      if (filled.length > 0 && options.replace !== true) throw new SisNotEmptyError(filled);
      if (filled.length > 0 || options.replace === true) {
        // The event queue keeps counting up, so a consumer's last id never points into the new district.
        await client.query(`TRUNCATE ${TABLES.map((t) => t.name).join(', ')}, event_queue, sis_generation, sis_mutation`);
      }
      for (const t of TABLES) await client.query(`ALTER TABLE ${t.name} DISABLE TRIGGER ${t.name}_capture`);
      let rows = 0;
      for (const table of district.tables) {
        if (table.rowCount === 0) continue;
        const def = TABLES.find((t) => t.name === table.name)!;
        const stream = client.query(copyFrom(`COPY ${def.name} (${def.columns.map((c) => c.name).join(', ')}) FROM STDIN`));
        await pipeline(Readable.from(table.chunks), stream);
        rows += table.rowCount;
      }
      for (const t of TABLES) {
        await client.query(`ALTER TABLE ${t.name} ENABLE TRIGGER ${t.name}_capture`);
        // Later inserts (mutation days, the SIS itself) take ids after the generated ones.
        await client.query(
          `SELECT setval(pg_get_serial_sequence('${t.name}', '${t.key.toLowerCase()}'), COALESCE((SELECT max(${t.key}) FROM ${t.name}), 0) + 1, false)`,
        );
      }
      await client.query(`INSERT INTO sis_generation (size, seed, dirty, asOfDate, counts, dirtyCounts, plannedChanges) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
        district.size,
        district.seed,
        district.dirty,
        district.asOfDate,
        JSON.stringify(district.counts),
        JSON.stringify(district.dirtyCounts),
        JSON.stringify(district.plannedChanges),
      ]);
      await client.query('COMMIT');
      // Fresh statistics so the mappers' first extracts get sensible plans.
      await client.query('ANALYZE');
      return { rows, milliseconds: Date.now() - started };
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  } finally {
    await client.end();
  }
}

export interface EnsureResult {
  /** True when this call generated and loaded the district; false when the replica already held data. */
  readonly loaded: boolean;
  readonly rows: number;
}

/**
 * Seeds the replica only when it is empty (what `npm start` wants on every start): applies the
 * schema, and generates + loads the district if no replica table has rows. Never replaces data.
 * `hr` loads the district's HR system replica instead (sis/hrReplica.ts).
 */
export async function ensureDistrict(url: string, options: GenerateOptions, replica: 'sis' | 'hr' = 'sis'): Promise<EnsureResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let filled: string[];
  try {
    await applySisSchemaWith(client);
    filled = await tablesWithRows(client);
  } finally {
    await client.end();
  }
  if (filled.length > 0) return { loaded: false, rows: 0 };
  try {
    const district = generateDistrict(options);
    const result = await loadDistrict(url, replica === 'hr' ? hrReplicaOf(district) : district);
    return { loaded: true, rows: result.rows };
  } catch (error) {
    // Another starter seeded it between our check and our load: that is the outcome we wanted.
    if (error instanceof SisNotEmptyError) return { loaded: false, rows: 0 };
    throw error;
  }
}
