/**
 * The Students group's initial publish against the plain generator, both into sandboxes that answer
 * each POST after an ODS's latency (30–70 ms, as bench step 5 of publish.ts) with the same 64
 * connections: Student Identification and Enrollment & Demographics of the `large` district (about
 * 180,000 records: Student IDs, applications, enrollments, demographics, responsibilities) Now – All
 * through the real stack — the Student ID ↔ School Enrollment interplay included — and the same
 * JSON POSTed by the generator in the same order (Student IDs, then what claims the students, then
 * the rest) into a second such sandbox holding the same Organization records.
 * `BENCH_GROUP=all` times the whole Students group (Contacts, Student Sections and Prior Year
 * Leavers too: ~1 M records on `large`), `BENCH_SIZE=xl` the `xl` district (200,000 students).
 * `npm run bench -- studentPublish`. Everything on 127.0.0.1.
 */
import { generateDistrict, loadDistrict } from '../sis/index.js';
import { CATEGORIES } from '../publishing/categories.js';
import { formatTimeline } from './lib/timeline.js';
import {
  benchProfile,
  benchSize,
  recentRuns,
  publishOrganization,
  loadedOdsSandbox,
  ODS_LATENCY_TEXT,
  seconds,
  withBenchStack,
  YEAR,
} from './lib/publishStack.js';
import { docsByResource, sameJson } from './lib/generator.js';
import { publishAndWait } from '../test/publishing.js';
import { formatInFlight, serveWorkerMetrics, watchInFlight } from './lib/inFlight.js';

const CONNECTIONS = 64;
// The worker serves its metrics here: where the rate goes is read from its requests in flight.
const metricsUrl = await serveWorkerMetrics();
const SIZE = benchSize('large');
const TIMED =
  process.env.BENCH_GROUP === 'all' ? CATEGORIES.filter((c) => c.group === 'students').map((c) => c.id) : ['student-identification', 'enrollment-demographics'];
/** The order a clerk's runs send them in (and the ODS needs: a student before what claims them, before the rest; then the other categories' entities in their order). */
const FIRST = [
  'students',
  'studentApplications',
  'studentSchoolAssociations',
  'studentEducationOrganizationResponsibilityAssociations',
  'studentEducationOrganizationAssociations',
];

await withBenchStack(
  'studentPublish',
  async (sisUrl) => {
    await loadDistrict(sisUrl, generateDistrict({ size: SIZE, seed: 1 }));
  },
  async (b) => {
    const ours = await loadedOdsSandbox();
    const generator = await loadedOdsSandbox();
    try {
      await benchProfile(b.call, b.sisDb, ours.url);
      await b.call({ method: 'PUT', url: '/api/settings', payload: { simultaneousConnections: CONNECTIONS } });
      await publishOrganization(b.call, 'all');
      const since = new Date();
      const t0 = performance.now();
      const { report } = await watchInFlight(metricsUrl, 'bench', async () => {
        for (const category of TIMED) {
          const run = await publishAndWait(b.call, 'bench', { category, option: 'all', schoolYear: YEAR }, 3_600_000, 25);
          if (run.outcome !== 'completed') throw new Error(`${category}: ${run.detail ?? run.outcome}`);
        }
      });
      const oursSeconds = seconds(t0);
      const db = b.orm.em.getConnection();
      const timedResources = TIMED.flatMap((id) => CATEGORIES.find((c) => c.id === id)!.entities.map((e) => e.resource));
      const published = await db.execute<Array<{ resource: string; sent_json: unknown }>>(
        "SELECT resource, sent_json FROM catalog WHERE profile_id = 'bench' AND status = 'published' ORDER BY resource, source_key",
      );
      const docsOf = (resources: readonly string[]): Map<string, string[]> => docsByResource(published, (r) => resources.includes(r));
      const students = docsOf(timedResources);
      const sent = [...students.values()].reduce((n, l) => n + l.length, 0);
      const attempts = Number(
        (
          await db.execute<[{ n: string }]>(
            `SELECT coalesce(sum(attempts), 0) AS n FROM catalog WHERE profile_id = 'bench' AND resource IN (${timedResources.map(() => '?').join(', ')}) AND last_attempt_at >= ?`,
            [...timedResources, since],
          )
        )[0].n,
      );
      // The generator's sandbox first gets the same Organization records (not timed), then the Students JSON, resource by resource.
      const organization = docsOf([...new Set(published.map((d) => d.resource))].filter((r) => !timedResources.includes(r)));
      await sameJson(generator.url, organization, { connections: CONNECTIONS });
      let generatorSeconds = 0;
      for (const resource of [...FIRST, ...timedResources.filter((r) => !FIRST.includes(r))]) {
        const docs = students.get(resource);
        if (docs === undefined || docs.length === 0) continue;
        const rate = await sameJson(generator.url, new Map([[resource, docs]]), { connections: CONNECTIONS });
        generatorSeconds += docs.length / rate;
      }
      const oursRate = sent / oursSeconds;
      const generatorRate = sent / generatorSeconds;
      console.log(
        `ours: ${formatInFlight(report, CONNECTIONS)}; the generator's POSTs ${((CONNECTIONS / generatorRate) * 1000).toFixed(1)} ms each (${CONNECTIONS} ÷ its rate)`,
      );
      // Where the fixed steps are: each run step by step, from the first run's start.
      for (const line of formatTimeline(await recentRuns(b.temporal, b.call, TIMED.length))) console.log(line);
      console.log(
        `RESULT Students initial publish with an ODS's latency (${ODS_LATENCY_TEXT}, ${CONNECTIONS} connections each): ours ${sent.toLocaleString('en-US')} records (${attempts.toLocaleString('en-US')} requests, 403 round trips included) in ${oursSeconds.toFixed(1)} s = ${oursRate.toFixed(0)} records/s; the plain generator the same JSON in ${generatorSeconds.toFixed(1)} s = ${generatorRate.toFixed(0)} records/s; ours is ${(oursRate / generatorRate).toFixed(3)} of it`,
      );
    } finally {
      ours.child.kill();
      generator.child.kill();
    }
  },
);
