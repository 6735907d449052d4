/**
 * Now – Changes at a million catalog rows. No Organization resource of one generated district
 * reaches that (the `large` district's whole group is ~45 k records), so — as the issue allows,
 * "on several districts" — the `large` district's campuses are copied into the same replica N
 * times (new ids, new Ed-Fi school numbers, triggers off as for a load), the whole Organization
 * group is published Now – All into a fresh sandbox (about a million records), and then timed:
 *   1. Now – Changes over the group with nothing changed, category after category as a clerk runs
 *      them, and (1b) queued at once as the schedules run them (`BENCH_QUIET_ONLY=1`: only these);
 *   2. Now – Changes with 1 % of each large resource changed (`changeOnePercent`), after two Preview –
 *      Changes of the same change, cold and warm (which must cost no more than the planning of the
 *      Now – Changes it mirrors: the extractAndPlan activities of that run);
 *   2b. the same change again with the six categories queued at once, as the schedules and Data
 *      Changes queue them (step 2 queues each after the one before has finished, as a clerk would);
 *   3. the race with lightbeam (issue 23): lightbeam, its state directory primed by sending the initial
 *      publish's JSON (as JSONL, one file per resource) once, then sends the same JSONL after the
 *      1 % change — the catalog's JSON after step 2, so the same documents — into the same sandbox
 *      with 64 connections; it hashes every line and sends only what changed. Ours is step 2, from
 *      the SIS; lightbeam starts from ready-made JSONL.
 * with the worker's peak memory. Everything runs on 127.0.0.1 with its own Postgres, Temporal dev
 * server, sandbox and worker (each as `npm start` runs them).
 * `npx tsx bench/changes.ts [copies]` (default 22).
 */
import path from 'node:path';
import pg from 'pg';
import { installLightbeam, sendWithLightbeam } from '../sandbox/lightbeam/lightbeam.js';
import { changedLines, exportJsonl } from './lib/jsonl.js';
import { formatTimeline, timeByType } from './lib/timeline.js';
import { generateDistrict, loadDistrict, TABLES } from '../sis/index.js';
import {
  activityTimes,
  benchProfile,
  changeOnePercent,
  formatTimes,
  KEY,
  ORGANIZATION,
  peakRss,
  publishOrganization,
  publishOrganizationQueued,
  recentRuns,
  ROOT,
  SECRET,
  seconds,
  withBenchStack,
} from './lib/publishStack.js';

const copies = Number(process.argv[2] ?? 22);
if (!Number.isInteger(copies) || copies < 1) throw new Error('copies must be a positive integer');

/** The SIS tables the Organization group reads per campus (district-wide code rows stay shared). */
const CAMPUS_TABLES = [
  'school',
  'calendar',
  'schedulestructure',
  'gradelevel',
  'day',
  'term',
  'gradingperiod',
  'periodschedule',
  'period',
  'room',
  'course',
  'courseoffering',
  'section',
  'sectionplacement',
  'localcode',
];
const ID_STRIDE = 10_000_000;
/** lightbeam's connections in the race: as many as a tuned deployment would give it (its default is 8). */
const LIGHTBEAM_POOL = 64;

/** Copies every campus `copies - 1` more times: ids shifted by a stride, Ed-Fi school numbers of their own. */
async function copyCampuses(sisDb: pg.ClientBase): Promise<void> {
  const defs = CAMPUS_TABLES.map((name) => {
    const def = TABLES.find((t) => t.name === name);
    if (def === undefined) throw new Error(`no SIS table ${name}`);
    return def;
  });
  const shifted = new Set(defs.map((d) => d.key.toLowerCase()));
  await sisDb.query('BEGIN');
  // A bulk load, not changes: no capture events (as loadDistrict does).
  await sisDb.query('SET LOCAL session_replication_role = replica');
  for (let k = 1; k < copies; k++) {
    for (const def of defs) {
      const columns = def.columns.map((c) => c.name.toLowerCase());
      const values = columns.map((c) => {
        if (shifted.has(c)) return `${c} + ${k * ID_STRIDE}`;
        if (def.name === 'school' && c === 'edfischoolnumber') return `900000000 + ${k * 10_000} + schoolid`;
        if (def.name === 'school' && c === 'name') return `name || ' ${k + 1}'`;
        return c;
      });
      const where = def.name === 'localcode' ? 'WHERE schoolid IS NOT NULL AND schoolid < ' + ID_STRIDE : `WHERE ${def.key.toLowerCase()} < ${ID_STRIDE}`;
      await sisDb.query(`INSERT INTO ${def.name} (${columns.join(', ')}) OVERRIDING SYSTEM VALUE SELECT ${values.join(', ')} FROM ${def.name} ${where}`);
    }
  }
  for (const def of defs)
    await sisDb.query(`SELECT setval(pg_get_serial_sequence('${def.name}', '${def.key.toLowerCase()}'), (SELECT max(${def.key}) FROM ${def.name}))`);
  await sisDb.query('COMMIT');
  await sisDb.query(`ANALYZE ${CAMPUS_TABLES.join(', ')}`);
}

let schools = 0;
await withBenchStack(
  'changes',
  async (sisUrl) => {
    const tLoad = performance.now();
    await loadDistrict(sisUrl, generateDistrict({ size: 'large', seed: 1 }));
    const sisDb = new pg.Client({ connectionString: sisUrl });
    await sisDb.connect();
    try {
      await copyCampuses(sisDb);
      schools = (await sisDb.query<{ n: number }>('SELECT count(*)::int AS n FROM school')).rows[0].n;
    } finally {
      await sisDb.end();
    }
    console.log(`large district loaded and its campuses copied to ${schools} schools in ${seconds(tLoad).toFixed(1)} s`);
  },
  async ({ orm, call, sisDb, sandboxUrl, pids, temporal, dir }) => {
    const tSetup = performance.now();
    await benchProfile(call, sisDb, sandboxUrl);
    console.log(`profile set up (descriptors downloaded, ${schools} schools' reporting terms mapped) in ${seconds(tSetup).toFixed(1)} s`);
    const count = async (where: string, params: unknown[] = []): Promise<number> =>
      Number((await orm.em.getConnection().execute<[{ n: string }]>(`SELECT count(*) AS n FROM catalog WHERE profile_id = 'bench'${where}`, params))[0].n);
    const t0 = performance.now();
    const { peakMb: initialPeak } = await peakRss(pids.worker, () =>
      publishOrganization(call, 'all', (category, s) => console.log(`    ${category}: ${s.toFixed(1)} s`)),
    );
    const initial = seconds(t0);
    const catalogRows = await count('');
    const published = await count(" AND status = 'published'");
    console.log(
      `initial publish (Now – All): ${catalogRows.toLocaleString('en-US')} catalog rows, ${published.toLocaleString('en-US')} published, in ${initial.toFixed(1)} s = ${(published / initial).toFixed(0)} records/s; worker peak ${initialPeak.toFixed(0)} MB`,
    );

    // (3) lightbeam's state: the initial publish's JSON sent once, as a district running it would have.
    const appUrl = String(orm.config.get('clientUrl'));
    // BENCH_QUIET_ONLY=1: step (1) and (1b) only, without lightbeam.
    const quietOnly = process.env.BENCH_QUIET_ONLY === '1';
    const install = quietOnly ? { ok: false as const, reason: 'BENCH_QUIET_ONLY=1' } : await installLightbeam(ROOT);
    const lightbeam = install.ok
      ? (dataDir: string) =>
          sendWithLightbeam({
            install,
            baseUrl: sandboxUrl,
            key: KEY,
            secret: SECRET,
            dataDir,
            stateDir: path.join(dir, 'lb-state'),
            poolSize: LIGHTBEAM_POOL,
            skipUnchanged: true,
          })
      : undefined;
    if (!install.ok) console.log(`(3) lightbeam: skipped — ${install.reason}`);
    else if (lightbeam !== undefined) {
      const tx = performance.now();
      const lines = await exportJsonl(appUrl, 'bench', path.join(dir, 'jsonl-initial'));
      const exported = seconds(tx);
      const tl = performance.now();
      await lightbeam(path.join(dir, 'jsonl-initial'));
      console.log(
        `(3) lightbeam's state primed: ${lines.toLocaleString('en-US')} JSONL lines written in ${exported.toFixed(1)} s, sent by lightbeam (pool ${LIGHTBEAM_POOL}) in ${seconds(tl).toFixed(1)} s = ${(lines / seconds(tl)).toFixed(0)} records/s`,
      );
    }

    // BENCH_WORKER_INFO=1: the Now – Changes runs log at Info (on stderr; each extract's "planned" line says where its time went).
    if (process.env.BENCH_WORKER_INFO === '1') await call({ method: 'PUT', url: '/api/settings', payload: { loggingOptions: ['info'] } });
    const t1 = performance.now();
    const { peakMb: quietPeak } = await peakRss(pids.worker, () => publishOrganization(call, 'changes'));
    const quiet = seconds(t1);
    console.log(`(1) Now – Changes over the group, nothing changed: ${quiet.toFixed(1)} s; worker peak ${quietPeak.toFixed(0)} MB`);
    for (const line of formatTimeline(await recentRuns(temporal, call, ORGANIZATION.length))) console.log(`    ${line}`);
    // (1b) A quiet night as the schedules run it: the group queued at once, nothing changed.
    // Looked at every 250 ms (the queue answers each look in a workflow task of its own) and timed
    // from the request to the last category's end as the queue recorded it.
    const quietQueued = (await publishOrganizationQueued(call, 'changes', 'bench', 250)).reduce((sum, c) => sum + c.seconds, 0);
    console.log(`(1b) nothing changed, the six categories queued at once: ${quietQueued.toFixed(1)} s`);
    for (const line of formatTimeline(await recentRuns(temporal, call, ORGANIZATION.length))) console.log(`    ${line}`);
    if (quietOnly) {
      console.log(`RESULT changes catalog_rows=${catalogRows} changes_none_s=${quiet.toFixed(1)} changes_none_queued_s=${quietQueued.toFixed(1)}`);
      return;
    }

    await changeOnePercent(sisDb);
    // The first preview reads the changed rows cold; the second, like the Now – Changes after it, warm.
    const tc = performance.now();
    await publishOrganization(call, 'preview');
    const coldPreview = seconds(tc);
    const coldRuns = await activityTimes(temporal, call, ORGANIZATION.length);
    const tp = performance.now();
    await publishOrganization(call, 'preview');
    const preview = seconds(tp);
    const previewRuns = await activityTimes(temporal, call, ORGANIZATION.length);
    const planned = (runs: typeof previewRuns): number =>
      runs.reduce((sum, r) => sum + [...r.seconds].filter(([type]) => type.startsWith('extractAndPlan')).reduce((n, [, s]) => n + s, 0), 0);
    const [{ since }] = await orm.em.getConnection().execute<[{ since: Date }]>('SELECT now() AS since');
    const t2 = performance.now();
    const perCategory: string[] = [];
    const { peakMb: changedPeak } = await peakRss(pids.worker, () =>
      publishOrganization(call, 'changes', (category, s) => void perCategory.push(`${category} ${s.toFixed(1)} s`)),
    );
    const changed = seconds(t2);
    const sent = await count(' AND updated_at >= ?', [since]);
    console.log(
      `(2) Now – Changes over the group, 1 % of courses, sections, offerings, rooms and school days changed: ${changed.toFixed(1)} s (${perCategory.join('; ')}); ${sent.toLocaleString('en-US')} records written; worker peak ${changedPeak.toFixed(0)} MB`,
    );
    let raced: number | undefined;
    if (lightbeam !== undefined) {
      // The same documents after the change, as lightbeam's input: what ours sent in step 2.
      const lines = await exportJsonl(appUrl, 'bench', path.join(dir, 'jsonl-changed'));
      const tr = performance.now();
      const out = await lightbeam(path.join(dir, 'jsonl-changed'));
      raced = seconds(tr);
      console.log(
        `(3) race, 1 % changed: lightbeam send of ${lines.toLocaleString('en-US')} JSONL lines with its state ${raced.toFixed(1)} s against ours ${changed.toFixed(1)} s from the SIS: ours is ${(raced / changed).toFixed(1)}× faster (target 3×)`,
      );
      const differ = await changedLines(path.join(dir, 'jsonl-initial'), path.join(dir, 'jsonl-changed'));
      console.log(`    JSONL lines not in the initial files: ${[...differ].map(([r, n]) => `${r} ${n}`).join(', ') || 'none'}`);
      const summary = out.split('\n').filter((l) => /skipped|final status/i.test(l));
      if (summary.length > 0) console.log(`    lightbeam said: ${summary.join(' | ')}`);
    }
    const changeSpans = await recentRuns(temporal, call, ORGANIZATION.length);
    const changeRuns = changeSpans.map((run) => ({ category: run.category, seconds: timeByType(run) }));
    // (2b) The same kind of change again, the group queued at once as the weekend schedule queues it.
    await changeOnePercent(sisDb);
    const tq = performance.now();
    const queuedTimes = await publishOrganizationQueued(call, 'changes');
    const queued = seconds(tq);
    console.log(
      `(2b) the same change again, the six categories queued at once (as the schedules and Data Changes queue them): ${queued.toFixed(1)} s (${queuedTimes.map((c) => `${c.category} ${c.seconds.toFixed(1)} s`).join('; ')})`,
    );
    for (const run of changeRuns) console.log(`    ${run.category}: ${formatTimes(run.seconds)}`);
    console.log("    (2) step by step, seconds from each run's start:");
    for (const line of formatTimeline(changeSpans)) console.log(`    ${line}`);
    console.log(
      `(2a) Preview – Changes of the same change, run twice before it: ${coldPreview.toFixed(1)} s then ${preview.toFixed(1)} s in all; their extracts and plans ${planned(coldRuns).toFixed(1)} s (cold) and ${planned(previewRuns).toFixed(1)} s (warm) against the Now – Changes' ${planned(changeRuns).toFixed(1)} s (activity time from start to end)`,
    );
    console.log(
      `RESULT changes catalog_rows=${catalogRows} schools=${schools} initial_rps=${(published / initial).toFixed(0)} changes_none_s=${quiet.toFixed(1)} changes_none_queued_s=${quietQueued.toFixed(1)} changes_1pct_s=${changed.toFixed(1)} changes_1pct_queued_s=${queued.toFixed(1)} preview_1pct_s=${preview.toFixed(1)} preview_plan_s=${planned(previewRuns).toFixed(1)} changes_plan_s=${planned(changeRuns).toFixed(1)} worker_peak_mb=${Math.max(initialPeak, quietPeak, changedPeak).toFixed(0)}` +
        ` lightbeam_1pct_s=${raced?.toFixed(1) ?? 'skipped'} ours_vs_lightbeam=${raced !== undefined ? (raced / changed).toFixed(1) : 'skipped'}`,
    );
  },
);
