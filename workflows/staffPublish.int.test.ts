/**
 * The Staff group, Staff FTE and Finance end to end on a real Temporal server, Postgres and the
 * Ed-Fi sandbox with relationship authorization on — from two profiles of one district publishing to
 * one ODS, as districts run them: a SIS profile and an HR profile. What each profile type publishes
 * (and says it does not), the guide's Staff Assignment exception, Staff Sections waiting across
 * profiles for the staff the HR profile publishes, default staff employment, Finance within TEDS's
 * ranges, and SSA Organization Associations under their setting.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { EdfiClient } from '../edfi/client/api.js';
import { DEFAULT_CLIENT, startSandbox, type Sandbox } from '../sandbox/server.js';
import { generateDistrict, hrReplicaOf, loadDistrict } from '../sis/index.js';
import { apiKeyHeader, asClient } from '../test/auth.js';
import { removeProfileWorkflows, startApiHarness, type ApiHarness } from '../test/apiHarness.js';
import { createScratchDatabase } from '../test/stack.js';
import { profileWithDescriptors } from '../test/downloads.js';
import { catalogRecords, mapLikeAClerk, odsRecords, publishAndWait, type FinishedRun, type RecordRow } from '../test/publishing.js';
import { historyText } from '../test/history.js';
import { ONLY_STATE_SERVICE_IDS } from '../publishing/profileScope.js';

let h: ApiHarness;
let sandbox: Sandbox;
let state: EdfiClient;
let sis: pg.Client;
let hrSystem: pg.Client;
let call: ReturnType<typeof asClient>;
const YEAR = 2025;
/** The district's SIS profile, reading the SIS replica, and its HR-only profile, reading the HR system's replica. */
const SIS = 'stf';
const HR = 'stfhr';
const runs: string[] = [];
let staffWithoutEmployment = 0;

async function publishRun(profileId: string, category: string, option = 'changes'): Promise<FinishedRun> {
  const run = await publishAndWait(call, profileId, { category, option, schoolYear: YEAR }, 240_000);
  runs.push(run.workflowId);
  expect(run.outcome, `${profileId} ${category} ${option}: ${run.detail ?? ''}`).toBe('completed');
  return run;
}

const inOds = (resource: string): Promise<Array<Record<string, unknown>>> => odsRecords(state, resource);
const records = async (profileId: string, resource: string): Promise<RecordRow[]> => [...(await catalogRecords(call, profileId, resource, YEAR)).values()];
const byStatus = (rows: readonly RecordRow[], status: string): RecordRow[] => rows.filter((r) => r.status === status);

async function until(what: string, ok: () => Promise<boolean>, withinMs: number): Promise<void> {
  const from = Date.now();
  while (!(await ok())) {
    if (Date.now() - from > withinMs) throw new Error(`${what}: not within ${withinMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function setting(profileId: string, changes: Record<string, unknown>): Promise<void> {
  const res = await call({ method: 'PUT', url: `/api/profiles/${profileId}/settings`, payload: changes });
  expect(res.statusCode, res.body).toBe(200);
}

type DashboardCategory = { id: string; active: string; inactiveWhy: string[] };
async function dashboardScopes(profileId: string): Promise<Map<string, DashboardCategory>> {
  const res = await call(`/api/profiles/${profileId}/dashboard?schoolYear=${YEAR}`);
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json<{ groups: Array<{ categories: DashboardCategory[] }> }>();
  return new Map(body.groups.flatMap((g) => g.categories).map((c) => [c.id, c]));
}

beforeAll(async () => {
  const sisUrl = await createScratchDatabase('stfsis');
  const district = generateDistrict({ size: 'small', seed: 1, dirty: ['staff-without-employment'] });
  staffWithoutEmployment = district.dirtyCounts['staff-without-employment']?.staff ?? 0;
  await loadDistrict(sisUrl, district);
  sis = new pg.Client({ connectionString: sisUrl });
  await sis.connect();
  const hrUrl = await createScratchDatabase('stfhrsys');
  await loadDistrict(hrUrl, hrReplicaOf(district));
  hrSystem = new pg.Client({ connectionString: hrUrl });
  await hrSystem.connect();
  h = await startApiHarness(SIS, { worker: true, realWorkflows: true, sisDatabaseUrl: sisUrl, hrDatabaseUrl: hrUrl });
  sandbox = await startSandbox({ texasExtension: '2025.2.1' });
  state = new EdfiClient({ apiUrl: sandbox.baseUrl, key: DEFAULT_CLIENT.key, secret: DEFAULT_CLIENT.secret });
  call = asClient(h.app, await apiKeyHeader(h.orm, 'admin'));
  const lea = (await sis.query<{ number: string; name: string }>('SELECT number, name FROM district')).rows[0];
  const races = (await sis.query<{ code: string; stateCode: string }>('SELECT code, stateCode AS "stateCode" FROM localcode WHERE category = \'race\'')).rows;
  for (const [profileId, profileType] of [
    [SIS, 'SIS'],
    [HR, 'HR-only'],
  ] as const) {
    await profileWithDescriptors(call, {
      profileId,
      name: `Staff ISD ${profileType}`,
      profileType,
      apiUrl: sandbox.baseUrl,
      schoolYear: YEAR,
      lea,
      key: DEFAULT_CLIENT.key,
      secret: DEFAULT_CLIENT.secret,
    });
    await mapLikeAClerk(call, profileId, races);
  }
  const mapped = await call({
    method: 'PUT',
    url: `/api/profiles/${SIS}/code-sets/calendar-types/mappings`,
    payload: { code: 'REG', target: { namespace: 'uri://tea.texas.gov/CalendarTypeDescriptor', codeValue: '01' } },
  });
  expect(mapped.statusCode).toBe(200);
  // The district's counselors' Service ID is kept local on the SIS profile: not a state value, so the SIS does not publish their assignments.
  const local = await call({ method: 'PUT', url: `/api/profiles/${SIS}/code-sets/staff-classifications/mappings`, payload: { code: '008', target: null } });
  expect(local.statusCode, local.body).toBe(200);
  for (const category of ['organization-catalog', 'course-catalog', 'organization-info', 'organization-calendars', 'organization-schedules'])
    await publishRun(SIS, category, 'all');
}, 400_000);

afterAll(async () => {
  await state?.close();
  await sandbox?.close();
  await sis?.end();
  await hrSystem?.end();
  for (const p of [SIS, HR]) await removeProfileWorkflows(h, p, [`nightly/${p}`, `weekend/${p}`]);
  await h?.close();
});

describe('what each profile type publishes', () => {
  it('shows a SIS profile its Staff and Finance categories inactive (Staff Associations partly, for the guide’s exception) and an HR profile only Staff and Finance', async () => {
    const sisView = await dashboardScopes(SIS);
    expect(sisView.get('organization-calendars')?.active).toBe('yes');
    expect(sisView.get('staff-sections')?.active).toBe('yes');
    expect(sisView.get('staff-demographics')).toMatchObject({ active: 'no' });
    expect(sisView.get('staff-demographics')?.inactiveWhy.join(' ')).toContain('PublishHRStaffAndAssociations');
    expect(sisView.get('staff-associations')).toMatchObject({ active: 'partly' });
    expect(sisView.get('staff-associations')?.inactiveWhy).toContain(ONLY_STATE_SERVICE_IDS);
    for (const c of ['accounts', 'payroll', 'staff-fte']) expect(sisView.get(c)?.inactiveWhy.join(' '), c).toContain('PublishFinanceData');
    const hrView = await dashboardScopes(HR);
    for (const c of ['staff-demographics', 'staff-associations', 'staff-fte', 'accounts', 'payroll']) expect(hrView.get(c)?.active, c).toBe('yes');
    for (const c of ['organization-calendars', 'student-identification', 'staff-sections']) {
      expect(hrView.get(c)?.active, c).toBe('no');
      expect(hrView.get(c)?.inactiveWhy.join(' '), c).toContain('HR profiles publish only the Staff categories and Finance');
    }
  });

  it("does the guide's initial processing for an inactive category, publishes nothing and says why", async () => {
    const run = await publishRun(HR, 'organization-calendars', 'all');
    expect(run.detail).toMatch(/^Inactive for this profile, not published: .*calendars.* — HR profiles publish only/);
    expect(await records(HR, 'calendars')).toHaveLength(0);
    const finance = await publishRun(SIS, 'accounts', 'all');
    expect(finance.detail).toContain('PublishFinanceData is off');
    expect(await records(SIS, 'budgetExts')).toHaveLength(0);
  });
});

describe('Staff from the HR profile, Staff Sections from the SIS profile', () => {
  it('publishes from the SIS profile only the Staff Assignments whose Service ID is a state value, and holds Staff Sections for staff the HR profile has not published', async () => {
    const run = await publishRun(SIS, 'staff-associations', 'all');
    expect(run.detail).toContain('staffEducationOrganizationEmploymentAssociations');
    const assignments = await records(SIS, 'staffEducationOrganizationAssignmentAssociations');
    const counselors = await sis.query<{ n: number }>("SELECT count(*)::int AS n FROM employmentassignment WHERE serviceID = '008'");
    expect(counselors.rows[0].n).toBeGreaterThan(0);
    const excluded = byStatus(assignments, 'excluded');
    expect(excluded).toHaveLength(counselors.rows[0].n);
    for (const r of excluded) expect(r.statusDescription).toBe(ONLY_STATE_SERVICE_IDS);
    // The rest wait for their staff members, whom only the HR profile publishes.
    for (const r of assignments.filter((x) => x.status !== 'excluded')) expect(r.status).toBe('dependency');
    expect(await records(SIS, 'staffs')).toHaveLength(0);

    await publishRun(SIS, 'staff-sections', 'all');
    const sections = await records(SIS, 'staffSectionAssociations');
    expect(sections.length).toBeGreaterThan(50);
    for (const r of sections) expect(r.status, r.statusDescription ?? '').toBe('dependency');
  });

  it('publishes Staff and Staff Associations from the HR profile, and the SIS profile’s waiting Staff Sections and Assignments follow with no clerk action', async () => {
    await publishRun(HR, 'staff-demographics', 'all');
    const staff = await records(HR, 'staffs');
    const working = await sis.query<{ n: number }>('SELECT count(DISTINCT personID)::int AS n FROM employmentassignment');
    expect(staff).toHaveLength(working.rows[0].n);
    expect(byStatus(staff, 'published')).toHaveLength(staff.length);
    expect(sandbox.count('ed-fi/staffs')).toBe(staff.length);

    await publishRun(HR, 'staff-associations', 'all');
    const employment = await records(HR, 'staffEducationOrganizationEmploymentAssociations');
    // HR profiles default PublishDefaultStaffEmployment off: staff without HR employment get none.
    expect(employment).toHaveLength(staff.length - staffWithoutEmployment);
    expect(byStatus(employment, 'published')).toHaveLength(employment.length);
    for (const resource of ['staffEducationOrganizationAssignmentAssociations', 'staffSchoolAssociations']) {
      const rows = await records(HR, resource);
      expect(rows.length, resource).toBeGreaterThan(0);
      expect(byStatus(rows, 'published'), resource).toHaveLength(rows.length);
    }
    // Claimed by their employment or assignment, the staff are the district's to read.
    const one = (await inOds('ed-fi/staffs'))[0] as { _ext?: { TX?: { staffId?: string } }; sexDescriptor?: string };
    expect(one._ext?.TX?.staffId).toMatch(/^6\d{8}$/);
    expect(one.sexDescriptor).toMatch(/^uri:\/\/tea\.texas\.gov\/SexDescriptor#[FM]$/);

    // Across profiles: what the HR profile published wakes the SIS profile's waiting records.
    await until(
      "the SIS profile's Staff Sections published",
      async () => (await records(SIS, 'staffSectionAssociations')).every((r) => r.status === 'published'),
      120_000,
    );
    await until(
      "the SIS profile's state-valued Staff Assignments published",
      async () => (await records(SIS, 'staffEducationOrganizationAssignmentAssociations')).every((r) => r.status === 'published' || r.status === 'excluded'),
      120_000,
    );
    expect(sandbox.count('ed-fi/staffSectionAssociations')).toBe((await records(SIS, 'staffSectionAssociations')).length);
  }, 300_000);

  it('publishes default employment for staff without HR employment when PublishDefaultStaffEmployment is on, and removes it once employment arrives', async () => {
    await setting(HR, { PublishDefaultStaffEmployment: true });
    await publishRun(HR, 'staff-associations');
    const defaults = (await records(HR, 'staffEducationOrganizationEmploymentAssociations')).filter((r) => r.sourceKey.startsWith('default-'));
    expect(defaults).toHaveLength(staffWithoutEmployment);
    expect(byStatus(defaults, 'published')).toHaveLength(defaults.length);
    const ods = await inOds('ed-fi/staffEducationOrganizationEmploymentAssociations');
    expect(ods.filter((d) => d.employmentStatusDescriptor === 'uri://ed-fi.org/EmploymentStatusDescriptor#Other')).toHaveLength(staffWithoutEmployment);

    // HR employment arrives for one of them: its default is replaced on the next Now – Changes.
    const personId = Number(defaults[0].sourceKey.slice('default-'.length));
    await hrSystem.query(
      `INSERT INTO employment (personID, districtID, startDate, endDate, status, fte, endReason)
       SELECT $1, districtID, DATE '2020-08-01', NULL, 'C', 1, NULL FROM district LIMIT 1`,
      [personId],
    );
    await publishRun(HR, 'staff-associations');
    const after = await records(HR, 'staffEducationOrganizationEmploymentAssociations');
    expect(after.find((r) => r.sourceKey === `default-${personId}`)?.status ?? 'gone').toMatch(/^(deleted|gone)$/);
    expect(
      (await inOds('ed-fi/staffEducationOrganizationEmploymentAssociations')).filter(
        (d) => d.employmentStatusDescriptor === 'uri://ed-fi.org/EmploymentStatusDescriptor#Other',
      ),
    ).toHaveLength(staffWithoutEmployment - 1);
  }, 240_000);
});

describe('staff changes in the HR system', () => {
  it('an assignment that ends is sent again with its end date', async () => {
    const a = (
      await hrSystem.query<{ id: number }>("SELECT assignmentID AS id FROM employmentassignment WHERE serviceID = '087' ORDER BY assignmentID LIMIT 1")
    ).rows[0];
    await hrSystem.query("UPDATE employmentassignment SET endDate = DATE '2025-01-17' WHERE assignmentID = $1", [a.id]);
    await publishRun(HR, 'staff-associations');
    const row = (await records(HR, 'staffEducationOrganizationAssignmentAssociations')).find((r) => r.sourceKey === String(a.id));
    expect(row?.status).toBe('published');
    const ods = await inOds('ed-fi/staffEducationOrganizationAssignmentAssociations');
    expect(ods.filter((d) => d.endDate === '2025-01-17')).toHaveLength(1);
  });

  it("a Unique ID change: the HR profile's records about the old id leave the ODS deepest first and the new ones are posted", async () => {
    // A counselor: no sections, so only the HR profile's records refer to them.
    const person = (
      await hrSystem.query<{ personId: number; stateId: string }>(
        'SELECT s.personID AS "personId", s.stateID AS "stateId" FROM staff s JOIN employmentassignment a ON a.personID = s.personID WHERE a.serviceID = \'008\' ORDER BY s.personID LIMIT 1',
      )
    ).rows[0];
    const newId = `8${person.stateId.slice(1)}`;
    await hrSystem.query('UPDATE staff SET stateID = $2 WHERE personID = $1', [person.personId, newId]);
    for (const c of ['staff-demographics', 'staff-associations', 'payroll']) await publishRun(HR, c);
    await until(
      'the re-keyed records follow',
      async () =>
        (await inOds('ed-fi/staffs')).some((d) => d.staffUniqueId === newId) && !(await inOds('ed-fi/staffs')).some((d) => d.staffUniqueId === person.stateId),
      120_000,
    );
    const refersTo = (id: string) => (d: Record<string, unknown>) => (d.staffReference as { staffUniqueId?: string } | undefined)?.staffUniqueId === id;
    for (const resource of ['ed-fi/staffEducationOrganizationAssignmentAssociations', 'ed-fi/staffSchoolAssociations', 'tx/payrollExts']) {
      const ods = await inOds(resource);
      expect(ods.filter(refersTo(person.stateId)), resource).toHaveLength(0);
      expect(ods.filter(refersTo(newId)).length, resource).toBeGreaterThan(0);
    }
  }, 240_000);
});

describe('a staff member leaving', () => {
  it('removes everything in the ODS about a staff member the HR system no longer has, deepest first, then the Staff record', async () => {
    const leaver = (
      await hrSystem.query<{ personId: number; stateId: string }>(
        'SELECT s.personID AS "personId", s.stateID AS "stateId" FROM staff s JOIN employmentassignment a ON a.personID = s.personID WHERE a.serviceID = \'004\' ORDER BY s.personID LIMIT 1',
      )
    ).rows[0];
    const about = async (): Promise<number> => {
      let n = (await inOds('ed-fi/staffs')).filter((d) => d.staffUniqueId === leaver.stateId).length;
      for (const resource of ['ed-fi/staffEducationOrganizationAssignmentAssociations', 'ed-fi/staffSchoolAssociations', 'tx/payrollExts'])
        n += (await inOds(resource)).filter((d) => (d.staffReference as { staffUniqueId?: string }).staffUniqueId === leaver.stateId).length;
      return n;
    };
    expect(await about()).toBeGreaterThan(2);
    for (const table of ['financeline', 'staffschool', 'employmentassignment', 'employment'])
      await hrSystem.query(`DELETE FROM ${table} WHERE personID = $1`, [leaver.personId]);
    await hrSystem.query('DELETE FROM staff WHERE personID = $1', [leaver.personId]);
    await publishRun(HR, 'staff-demographics');
    for (const c of ['staff-associations', 'payroll']) await publishRun(HR, c);
    await until('everything about the leaver gone from the ODS', async () => (await about()) === 0, 120_000);
    expect((await records(HR, 'staffs')).find((r) => r.sourceKey === String(leaver.personId))?.status ?? 'forgotten').toMatch(/^(deleted|forgotten)$/);
  }, 240_000);
});

describe("a teacher's Unique ID change, across profiles", () => {
  it("deletes the SIS profile's Staff Sections about the old id before the old Staff record, and both profiles send theirs again with the new one", async () => {
    const teacher = (
      await hrSystem.query<{ personId: number; stateId: string }>(
        'SELECT s.personID AS "personId", s.stateID AS "stateId" FROM staff s JOIN employmentassignment a ON a.personID = s.personID WHERE a.serviceID = \'087\' ORDER BY s.personID DESC LIMIT 1',
      )
    ).rows[0];
    const teaches = (id: string) => async (): Promise<number> =>
      (await inOds('ed-fi/staffSectionAssociations')).filter((d) => (d.staffReference as { staffUniqueId?: string }).staffUniqueId === id).length;
    const sections = await teaches(teacher.stateId)();
    expect(sections).toBeGreaterThan(0);
    // The state corrects the Unique ID; the HR system and the SIS both take it.
    const newId = `7${teacher.stateId.slice(1)}`;
    await hrSystem.query('UPDATE staff SET stateID = $2 WHERE personID = $1', [teacher.personId, newId]);
    await sis.query('UPDATE staff SET stateID = $2 WHERE personID = $1', [teacher.personId, newId]);
    await publishRun(HR, 'staff-demographics');
    await publishRun(HR, 'staff-associations');
    await until(
      "the SIS profile's sections re-sent with the new id",
      async () => (await teaches(teacher.stateId)()) === 0 && (await teaches(newId)()) === sections,
      120_000,
    );
    expect((await inOds('ed-fi/staffs')).map((d) => d.staffUniqueId)).not.toContain(teacher.stateId);
  }, 240_000);
});

describe("the HR profile's own source", () => {
  it('publishes what the HR system says, not the SIS: a name corrected in the HR system reaches the ODS on Now – Changes', async () => {
    const someone = (
      await hrSystem.query<{ personId: number; stateId: string }>('SELECT personID AS "personId", stateID AS "stateId" FROM staff ORDER BY personID LIMIT 1')
    ).rows[0];
    await hrSystem.query("UPDATE staff SET lastName = 'Hrcorrected' WHERE personID = $1", [someone.personId]);
    await sis.query("UPDATE staff SET lastName = 'Sisonly' WHERE personID = $1", [someone.personId]);
    await publishRun(HR, 'staff-demographics');
    const inOdsNow = (await inOds('ed-fi/staffs')).find((d) => d.staffUniqueId === someone.stateId);
    expect(inOdsNow?.lastSurname).toBe('Hrcorrected');
    const res = await call(`/api/profiles/${HR}/code-sets/staff-classifications/codes`);
    expect(res.statusCode, res.body).toBe(200);
  });
});

describe('Finance and Staff FTE from the HR profile', () => {
  it("publishes Account Budgets, Prior Year Actuals, Payroll and Contracted Instructional FTEs within TEDS's ranges", async () => {
    await publishRun(HR, 'accounts', 'all');
    await publishRun(HR, 'payroll', 'all');
    await publishRun(HR, 'staff-fte', 'all');
    // What the HR profile reads: its HR system's finance lines.
    const lines = async (sql: string): Promise<number> => (await hrSystem.query<{ n: number }>(sql, [YEAR])).rows[0].n;
    const budgets = await inOds('tx/budgetExts');
    expect(budgets).toHaveLength(await lines("SELECT count(*)::int AS n FROM financeline WHERE lineType = 'budget' AND fiscalYear = $1"));
    expect(budgets[0]).toMatchObject({ fiscalYear: 5, budgetFundDescriptor: 'uri://tea.texas.gov/BudgetFundDescriptor#199' });
    // TEDS 2025.2.1 collects the closed prior fiscal year's actuals, without dates.
    const actuals = await inOds('tx/priorYearActualExts');
    expect(actuals).toHaveLength(await lines("SELECT count(*)::int AS n FROM financeline WHERE lineType = 'actual' AND fiscalYear = $1 - 1"));
    expect(actuals[0]).toMatchObject({ fiscalYear: 4 });
    expect(actuals[0]).not.toHaveProperty('beginDate');
    const payroll = await records(HR, 'payrollExts');
    expect(payroll).toHaveLength(await lines("SELECT count(*)::int AS n FROM financeline WHERE lineType = 'payroll' AND fiscalYear = $1"));
    expect(byStatus(payroll, 'published')).toHaveLength(payroll.length);
    for (const p of await inOds('tx/payrollExts')) expect(p.payrollAmount as number).toBeLessThanOrEqual(999_999);
    const fte = await records(HR, 'contractedInstructionalStaffFTEExts');
    expect(fte).toHaveLength(await lines('SELECT count(*)::int AS n FROM contractedfte WHERE fiscalYear = $1'));
    expect(byStatus(fte, 'published')).toHaveLength(fte.length);
  }, 240_000);

  it('publishes SSA Organization Associations only once PublishSSAOrganizationAssociationExtensions is on', async () => {
    expect(await records(SIS, 'ssaOrgAssociationExts')).toHaveLength(0);
    await setting(SIS, { PublishSSAOrganizationAssociationExtensions: true });
    await publishRun(SIS, 'organization-catalog');
    const ssa = await records(SIS, 'ssaOrgAssociationExts');
    expect(ssa).toHaveLength(1);
    expect(ssa[0].status).toBe('published');
    expect((await inOds('tx/ssaOrgAssociationExts'))[0]).toMatchObject({ ssaTypeDescriptor: 'uri://tea.texas.gov/SSATypeDescriptor#23' });
  });

  it('keeps staff names and identifiers out of the Temporal histories', async () => {
    const someone = (
      await sis.query<{ lastName: string; stateID: string }>('SELECT lastName AS "lastName", stateID AS "stateID" FROM staff ORDER BY personID LIMIT 1')
    ).rows[0];
    for (const id of runs) {
      const text = await historyText(h.client, id);
      expect(text).not.toContain(someone.stateID);
    }
  });
});
