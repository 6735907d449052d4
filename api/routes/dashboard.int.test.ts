import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProfile } from '../../db/profiles.js';
import { apiKeyHeader, asClient } from '../../test/auth.js';
import { removeProfileWorkflows, startApiHarness, type ApiHarness } from '../../test/apiHarness.js';
import { finishSignal } from '../../test/workflows/queueHarness.js';

let h: ApiHarness;
let call: ReturnType<typeof asClient>;
const profileId = `dash-${randomUUID().slice(0, 8)}`;

interface Row {
  resource: string;
  key: string;
  school: string;
  status: string;
  nk: Record<string, unknown>;
  at: string;
  description?: string;
}

const rows: Row[] = [
  { resource: 'calendars', key: '101-1', school: '101', status: 'published', nk: { calendarCode: '2101', schoolId: 101 }, at: '2025-08-01T10:00:00Z' },
  { resource: 'calendars', key: '101-2', school: '101', status: 'published', nk: { calendarCode: '2102', schoolId: 101 }, at: '2025-08-01T10:01:00Z' },
  {
    resource: 'calendars',
    key: '102-1',
    school: '102',
    status: 'dependency',
    nk: { calendarCode: '3101', schoolId: 102 },
    at: '2025-08-01T10:02:00Z',
    description: 'School record not published',
  },
  {
    resource: 'calendars',
    key: '102-2',
    school: '102',
    status: 'error',
    nk: { calendarCode: '3102', schoolId: 102 },
    at: '2025-08-01T10:03:00Z',
    description: "Unable to resolve value 'XX' to an existing 'CalendarTypeDescriptor' resource.",
  },
  { resource: 'calendarDates', key: 'd1', school: '101', status: 'published', nk: { date: '2025-08-12', calendarCode: '2101' }, at: '2025-08-01T11:00:00Z' },
  { resource: 'schools', key: '101', school: '101', status: 'published', nk: { schoolId: 101 }, at: '2025-07-01T09:00:00Z' },
];

beforeAll(async () => {
  h = await startApiHarness('dash', { worker: true });
  const em = h.orm.em.fork();
  const p = createProfile(em, { id: profileId, name: 'Dashboard ISD', profileType: 'SIS', schoolYears: [2025] });
  p.settings = { ...p.settings, DashboardDetailFilterOption: 'errors-or-dependencies-or-all' };
  await em.flush();
  const conn = h.orm.em.getConnection();
  for (const r of rows) {
    await conn.execute(
      `INSERT INTO catalog (profile_id, school_year, resource, source_key, school_id, natural_key, payload_hash, sent_json, edfi_id, status, status_description, updated_at) VALUES (?, 2025, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        profileId,
        r.resource,
        r.key,
        r.school,
        JSON.stringify(r.nk),
        '0'.repeat(32),
        JSON.stringify({ ...r.nk, sent: true }),
        r.status === 'published' ? `id-${r.key}` : null,
        r.status,
        r.description ?? null,
        r.at,
      ],
    );
  }
  call = asClient(h.app, await apiKeyHeader(h.orm, 'clerk'));
});

afterAll(async () => {
  await removeProfileWorkflows(h, profileId);
  await h?.close();
});

interface Dashboard {
  groups: Array<{
    id: string;
    categories: Array<{
      id: string;
      state: string | null;
      failedRun: { at: string; message: string; workflowId: string } | null;
      skipped: Array<{ resource: string; label: string; why: string }>;
      mark: string | null;
      counts: Record<string, number>;
      entities: Array<{ resource: string; mark: string | null; counts: Record<string, number> }>;
    }>;
  }>;
}
const category = (d: Dashboard, id: string) => d.groups.flatMap((g) => g.categories).find((c) => c.id === id)!;

describe('dashboard over HTTP', () => {
  it('counts and marks each entity and category from the catalog, in the district or one school', async () => {
    const d = (await call(`/api/profiles/${profileId}/dashboard?schoolYear=2025`)).json<Dashboard>();
    const calendars = category(d, 'organization-calendars');
    expect(calendars.counts).toEqual({ published: 3, dependency: 1, error: 1, pending: 0, excluded: 0 });
    expect(calendars.mark).toBe('error');
    expect(calendars.entities.map((e) => [e.resource, e.mark])).toEqual([
      ['calendars', 'error'],
      ['calendarDates', 'published'],
      ['gradingPeriods', null],
      ['sessions', null],
    ]);
    expect(category(d, 'organization-catalog').mark).toBe('published');
    const school101 = (await call(`/api/profiles/${profileId}/dashboard?schoolYear=2025&school=101`)).json<Dashboard>();
    expect(category(school101, 'organization-calendars')).toMatchObject({ mark: 'published', counts: { published: 3, dependency: 0, error: 0 } });
  });

  it('shows which category is publishing and which are waiting', async () => {
    await call({ method: 'POST', url: `/api/profiles/${profileId}/publish`, payload: { category: 'organization-calendars', schoolYear: 2025 } });
    await call({ method: 'POST', url: `/api/profiles/${profileId}/publish`, payload: { category: 'organization-schedules', schoolYear: 2025 } });
    const deadline = Date.now() + 20_000;
    let d = (await call(`/api/profiles/${profileId}/dashboard?schoolYear=2025`)).json<Dashboard>();
    while (category(d, 'organization-calendars').state !== 'publishing' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      d = (await call(`/api/profiles/${profileId}/dashboard?schoolYear=2025`)).json<Dashboard>();
    }
    expect(category(d, 'organization-calendars').state).toBe('publishing');
    expect(category(d, 'organization-schedules').state).toBe('waiting');
    expect(category(d, 'course-catalog').state).toBeNull();
    await h.client.workflow.getHandle(`publish/${profileId}/2025/organization-calendars/1`).signal(finishSignal, 'completed');
  });

  it("shows a queued run's failure on its category's row until it is dismissed or a later run succeeds; a waiting publish can be taken off the queue", async () => {
    const dashboard = async () => (await call(`/api/profiles/${profileId}/dashboard?schoolYear=2025`)).json<Dashboard>();
    const schedules = `publish/${profileId}/2025/organization-schedules/2`;
    await expect.poll(async () => category(await dashboard(), 'organization-schedules').state, { timeout: 20_000 }).toBe('publishing');
    await h.client.workflow.getHandle(schedules).signal(finishSignal, 'failed');
    await expect
      .poll(async () => category(await dashboard(), 'organization-schedules').failedRun, { timeout: 20_000 })
      .toMatchObject({ message: expect.stringContaining('test asked organization-schedules to fail') as unknown, workflowId: schedules });
    expect(category(await dashboard(), 'organization-calendars').failedRun).toBeNull();
    // What a completed run left out shows on its row.
    expect(category(await dashboard(), 'organization-calendars').skipped).toEqual([
      { resource: 'ed-fi/gradingPeriods', label: 'Grading Period', why: 'toggled off in the resource preferences: what was sent stays, nothing new is sent' },
    ]);
    // Read and dealt with: the clerk dismisses it.
    const dismissed = await call({ method: 'DELETE', url: `/api/profiles/${profileId}/publish-queue/2` });
    expect(dismissed.json()).toEqual({ dismissed: 'failed' });
    expect(category(await dashboard(), 'organization-schedules').failedRun).toBeNull();

    // Ticket 3 runs, ticket 4 waits: the waiting one can be taken off, the running one and finished successes cannot.
    for (const c of ['organization-schedules', 'organization-info'])
      await call({ method: 'POST', url: `/api/profiles/${profileId}/publish`, payload: { category: c, schoolYear: 2025 } });
    await expect.poll(async () => category(await dashboard(), 'organization-schedules').state, { timeout: 20_000 }).toBe('publishing');
    expect(category(await dashboard(), 'organization-info').state).toBe('waiting');
    expect((await call({ method: 'DELETE', url: `/api/profiles/${profileId}/publish-queue/4` })).json()).toEqual({ dismissed: 'waiting' });
    expect(category(await dashboard(), 'organization-info').state).toBeNull();
    const running = await call({ method: 'DELETE', url: `/api/profiles/${profileId}/publish-queue/3` });
    expect(running.statusCode).toBe(409);
    expect(running.json<{ message: string }>().message).toBe('#3 is publishing now: it cannot be dismissed, only waited for');
    const succeeded = await call({ method: 'DELETE', url: `/api/profiles/${profileId}/publish-queue/1` });
    expect(succeeded.statusCode).toBe(409);
    expect((await call({ method: 'DELETE', url: `/api/profiles/${profileId}/publish-queue/99` })).statusCode).toBe(404);
    expect((await call({ method: 'DELETE', url: `/api/profiles/other-${profileId}/publish-queue/1` })).statusCode).toBe(404);
    await h.client.workflow.getHandle(`publish/${profileId}/2025/organization-schedules/3`).signal(finishSignal, 'completed');
    await expect.poll(async () => category(await dashboard(), 'organization-schedules').state, { timeout: 20_000 }).toBeNull();
    expect(category(await dashboard(), 'organization-schedules').failedRun).toBeNull();
  });

  it('lists records with several statuses at once, stacked filters, sorting both ways and paging', async () => {
    type List = { total: number; statuses: string[] | null; rows: Array<{ sourceKey: string; status: string }> };
    // The profile's default (Errors or Dependencies or All): errors exist, so only they show.
    expect((await call(`/api/profiles/${profileId}/records?resource=calendars&schoolYear=2025`)).json<List>()).toMatchObject({ total: 1, statuses: ['error'] });
    const both = (await call(`/api/profiles/${profileId}/records?resource=calendars&schoolYear=2025&status=error,dependency&sort=sourceKey`)).json<List>();
    expect(both.rows.map((r) => r.sourceKey)).toEqual(['102-1', '102-2']);
    const filtered = (
      await call(
        `/api/profiles/${profileId}/records?resource=calendars&schoolYear=2025&status=published,error,dependency&filter=key.calendarCode:31&filter=statusDescription:descriptor`,
      )
    ).json<List>();
    expect(filtered.rows.map((r) => r.sourceKey)).toEqual(['102-2']);
    // The School filter matches what the list shows — the school's name — not only its catalog id.
    await h.orm.em
      .getConnection()
      .execute(`UPDATE catalog SET sent_json = sent_json || '{"nameOfInstitution":"Adams High School"}' WHERE profile_id = ? AND resource = 'schools'`, [
        profileId,
      ]);
    const bySchoolName = (
      await call(`/api/profiles/${profileId}/records?resource=calendars&schoolYear=2025&status=published,error,dependency&filter=schoolId:adams&sort=sourceKey`)
    ).json<List>();
    expect(bySchoolName.rows.map((r) => r.sourceKey)).toEqual(['101-1', '101-2']);
    const bySchoolId = (
      await call(`/api/profiles/${profileId}/records?resource=calendars&schoolYear=2025&status=published,error,dependency&filter=schoolId:102&sort=sourceKey`)
    ).json<List>();
    expect(bySchoolId.rows.map((r) => r.sourceKey)).toEqual(['102-1', '102-2']);
    const desc = (
      await call(
        `/api/profiles/${profileId}/records?resource=calendars&schoolYear=2025&status=published,error,dependency&sort=lastActivity&order=desc&pageSize=2&page=1`,
      )
    ).json<List>();
    expect(desc).toMatchObject({ total: 4 });
    expect(desc.rows.map((r) => r.sourceKey)).toEqual(['102-2', '102-1']);
    const page2 = (
      await call(
        `/api/profiles/${profileId}/records?resource=calendars&schoolYear=2025&status=published,error,dependency&sort=lastActivity&order=desc&pageSize=2&page=2`,
      )
    ).json<List>();
    expect(page2.rows.map((r) => r.sourceKey)).toEqual(['101-2', '101-1']);
    const bad = await call(`/api/profiles/${profileId}/records?resource=calendars&filter=password:x`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ field: string }>().field).toBe('filter');
  });

  it('keeps its counts in step as records change status or leave the catalog', async () => {
    const conn = h.orm.em.getConnection();
    await conn.execute("UPDATE catalog SET status = 'published', updated_at = now() WHERE profile_id = ? AND source_key = '102-2'", [profileId]);
    let d = (await call(`/api/profiles/${profileId}/dashboard?schoolYear=2025`)).json<Dashboard>();
    expect(category(d, 'organization-calendars')).toMatchObject({ mark: 'dependency', counts: { published: 4, dependency: 1, error: 0 } });
    await conn.execute("DELETE FROM catalog WHERE profile_id = ? AND source_key = '102-1'", [profileId]);
    d = (await call(`/api/profiles/${profileId}/dashboard?schoolYear=2025`)).json<Dashboard>();
    expect(category(d, 'organization-calendars')).toMatchObject({ mark: 'published', counts: { published: 4, dependency: 0, error: 0 } });
  });

  it("gives a record's details with every field the guide lists and the JSON sent", async () => {
    const res = await call(`/api/profiles/${profileId}/records/calendars/101-1?schoolYear=2025`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      resource: 'calendars',
      category: 'Organization Calendars',
      edfiId: 'id-101-1',
      status: 'published',
      schoolYear: 2025,
      profileType: 'SIS',
      profileId,
      profileName: 'Dashboard ISD',
      organizationId: '101',
      createdAt: expect.any(String) as unknown,
      updatedAt: expect.any(String) as unknown,
      naturalKey: { calendarCode: '2101' },
      sentJson: { calendarCode: '2101', sent: true },
    });
    expect((await call(`/api/profiles/${profileId}/records/calendars/nope?schoolYear=2025`)).statusCode).toBe(404);
  });
});
