/**
 * The Attendance category against the plain generator, both into sandboxes answering each POST
 * after an ODS's latency (30–70 ms) with the same 64 connections: the initial publish (Now – All) of
 * every daily and period attendance exception of the district, after the Organization group and the
 * students it needs (not timed), then the same JSON POSTed by the generator in the same order into a
 * second such sandbox holding the same records. Then two SIS mutation days, each followed by the
 * nightly run's Now – Last 14 Days, reported as its time beyond the sends it makes (those at the
 * generator's rate).
 * The worker's peak memory over both. `BENCH_SIZE=large|xl npm run bench -- attendancePublish`
 * (default xl). Everything on 127.0.0.1.
 *
 * What comes before the timed part (the Organization group and the students, into both sandboxes)
 * is sent with no latency: on `xl` it would take ~10 min of waiting on the sandbox. The ODS latency
 * is switched on, and the profile's connections set to 64 (a fresh connection limit: adaptive
 * connections learn nothing from the unhurried setup), before the timed part starts.
 * `BENCH_NIGHTLY_ONLY=1` sends the initial publish with no latency and untimed (the nightly run
 * needs only what it left in the catalog), the worker logging its plans' steps.
 * `BENCH_GENERATOR_SAMPLE=n` times the generator on each resource's first n records only and takes
 * its rate from them: it POSTs given JSON at a rate set by the latency and the connections, the
 * same from the first thousand records to the last (measured: 1,235–1,276 records/s on every run),
 * and on `xl` its whole run would take as long as ours (~80 min).
 */
import { generateDistrict, loadDistrict, mutateDay } from '../sis/index.js';
import { CATEGORIES } from '../publishing/categories.js';
import {
  benchProfile,
  benchSize,
  odsLatency,
  peakRss,
  publishOrganization,
  sandboxChild,
  ODS_LATENCY_TEXT,
  seconds,
  withBenchStack,
  YEAR,
} from './lib/publishStack.js';
import { docsByResource, sameJson } from './lib/generator.js';
import { publishAndWait } from '../test/publishing.js';
import { formatInFlight, serveWorkerMetrics, watchInFlight } from './lib/inFlight.js';

const metricsUrl = await serveWorkerMetrics();
const SIZE = benchSize('xl');
const SAMPLE = process.env.BENCH_GENERATOR_SAMPLE !== undefined ? Number(process.env.BENCH_GENERATOR_SAMPLE) : undefined;
if (SAMPLE !== undefined && !(Number.isInteger(SAMPLE) && SAMPLE > 0))
  throw new Error(`BENCH_GENERATOR_SAMPLE must be a whole number of records, not ${process.env.BENCH_GENERATOR_SAMPLE}`);
const NIGHTLY_ONLY = process.env.BENCH_NIGHTLY_ONLY === '1';
const CONNECTIONS = 64;
const STUDENTS = ['student-identification', 'enrollment-demographics'];
const ATTENDANCE = CATEGORIES.find((c) => c.id === 'attendance')!.entities.map((e) => e.resource);
let sisUrl = '';

await withBenchStack(
  'attendancePublish',
  async (url) => {
    sisUrl = url;
    await loadDistrict(url, generateDistrict({ size: SIZE, seed: 1 }));
  },
  async (b) => {
    const ours = await sandboxChild();
    const generator = await sandboxChild();
    const run = async (option: string): Promise<number> => {
      const t0 = performance.now();
      const done = await publishAndWait(b.call, 'bench', { category: 'attendance', option, schoolYear: YEAR }, 7_200_000, 25);
      if (done.outcome !== 'completed') throw new Error(`attendance ${option}: ${done.detail ?? done.outcome}`);
      return seconds(t0);
    };
    try {
      await benchProfile(b.call, b.sisDb, ours.url);
      await publishOrganization(b.call, 'all');
      for (const category of STUDENTS) {
        const done = await publishAndWait(b.call, 'bench', { category, option: 'all', schoolYear: YEAR }, 3_600_000, 25);
        if (done.outcome !== 'completed') throw new Error(`${category}: ${done.detail ?? done.outcome}`);
      }
      const db = b.orm.em.getConnection();
      const placeholders = ATTENDANCE.map(() => '?').join(', ');
      const before = docsByResource(
        await db.execute<Array<{ resource: string; sent_json: unknown }>>(
          `SELECT resource, sent_json FROM catalog WHERE profile_id = 'bench' AND status = 'published' AND resource NOT IN (${placeholders}) ORDER BY resource, source_key`,
          ATTENDANCE,
        ),
      );
      await sameJson(generator.url, before, { connections: CONNECTIONS });
      before.clear();

      await b.call({ method: 'PUT', url: '/api/settings', payload: { simultaneousConnections: CONNECTIONS } });
      await odsLatency(ours.url, !NIGHTLY_ONLY);
      await odsLatency(generator.url, true);
      console.log(NIGHTLY_ONLY ? 'setup done; the initial publish untimed, with no latency' : `setup done; timing ours`);
      const { result: oursSeconds, peakMb: initialMb } = await peakRss(b.pids.worker, async () => {
        const { result, report } = await watchInFlight(metricsUrl, 'bench', () => run('all'));
        console.log(`ours: ${formatInFlight(report, CONNECTIONS)}`);
        return result;
      });
      console.log(`ours: Attendance Now – All in ${oursSeconds.toFixed(1)} s, worker peak ${initialMb.toFixed(0)} MB`);
      let sent = 0;
      let generatorSeconds = 0;
      for (const resource of ATTENDANCE) {
        const count = Number(
          (
            await db.execute<[{ n: string }]>("SELECT count(*) AS n FROM catalog WHERE profile_id = 'bench' AND status = 'published' AND resource = ?", [
              resource,
            ])
          )[0].n,
        );
        if (count === 0) continue;
        sent += count;
        const docs = docsByResource(
          await db.execute<Array<{ resource: string; sent_json: unknown }>>(
            `SELECT resource, sent_json FROM catalog WHERE profile_id = 'bench' AND status = 'published' AND resource = ? ORDER BY source_key${SAMPLE !== undefined ? ' LIMIT ?' : ''}`,
            SAMPLE !== undefined ? [resource, SAMPLE] : [resource],
          ),
        );
        const timed = docs.get(resource)?.length ?? 0;
        const rate = await sameJson(generator.url, docs, { connections: CONNECTIONS });
        console.log(`generator: ${resource} ${timed.toLocaleString('en-US')} of ${count.toLocaleString('en-US')} records at ${rate.toFixed(0)} records/s`);
        generatorSeconds += count / rate;
      }
      const oursRate = sent / oursSeconds;
      const generatorRate = sent / generatorSeconds;
      if (NIGHTLY_ONLY) {
        console.log(`the generator: ${generatorRate.toFixed(0)} records/s`);
        await odsLatency(ours.url, true);
        await b.call({ method: 'PUT', url: '/api/settings', payload: { loggingOptions: ['info'] } });
      } else
        console.log(
          `RESULT Attendance initial publish (${SIZE}) with an ODS's latency (${ODS_LATENCY_TEXT}, ${CONNECTIONS} connections each): ours ${sent.toLocaleString('en-US')} records in ${oursSeconds.toFixed(1)} s = ${oursRate.toFixed(0)} records/s; the plain generator the same JSON${SAMPLE !== undefined ? ` (timed on each resource's first ${SAMPLE.toLocaleString('en-US')})` : ''} in ${generatorSeconds.toFixed(1)} s = ${generatorRate.toFixed(0)} records/s; ours is ${(oursRate / generatorRate).toFixed(3)} of it; worker peak ${initialMb.toFixed(0)} MB`,
        );

      // Day 1 brings the district's planned structural changes (a school renumbered, a second
      // schedule structure): they feed every record, so its nightly reads the window whole. Day 2 is
      // an ordinary day: its nightly traces the day's changes from the SIS event queue.
      for (const dayNo of [1, 2]) {
        const day = await mutateDay(sisUrl, { day: dayNo });
        const attemptsBefore = Number(
          (await db.execute<[{ n: string }]>("SELECT coalesce(sum(attempts), 0) AS n FROM catalog WHERE profile_id = 'bench'"))[0].n,
        );
        const { result: nightlySeconds, peakMb: nightlyMb } = await peakRss(b.pids.worker, () => run('recent'));
        const attempts =
          Number((await db.execute<[{ n: string }]>("SELECT coalesce(sum(attempts), 0) AS n FROM catalog WHERE profile_id = 'bench'"))[0].n) - attemptsBefore;
        const sends = attempts / generatorRate;
        const planned = day.plannedChanges.length > 0 ? `, planned: ${day.plannedChanges.join(', ')}` : '';
        console.log(
          `RESULT Attendance nightly Now – Last 14 Days after mutation day ${dayNo} (${day.attendanceEvents.toLocaleString('en-US')} new exceptions, ${day.absencesExcused} absences excused${planned}): ${nightlySeconds.toFixed(1)} s for ${attempts.toLocaleString('en-US')} requests — ${sends.toFixed(1)} s of sends at the generator's rate, ${(nightlySeconds - sends).toFixed(1)} s beyond them; worker peak ${nightlyMb.toFixed(0)} MB`,
        );
      }
    } finally {
      ours.child.kill();
      generator.child.kill();
    }
  },
);
