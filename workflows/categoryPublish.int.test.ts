/**
 * The publishing engine end to end on a real Temporal server, Postgres and the Ed-Fi sandbox:
 * the Organization Catalog and the Calendars rules of seed 001, the publish options, natural-key
 * changes, excludes, the resource toggle, computed dependencies and their wake-up, and what the
 * Temporal history carries.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { installLightbeam, validateWithLightbeam } from '../sandbox/lightbeam/lightbeam.js';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { WORKFLOWS_PATH } from '../worker/createWorkers.js';
import pg from 'pg';
import { EdfiClient } from '../edfi/client/api.js';
import { DEFAULT_CLIENT, startSandbox, type Sandbox } from '../sandbox/server.js';
import { generateDistrict, loadDistrict } from '../sis/index.js';
import { apiKeyHeader, asClient } from '../test/auth.js';
import { startApiHarness, type ApiHarness } from '../test/apiHarness.js';
import { createScratchDatabase } from '../test/stack.js';
import { profileWithDescriptors } from '../test/downloads.js';
import { catalogRecords, publishAndWait, odsRecords } from '../test/publishing.js';
import { historySteps, historyText } from '../test/history.js';
import { CALENDAR_TYPE_REQUIRED } from '../resources/calendars.js';
import { NON_NUMERIC_SCHOOL_ID } from '../resources/schoolId.js';

let h: ApiHarness;
let sandbox: Sandbox;
let state: EdfiClient;
let sis: pg.Client;
let sisUrl: string;
let call: ReturnType<typeof asClient>;
const YEAR = 2025;
/** Workflows of every kind this file ran, replayed (and recorded with RECORD_FIXTURES=1) at the end. */
const ran = new Map<string, string>();

interface CalendarRow {
  calendarId: number;
  structureId: number;
  schoolId: number;
  structures: number;
  excluded: boolean;
  typed: boolean;
  alphaSchool: boolean;
}

async function sisCalendars(): Promise<CalendarRow[]> {
  const { rows } = await sis.query<CalendarRow>(
    `SELECT c.calendarID AS "calendarId", ss.structureID AS "structureId", c.schoolID AS "schoolId",
            (SELECT count(*)::int FROM schedulestructure x WHERE x.calendarID = c.calendarID) AS structures,
            (c.exclude OR s.exclude) AS excluded, c.type IS NOT NULL AS typed, s.edFiSchoolNumber IS NULL AND s.stateSchoolNumber !~ '^[0-9]+$' AS "alphaSchool"
       FROM calendar c JOIN school s ON s.schoolID = c.schoolID JOIN schedulestructure ss ON ss.calendarID = c.calendarID
      WHERE c.endYear = $1 ORDER BY ss.structureID`,
    [YEAR],
  );
  return rows;
}

/** A school (with a calendar and one schedule structure) added to the clean demo district. */
async function addSchool(name: string, stateSchoolNumber: string, exclude: boolean): Promise<number> {
  const school = await sis.query<{ id: number }>(
    `INSERT INTO school (districtID, name, number, stateSchoolNumber, type, titleI, exclude) SELECT districtID, $1, '0' || (90 + (SELECT count(*) FROM school)), $2, 'E', false, $3 FROM district RETURNING schoolID AS id`,
    [name, stateSchoolNumber, exclude],
  );
  await addCalendar(school.rows[0].id, 'REG', false);
  return school.rows[0].id;
}

async function addCalendar(schoolId: number, type: string | null, exclude: boolean): Promise<number> {
  const cal = await sis.query<{ id: number }>(
    `INSERT INTO calendar (schoolID, endYear, name, type, programType, startDate, endDate, summerSchool, exclude) VALUES ($1, $2, 'Added', $3, '01', '2024-08-14', '2025-05-29', false, $4) RETURNING calendarID AS id`,
    [schoolId, YEAR, type, exclude],
  );
  await sis.query(`INSERT INTO schedulestructure (calendarID, name, isPrimary) VALUES ($1, 'Main', true)`, [cal.rows[0].id]);
  await sis.query(`INSERT INTO gradelevel (calendarID, name, seq) VALUES ($1, 'KG', 1)`, [cal.rows[0].id]);
  return cal.rows[0].id;
}

/** The dirty situations of seed 001, set up one by one on the clean district: what each test expects. */
async function addDirtyCalendars(): Promise<void> {
  const [first] = (await sis.query<{ id: number }>('SELECT schoolID AS id FROM school ORDER BY schoolID')).rows;
  await addSchool('Alpha Academy', '2559A1099', false); // a state school number with a letter
  await addSchool('Closed Campus', '255901098', true); // an excluded school
  await addCalendar(first.id, null, false); // a calendar without a type
  await addCalendar(first.id, 'REG', true); // an excluded calendar
}

interface RootCauses {
  total: number;
  groups: Array<{
    status: string;
    count: number;
    description: string | null;
    blocker: { resource: string; state: string; records: number; open: unknown } | null;
    fix: string;
  }>;
}

/** What the sandbox holds for a resource, by natural key fields. */
const inOds = (resource: string): Promise<Array<Record<string, unknown>>> => odsRecords(state, resource);

beforeAll(async () => {
  sisUrl = await createScratchDatabase('pubsis');
  await loadDistrict(sisUrl, generateDistrict({ size: 'small', seed: 1 }));
  sis = new pg.Client({ connectionString: sisUrl });
  await sis.connect();
  await addDirtyCalendars();
  h = await startApiHarness('pub', { worker: true, realWorkflows: true, sisDatabaseUrl: sisUrl });
  sandbox = await startSandbox({ texasExtension: '2025.2.1' });
  state = new EdfiClient({ apiUrl: sandbox.baseUrl, key: DEFAULT_CLIENT.key, secret: DEFAULT_CLIENT.secret });
  // The state's calendar type (TEA C215 01) to map the SIS's regular calendars to.
  await state.post('ed-fi/calendarTypeDescriptors', { namespace: 'uri://tea.texas.gov/CalendarTypeDescriptor', codeValue: '01', shortDescription: 'Regular' });
  call = asClient(h.app, await apiKeyHeader(h.orm, 'admin'));
  const lea = (await sis.query<{ number: string; name: string }>('SELECT number, name FROM district')).rows[0];
  await profileWithDescriptors(call, {
    profileId: 'pub',
    name: 'Publishing ISD',
    apiUrl: sandbox.baseUrl,
    schoolYear: YEAR,
    lea,
    key: DEFAULT_CLIENT.key,
    secret: DEFAULT_CLIENT.secret,
  });
  const mapped = await call({
    method: 'PUT',
    url: '/api/profiles/pub/code-sets/calendar-types/mappings',
    payload: { code: 'REG', target: { namespace: 'uri://tea.texas.gov/CalendarTypeDescriptor', codeValue: '01' } },
  });
  expect(mapped.statusCode).toBe(200);
}, 240_000);

afterAll(async () => {
  await state?.close();
  await sandbox?.close();
  await sis?.end();
  for (const id of ['nightly/pub', 'weekend/pub'])
    await h?.client.schedule
      .getHandle(id)
      .delete()
      .catch(() => undefined);
  await h?.close();
});

describe('the Organization Catalog', () => {
  it('publishes the LEA and its schools, and catches a non-numeric school id before sending', async () => {
    const run = await publishAndWait(call, 'pub', { category: 'organization-catalog', option: 'all', schoolYear: YEAR });
    expect(run.outcome).toBe('completed');
    const schools = [...(await catalogRecords(call, 'pub', 'schools', YEAR)).values()];
    const alpha = schools.filter((s) => s.status === 'error');
    expect(alpha).toHaveLength(1);
    expect(alpha[0]?.statusDescription).toContain(NON_NUMERIC_SCHOOL_ID);
    // The excluded school sends nothing; the three demo schools are in the ODS.
    const published = schools.filter((s) => s.status === 'published');
    expect(published).toHaveLength(3);
    expect(schools).toHaveLength(4);
    const ids = new Set((await inOds('ed-fi/schools')).map((s) => s.schoolId));
    for (const s of published) expect(ids.has(s.naturalKey.schoolId)).toBe(true);
  });
});

describe('Organization Calendars (seed 001)', () => {
  it('sends one calendar per calendar × schedule structure, coded by the calendar code rule, and leaves excluded ones out', async () => {
    const run = await publishAndWait(call, 'pub', { category: 'organization-calendars', option: 'all', schoolYear: YEAR });
    expect(run.outcome).toBe('completed');
    const expected = (await sisCalendars()).filter((c) => !c.excluded);
    const catalog = await catalogRecords(call, 'pub', 'calendars', YEAR);
    expect([...catalog.keys()].sort()).toEqual(expected.map((c) => String(c.structureId)).sort());
    for (const c of expected) {
      const row = catalog.get(String(c.structureId))!;
      expect(row.naturalKey.calendarCode).toBe(c.structures > 1 ? `${c.calendarId}-${c.structureId}` : String(c.calendarId));
      if (c.alphaSchool) expect(row.statusDescription).toContain(NON_NUMERIC_SCHOOL_ID);
      else if (!c.typed) {
        expect(row.status).toBe('error');
        expect(row.statusDescription).toContain(CALENDAR_TYPE_REQUIRED);
      } else expect(row.status).toBe('published');
    }
    const codes = new Set((await inOds('ed-fi/calendars')).map((c) => c.calendarCode));
    expect(codes).toEqual(new Set([...catalog.values()].filter((r) => r.status === 'published').map((r) => r.naturalKey.calendarCode)));
  });

  it('reports only instructional days for Texas, each with its operational minutes', async () => {
    const dates = await inOds('ed-fi/calendarDates');
    expect(dates.length).toBeGreaterThan(100);
    for (const d of dates.slice(0, 50)) {
      expect(d.calendarEvents).toEqual([{ calendarEventDescriptor: 'uri://tea.texas.gov/CalendarEventDescriptor#01' }]);
      const minutes = (d._ext as { TX?: { schoolDayOperationalMinutes?: number } } | undefined)?.TX?.schoolDayOperationalMinutes;
      expect(minutes).toBeGreaterThan(0);
    }
    const instructional = await sis.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM day d JOIN calendar c ON c.calendarID = d.calendarID JOIN school s ON s.schoolID = c.schoolID
        WHERE d.instruction AND c.endYear = $1 AND NOT c.exclude AND NOT s.exclude AND c.type IS NOT NULL AND (s.edFiSchoolNumber IS NOT NULL OR s.stateSchoolNumber ~ '^[0-9]+$')`,
      [YEAR],
    );
    expect(dates.length).toBe(instructional.rows[0]?.n);
  });

  it('sends nothing on Now – Changes when nothing changed', async () => {
    const before = (await inOds('ed-fi/calendars')).map((c) => c._etag);
    const run = await publishAndWait(call, 'pub', { category: 'organization-calendars', option: 'changes', schoolYear: YEAR });
    expect(run.outcome).toBe('completed');
    expect((await inOds('ed-fi/calendars')).map((c) => c._etag)).toEqual(before);
  });

  it('re-keys a calendar that gets a second schedule structure after it was sent: delete, then post under calendarId-structureId, dates too', async () => {
    const grown = (await sisCalendars()).find((c) => c.structures === 1 && !c.excluded && c.typed && !c.alphaSchool)!;
    await sis.query(`INSERT INTO schedulestructure (calendarID, name, isPrimary) VALUES ($1, 'Second', false)`, [grown.calendarId]);
    const now = await sisCalendars();
    const run = await publishAndWait(call, 'pub', { category: 'organization-calendars', option: 'changes', schoolYear: YEAR });
    expect(run.outcome).toBe('completed');
    const codes = (await inOds('ed-fi/calendars')).map((c) => c.calendarCode);
    const pairs = now.filter((c) => c.calendarId === grown.calendarId);
    for (const p of pairs) expect(codes).toContain(`${p.calendarId}-${p.structureId}`);
    expect(codes).not.toContain(String(grown.calendarId));
    const oldDates = (await inOds('ed-fi/calendarDates')).filter(
      (d) => (d.calendarReference as { calendarCode: string }).calendarCode === String(grown.calendarId),
    );
    expect(oldDates).toEqual([]);
  });

  it('keeps what was sent but sends nothing new for a resource toggled off', async () => {
    await sis.query(`UPDATE day SET instruction = NOT instruction WHERE dayID = (SELECT min(dayID) FROM day)`);
    const toggled = await call({ method: 'PUT', url: '/api/profiles/pub/resources/calendarDates/preferences', payload: { enabled: false } });
    expect(toggled.statusCode).toBe(200);
    const before = (await inOds('ed-fi/calendarDates')).length;
    const run = await publishAndWait(call, 'pub', { category: 'organization-calendars', option: 'changes', schoolYear: YEAR });
    expect(run.outcome).toBe('completed');
    expect((await inOds('ed-fi/calendarDates')).length).toBe(before);
    await call({ method: 'PUT', url: '/api/profiles/pub/resources/calendarDates/preferences', payload: { enabled: true } });
  });

  it('deletes a calendar and its dates from the ODS when the calendar is excluded after being sent', async () => {
    const target = (await sisCalendars()).find((c) => !c.excluded && c.typed && !c.alphaSchool && c.structures === 1)!;
    await sis.query('UPDATE calendar SET exclude = true WHERE calendarID = $1', [target.calendarId]);
    const run = await publishAndWait(call, 'pub', { category: 'organization-calendars', option: 'changes', schoolYear: YEAR });
    expect(run.outcome).toBe('completed');
    expect((await inOds('ed-fi/calendars')).map((c) => c.calendarCode)).not.toContain(String(target.calendarId));
    expect(
      (await inOds('ed-fi/calendarDates')).filter((d) => (d.calendarReference as { calendarCode: string }).calendarCode === String(target.calendarId)),
    ).toEqual([]);
    expect((await catalogRecords(call, 'pub', 'calendars', YEAR)).get(String(target.structureId))?.status).toBe('deleted');
  });

  it('publishes an error record once it is fixed (Now – Errors), and drops unpublished ones on Remove – Unpublished', async () => {
    const untyped = (await sisCalendars()).find((c) => !c.typed && !c.excluded && !c.alphaSchool)!;
    await sis.query("UPDATE calendar SET type = 'REG' WHERE calendarID = $1", [untyped.calendarId]);
    expect((await publishAndWait(call, 'pub', { category: 'organization-calendars', option: 'errors', schoolYear: YEAR })).outcome).toBe('completed');
    expect((await catalogRecords(call, 'pub', 'calendars', YEAR)).get(String(untyped.structureId))?.status).toBe('published');
    expect((await publishAndWait(call, 'pub', { category: 'organization-calendars', option: 'remove-unpublished', schoolYear: YEAR })).outcome).toBe(
      'completed',
    );
    const left = [...(await catalogRecords(call, 'pub', 'calendars', YEAR)).values()];
    expect(left.filter((r) => r.status === 'error' || r.status === 'dependency')).toEqual([]);
  });

  it('withholds a calendar whose school is not published as a computed dependency, and publishes it once the school is', async () => {
    const school = (
      await sis.query<{ schoolId: number }>(
        `INSERT INTO school (districtID, name, number, stateSchoolNumber, type, titleI, exclude) SELECT districtID, 'New Campus', '099', number || '099', 'E', false, false FROM district RETURNING schoolID AS "schoolId"`,
      )
    ).rows[0];
    const cal = (
      await sis.query<{ calendarId: number }>(
        `INSERT INTO calendar (schoolID, endYear, name, type, programType, startDate, endDate, summerSchool, exclude) VALUES ($1, $2, 'New Campus 24-25', 'REG', '01', '2024-08-14', '2025-05-29', false, false) RETURNING calendarID AS "calendarId"`,
        [school.schoolId, YEAR],
      )
    ).rows[0];
    const structure = (
      await sis.query<{ structureId: number }>(
        `INSERT INTO schedulestructure (calendarID, name, isPrimary) VALUES ($1, 'Main', true) RETURNING structureID AS "structureId"`,
        [cal.calendarId],
      )
    ).rows[0];
    await sis.query(`INSERT INTO gradelevel (calendarID, name, seq) VALUES ($1, '01', 1)`, [cal.calendarId]);
    await publishAndWait(call, 'pub', { category: 'organization-calendars', option: 'changes', schoolYear: YEAR });
    const waiting = (await catalogRecords(call, 'pub', 'calendars', YEAR)).get(String(structure.structureId));
    expect(waiting?.status).toBe('dependency');
    expect(waiting?.statusDescription).toMatch(/^School Record: the referenced School \(schoolReference\) has not been published yet/);
    // Its root cause is the school, though the catalog has not seen that school yet.
    const behindSchool = async () =>
      (await call(`/api/profiles/pub/root-causes?resource=calendars&schoolYear=${YEAR}`))
        .json<RootCauses>()
        .groups.find((g) => g.blocker?.resource === 'schools' && g.blocker.state === 'missing');
    expect(await behindSchool()).toMatchObject({
      status: 'dependency',
      count: 1,
      byResource: [{ resource: 'calendars', label: 'School Calendar', count: 1 }],
      blocker: { records: 1, open: null },
      sample: { resource: 'calendars', sourceKey: String(structure.structureId) },
      fix: expect.stringMatching(/^No such School is in this profile's catalog/) as unknown,
    });
    // Publishing the school brings the calendar's try forward and wakes the profile's sweeper (its timetable says a minute).
    await publishAndWait(call, 'pub', { category: 'organization-catalog', option: 'changes', schoolYear: YEAR });
    const deadline = Date.now() + 45_000;
    let status = waiting?.status;
    while (status !== 'published' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      status = (await catalogRecords(call, 'pub', 'calendars', YEAR)).get(String(structure.structureId))?.status;
    }
    expect(status).toBe('published');
    expect(await behindSchool()).toBeUndefined();
    ran.set('dependency-retries', 'dependency-retries/pub');
  });

  it('publishes and deletes one record from its details, each as a small workflow', async () => {
    const published = [...(await catalogRecords(call, 'pub', 'calendars', YEAR)).values()].find((r) => r.status === 'published')!;
    type Dates = { firstPublishedAt: string; lastPublishedAt: string; createdAt: string };
    const dates = async () => (await call(`/api/profiles/pub/records/calendars/${published.sourceKey}?schoolYear=${YEAR}`)).json<Dates>();
    const before = await dates();
    const again = await call({ method: 'POST', url: `/api/profiles/pub/records/calendars/${published.sourceKey}/publish`, payload: { schoolYear: YEAR } });
    expect(again.json()).toEqual({ workflowId: `record/pub/${YEAR}/ed-fi/calendars/${published.sourceKey}`, outcome: 'published' });
    // Date Last Published moves with the republish; first published and created stay.
    const after = await dates();
    expect(Date.parse(after.lastPublishedAt)).toBeGreaterThan(Date.parse(before.lastPublishedAt));
    expect(after).toMatchObject({ firstPublishedAt: before.firstPublishedAt, createdAt: before.createdAt });
    ran.set('record-action', `record/pub/${YEAR}/ed-fi/calendars/${published.sourceKey}`);
    // Delete goes out without validation; dependents must go first, so delete a calendar date.
    const date = [...(await catalogRecords(call, 'pub', 'calendarDates', YEAR)).values()].find((r) => r.status === 'published')!;
    const gone = await call({ method: 'POST', url: `/api/profiles/pub/records/calendarDates/${date.sourceKey}/delete`, payload: { schoolYear: YEAR } });
    expect(gone.json()).toMatchObject({ outcome: 'deleted' });
    expect((await inOds('ed-fi/calendarDates')).some((d) => d.id === date.edfiId)).toBe(false);
    expect((await catalogRecords(call, 'pub', 'calendarDates', YEAR)).get(date.sourceKey)?.status).toBe('deleted');
    const clerk = asClient(h.app, await apiKeyHeader(h.orm, 'clerk'));
    expect(
      (await clerk({ method: 'POST', url: `/api/profiles/pub/records/calendarDates/${date.sourceKey}/delete`, payload: { schoolYear: YEAR } })).statusCode,
    ).toBe(403);
  });

  it('resyncs with the ODS: drops catalog records the ODS lost, deletes district records nothing matches', async () => {
    const catalog = [...(await catalogRecords(call, 'pub', 'calendars', YEAR)).values()].filter((r) => r.status === 'published');
    const lost = catalog.find((r) => typeof r.naturalKey.calendarCode === 'string' && !r.naturalKey.calendarCode.includes('-'))!;
    // The ODS loses a calendar (its dates first), and someone adds a stray calendar for one of our schools.
    for (const d of await inOds('ed-fi/calendarDates'))
      if ((d.calendarReference as { calendarCode: string }).calendarCode === lost.naturalKey.calendarCode)
        await state.delete('ed-fi/calendarDates', String(d.id));
    expect((await state.delete('ed-fi/calendars', lost.edfiId!)).status).toBe(204);
    const school = lost.naturalKey.schoolId as number;
    expect(
      (
        await state.post('ed-fi/calendars', {
          calendarCode: 'STRAY',
          schoolReference: { schoolId: school },
          schoolYearTypeReference: { schoolYear: YEAR },
          calendarTypeDescriptor: 'uri://tea.texas.gov/CalendarTypeDescriptor#01',
        })
      ).status,
    ).toBe(201);
    // A school of the district the profile never published (the state loaded it; the SIS does not have it), with a stray calendar too.
    const leaId = Number((await sis.query<{ number: string }>('SELECT number FROM district')).rows[0].number);
    const unpublished = leaId * 1000 + 977;
    expect(
      (
        await state.post('ed-fi/schools', {
          schoolId: unpublished,
          nameOfInstitution: 'Loaded By The State',
          localEducationAgencyReference: { localEducationAgencyId: leaId },
          educationOrganizationCategories: [{ educationOrganizationCategoryDescriptor: 'uri://ed-fi.org/EducationOrganizationCategoryDescriptor#School' }],
          gradeLevels: [{ gradeLevelDescriptor: 'uri://ed-fi.org/GradeLevelDescriptor#First grade' }],
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await state.post('ed-fi/calendars', {
          calendarCode: 'STRAY2',
          schoolReference: { schoolId: unpublished },
          schoolYearTypeReference: { schoolYear: YEAR },
          calendarTypeDescriptor: 'uri://tea.texas.gov/CalendarTypeDescriptor#01',
        })
      ).status,
    ).toBe(201);
    const started = await call({ method: 'POST', url: '/api/profiles/pub/resync', payload: { category: 'organization-calendars', schoolYear: YEAR } });
    expect(started.statusCode).toBe(202);
    const result: unknown = await h.client.workflow.getHandle(started.json<{ workflowId: string }>().workflowId).result();
    ran.set('resync', started.json<{ workflowId: string }>().workflowId);
    expect(result).toEqual(expect.arrayContaining([expect.objectContaining({ resource: 'ed-fi/calendars', dropped: 1, deleted: 2 })]));
    expect((await inOds('ed-fi/calendars')).map((c) => c.calendarCode)).not.toContain('STRAY');
    expect((await inOds('ed-fi/calendars')).map((c) => c.calendarCode)).not.toContain('STRAY2');
    expect((await catalogRecords(call, 'pub', 'calendars', YEAR)).has(lost.sourceKey)).toBe(false);
    // The next Now – Changes sends the lost calendar again.
    await publishAndWait(call, 'pub', { category: 'organization-calendars', option: 'changes', schoolYear: YEAR });
    expect((await inOds('ed-fi/calendars')).map((c) => c.calendarCode)).toContain(lost.naturalKey.calendarCode);
  });

  it('resync deletes a calendar excluded after it was sent, and its dates, even with the resources toggled off (seed 001)', async () => {
    const published = [...(await catalogRecords(call, 'pub', 'calendars', YEAR)).values()].filter((r) => r.status === 'published');
    const odsDates = await inOds('ed-fi/calendarDates');
    // The calendar (all its schedule structures) with the most dates in the ODS; its codes follow the calendar code rule.
    const rows = (await sisCalendars()).filter((c) => !c.excluded && published.some((p) => p.sourceKey === String(c.structureId)));
    const codeOf = (c: CalendarRow): string => (c.structures === 1 ? String(c.calendarId) : `${c.calendarId}-${c.structureId}`);
    const datesOf = (codes: readonly string[]) => odsDates.filter((d) => codes.includes((d.calendarReference as { calendarCode: string }).calendarCode));
    const byCalendar = [...new Set(rows.map((c) => c.calendarId))].map((id) => ({
      id,
      codes: rows.filter((c) => c.calendarId === id).map(codeOf),
      structures: rows.filter((c) => c.calendarId === id).map((c) => String(c.structureId)),
    }));
    const target = byCalendar.sort((a, b) => datesOf(b.codes).length - datesOf(a.codes).length)[0];
    const datesBefore = datesOf(target.codes).length;
    expect(datesBefore).toBeGreaterThan(0);
    for (const r of ['calendars', 'calendarDates'])
      await call({ method: 'PUT', url: `/api/profiles/pub/resources/${r}/preferences`, payload: { enabled: false } });
    await sis.query('UPDATE calendar SET exclude = true WHERE calendarID = $1', [target.id]);
    try {
      const started = await call({ method: 'POST', url: '/api/profiles/pub/resync', payload: { category: 'organization-calendars', schoolYear: YEAR } });
      const result: unknown = await h.client.workflow.getHandle(started.json<{ workflowId: string }>().workflowId).result();
      expect(result).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ resource: 'ed-fi/calendars', leftSis: target.codes.length, errors: 0 }),
          expect.objectContaining({ resource: 'ed-fi/calendarDates', leftSis: datesBefore, errors: 0 }),
        ]),
      );
      const left = (await inOds('ed-fi/calendars')).map((c) => c.calendarCode);
      for (const code of target.codes) expect(left).not.toContain(code);
      expect((await inOds('ed-fi/calendarDates')).filter((d) => target.codes.includes((d.calendarReference as { calendarCode: string }).calendarCode))).toEqual(
        [],
      );
      const catalog = await catalogRecords(call, 'pub', 'calendars', YEAR);
      for (const s of target.structures) expect(catalog.get(s)?.status).toBe('deleted');
    } finally {
      await sis.query('UPDATE calendar SET exclude = false WHERE calendarID = $1', [target.id]);
      for (const r of ['calendars', 'calendarDates'])
        await call({ method: 'PUT', url: `/api/profiles/pub/resources/${r}/preferences`, payload: { enabled: true } });
    }
  });

  it('publishes local descriptors for unmapped codes on their own (Descriptors: Now – All), counting a value already there as published', async () => {
    const local = [...(await catalogRecords(call, 'pub', 'gradeLevelDescriptors', YEAR)).values()];
    expect(local.length).toBeGreaterThan(0);
    expect(local.every((d) => d.status === 'published' && String(d.naturalKey.namespace).startsWith('uri://local.texas.gov/'))).toBe(true);
    const run = await publishAndWait(call, 'pub', { category: 'descriptors', option: 'all', schoolYear: YEAR });
    expect(run.outcome).toBe('completed');
    expect([...(await catalogRecords(call, 'pub', 'gradeLevelDescriptors', YEAR)).values()].every((d) => d.status === 'published')).toBe(true);
  });

  it('sends records in dependency once their data is fixed (Now – Dependencies)', async () => {
    const school = (
      await sis.query<{ id: number }>(
        `INSERT INTO school (districtID, name, number, stateSchoolNumber, type, titleI, exclude) SELECT districtID, 'No Grades Yet', '097', number || '097', 'E', false, false FROM district RETURNING schoolID AS id`,
      )
    ).rows[0];
    await publishAndWait(call, 'pub', { category: 'organization-catalog', option: 'changes', schoolYear: YEAR });
    const waiting = (await catalogRecords(call, 'pub', 'schools', YEAR)).get(String(school.id));
    expect(waiting).toMatchObject({ status: 'dependency' });
    expect(waiting?.statusDescription).toContain('Grade Levels');
    await addCalendar(school.id, 'REG', false);
    await publishAndWait(call, 'pub', { category: 'organization-catalog', option: 'dependencies', schoolYear: YEAR });
    expect((await catalogRecords(call, 'pub', 'schools', YEAR)).get(String(school.id))?.status).toBe('published');
  });

  it('keeps records out of the Temporal history: a category run holds batch numbers, not the JSON', async () => {
    const queue = (await call('/api/profiles/pub/publish-queue')).json<{ recent: Array<{ workflowId: string; category: string }> }>();
    const last = queue.recent.find((r) => r.category === 'organization-calendars')!;
    const history = await historyText(h.client, last.workflowId);
    expect(history).toContain('sendBatch');
    expect(history).not.toContain('calendarReference');
    expect(history).not.toContain('CalendarEventDescriptor');
  });
});

describe('the rest of the Organization group', () => {
  it('publishes the course and program catalogs, rooms and periods, sessions, schedules and bell schedules; grading periods wait for the Reporting Terms mapping', async () => {
    // A room number longer than the Ed-Fi model allows: caught by the model check, never sent.
    const longRoom = (
      await sis.query<{ id: number }>("UPDATE room SET name = repeat('R', 70) WHERE roomID = (SELECT min(roomID) FROM room) RETURNING roomID AS id")
    ).rows[0].id;
    for (const category of ['course-catalog', 'program-catalog', 'organization-info', 'organization-calendars', 'organization-schedules']) {
      expect((await publishAndWait(call, 'pub', { category, option: 'changes', schoolYear: YEAR })).outcome).toBe('completed');
    }
    const statuses = async (resource: string): Promise<Record<string, number>> => {
      const out: Record<string, number> = {};
      for (const r of (await catalogRecords(call, 'pub', resource, YEAR)).values()) out[r.status] = (out[r.status] ?? 0) + 1;
      return out;
    };
    for (const resource of ['courses', 'programs', 'locations', 'classPeriods', 'sessions', 'courseOfferings', 'sections', 'bellSchedules']) {
      const s = await statuses(resource);
      expect(s.published, resource).toBeGreaterThan(0);
      // The only errors are the Alpha Academy's non-numeric school id and the too-long room number
      // (the room itself, and the sections that refer to it by that number).
      const errors = [...(await catalogRecords(call, 'pub', resource, YEAR)).values()].filter((r) => r.status === 'error');
      for (const e of errors)
        expect(e.statusDescription, `${resource} error`).toMatch(
          new RegExp(`${NON_NUMERIC_SCHOOL_ID.slice(0, 30)}|classroomIdentificationCode is 70 characters`),
        );
      expect(errors.filter((e) => !e.statusDescription?.includes('classroomIdentificationCode')).length, `${resource} errors`).toBeLessThanOrEqual(2);
    }
    const room = (await catalogRecords(call, 'pub', 'locations', YEAR)).get(String(longRoom));
    expect(room?.status).toBe('error');
    expect(room?.statusDescription).toBe(
      'Not sent: classroomIdentificationCode is 70 characters; at most 60 are allowed. Correct it in the SIS, then run Now – Errors.',
    );
    expect((await inOds('ed-fi/locations')).some((l) => String(l.classroomIdentificationCode).startsWith('RRRR'))).toBe(false);
    const periods = [...(await catalogRecords(call, 'pub', 'gradingPeriods', YEAR)).values()];
    expect(periods.length).toBeGreaterThan(0);
    expect(periods.filter((p) => p.status === 'dependency').every((p) => p.statusDescription?.startsWith('Reporting Terms: the grading period code'))).toBe(
      true,
    );
    expect((await inOds('ed-fi/sections')).length).toBe((await statuses('sections')).published);

    // One cause per problem, not one row per record: every waiting or failed record is counted once,
    // and the sections that refer to the too-long room share one group.
    const schedules = (await call(`/api/profiles/pub/root-causes?category=organization-schedules&schoolYear=${YEAR}`)).json<RootCauses>();
    let notPublished = 0;
    for (const resource of ['courseOfferings', 'sections', 'bellSchedules']) {
      const s = await statuses(resource);
      notPublished += (s.dependency ?? 0) + (s.error ?? 0);
    }
    expect(schedules.total).toBe(notPublished);
    const roomSections = [...(await catalogRecords(call, 'pub', 'sections', YEAR)).values()].filter((r) =>
      r.statusDescription?.includes('classroomIdentificationCode is 70 characters'),
    ).length;
    const roomCause = schedules.groups.find((g) => g.description?.includes('classroomIdentificationCode is 70 characters'));
    expect(roomSections).toBeGreaterThan(1);
    expect(roomCause).toMatchObject({ status: 'error', count: roomSections, blocker: null });
    expect(schedules.groups.length).toBeLessThan(notPublished);
    expect(schedules.groups.map((g) => g.count)).toEqual(schedules.groups.map((g) => g.count).sort((a, b) => b - a));
  });
});

describe('Now – Changes from the SIS event queue', () => {
  type Run = {
    extractions: Array<{ resource: string; mode: 'changes' | 'full'; staged: number; why?: string }>;
    published: number;
    deleted: number;
    dependency: number;
    error: number;
    workflowId: string;
  };
  const schedules = async (): Promise<Run> => {
    const done = await publishAndWait(call, 'pub', { category: 'organization-schedules', option: 'changes', schoolYear: YEAR });
    expect(done.outcome).toBe('completed');
    return { ...((await h.client.workflow.getHandle(done.workflowId).result()) as Run), workflowId: done.workflowId };
  };
  /** Batches the run sent through its delete pass (one activity each). */
  const deletePasses = async (run: Run): Promise<number> => (await historyText(h.client, run.workflowId)).split('"phase":"delete"').length - 1;
  const modeOf = (run: Run, resource: string) => run.extractions.find((e) => e.resource === `ed-fi/${resource}`);

  it('reads only the records the events touched, and leaves the catalog as a full read would', async () => {
    // The earlier runs read everything and left watermarks: nothing changed, nothing read.
    const quiet = await schedules();
    expect(modeOf(quiet, 'sections')).toEqual({ resource: 'ed-fi/sections', mode: 'changes', staged: 0 });
    expect(quiet.published + quiet.deleted).toBe(0);
    // Nothing to delete: no batch goes through the delete pass.
    expect(await deletePasses(quiet)).toBe(0);

    // Changes in the section's own table (another room), in a course's name (its offerings are read;
    // its sections are not, their records hold no course name), in a room's seats (its location; not
    // its sections, which hold only its number) and a new meeting (a new term record of a section,
    // whose offering that term does not exist).
    const section = (
      await sis.query<{
        id: number;
        courseid: number;
        roomid: number;
      }>(`SELECT x.sectionID AS id, x.courseID, x.roomID FROM section x JOIN room r ON r.roomID = x.roomID JOIN course co ON co.courseID = x.courseID JOIN calendar c ON c.calendarID = co.calendarID
        WHERE length(r.name) < 20 AND c.schoolID = (SELECT min(schoolID) FROM school) ORDER BY x.sectionID LIMIT 1`)
    ).rows[0];
    const otherRoom = await sis.query(
      `UPDATE section x SET roomID = (SELECT r2.roomID FROM room r JOIN room r2 ON r2.schoolID = r.schoolID AND r2.roomID <> r.roomID WHERE r.roomID = x.roomID AND length(r2.name) < 20 ORDER BY r2.roomID LIMIT 1)
        WHERE x.sectionID = $1 RETURNING x.roomID`,
      [section.id],
    );
    expect(otherRoom.rowCount).toBe(1);
    await sis.query("UPDATE course SET name = name || ' II' WHERE courseID = $1", [section.courseid]);
    await sis.query('UPDATE room SET maxStudents = coalesce(maxStudents, 30) + 1 WHERE roomID = $1', [section.roomid]);
    const moved = await sis.query<{ id: number }>(
      `INSERT INTO sectionplacement (sectionID, termID, periodID)
       SELECT x.sectionID, t.termID, p.periodID FROM section x JOIN sectionplacement sp ON sp.sectionID = x.sectionID
         JOIN term t ON t.structureID = (SELECT structureID FROM term WHERE termID = sp.termID) AND t.termID <> sp.termID
         JOIN period p ON p.periodID = sp.periodID
        WHERE x.sectionID = (SELECT min(x2.sectionID) FROM section x2 JOIN sectionplacement sp2 ON sp2.sectionID = x2.sectionID
                              WHERE (SELECT count(DISTINCT termID) FROM sectionplacement WHERE sectionID = x2.sectionID) = 1 AND x2.sectionID > $1)
        LIMIT 1 RETURNING sectionID AS id`,
      [section.id],
    );
    expect(moved.rowCount).toBe(1);
    // The room's location goes out on Organization Info.
    const info = await publishAndWait(call, 'pub', { category: 'organization-info', option: 'changes', schoolYear: YEAR });
    const infoRun = (await h.client.workflow.getHandle(info.workflowId).result()) as Run;
    expect(modeOf(infoRun, 'locations')).toEqual({ resource: 'ed-fi/locations', mode: 'changes', staged: 1 });
    expect(infoRun.published).toBe(1);
    const changed = await schedules();
    const sections = modeOf(changed, 'sections')!;
    const offerings = modeOf(changed, 'courseOfferings')!;
    expect(sections.mode).toBe('changes');
    expect(offerings.mode).toBe('changes');
    const all = (await catalogRecords(call, 'pub', 'sections', YEAR)).size;
    expect(sections.staged).toBeGreaterThan(2);
    expect(sections.staged).toBeLessThan(all / 2);
    expect(changed.error).toBe(0);
    expect(changed.published).toBeGreaterThanOrEqual(1);
    const records = await catalogRecords(call, 'pub', 'sections', YEAR);
    expect([...records.values()].filter((r) => r.sourceKey.startsWith(`${section.id}-`)).map((r) => r.status)).toEqual(expect.arrayContaining(['published']));
    // Exactly the two sections' records were read: the course's and the room's other sections were not.
    const traced = [section.id, moved.rows[0].id].map((id) => `${id}-`);
    expect(sections.staged).toBe([...records.keys()].filter((k) => traced.some((t) => k.startsWith(t))).length);
    const added = [...records.values()].filter((r) => r.status === 'dependency' && r.statusDescription?.startsWith('CourseOffering Record'));
    expect(added.length).toBe(changed.dependency);

    // Read everything now: a complete change-driven run left nothing for a full read to send.
    await h.orm.em.getConnection().execute("DELETE FROM change_watermark WHERE profile_id = 'pub' AND resource IN ('sections', 'courseOfferings')");
    const full = await schedules();
    expect(modeOf(full, 'sections')).toMatchObject({ mode: 'full', why: 'no complete run to start from' });
    expect(modeOf(full, 'sections')!.staged).toBeGreaterThan(sections.staged);
    expect(full.published + full.deleted + full.error + full.dependency).toBe(0);
  });

  it('reads the whole resource when an event cannot be traced (a deleted meeting), and deletes the record it ended', async () => {
    const placement = (
      await sis.query<{ id: number; section: number; term: number }>(
        `SELECT min(sp.placementID) AS id, sp.sectionID AS section, sp.termID AS term FROM sectionplacement sp
        WHERE (SELECT count(DISTINCT termID) FROM sectionplacement WHERE sectionID = sp.sectionID) = 2
        GROUP BY sp.sectionID, sp.termID HAVING count(*) = 1 ORDER BY sp.sectionID LIMIT 1`,
      )
    ).rows[0];
    const key = `${placement.section}-${placement.term}`;
    expect((await catalogRecords(call, 'pub', 'sections', YEAR)).get(key)?.status).toBe('published');
    await sis.query('DELETE FROM sectionplacement WHERE placementID = $1', [placement.id]);
    const run = await schedules();
    expect(modeOf(run, 'sections')).toMatchObject({ mode: 'full', why: 'a sectionplacement row was deleted (the records that used it cannot be traced)' });
    expect(run.deleted).toBe(1);
    expect(await deletePasses(run)).toBe(1);
    expect((await catalogRecords(call, 'pub', 'sections', YEAR)).get(key)?.status).toBe('deleted');
    // The full read set the watermark again: the next run is traced.
    expect(modeOf(await schedules(), 'sections')).toEqual({ resource: 'ed-fi/sections', mode: 'changes', staged: 0 });
  });

  it('traces a school day that stops being instructional to the sessions and grading periods that hold it, not every one — and a change they do not count to none', async () => {
    const calendars = async (): Promise<Run> => {
      const done = await publishAndWait(call, 'pub', { category: 'organization-calendars', option: 'changes', schoolYear: YEAR });
      expect(done.outcome).toBe('completed');
      return (await h.client.workflow.getHandle(done.workflowId).result()) as Run;
    };
    await calendars();
    const day = (
      await sis.query<{ id: number; sessions: number; periods: number }>(
        `SELECT d.dayID AS id,
                (SELECT count(*)::int FROM term t WHERE t.structureID = d.structureID AND d.date BETWEEN t.startDate AND t.endDate) AS sessions,
                (SELECT count(*)::int FROM gradingperiod g WHERE g.structureID = d.structureID AND d.date BETWEEN g.startDate AND g.endDate) AS periods
           FROM day d JOIN schedulestructure ss ON ss.structureID = d.structureID AND ss.isPrimary JOIN calendar c ON c.calendarID = d.calendarID
           JOIN school s ON s.schoolID = c.schoolID
          WHERE d.instruction AND c.endYear = $1 AND c.type = 'REG' AND NOT c.exclude AND NOT s.exclude AND s.stateSchoolNumber ~ '^[0-9]+$'
            AND EXISTS (SELECT 1 FROM gradingperiod g WHERE g.structureID = d.structureID AND d.date BETWEEN g.startDate AND g.endDate)
          ORDER BY d.dayID LIMIT 1`,
        [YEAR],
      )
    ).rows[0];
    // Its event code changes (an early-release day): nothing they count changed, so neither is read.
    await sis.query("UPDATE day SET eventCode = CASE WHEN eventCode = 'ER' THEN 'ID' ELSE 'ER' END WHERE dayID = $1", [day.id]);
    const recoded = await calendars();
    expect(modeOf(recoded, 'sessions')).toEqual({ resource: 'ed-fi/sessions', mode: 'changes', staged: 0 });
    expect(modeOf(recoded, 'gradingPeriods')).toEqual({ resource: 'ed-fi/gradingPeriods', mode: 'changes', staged: 0 });
    await sis.query('UPDATE day SET instruction = false WHERE dayID = $1', [day.id]);
    try {
      const run = await calendars();
      const allSessions = (await catalogRecords(call, 'pub', 'sessions', YEAR)).size;
      const allPeriods = (await catalogRecords(call, 'pub', 'gradingPeriods', YEAR)).size;
      expect(modeOf(run, 'sessions')).toEqual({ resource: 'ed-fi/sessions', mode: 'changes', staged: day.sessions });
      expect(modeOf(run, 'gradingPeriods')).toEqual({ resource: 'ed-fi/gradingPeriods', mode: 'changes', staged: day.periods });
      expect(day.sessions + day.periods).toBeLessThan((allSessions + allPeriods) / 2);
      // Each holder's instructional-day count fell by one: each goes again (or waits, a grading period whose reporting term is unmapped).
      expect(run.published + run.dependency).toBeGreaterThanOrEqual(day.sessions + day.periods);
    } finally {
      // Back to instructional: the same holders are read and sent again.
      await sis.query('UPDATE day SET instruction = true WHERE dayID = $1', [day.id]);
      const back = await calendars();
      expect(modeOf(back, 'sessions')).toEqual({ resource: 'ed-fi/sessions', mode: 'changes', staged: day.sessions });
      expect(back.published).toBeGreaterThanOrEqual(day.sessions + day.periods);
    }
  });

  it('reads a small resource not at all when none of its tables changed, and whole after a change in one', async () => {
    let workflowId = '';
    const catalog = async (): Promise<Run> => {
      const done = await publishAndWait(call, 'pub', { category: 'organization-catalog', option: 'changes', schoolYear: YEAR });
      workflowId = done.workflowId;
      return (await h.client.workflow.getHandle(done.workflowId).result()) as Run;
    };
    await catalog();
    const quiet = await catalog();
    expect(modeOf(quiet, 'schools')).toEqual({ resource: 'ed-fi/schools', mode: 'changes', staged: 0 });
    expect(modeOf(quiet, 'localEducationAgencies')).toEqual({ resource: 'ed-fi/localEducationAgencies', mode: 'changes', staged: 0 });
    const published = [...(await catalogRecords(call, 'pub', 'schools', YEAR)).values()].find((r) => r.status === 'published')!;
    const school = (
      await sis.query<{ id: number }>("UPDATE school SET name = name || ' Campus' WHERE schoolID = $1 RETURNING schoolID AS id", [Number(published.sourceKey)])
    ).rows[0];
    const changed = await catalog();
    expect(modeOf(changed, 'schools')).toMatchObject({ mode: 'full', why: 'a change in school, which feeds every record' });
    expect(modeOf(changed, 'localEducationAgencies')).toEqual({ resource: 'ed-fi/localEducationAgencies', mode: 'changes', staged: 0 });
    // The district was not even extracted: its preparation saw no event of its tables.
    const extracts = (await historySteps(h.client, workflowId)).filter((step) => step.kind === 'scheduled' && step.name === 'extractAndPlan');
    expect(extracts.map((step) => (step.input as { resource: string }).resource)).toEqual(['ed-fi/schools']);
    expect(changed.published).toBe(1);
    expect((await catalogRecords(call, 'pub', 'schools', YEAR)).get(String(school.id))?.status).toBe('published');
    expect(modeOf(await catalog(), 'schools')).toEqual({ resource: 'ed-fi/schools', mode: 'changes', staged: 0 });
  });

  it("ends a Now – Changes at its preparation when nothing changed for any of its resources, moving their watermarks past other tables' events", async () => {
    const catalog = async (): Promise<{ run: Run; workflowId: string }> => {
      const done = await publishAndWait(call, 'pub', { category: 'organization-catalog', option: 'changes', schoolYear: YEAR });
      return { run: (await h.client.workflow.getHandle(done.workflowId).result()) as Run, workflowId: done.workflowId };
    };
    await catalog();
    // A change the Organization Catalog does not read (a course's name) is an event past its watermarks.
    await sis.query("UPDATE course SET name = name || ' (quiet)' WHERE courseID = (SELECT min(courseID) FROM course)");
    const latest = Number((await sis.query<{ id: string }>('SELECT max(eventID) AS id FROM event_queue')).rows[0].id);
    const quiet = await catalog();
    expect(modeOf(quiet.run, 'schools')).toEqual({ resource: 'ed-fi/schools', mode: 'changes', staged: 0 });
    expect(quiet.run.published + quiet.run.error + quiet.run.dependency + quiet.run.deleted).toBe(0);
    // No resource was extracted: the run was its preparation alone, a local activity in its first
    // workflow task (no activity task went through the server).
    const history = await historyText(h.client, quiet.workflowId);
    expect(history).toContain('prepareCategory');
    expect(history).toContain('core_local_activity');
    expect(history).not.toContain('activityTaskScheduledEventAttributes');
    expect(history).not.toContain('extractAndPlan');
    const marks = await h.orm.em
      .getConnection()
      .execute<Array<{ resource: string; event_id: string }>>(
        "SELECT resource, event_id FROM change_watermark WHERE profile_id = 'pub' AND resource IN ('schools', 'localEducationAgencies')",
      );
    expect(marks.map((m) => Number(m.event_id))).toEqual([latest, latest]);
    // A change it reads is not quiet: the school goes out.
    const published = [...(await catalogRecords(call, 'pub', 'schools', YEAR)).values()].find((r) => r.status === 'published')!;
    await sis.query("UPDATE school SET name = name || ' Annex' WHERE schoolID = $1", [Number(published.sourceKey)]);
    const changed = await catalog();
    expect(changed.run.published).toBe(1);
    expect(await historyText(h.client, changed.workflowId)).toContain('extractAndPlan');
    // Its history replays against the current code (RECORD_FIXTURES=1 keeps it for workflows/replay.test.ts).
    const replayed = await h.client.workflow.getHandle(changed.workflowId).fetchHistory();
    if (process.env.RECORD_FIXTURES === '1')
      writeFileSync(path.resolve(import.meta.dirname, '../test/fixtures/category-publish-local-preparation-history.json'), historyToJSON(replayed));
    await Worker.runReplayHistory({ workflowsPath: WORKFLOWS_PATH, replayName: 'category-publish-local-preparation' }, replayed);
  });

  it("reads whole only the resources whose inputs changed: a calendar-type mapping and calendars' grade-levels option re-read calendars, and nothing else", async () => {
    // IEP is a calendar type no calendar of the district uses: the JSON does not change, calendars' inputs do.
    const mapped = await call({
      method: 'PUT',
      url: '/api/profiles/pub/code-sets/calendar-types/mappings',
      payload: { code: 'IEP', target: { namespace: 'uri://ed-fi.org/CalendarTypeDescriptor', codeValue: 'Student Specific' } },
    });
    expect(mapped.statusCode, mapped.body).toBe(200);
    // An option the calendars mapper declares, through the API; one it does not declare is refused with what it offers.
    const option = await call({ method: 'PUT', url: '/api/profiles/pub/resources/calendars/preferences', payload: { options: { reportGradeLevels: true } } });
    expect(option.json(), option.body).toMatchObject({ options: [{ key: 'reportGradeLevels', value: true }] });
    const stray = await call({
      method: 'PUT',
      url: '/api/profiles/pub/resources/gradingPeriods/preferences',
      payload: { options: { reportGradeLevels: true } },
    });
    expect(stray.statusCode).toBe(400);
    expect(stray.json<{ message: string }>().message).toBe('gradingPeriods has no option "reportGradeLevels"; it offers none beyond enabled');
    const done = await publishAndWait(call, 'pub', { category: 'organization-calendars', option: 'changes', schoolYear: YEAR });
    expect(done.outcome, done.detail).toBe('completed');
    const run = { ...((await h.client.workflow.getHandle(done.workflowId).result()) as Run), workflowId: done.workflowId };
    const why = "its code sets' mappings, its resource preferences, its mapper's revision, the profile or the replica changed since the last complete run";
    expect(modeOf(run, 'calendars')).toMatchObject({ mode: 'full', why });
    expect(modeOf(run, 'gradingPeriods')?.why ?? '', JSON.stringify(modeOf(run, 'gradingPeriods'))).not.toBe(why);
    expect(modeOf(run, 'calendarDates')?.mode).toBe('changes');
    // Sessions read their own reason here (an earlier test added schools: "a change in school, …"), never calendars'.
    expect(modeOf(run, 'sessions')?.why ?? '', JSON.stringify(modeOf(run, 'sessions'))).not.toBe(why);
    // Another category's resources are not read whole for them (one shared fingerprint used to re-read everything).
    expect(modeOf(await schedules(), 'sections')?.mode).toBe('changes');
  });
});

describe('Preview – Changes', () => {
  type Counts = { post: number; update: number; rekey: number; delete: number };
  type Preview = {
    total: Counts;
    entities: Array<{ resource: string; counts: Counts; samples: Array<{ kind: string; naturalKey: Record<string, unknown>; changed?: string[] }> }>;
  };
  /** Every catalog row of the profile as it stands, to prove a preview changed none. */
  const catalogState = async (): Promise<string> =>
    (
      await h.orm.em
        .getConnection()
        .execute<Array<{ state: string | null }>>(
          "SELECT md5(string_agg(c::text, '|' ORDER BY resource, source_key)) AS state FROM catalog c WHERE profile_id = 'pub'",
        )
    )[0]?.state ?? '';

  it('plans as Now – Changes, sends and changes nothing, and says per entity what would go — and the Now – Changes after it sends just that', async () => {
    const [renamed] = (
      await sis.query<{ id: number; name: string }>(
        "SELECT schoolID AS id, name FROM school WHERE NOT exclude AND stateSchoolNumber ~ '^[0-9]+$' ORDER BY schoolID",
      )
    ).rows;
    await sis.query('UPDATE school SET name = $2 WHERE schoolID = $1', [renamed.id, `${renamed.name} (renamed)`]);
    await addSchool('Preview Prep', '255901097', false);
    const schoolsBefore = (await inOds('ed-fi/schools')).length;
    const catalogBefore = await catalogState();

    const run = await publishAndWait(call, 'pub', { category: 'organization-catalog', option: 'preview', schoolYear: YEAR });
    expect(run.outcome, run.detail).toBe('completed');
    expect(await catalogState()).toBe(catalogBefore);
    expect(await inOds('ed-fi/schools')).toHaveLength(schoolsBefore);
    // The records stay out of the run's history: it holds counts, not names.
    expect(await historyText(h.client, run.workflowId)).not.toContain('Preview Prep');

    const answer = await call(`/api/profiles/pub/preview?workflowId=${encodeURIComponent(run.workflowId)}`);
    expect(answer.statusCode, answer.body).toBe(200);
    const preview = answer.json<Preview>();
    const schools = preview.entities.find((e) => e.resource === 'schools');
    expect(schools?.counts).toEqual({ post: 1, update: 1, rekey: 0, delete: 0 });
    const update = schools?.samples.find((x) => x.kind === 'update');
    expect(update?.changed).toContain('nameOfInstitution');
    expect(schools?.samples.find((x) => x.kind === 'post')?.naturalKey).toEqual({ schoolId: 255901097 });
    // An unknown run says what to check.
    expect((await call('/api/profiles/pub/preview?workflowId=publish%2Fnone')).json<{ message: string }>().message).toMatch(
      /^no preview of run "publish\/none"/,
    );

    const changes = await publishAndWait(call, 'pub', { category: 'organization-catalog', option: 'changes', schoolYear: YEAR });
    expect(changes.outcome, changes.detail).toBe('completed');
    const sent = (await h.client.workflow.getHandle(changes.workflowId).result()) as { published: number; error: number; dependency: number; deleted: number };
    const t = preview.total;
    expect(sent.published + sent.error + sent.dependency).toBe(t.post + t.update + t.rekey);
    expect(sent.deleted).toBe(t.delete + t.rekey);
    expect((await inOds('ed-fi/schools')).map((x) => x.schoolId)).toContain(255901097);
    // The worker counted what it published, as its /metrics shows.
    const metrics = await h.workerMetrics?.registry.metrics();
    expect(metrics).toMatch(/^edx_records_total\{profile="pub",resource="schools",status="published"\} [1-9]/m);
    // The run traced the renamed school from the event queue: its commit → ODS time is observed.
    expect(metrics).toMatch(/^edx_changes_to_ods_seconds_count\{profile="pub",category="organization-catalog",resource="schools"\} [1-9]/m);
  }, 120_000);
});

describe('a school number change (seed 001: delete/post with the cascading deletes)', () => {
  it("deletes the school's calendars, dates, sessions and grading periods first, re-keys the school, and sends them again under the new number, from one Now – Changes", async () => {
    const schools = [...(await catalogRecords(call, 'pub', 'schools', YEAR)).values()].filter((r) => r.status === 'published');
    const odsCalendars = await inOds('ed-fi/calendars');
    const calendarsOf = (id: unknown, all: Array<Record<string, unknown>>) => all.filter((c) => (c.schoolReference as { schoolId: number }).schoolId === id);
    const school = schools.sort((a, b) => calendarsOf(b.naturalKey.schoolId, odsCalendars).length - calendarsOf(a.naturalKey.schoolId, odsCalendars).length)[0];
    const oldId = school.naturalKey.schoolId as number;
    const before = {
      calendars: calendarsOf(oldId, odsCalendars).length,
      dates: (await inOds('ed-fi/calendarDates')).filter((d) => (d.calendarReference as { schoolId: number }).schoolId === oldId).length,
    };
    expect(before.calendars).toBeGreaterThan(0);
    const newId = oldId + 700;
    await sis.query('UPDATE school SET edFiSchoolNumber = $2 WHERE schoolID = $1', [Number(school.sourceKey), newId]);
    const run = await publishAndWait(call, 'pub', { category: 'organization-catalog', option: 'changes', schoolYear: YEAR });
    expect(run.outcome, run.detail).toBe('completed');
    // The catalog run queued the calendars' category behind itself: no manual run.
    const deadline = Date.now() + 90_000;
    let after = { calendars: 0, dates: 0 };
    while (Date.now() < deadline) {
      after = {
        calendars: calendarsOf(newId, await inOds('ed-fi/calendars')).length,
        dates: (await inOds('ed-fi/calendarDates')).filter((d) => (d.calendarReference as { schoolId: number }).schoolId === newId).length,
      };
      if (after.calendars === before.calendars && after.dates === before.dates) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(after).toEqual(before);
    expect((await inOds('ed-fi/schools')).map((x) => x.schoolId)).toContain(newId);
    expect((await inOds('ed-fi/schools')).map((x) => x.schoolId)).not.toContain(oldId);
    expect(calendarsOf(oldId, await inOds('ed-fi/calendars'))).toEqual([]);
    expect((await catalogRecords(call, 'pub', 'schools', YEAR)).get(school.sourceKey)).toMatchObject({ status: 'published', naturalKey: { schoolId: newId } });
    const queue = (await call('/api/profiles/pub/publish-queue')).json<{ recent: Array<{ category: string; outcome: string }> }>();
    expect(queue.recent.filter((r) => r.category === 'organization-calendars').map((r) => r.outcome)).not.toContain('failed');
  }, 180_000);
});

describe('lightbeam validate', () => {
  it("passes the documents the publisher sent (every published ed-fi resource in the catalog) against the sandbox's OpenAPI metadata", async (ctx) => {
    const install = await installLightbeam(path.resolve(import.meta.dirname, '..'));
    if (!install.ok) {
      console.log(`lightbeam validate skipped: ${install.reason}`);
      ctx.skip();
      return;
    }
    const dir = mkdtempSync(path.join(tmpdir(), 'lightbeam-validate-'));
    try {
      const rows = await h.orm.em
        .getConnection()
        .execute<Array<{ resource: string; sent_json: Record<string, unknown> }>>(
          "SELECT resource, sent_json FROM catalog WHERE profile_id = 'pub' AND school_year = ? AND status = 'published' AND sent_json IS NOT NULL ORDER BY resource, source_key",
          [YEAR],
        );
      const byResource = new Map<string, string[]>();
      for (const r of rows) byResource.set(r.resource, [...(byResource.get(r.resource) ?? []), JSON.stringify(r.sent_json)]);
      const data = path.join(dir, 'data');
      mkdirSync(data);
      for (const [resource, lines] of byResource) writeFileSync(path.join(data, `${resource}.jsonl`), `${lines.join('\n')}\n`);
      expect(byResource.size).toBeGreaterThan(5);
      const output = await validateWithLightbeam({
        install,
        baseUrl: sandbox.baseUrl,
        key: DEFAULT_CLIENT.key,
        secret: DEFAULT_CLIENT.secret,
        dataDir: data,
        stateDir: path.join(dir, 'state'),
      });
      // One "all lines validate ok" per file; before the metadata marked identities, every line after the first was a "duplicate".
      expect(output.match(/all lines validate ok/g)?.length, output.slice(-3000)).toBe(byResource.size);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});

describe('determinism', () => {
  it('replays the histories of every workflow kind against the current code (RECORD_FIXTURES=1 records them as fixtures)', async () => {
    const queue = (await call('/api/profiles/pub/publish-queue')).json<{ recent: Array<{ workflowId: string; category: string }> }>();
    ran.set('category-publish', queue.recent.find((r) => r.category === 'organization-calendars')!.workflowId);
    ran.set('download', `download/pub/${YEAR}`);
    // The weekend schedule's workflow, started by hand: it queues the categories (the queue does the rest).
    const syncId = `scheduled-sync-test/${Date.now()}`;
    const queued: unknown = await h.client.workflow.execute('scheduledSync', {
      workflowId: syncId,
      taskQueue: h.config.taskQueues.publishing,
      args: [{ profileId: 'pub', kind: 'weekend' }],
    });
    expect(Array.isArray(queued)).toBe(true);
    ran.set('scheduled-sync', syncId);
    expect([...ran.keys()].sort()).toEqual(['category-publish', 'dependency-retries', 'download', 'record-action', 'resync', 'scheduled-sync']);
    for (const [name, workflowId] of ran) {
      const history = await h.client.workflow.getHandle(workflowId).fetchHistory();
      if (process.env.RECORD_FIXTURES === '1')
        writeFileSync(path.resolve(import.meta.dirname, `../test/fixtures/${name}-history.json`), historyToJSON(history));
      await Worker.runReplayHistory({ workflowsPath: WORKFLOWS_PATH, replayName: name }, history);
    }
  });
});
