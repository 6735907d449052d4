/**
 * Near-real-time Data Changes, SIS commit → ODS record: the `large` district's Organization group,
 * Student Identification and Enrollment & Demographics published into a sandbox answering each POST
 * after an ODS's latency (30–70 ms, 64 connections), Data Changes turned on (its spike threshold
 * raised out of the way: 50 changes a second is far past the default 5,000 an hour), then
 * (1) a steady 50 student changes a second for 60 s — each a different student's middle name, one
 * statement each — and the latency of each from its commit to its Student ID's outcome in the
 * catalog (written when the ODS answered): p50 / p95 / p99; (2) a burst of 5,000 students changed
 * in one transaction, drained: from its commit to the last outcome, against the plain generator
 * POSTing the same 5,000 documents into a second such sandbox with the same connections. The burst's
 * requests in flight and connection limit are sampled from the worker's metrics (`BENCH_ADAPTIVE=off`:
 * adaptive connections off, the 64 fixed; `BENCH_BURST_ONLY=1`: no steady part; `BENCH_BURSTS=n`: n bursts).
 * `npm run bench -- dataChangesLatency`. Everything on 127.0.0.1.
 */
import { generateDistrict, loadDistrict } from '../sis/index.js';
import { benchProfile, publishOrganization, loadedOdsSandbox, ODS_LATENCY_TEXT, recentRuns, withBenchStack, YEAR } from './lib/publishStack.js';
import { formatTimeline } from './lib/timeline.js';
import { docsByResource, sameJson } from './lib/generator.js';
import { publishAndWait } from '../test/publishing.js';
import { readDataChanges } from '../temporal/client/dataChanges.js';
import { formatInFlight, serveWorkerMetrics, watchInFlight } from './lib/inFlight.js';

const CONNECTIONS = 64;
const STEADY_PER_SECOND = 50;
const STEADY_SECONDS = 60;
const BURST = 5_000;
const ADAPTIVE = process.env.BENCH_ADAPTIVE !== 'off';
const BURST_ONLY = process.env.BENCH_BURST_ONLY === '1';
const BURSTS = Number(process.env.BENCH_BURSTS ?? 1);
// The worker serves its metrics here: the burst's requests in flight and limit are read from them.
const metricsUrl = await serveWorkerMetrics();

const quantile = (sorted: readonly number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

await withBenchStack(
  'dataChangesLatency',
  async (sisUrl) => {
    await loadDistrict(sisUrl, generateDistrict({ size: 'large', seed: 1 }));
  },
  async (b) => {
    const ours = await loadedOdsSandbox();
    const generator = await loadedOdsSandbox();
    b.adopt(ours.child);
    b.adopt(generator.child);
    await benchProfile(b.call, b.sisDb, ours.url);
    await b.call({ method: 'PUT', url: '/api/settings', payload: { simultaneousConnections: CONNECTIONS, adaptiveConnections: ADAPTIVE } });
    await b.call({ method: 'PUT', url: '/api/profiles/bench/settings', payload: { DataChangesSpikeThreshold: 10_000_000 } });
    await publishOrganization(b.call, 'all');
    for (const category of ['student-identification', 'enrollment-demographics']) {
      const run = await publishAndWait(b.call, 'bench', { category, option: 'all', schoolYear: YEAR }, 3_600_000, 100);
      if (run.outcome !== 'completed') throw new Error(`${category}: ${run.detail ?? run.outcome}`);
    }
    const on = await b.call({ method: 'PATCH', url: '/api/profiles/bench', payload: { publishDataChanges: true } });
    if (on.statusCode !== 200) throw new Error(on.body);
    for (let i = 0; i < 300 && (await readDataChanges(b.temporal, 'bench'))?.state !== 'listening'; i++) await sleep(100);

    const db = b.orm.em.getConnection();
    const published = (
      await db.execute<Array<{ id: string }>>(
        "SELECT source_key AS id FROM catalog WHERE profile_id = 'bench' AND resource = 'students' AND status = 'published' ORDER BY source_key",
      )
    ).map((r) => r.id);
    const steadyIds = published.slice(0, STEADY_PER_SECOND * STEADY_SECONDS);
    /** Each student's outcome time (ms) once written after `since`. */
    const outcomes = async (ids: readonly string[], since: Date): Promise<Map<string, number>> => {
      const rows = await db.execute<Array<{ id: string; at: Date }>>(
        "SELECT source_key AS id, updated_at AS at FROM catalog WHERE profile_id = 'bench' AND resource = 'students' AND source_key IN (?) AND updated_at > ? AND status = 'published'",
        [ids, since],
      );
      return new Map(rows.map((r) => [r.id, new Date(r.at).getTime()]));
    };
    const settled = async (ids: readonly string[], since: Date, withinMs: number): Promise<Map<string, number>> => {
      const deadline = Date.now() + withinMs;
      for (;;) {
        const got = await outcomes(ids, since);
        if (got.size >= ids.length || Date.now() > deadline) return got;
        await sleep(250);
      }
    };

    // (1) Steady: one change every 20 ms, each timed at its commit (BENCH_BURST_ONLY=1: skipped).
    if (!BURST_ONLY) {
      const steadyStart = new Date();
      const committed = new Map<string, number>();
      const t0 = Date.now();
      for (const [i, id] of steadyIds.entries()) {
        const due = t0 + (i * 1000) / STEADY_PER_SECOND;
        if (due > Date.now()) await sleep(due - Date.now());
        await b.sisDb.query('UPDATE student SET middleName = $1 WHERE personID = $2', [`Steady ${i}`, Number(id)]);
        committed.set(id, Date.now());
      }
      const offered = steadyIds.length / ((Date.now() - t0) / 1000);
      const steady = await settled(steadyIds, steadyStart, 300_000);
      const latencies = steadyIds
        .filter((id) => steady.has(id))
        .map((id) => (steady.get(id)! - committed.get(id)!) / 1000)
        .sort((a, b) => a - b);
      console.log(
        `RESULT Data Changes latency, SIS commit → ODS record (Student ID), steady ${offered.toFixed(1)} changes/s for ${STEADY_SECONDS} s against an ODS answering in ${ODS_LATENCY_TEXT}: ${latencies.length} of ${steadyIds.length} arrived; p50 ${quantile(latencies, 0.5).toFixed(2)} s, p95 ${quantile(latencies, 0.95).toFixed(2)} s, p99 ${quantile(latencies, 0.99).toFixed(2)} s, max ${(latencies.at(-1) ?? NaN).toFixed(2)} s`,
      );
    }

    // (2) A burst of 5,000 in one transaction, drained (BENCH_BURSTS=n: n bursts, each of other students).
    // BENCH_WORKER_INFO=1: its runs log at Info (on stderr; each extract's "planned" line says where its time went).
    if (process.env.BENCH_WORKER_INFO === '1') await b.call({ method: 'PUT', url: '/api/settings', payload: { loggingOptions: ['info'] } });
    for (let n = 0; n < BURSTS; n++) {
      const burstIds = published.slice(steadyIds.length + n * BURST, steadyIds.length + (n + 1) * BURST);
      await sleep(5_000);
      const burstStart = new Date();
      await b.sisDb.query("UPDATE student SET middleName = 'Burst ' || personID WHERE personID = ANY($1)", [burstIds.map(Number)]);
      const burstCommitted = Date.now();
      const { result: burst, report } = await watchInFlight(metricsUrl, 'bench', () => settled(burstIds, burstStart, 600_000));
      const drained = (Math.max(...burst.values()) - burstCommitted) / 1000;
      const docs = docsByResource(
        await db.execute<Array<{ resource: string; sent_json: unknown }>>(
          "SELECT resource, sent_json FROM catalog WHERE profile_id = 'bench' AND resource = 'students' AND source_key IN (?) ORDER BY source_key",
          [burstIds],
        ),
      );
      const generatorRate = await sameJson(generator.url, docs, { connections: CONNECTIONS });
      const oursRate = burst.size / drained;
      console.log(
        `RESULT Data Changes burst of ${BURST.toLocaleString('en-US')} student changes in one transaction: ${burst.size.toLocaleString('en-US')} in the ODS ${drained.toFixed(1)} s after the commit = ${oursRate.toFixed(0)} records/s; the plain generator the same JSON at ${generatorRate.toFixed(0)} records/s (${CONNECTIONS} connections each); ours is ${(oursRate / generatorRate).toFixed(3)} of it; adaptive connections ${ADAPTIVE ? 'on' : 'off'}; ours ${formatInFlight(report, CONNECTIONS)}`,
      );
      // Where the burst's drain went: the category runs it set off, step by step in seconds from the
      // commit (the run's opening says what the gathering, counting and queuing took).
      for (const line of formatTimeline(await recentRuns(b.temporal, b.call, 2), burstCommitted))
        console.log(`RESULT Data Changes burst, from its commit: ${line}`);
    }
    await b.call({ method: 'PATCH', url: '/api/profiles/bench', payload: { publishDataChanges: false } });
  },
);
