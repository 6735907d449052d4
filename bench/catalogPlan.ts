/**
 * How fast "Now – Changes" plans at district scale: N records already in the catalog, a fresh
 * extract of N records with 1% changed, 0.5% new and 0.5% gone, planned in one SQL statement.
 * Runs its own embedded Postgres in a scratch dir. `npx tsx bench/catalogPlan.ts [N]`.
 */
import pg from 'pg';
import { scratchPostgres } from './lib/scratchPostgres.js';
import { migrateAppDatabase } from '../db/orm.js';
import { copyRows } from '../db/copy.js';
import { planResource, stageExtract, type ExtractedRecord } from '../db/catalogPlan.js';

const n = Number(process.argv[2] ?? 1_000_000);
const pgServer = await scratchPostgres('plan');
const url = pgServer.url;
const seconds = (t0: number): string => ((performance.now() - t0) / 1000).toFixed(2);
try {
  await migrateAppDatabase(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const hash = (i: number, v = 0): string => `${i.toString(16).padStart(24, '0')}${v.toString(16).padStart(8, '0')}`;
  let t0 = performance.now();
  function* catalogRows(): Generator<Array<string | number | null>> {
    for (let i = 0; i < n; i++) yield ['bench', 2025, 'studentSectionAssociations', `k${i}`, String(i % 60), `nk${i}`, hash(i), 'published', `id${i}`];
  }
  await copyRows(
    client,
    'catalog',
    ['profile_id', 'school_year', 'resource', 'source_key', 'school_id', 'natural_key', 'payload_hash', 'status', 'edfi_id'],
    catalogRows(),
  );
  await client.query('ANALYZE catalog');
  console.log(`catalog loaded: ${n.toLocaleString()} rows in ${seconds(t0)} s`);

  function* extract(): Generator<ExtractedRecord> {
    const gone = Math.floor(n * 0.005);
    for (let i = gone; i < n; i++) yield { sourceKey: `k${i}`, schoolId: String(i % 60), naturalKey: `nk${i}`, payloadHash: hash(i, i % 100 === 0 ? 1 : 0) };
    for (let i = n; i < n + Math.floor(n * 0.005); i++) yield { sourceKey: `k${i}`, schoolId: String(i % 60), naturalKey: `nk${i}`, payloadHash: hash(i) };
  }
  t0 = performance.now();
  await stageExtract(client, 'bench-run', extract());
  await client.query('ANALYZE extract_stage');
  const staged = seconds(t0);
  t0 = performance.now();
  const counts = await planResource(
    client,
    { runId: 'bench-run', profileId: 'bench', schoolYear: 2025, resource: 'studentSectionAssociations' },
    'changes',
    500,
  );
  const planned = seconds(t0);
  console.log(`extract staged (COPY): ${staged} s; plan: ${planned} s → ${JSON.stringify(counts)}`);
  const mem = process.memoryUsage().rss / 1024 / 1024;
  console.log(`RESULT catalog-plan n=${n} stage_s=${staged} plan_s=${planned} rss_mb=${mem.toFixed(0)}`);
  await client.end();
} finally {
  await pgServer.stop();
}
