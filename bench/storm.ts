/**
 * A dependency storm: the `large` district's Organization Calendars and Schedules published before
 * the Organization Catalog (the guide's order broken, as a clerk may), so every calendar, date,
 * offering and section waits for its school. Measured:
 *   1. a clerk's publish of other categories (Course Catalog, Organization Info, Now – All),
 *      nine times before the storm, and again and again for 150 s after it while the sweeper's
 *      first passes come due — the ratio of medians;
 *   2. how many workflows the waiting records cost (one sweeper per profile, not one per record);
 *   3. the wake: after the Organization Catalog publishes, how long until the first waiting
 *      record publishes, and until none waits;
 *   4. the control: the clerk's publish again with the same catalog, now all published and
 *      nothing waiting — so the ratio prices the waiting, not the catalog's growth.
 * `npx tsx bench/storm.ts`. Everything on 127.0.0.1, each part as `npm start` runs it.
 */
import { generateDistrict, loadDistrict } from '../sis/index.js';
import { benchProfile, seconds, withBenchStack, YEAR } from './lib/publishStack.js';
import { publishAndWait } from '../test/publishing.js';
import type { BenchStack } from './lib/publishStack.js';

const CLERK = ['course-catalog', 'organization-info'];
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function clerkPublish(b: BenchStack): Promise<number> {
  const t = performance.now();
  for (const category of CLERK) await publishAndWait(b.call, 'bench', { category, option: 'all', schoolYear: YEAR }, 3_600_000, 25);
  return seconds(t);
}

async function waiting(b: BenchStack): Promise<number> {
  const rows = await b.orm.em
    .getConnection()
    .execute<Array<{ n: string }>>("SELECT count(*) AS n FROM catalog WHERE profile_id = 'bench' AND status = 'dependency'");
  return Number(rows[0]?.n ?? 0);
}

async function published(b: BenchStack, resources: readonly string[]): Promise<number> {
  const rows = await b.orm.em
    .getConnection()
    .execute<Array<{ n: string }>>(
      `SELECT count(*) AS n FROM catalog WHERE profile_id = 'bench' AND status = 'published' AND resource IN (${resources.map(() => '?').join(', ')})`,
      [...resources],
    );
  return Number(rows[0]?.n ?? 0);
}

await withBenchStack(
  'storm',
  async (sisUrl) => {
    await loadDistrict(sisUrl, generateDistrict({ size: 'large', seed: 1 }));
  },
  async (b) => {
    await benchProfile(b.call, b.sisDb, b.sandboxUrl);
    // Warm-up, then the clerk's publish with nothing waiting.
    await clerkPublish(b);
    const before: number[] = [];
    for (let i = 0; i < 9; i++) before.push(await clerkPublish(b));
    const tStorm = performance.now();
    for (const category of ['organization-calendars', 'organization-schedules'])
      await publishAndWait(b.call, 'bench', { category, option: 'all', schoolYear: YEAR }, 3_600_000, 25);
    const stormSeconds = seconds(tStorm);
    const inDependency = await waiting(b);
    console.log(
      `RESULT storm: ${inDependency.toLocaleString('en-US')} records in dependency after publishing Calendars and Schedules before the Catalog (${stormSeconds.toFixed(1)} s)`,
    );
    // Over 150 s the sweeper's first passes come due (1 minute for computed dependencies): publish
    // again and again through them, so the clerk's runs meet the sweeping, not just the waiting rows.
    const during: number[] = [];
    const until = performance.now() + 150_000;
    while (performance.now() < until) during.push(await clerkPublish(b));
    const sweeps = await b.temporal.workflow.getHandle('dependency-retries/bench').fetchHistory();
    const activities = sweeps.events?.filter((e) => e.activityTaskCompletedEventAttributes != null).length ?? 0;
    const workflows = await b.temporal.workflow.count('WorkflowId STARTS_WITH "dependency"');
    console.log(
      `RESULT clerk's publish (${CLERK.join(' + ')}, Now – All): median ${median(before).toFixed(2)} s of ${before.length} runs with nothing waiting, ${median(during).toFixed(2)} s of ${during.length} runs (slowest ${Math.max(...during).toFixed(2)} s) over the 150 s after ${inDependency.toLocaleString('en-US')} went into dependency, while the sweeper ran ${activities} batches — ${(median(during) / median(before)).toFixed(3)}×`,
    );
    console.log(`RESULT workflows for the waiting records: ${workflows.count} (dependency sweepers and per-record retries)`);
    // The wake: the catalog publishes, its schools wake what waits for them.
    const dependents = ['calendars', 'calendarDates', 'gradingPeriods', 'sessions', 'courseOfferings', 'sections', 'bellSchedules', 'classPeriods'];
    const base = await published(b, dependents);
    const tCatalog = performance.now();
    await publishAndWait(b.call, 'bench', { category: 'organization-catalog', option: 'all', schoolYear: YEAR }, 3_600_000, 25);
    const catalogDone = seconds(tCatalog);
    let first: number | undefined;
    let left = inDependency;
    const deadline = performance.now() + 30 * 60_000;
    while (performance.now() < deadline) {
      if (first === undefined && (await published(b, dependents)) > base) first = seconds(tCatalog);
      left = await waiting(b);
      if (left === 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const settled = seconds(tCatalog);
    console.log(
      `RESULT wake: the catalog published in ${catalogDone.toFixed(1)} s; first waiting record published ${first === undefined ? 'never' : `${first.toFixed(1)} s`} after the catalog run began; ${left === 0 ? `none waiting after ${settled.toFixed(1)} s` : `${left.toLocaleString('en-US')} still waiting after ${settled.toFixed(0)} s`}`,
    );
    // The control: the same catalog (the same rows, now published), nothing waiting, the sweeper idle.
    const after: number[] = [];
    for (let i = 0; i < 9; i++) after.push(await clerkPublish(b));
    console.log(
      `RESULT clerk's publish with the same catalog and nothing waiting: median ${median(after).toFixed(2)} s of ${after.length} runs — the waiting records' cost: ${(median(during) / median(after)).toFixed(3)}× (before the storm, with a smaller catalog: ${(median(before) / median(after)).toFixed(3)}×)`,
    );
  },
);
