import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { testStack } from '../test/stack.js';
import { resilientPool } from './pool.js';

describe('database pools', () => {
  it('keep the process alive when an idle connection is killed, and reconnect on the next query', async () => {
    const lines: string[] = [];
    const pool = resilientPool({ connectionString: testStack().databaseUrl, max: 2, label: 'test pool' }, (line) => lines.push(line));
    const pid = (await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    const admin = new pg.Client({ connectionString: testStack().databaseUrl });
    await admin.connect();
    // What a Postgres restart or failover does to every idle connection (an unhandled 'error' would end this process).
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    await admin.end();
    await expect.poll(() => lines.length, { timeout: 5_000 }).toBe(1);
    expect(lines[0]).toContain('test pool: an idle database connection failed');
    expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows[0].one).toBe(1);
    await pool.end();
  });
});
