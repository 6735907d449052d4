/**
 * Now – Changes over the Students group at a million catalog rows: the `large` district's Students
 * group (60 k Student IDs and enrollments, demographics, 118 k relationships, ~900 k student
 * sections…) published Now – All into a fresh sandbox, then one SIS mutation day (`npm run sis --
 * mutate --day 1`: new students, withdrawals, schedule changes, new contacts, Unique IDs arriving,
 * address changes) and Now – Changes over the group, category by category: the time, the records
 * each run read (it follows the SIS event queue, extracting only what the events trace to) and the
 * worker's peak memory. Everything on 127.0.0.1, each part as `npm start` runs it.
 * `npm run bench -- studentChanges`.
 */
import { generateDistrict, loadDistrict } from '../sis/index.js';
import { mutateDay } from '../sis/mutate.js';
import { CATEGORIES } from '../publishing/categories.js';
import { benchProfile, peakRss, publishOrganization, seconds, withBenchStack, YEAR } from './lib/publishStack.js';
import { publishAndWait } from '../test/publishing.js';
import type { BenchStack } from './lib/publishStack.js';

const STUDENTS = CATEGORIES.filter((c) => c.group === 'students').map((c) => c.id);
let sisUrl = '';

interface RunResult {
  readonly extractions?: ReadonlyArray<{ resource: string; mode: string; staged: number }>;
}

async function studentsGroup(b: BenchStack, option: 'all' | 'changes'): Promise<{ lines: string[]; read: number }> {
  const lines: string[] = [];
  let read = 0;
  for (const category of STUDENTS) {
    const t = performance.now();
    const run = await publishAndWait(b.call, 'bench', { category, option, schoolYear: YEAR }, 3_600_000, 25);
    if (run.outcome !== 'completed') throw new Error(`${category} ${option}: ${run.detail ?? run.outcome}`);
    const result = (await b.temporal.workflow.getHandle(run.workflowId).result()) as RunResult;
    const staged = (result.extractions ?? []).reduce((n, e) => n + e.staged, 0);
    read += staged;
    const modes = [...new Set((result.extractions ?? []).map((e) => e.mode))].join('/');
    lines.push(`${category} ${seconds(t).toFixed(1)} s (${modes}, ${staged.toLocaleString('en-US')} read)`);
  }
  return { lines, read };
}

await withBenchStack(
  'studentChanges',
  async (url) => {
    sisUrl = url;
    await loadDistrict(url, generateDistrict({ size: 'large', seed: 1 }));
  },
  async (b) => {
    await benchProfile(b.call, b.sisDb, b.sandboxUrl);
    await publishOrganization(b.call, 'all');
    const count = async (where: string): Promise<number> =>
      Number((await b.orm.em.getConnection().execute<[{ n: string }]>(`SELECT count(*) AS n FROM catalog WHERE profile_id = 'bench'${where}`))[0].n);
    const students = STUDENTS.flatMap((id) => CATEGORIES.find((c) => c.id === id)!.entities.map((e) => `'${e.resource}'`)).join(', ');
    const t0 = performance.now();
    const { result: initial, peakMb: initialPeak } = await peakRss(b.pids.worker, () => studentsGroup(b, 'all'));
    const initialSeconds = seconds(t0);
    const rows = await count(` AND resource IN (${students})`);
    const published = await count(` AND resource IN (${students}) AND status = 'published'`);
    console.log(
      `RESULT Students group initial publish (Now – All): ${rows.toLocaleString('en-US')} catalog rows, ${published.toLocaleString('en-US')} published, in ${initialSeconds.toFixed(1)} s = ${(published / initialSeconds).toFixed(0)} records/s; worker peak ${initialPeak.toFixed(0)} MB — ${initial.lines.join('; ')}`,
    );
    const mutation = await mutateDay(sisUrl, { day: 1 });
    console.log(`mutation day 1: ${JSON.stringify(mutation)}`);
    const t1 = performance.now();
    const { result: changes, peakMb: changesPeak } = await peakRss(b.pids.worker, () => studentsGroup(b, 'changes'));
    const changesSeconds = seconds(t1);
    console.log(
      `RESULT Students group Now – Changes after mutation day 1 at ${rows.toLocaleString('en-US')} Students rows: ${changesSeconds.toFixed(1)} s, ${changes.read.toLocaleString('en-US')} records read, worker peak ${changesPeak.toFixed(0)} MB — ${changes.lines.join('; ')}`,
    );
  },
);
