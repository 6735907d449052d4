/**
 * Activities that hold an app-database connection for their whole length (extractAndPlan,
 * finishRun) and run other statements on the pool beside it: with many districts publishing at
 * once, as many holders as the pool has connections, each waiting for one more, waited for ever.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createScratchDatabase } from '../../test/stack.js';
import type { ActivityDeps } from '../deps.js';
import { createEngine, heldConnectionsOf } from './engine.js';

let pool: pg.Pool;

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: await createScratchDatabase('held'), max: 3 });
});

afterAll(async () => {
  await pool?.end();
});

describe('connections held by activities', () => {
  it("leave two of the pool's connections for the statements their holders run beside them", () => {
    expect(heldConnectionsOf(pool)).toBe(1);
    expect(heldConnectionsOf(new pg.Pool({ max: 6 }))).toBe(4);
  });

  it('let eight holders on a pool of three each run a statement beside its held connection, and all finish', async () => {
    const e = createEngine({ db: pool } as unknown as ActivityDeps);
    let held = 0;
    let mostHeld = 0;
    const holder = (i: number) =>
      e.withHeldConnection(async (client) => {
        mostHeld = Math.max(mostHeld, ++held);
        await client.query('SELECT 1');
        // What extractAndPlan does between its own statements: a read on the pool (the profile's code mappings).
        await e.db.query('SELECT pg_sleep(0.02)');
        held--;
        return (await client.query<{ n: number }>('SELECT $1::int AS n', [i])).rows[0].n;
      });
    const finished = await Promise.race([
      Promise.all(Array.from({ length: 8 }, (_, i) => holder(i))),
      new Promise<'stuck'>((resolve) => setTimeout(() => resolve('stuck'), 10_000)),
    ]);
    expect(finished).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(mostHeld).toBe(1);
  });
});
