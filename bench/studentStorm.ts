/**
 * The Students group's dependency storm, as an initial sync meets it: on the `large` district
 * (62,000 students; `xl`: 200,000) every Student ID is created (a create needs no relationship), then changed in
 * the SIS before any enrollment is sent, so the ODS refuses every update for want of the
 * relationship an enrollment establishes (403) and all wait on their student at once.
 * Measured:
 *   1. a clerk's publish of other categories (Course Catalog + Organization Info, Now – All), nine
 *      times with nothing waiting and nine with the storm waiting — the ratio of medians;
 *   2. what the waiting costs Temporal: workflows, and the sweeper's history (events, activities);
 *   3. the wake: Enrollment & Demographics published; each batch of enrollments wakes the Student
 *      IDs of its students, which publish beside that run (the queue's dependency lane), not after
 *      it nor at their 10-minute timer — per Student ID, the seconds from its student's enrollment
 *      publishing to its own publish, and until none waits;
 *   4. the control: the clerk's publish again with the catalog as large and nothing waiting, so the
 *      ratio prices the waiting, not the catalog's growth.
 * `BENCH_SIZE=large|xl npm run bench -- studentStorm` (`large` when unset; `xl`: 200,000 students).
 * Everything on 127.0.0.1, each part as `npm start` runs it.
 */
import { generateDistrict, loadDistrict } from '../sis/index.js';
import { activityTimes, benchProfile, benchSize, formatTimes, seconds, withBenchStack, YEAR } from './lib/publishStack.js';
import { publishAndWait } from '../test/publishing.js';
import type { BenchStack } from './lib/publishStack.js';

const SIZE = benchSize('large');
const CLERK = ['course-catalog', 'organization-info'];
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** A series' every run, so its spread shows beside its median. */
const series = (xs: number[]): string => xs.map((x) => x.toFixed(2)).join(', ');

async function publish(b: BenchStack, category: string, option: 'all' | 'changes'): Promise<number> {
  const t = performance.now();
  const run = await publishAndWait(b.call, 'bench', { category, option, schoolYear: YEAR }, 3_600_000, 25);
  if (run.outcome !== 'completed') throw new Error(`${category} ${option}: ${run.detail ?? run.outcome}`);
  return seconds(t);
}

async function clerkPublish(b: BenchStack): Promise<number> {
  const t = performance.now();
  for (const category of CLERK) await publish(b, category, 'all');
  return seconds(t);
}

/** Where a series' clerk publishes spent their time: each activity type's seconds, per publish (both categories' runs). */
async function clerkSteps(b: BenchStack, publishes: number): Promise<string> {
  const sum = new Map<string, number>();
  for (const run of await activityTimes(b.temporal, b.call, publishes * CLERK.length))
    for (const [type, sec] of run.seconds) sum.set(type, (sum.get(type) ?? 0) + sec / publishes);
  return formatTimes(new Map([...sum].map(([type, sec]) => [type, Math.round(sec * 100) / 100])));
}

async function count(b: BenchStack, where: string): Promise<number> {
  const rows = await b.orm.em.getConnection().execute<Array<{ n: string }>>(`SELECT count(*) AS n FROM catalog WHERE profile_id = 'bench' AND ${where}`);
  return Number(rows[0]?.n ?? 0);
}

await withBenchStack(
  'studentStorm',
  async (sisUrl) => {
    await loadDistrict(sisUrl, generateDistrict({ size: SIZE, seed: 1 }));
  },
  async (b) => {
    await benchProfile(b.call, b.sisDb, b.sandboxUrl);
    for (const category of ['organization-catalog', 'course-catalog', 'organization-info', 'organization-calendars']) await publish(b, category, 'all');
    const ids = await publish(b, 'student-identification', 'all');
    console.log(
      `RESULT Student Identification (Now – All): ${(await count(b, "resource = 'students' AND status = 'published'")).toLocaleString('en-US')} Student IDs in ${ids.toFixed(1)} s`,
    );
    // Warm-up, then the clerk's publish with nothing waiting.
    await clerkPublish(b);
    // Each series starts from a settled database: the storm's own updates and its run's cleared
    // staging rows (dead rows, stale statistics, the autovacuum they call — on `xl` the first four
    // publishes after a catalog-only VACUUM ran 4.1–5.2 s, the rest 2.8–3.4 s — and the checkpoint
    // that writes their pages out) would otherwise be priced as the waiting's cost.
    const settle = async (): Promise<void> => {
      await b.orm.em.getConnection().execute('VACUUM (ANALYZE)');
      await b.orm.em.getConnection().execute('CHECKPOINT');
    };
    await settle();
    const before: number[] = [];
    for (let i = 0; i < 9; i++) before.push(await clerkPublish(b));
    const beforeSteps = await clerkSteps(b, before.length);
    // The storm, as an initial sync meets it: every Student ID changed in the SIS before any enrollment
    // is sent, so every update is refused (403) for want of the relationship and waits on its student.
    await b.sisDb.query("UPDATE student SET lastName = lastName || 'e'");
    const stormSeconds = await publish(b, 'student-identification', 'changes');
    const waiting = await count(b, "status = 'dependency'");
    const onPeople = await count(b, "status = 'dependency' AND depends_on LIKE 'relationship|student|%'");
    console.log(
      `RESULT storm: ${waiting.toLocaleString('en-US')} records in dependency (${onPeople.toLocaleString('en-US')} waiting on their student's relationship) after Student Identification (Now – Changes) with no enrollment sent (${stormSeconds.toFixed(1)} s)`,
    );
    await settle();
    const during: number[] = [];
    for (let i = 0; i < 9; i++) during.push(await clerkPublish(b));
    console.log(`RESULT clerk's steps per publish: nothing waiting ${beforeSteps}; waiting ${await clerkSteps(b, during.length)}`);
    const workflows = await b.temporal.workflow.count('WorkflowId STARTS_WITH "dependency"');
    console.log(
      `RESULT clerk's publish (${CLERK.join(' + ')}, Now – All): median ${median(before).toFixed(2)} s of ${before.length} runs with nothing waiting, ${median(during).toFixed(2)} s of ${during.length} runs with ${waiting.toLocaleString('en-US')} waiting — ${(median(during) / median(before)).toFixed(3)}×; workflows for the waiting records: ${workflows.count} (nothing waiting: ${series(before)}; waiting: ${series(during)})`,
    );
    // The wake: Enrollment & Demographics publishes; each batch of enrollments wakes the Student IDs of its students.
    const base = await count(b, "resource = 'students' AND status = 'published'");
    const tWake = performance.now();
    const wakeFrom = new Date();
    // Watched while the enrollments' run goes: the wake runs beside it, not after it.
    let enrollments: number | undefined;
    const enrollmentsRun = publish(b, 'enrollment-demographics', 'all').then((s) => (enrollments = s));
    let first: number | undefined;
    let left = waiting;
    const deadline = performance.now() + 20 * 60_000;
    while (performance.now() < deadline) {
      if (first === undefined && (await count(b, "resource = 'students' AND status = 'published'")) > base) first = seconds(tWake);
      left = await count(b, "status = 'dependency'");
      if (left === 0 && enrollments !== undefined) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    await enrollmentsRun;
    const settled = seconds(tWake);
    const sweeper = await b.temporal.workflow
      .getHandle('dependency-retries/bench')
      .fetchHistory()
      .catch(() => undefined);
    const events = sweeper?.events?.length ?? 0;
    const activities = sweeper?.events?.filter((e) => e.activityTaskCompletedEventAttributes != null).length ?? 0;
    // Per woken Student ID: from its student's first enrollment publishing to its own publish.
    // Joined here, not in SQL: on an expression of the JSON the planner may pick a nested loop (minutes).
    const conn = b.orm.em.getConnection();
    const enrolledAt = new Map<string, number>();
    for (const r of await conn.execute<Array<{ sid: string; at: Date }>>(
      `SELECT sent_json->'studentReference'->>'studentUniqueId' AS sid, first_published_at AS at FROM catalog
        WHERE profile_id = 'bench' AND resource = 'studentSchoolAssociations' AND first_published_at >= ?`,
      [wakeFrom],
    ))
      enrolledAt.set(r.sid, Math.min(enrolledAt.get(r.sid) ?? Infinity, new Date(r.at).getTime()));
    const lags: number[] = [];
    for (const r of await conn.execute<Array<{ sid: string; at: Date }>>(
      `SELECT sent_json->>'studentUniqueId' AS sid, last_published_at AS at FROM catalog WHERE profile_id = 'bench' AND resource = 'students' AND last_published_at >= ?`,
      [wakeFrom],
    )) {
      const from = enrolledAt.get(r.sid);
      if (from !== undefined) lags.push((new Date(r.at).getTime() - from) / 1000);
    }
    lags.sort((x, y) => x - y);
    const at = (q: number): number => lags[Math.min(lags.length - 1, Math.floor(q * lags.length))] ?? NaN;
    const lag = [{ p50: at(0.5), p95: at(0.95), max: lags[lags.length - 1] ?? NaN, n: String(lags.length) }];
    const l = lag[0];
    console.log(
      `RESULT wake per record: ${Number(l?.n ?? 0).toLocaleString('en-US')} Student IDs, each from its student's enrollment publishing to its own: p50 ${Number(l?.p50).toFixed(1)} s, p95 ${Number(l?.p95).toFixed(1)} s, max ${Number(l?.max).toFixed(1)} s`,
    );
    console.log(
      `RESULT wake: the enrollments' run took ${(enrollments ?? 0).toFixed(1)} s; first waiting record published ${first === undefined ? 'never' : `${first.toFixed(1)} s`} after it began; ${left === 0 ? `none waiting after ${settled.toFixed(1)} s` : `${left.toLocaleString('en-US')} still waiting after ${settled.toFixed(0)} s`}; the sweeper's last history: ${events} events, ${activities} activities (${waiting > 0 ? (events / waiting).toFixed(4) : '–'} events per waiting record)`,
    );
    // The wake's runs (the queue's dependency lane): when each ran beside the enrollments, what it read, where its time went.
    const queue = (await b.call('/api/profiles/bench/publish-queue')).json<{ recent: Array<{ workflowId: string; category: string; option?: string }> }>();
    const sinceWake = queue.recent.filter((r) => r.option === 'dependencies' && r.category === 'student-identification');
    // `Trigger` in backticks: TRIGGER is a reserved word of the visibility query.
    let wakeRuns = 0;
    for await (const w of b.temporal.workflow.list({ query: '`Trigger` = "dependencies"' })) if (w.startTime >= wakeFrom) wakeRuns++;
    console.log(`RESULT wake runs: ${wakeRuns} in all; the last ${sinceWake.length} below (the queue lists its latest ${queue.recent.length})`);
    const times = await activityTimes(b.temporal, b.call, queue.recent.length);
    for (const [i, r] of sinceWake.entries()) {
      const d = await b.temporal.workflow.getHandle(r.workflowId).describe();
      const result = (await b.temporal.workflow.getHandle(r.workflowId).result()) as {
        published: number;
        dependency: number;
        extractions: Array<{ staged: number }>;
      };
      const spent = times[queue.recent.indexOf(r)]?.seconds ?? new Map<string, number>();
      const startS = (d.startTime.getTime() - wakeFrom.getTime()) / 1000;
      const closeS = ((d.closeTime?.getTime() ?? Date.now()) - wakeFrom.getTime()) / 1000;
      console.log(
        `RESULT wake run ${i + 1}: ${startS.toFixed(1)}–${closeS.toFixed(1)} s after the enrollments' run began; read ${result.extractions.reduce((n, x) => n + x.staged, 0).toLocaleString('en-US')}, published ${result.published.toLocaleString('en-US')}, still waiting ${result.dependency.toLocaleString('en-US')}; ${formatTimes(spent)}`,
      );
    }
    // The control: the catalog as large (and larger: the enrollments are in it now), nothing waiting.
    await settle();
    const after: number[] = [];
    for (let i = 0; i < 9; i++) after.push(await clerkPublish(b));
    console.log(
      `RESULT clerk's publish with the catalog grown and nothing waiting: median ${median(after).toFixed(2)} s of ${after.length} runs — the waiting records' cost: ${(median(during) / median(after)).toFixed(3)}× (the catalog's growth alone: ${(median(after) / median(before)).toFixed(3)}×; ${series(after)})`,
    );
  },
);
