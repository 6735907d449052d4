/**
 * Dashboard and record-list queries at district scale: N catalog rows spread over the Appendix A
 * resources (1 % dependency, 0.5 % error), timed as the API runs them, p50/p95 over repeated calls.
 * Runs its own embedded Postgres in a scratch dir. `npx tsx bench/dashboard.ts [N]`.
 */
import pg from 'pg';
import { scratchPostgres } from './lib/scratchPostgres.js';
import { migrateAppDatabase } from '../db/orm.js';
import { copyRows } from '../db/copy.js';
import { CATEGORIES } from '../publishing/categories.js';

const n = Number(process.argv[2] ?? 3_000_000);
const server = await scratchPostgres('dash');
const resources = CATEGORIES.flatMap((c) => c.entities.map((e) => e.resource));
try {
  const url = server.url;
  await migrateAppDatabase(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // Student sections dominate a real district's catalog: give it half the rows.
  const resourceOf = (i: number): string => (i % 2 === 0 ? 'studentSectionAssociations' : (resources[i % resources.length] ?? 'students'));
  function* rows(): Generator<Array<string | number | null>> {
    const t0 = Date.parse('2025-08-01T00:00:00Z');
    for (let i = 0; i < n; i++) {
      const status = i % 200 === 0 ? 'error' : i % 100 === 1 ? 'dependency' : 'published';
      yield [
        'bench',
        2025,
        resourceOf(i),
        `k${i}`,
        String(i % 60),
        JSON.stringify({ key: i }),
        '0'.repeat(32),
        status,
        status === 'published' ? `id${i}` : null,
        new Date(t0 + i * 1000).toISOString(),
      ];
    }
  }
  let t = performance.now();
  await copyRows(
    client,
    'catalog',
    ['profile_id', 'school_year', 'resource', 'source_key', 'school_id', 'natural_key', 'payload_hash', 'status', 'edfi_id', 'updated_at'],
    rows(),
  );
  await client.query('ANALYZE catalog');
  console.log(`catalog loaded: ${n.toLocaleString()} rows in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  async function timeQuery(label: string, sql: string, args: unknown[], runs = 15): Promise<void> {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      t = performance.now();
      await client.query(sql, args);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const p = (q: number): string => (times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0).toFixed(1);
    console.log(`RESULT dashboard ${label} n=${n} p50_ms=${p(0.5)} p95_ms=${p(0.95)}`);
  }
  const counts = 'SELECT resource, status, sum(n) AS n, max(last) AS last FROM catalog_counts WHERE profile_id = $1 AND school_year = $2';
  await timeQuery('counts(district)', `${counts} GROUP BY resource, status HAVING sum(n) > 0`, ['bench', 2025]);
  await timeQuery('counts(one school)', `${counts} AND school_id = $3 GROUP BY resource, status HAVING sum(n) > 0`, ['bench', 2025, '7']);
  // What the triggers cost a publish batch: 500 status changes in one statement.
  await timeQuery(
    'update 500 rows (with count triggers)',
    "UPDATE catalog SET status = 'published', updated_at = now() WHERE profile_id = $1 AND school_year = $2 AND resource = 'studentSectionAssociations' AND source_key = ANY($3)",
    ['bench', 2025, Array.from({ length: 500 }, (_, i) => `k${i * 2}`)],
    5,
  );
  await timeQuery(
    'list(errors, newest first)',
    "SELECT * FROM catalog WHERE profile_id = $1 AND school_year = $2 AND resource = $3 AND status IN ('error') ORDER BY updated_at DESC, source_key DESC LIMIT 50",
    ['bench', 2025, 'studentSectionAssociations'],
  );
  await timeQuery(
    'list(all, page 100 by last activity)',
    'SELECT * FROM catalog WHERE profile_id = $1 AND school_year = $2 AND resource = $3 ORDER BY updated_at DESC, source_key DESC LIMIT 50 OFFSET 4950',
    ['bench', 2025, 'studentSectionAssociations'],
  );
  await timeQuery(
    'list total (from counts)',
    "SELECT coalesce(sum(n), 0) FROM catalog_counts WHERE profile_id = $1 AND school_year = $2 AND resource = $3 AND status <> 'deleted'",
    ['bench', 2025, 'studentSectionAssociations'],
  );
  await client.end();
} finally {
  await server.stop();
}
