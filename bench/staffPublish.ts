/**
 * The Staff group of the `xl` district from two profiles on one ODS, as districts run them: the
 * SIS profile publishes the Organization group and (first, on purpose) Staff Sections, which wait
 * for teachers nobody has published yet; the HR-only profile, reading the HR system replica,
 * publishes Staff Demographics, Staff Associations, Staff FTE and Finance; the SIS profile's
 * waiting Staff Sections then follow on their own. Reported: each category's time and rate, how
 * long after the HR profile's Staff Associations every Staff Section was published, and the
 * worker's peak memory. Everything on 127.0.0.1, each part as `npm start` runs it.
 * `npm run bench -- staffPublish`.
 */
import { generateDistrict, hrReplicaOf, loadDistrict } from '../sis/index.js';
import { benchProfile, benchSize, peakRss, publishOrganization, seconds, withBenchStack, YEAR, type BenchStack } from './lib/publishStack.js';
import { publishAndWait } from '../test/publishing.js';

const SIZE = benchSize('xl');
const HR = 'benchhr';

async function category(b: BenchStack, profileId: string, id: string): Promise<{ line: string; published: number; seconds: number }> {
  const t = performance.now();
  const run = await publishAndWait(b.call, profileId, { category: id, option: 'all', schoolYear: YEAR }, 3_600_000, 25);
  if (run.outcome !== 'completed') throw new Error(`${profileId} ${id}: ${run.detail ?? run.outcome}`);
  const took = seconds(t);
  const published = await count(b, profileId, id, " AND status = 'published'");
  const all = await count(b, profileId, id, '');
  return { line: `${id} ${took.toFixed(1)} s (${published.toLocaleString('en-US')} of ${all.toLocaleString('en-US')} published)`, published, seconds: took };
}

const ENTITIES: Record<string, string[]> = {
  'staff-demographics': ['staffs'],
  'staff-associations': ['staffEducationOrganizationEmploymentAssociations', 'staffEducationOrganizationAssignmentAssociations', 'staffSchoolAssociations'],
  'staff-sections': ['staffSectionAssociations'],
  'staff-fte': ['contractedInstructionalStaffFTEExts'],
  accounts: ['budgetExts', 'actualExts'],
  payroll: ['payrollExts'],
};

async function count(b: BenchStack, profileId: string, categoryId: string, where: string): Promise<number> {
  const resources = (ENTITIES[categoryId] ?? []).map((r) => `'${r}'`).join(', ');
  const rows = await b.orm.em
    .getConnection()
    .execute<[{ n: string }]>(`SELECT count(*) AS n FROM catalog WHERE profile_id = '${profileId}' AND resource IN (${resources})${where}`);
  return Number(rows[0].n);
}

await withBenchStack(
  'staffPublish',
  async (sisUrl, hrUrl) => {
    if (hrUrl === undefined) throw new Error('the bench stack has no HR replica');
    const t = performance.now();
    const district = generateDistrict({ size: SIZE, seed: 1 });
    await loadDistrict(sisUrl, district);
    await loadDistrict(hrUrl, hrReplicaOf(district));
    console.log(
      `${SIZE} district: ${district.counts.staff.toLocaleString('en-US')} staff, ${district.counts.sectionstaff.toLocaleString('en-US')} section teachers, ${district.counts.financeline.toLocaleString('en-US')} finance lines; generated and loaded into both replicas in ${seconds(t).toFixed(0)} s`,
    );
  },
  async (b) => {
    await benchProfile(b.call, b.sisDb, b.sandboxUrl);
    await benchProfile(b.call, b.sisDb, b.sandboxUrl, { id: HR, profileType: 'HR-only' });
    await publishOrganization(b.call, 'all');
    const { result, peakMb } = await peakRss(b.pids.worker, async () => {
      const lines: string[] = [];
      // Staff Sections first, as a clerk who did not wait for the HR profile would: every one waits.
      const early = await category(b, 'bench', 'staff-sections');
      lines.push(`SIS ${early.line}`);
      let staffRecords = 0;
      let staffSeconds = 0;
      for (const id of ['staff-demographics', 'staff-associations']) {
        const r = await category(b, HR, id);
        staffRecords += r.published;
        staffSeconds += r.seconds;
        lines.push(`HR ${r.line}`);
      }
      // The waiting Staff Sections follow the HR profile's staff with no clerk action.
      const t = performance.now();
      const sections = await count(b, 'bench', 'staff-sections', '');
      for (;;) {
        if ((await count(b, 'bench', 'staff-sections', " AND status = 'published'")) === sections) break;
        if (seconds(t) > 1800) throw new Error('the Staff Sections did not follow within 30 minutes');
        await new Promise((r) => setTimeout(r, 500));
      }
      const follow = seconds(t);
      for (const id of ['staff-fte', 'accounts', 'payroll']) lines.push(`HR ${(await category(b, HR, id)).line}`);
      return { lines, staffRecords, staffSeconds, sections, follow };
    });
    console.log(
      `RESULT Staff group of the ${SIZE} district from an HR-only profile: ${result.staffRecords.toLocaleString('en-US')} Staff and Staff Associations records in ${result.staffSeconds.toFixed(1)} s = ${(result.staffRecords / result.staffSeconds).toFixed(0)} records/s; the SIS profile's ${result.sections.toLocaleString('en-US')} waiting Staff Sections all published ${result.follow.toFixed(1)} s after the HR profile's Staff Associations finished; worker peak ${peakMb.toFixed(0)} MB — ${result.lines.join('; ')}`,
    );
  },
);
