/**
 * The Attendance category against the plain generator, both into sandboxes answering each POST
 * after an ODS's latency (30–70 ms) with the same 64 connections: the initial publish (Now – All) of
 * every daily and period attendance exception of the district, after the Organization group and the
 * students it needs (not timed), then the same JSON POSTed by the generator in the same order into a
 * second such sandbox holding the same records. Then one SIS mutation day and the nightly run's Now
 * – Last 14 Days, reported as its time beyond the sends it makes (those at the generator's rate).
 * The worker's peak memory over both. `BENCH_SIZE=large|xl npm run bench -- attendancePublish`
 * (default xl). Everything on 127.0.0.1.
 */
import { generateDistrict, loadDistrict, mutateDay } from '../sis/index.js';
import { CATEGORIES } from '../publishing/categories.js';
import {
  benchProfile,
  benchSize,
  peakRss,
  publishOrganization,
  loadedOdsSandbox,
  ODS_LATENCY_TEXT,
  seconds,
  withBenchStack,
  YEAR,
} from './lib/publishStack.js';
import { docsByResource, sameJson } from './lib/generator.js';
import { publishAndWait } from '../test/publishing.js';

const SIZE = benchSize('xl');
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
    const ours = await loadedOdsSandbox();
    const generator = await loadedOdsSandbox();
    const run = async (option: string): Promise<number> => {
      const t0 = performance.now();
      const done = await publishAndWait(b.call, 'bench', { category: 'attendance', option, schoolYear: YEAR }, 7_200_000, 25);
      if (done.outcome !== 'completed') throw new Error(`attendance ${option}: ${done.detail ?? done.outcome}`);
      return seconds(t0);
    };
    try {
      await benchProfile(b.call, b.sisDb, ours.url);
      await b.call({ method: 'PUT', url: '/api/settings', payload: { simultaneousConnections: CONNECTIONS } });
      await publishOrganization(b.call, 'all');
      for (const category of STUDENTS) {
        const done = await publishAndWait(b.call, 'bench', { category, option: 'all', schoolYear: YEAR }, 3_600_000, 25);
        if (done.outcome !== 'completed') throw new Error(`${category}: ${done.detail ?? done.outcome}`);
      }
      const db = b.orm.em.getConnection();
      const { result: oursSeconds, peakMb: initialMb } = await peakRss(b.pids.worker, () => run('all'));
      console.log(`ours: Attendance Now – All in ${oursSeconds.toFixed(1)} s, worker peak ${initialMb.toFixed(0)} MB`);
      const published = await db.execute<Array<{ resource: string; sent_json: unknown }>>(
        "SELECT resource, sent_json FROM catalog WHERE profile_id = 'bench' AND status = 'published' ORDER BY resource, source_key",
      );
      const byResource = docsByResource(published);
      const before = new Map([...byResource].filter(([r]) => !ATTENDANCE.includes(r)));
      await sameJson(generator.url, before, { connections: CONNECTIONS });
      let sent = 0;
      let generatorSeconds = 0;
      for (const resource of ATTENDANCE) {
        const docs = byResource.get(resource) ?? [];
        if (docs.length === 0) continue;
        sent += docs.length;
        generatorSeconds += docs.length / (await sameJson(generator.url, new Map([[resource, docs]]), { connections: CONNECTIONS }));
      }
      const oursRate = sent / oursSeconds;
      const generatorRate = sent / generatorSeconds;
      console.log(
        `RESULT Attendance initial publish (${SIZE}) with an ODS's latency (${ODS_LATENCY_TEXT}, ${CONNECTIONS} connections each): ours ${sent.toLocaleString('en-US')} records in ${oursSeconds.toFixed(1)} s = ${oursRate.toFixed(0)} records/s; the plain generator the same JSON in ${generatorSeconds.toFixed(1)} s = ${generatorRate.toFixed(0)} records/s; ours is ${(oursRate / generatorRate).toFixed(3)} of it; worker peak ${initialMb.toFixed(0)} MB`,
      );

      const day = await mutateDay(sisUrl, { day: 1 });
      const attemptsBefore = Number((await db.execute<[{ n: string }]>("SELECT coalesce(sum(attempts), 0) AS n FROM catalog WHERE profile_id = 'bench'"))[0].n);
      const { result: nightlySeconds, peakMb: nightlyMb } = await peakRss(b.pids.worker, () => run('recent'));
      const attempts =
        Number((await db.execute<[{ n: string }]>("SELECT coalesce(sum(attempts), 0) AS n FROM catalog WHERE profile_id = 'bench'"))[0].n) - attemptsBefore;
      const sends = attempts / generatorRate;
      console.log(
        `RESULT Attendance nightly Now – Last 14 Days after one mutation day (${day.attendanceEvents.toLocaleString('en-US')} new exceptions, ${day.absencesExcused} absences excused): ${nightlySeconds.toFixed(1)} s for ${attempts.toLocaleString('en-US')} requests — ${sends.toFixed(1)} s of sends at the generator's rate, ${(nightlySeconds - sends).toFixed(1)} s beyond them; worker peak ${nightlyMb.toFixed(0)} MB`,
      );
    } finally {
      ours.child.kill();
      generator.child.kill();
    }
  },
);
