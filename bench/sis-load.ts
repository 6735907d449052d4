/**
 * How fast a district is generated and loaded into the SIS replica (COPY, one transaction).
 * Target: `large` (60 schools, ~60,000 students, ~2.7 M rows) in under 3 minutes on the 2-core
 * machine. Runs its own embedded Postgres in a scratch dir. `npx tsx bench/sis-load.ts [size]`.
 */
import { scratchPostgres } from './lib/scratchPostgres.js';
import { generateDistrict, loadDistrict, mutateDay, DISTRICT_SIZES, type DistrictSize } from '../sis/index.js';

const size = (process.argv[2] ?? 'large') as DistrictSize;
if (!DISTRICT_SIZES.includes(size)) throw new Error(`size must be one of ${DISTRICT_SIZES.join(', ')}`);
const pgServer = await scratchPostgres('sis');
const url = pgServer.url;
const seconds = (t0: number): string => ((performance.now() - t0) / 1000).toFixed(1);
try {
  const t0 = performance.now();
  const district = generateDistrict({ size, seed: 1, dirty: ['all'] });
  const generated = seconds(t0);
  const rss = process.memoryUsage().rss / 1024 / 1024;
  const rows = Object.values(district.counts).reduce((a, b) => a + b, 0);
  console.log(`generated ${size}: ${rows.toLocaleString()} rows in ${generated} s (rss ${rss.toFixed(0)} MB)`);
  const t1 = performance.now();
  await loadDistrict(url, district);
  const loaded = seconds(t1);
  console.log(`loaded (COPY, one transaction, then ANALYZE) in ${loaded} s`);
  const t2 = performance.now();
  const day = await mutateDay(url, { day: 1 });
  const mutated = seconds(t2);
  console.log(`mutation day 1 in ${mutated} s: ${JSON.stringify(day)}`);
  console.log(
    `RESULT sis-load size=${size} rows=${rows} generate_s=${generated} load_s=${loaded} total_s=${seconds(t0)} mutate_day_s=${mutated} events=${day.events} rss_mb=${rss.toFixed(0)}`,
  );
} finally {
  await pgServer.stop();
}
