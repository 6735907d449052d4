/**
 * Student Grades' nightly mode, Now – Missing, on a district whose grades are all published: the
 * `large` district (`BENCH_SIZE=xl` for `xl`) with its code sets mapped as a clerk would and grades
 * turned on, the Organization group, Student Identification, Enrollment & Demographics, Student
 * Sections and Student Grades published Now – All into the stack's sandbox (no latency: only what
 * the exchange does besides sending is timed here). Then (1) one SIS mutation day (grade postings
 * and corrections) and the nightly run, (2) the next nightly with nothing changed — a quiet night —
 * and (3) the same quiet night read whole, as before Now – Missing kept a watermark of its own (its
 * mark forgotten). `npm run bench -- gradesNightly`. Everything on 127.0.0.1.
 */
import { generateDistrict, loadDistrict, mutateDay } from '../sis/index.js';
import { benchProfile, benchSize, publishOrganization, seconds, withBenchStack, YEAR } from './lib/publishStack.js';
import { publishAndWait } from '../test/publishing.js';
import { setUpEveryCodeSet } from '../test/district.js';
import { ownMarkOf } from '../publishing/watermark.js';

const SIZE = benchSize('large');
const BEFORE = ['student-identification', 'enrollment-demographics', 'student-sections'];
let sisUrl = '';

await withBenchStack(
  'gradesNightly',
  async (url) => {
    sisUrl = url;
    await loadDistrict(url, generateDistrict({ size: SIZE, seed: 1 }));
  },
  async (b) => {
    type Extraction = { resource: string; mode: string; staged: number; why?: string };
    const run = async (option: string): Promise<{ seconds: number; extractions: Extraction[] }> => {
      const t0 = performance.now();
      const done = await publishAndWait(b.call, 'bench', { category: 'student-grades', option, schoolYear: YEAR }, 3_600_000, 25);
      if (done.outcome !== 'completed') throw new Error(`student-grades ${option}: ${done.detail ?? done.outcome}`);
      const took = seconds(t0);
      const result = (await b.temporal.workflow.getHandle(done.workflowId).result()) as { extractions?: Extraction[] };
      return { seconds: took, extractions: result.extractions ?? [] };
    };
    const reads = (e: readonly Extraction[]): string =>
      e.map((x) => `${x.mode}, ${x.staged.toLocaleString('en-US')} read${x.why !== undefined ? ` (${x.why})` : ''}`).join('; ');
    await benchProfile(b.call, b.sisDb, b.sandboxUrl);
    await setUpEveryCodeSet({ sis: b.sisDb, call: b.call }, 'bench');
    await publishOrganization(b.call, 'all');
    for (const category of BEFORE) {
      const done = await publishAndWait(b.call, 'bench', { category, option: 'all', schoolYear: YEAR }, 3_600_000, 25);
      if (done.outcome !== 'completed') throw new Error(`${category}: ${done.detail ?? done.outcome}`);
    }
    const initial = await run('all');
    const db = b.orm.em.getConnection();
    const count = async (where: string): Promise<number> =>
      Number((await db.execute<[{ n: string }]>(`SELECT count(*) AS n FROM catalog WHERE profile_id = 'bench' AND resource = 'grades' AND ${where}`))[0].n);
    console.log(
      `setup: Student Grades Now – All ${initial.seconds.toFixed(1)} s, ${(await count("status = 'published'")).toLocaleString('en-US')} grades published`,
    );

    const day = await mutateDay(sisUrl, { day: 1 });
    const attemptsNow = async (): Promise<number> =>
      Number(
        (await db.execute<[{ n: string }]>("SELECT coalesce(sum(attempts), 0) AS n FROM catalog WHERE profile_id = 'bench' AND resource = 'grades'"))[0].n,
      );
    const attemptsBefore = await attemptsNow();
    const nightly = await run('missing');
    const attempts = (await attemptsNow()) - attemptsBefore;
    console.log(
      `RESULT Student Grades nightly Now – Missing (${SIZE}) after a mutation day (${day.gradePostings.toLocaleString('en-US')} grade postings, ${day.gradeChanges.toLocaleString('en-US')} corrections): ${nightly.seconds.toFixed(1)} s, ${attempts.toLocaleString('en-US')} requests; ${reads(nightly.extractions)}`,
    );
    const quiet = await run('missing');
    console.log(`RESULT a quiet night, traced from its watermark: ${quiet.seconds.toFixed(1)} s; ${reads(quiet.extractions)}`);
    await db.execute("DELETE FROM change_watermark WHERE profile_id = 'bench' AND resource = ?", [ownMarkOf('grades', 'missing')]);
    const whole = await run('missing');
    console.log(
      `RESULT the same quiet night read whole (its mark forgotten, as every night before): ${whole.seconds.toFixed(1)} s; ${reads(whole.extractions)}`,
    );
  },
);
