/**
 * Refusals no retry can fix (issue 16, item 1): a key whose education organizations no longer
 * include the district's, or whose claim set lacks a resource, is a set-up problem of the
 * connection — the run stops, the records are errors (not dependencies retried every 10–99
 * minutes), the dashboard and Configure say what to fix, and a passing Test clears it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { request } from 'undici';
import type { Sandbox } from '../sandbox/server.js';
import { generateDistrict, loadDistrict } from '../sis/index.js';
import { apiKeyHeader, asClient } from '../test/auth.js';
import { startApiHarness, type ApiHarness } from '../test/apiHarness.js';
import { createScratchDatabase } from '../test/stack.js';
import { mapSixWeeks, profileWithDescriptors, sandboxWithDistrictKey } from '../test/downloads.js';
import { catalogRecords, publishAndWait } from '../test/publishing.js';

const YEAR = 2025;
const PROFILE = 'setup';
let h: ApiHarness;
let sandbox: Sandbox;
let sis: pg.Client;
let call: ReturnType<typeof asClient>;
let lea: { number: string; name: string };
/** The district's own key, as the state issues it (held to its LEA by relationship authorization). */
const KEY = { key: 'setup-district-key', secret: 'setup-district-secret', claimSet: 'SIS Vendor' };

/** The state changes the key (its education organizations or claim set), as POST /admin/clients does. */
async function stateSets(client: { claimSet: string; educationOrganizationIds: number[] }): Promise<void> {
  const res = await request(`${sandbox.baseUrl}/admin/clients`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ key: KEY.key, secret: KEY.secret, namespacePrefixes: ['uri://'], ...client }),
  });
  expect(res.statusCode).toBe(200);
  await res.body.dump();
}

beforeAll(async () => {
  const sisUrl = await createScratchDatabase('setupsis');
  await loadDistrict(sisUrl, generateDistrict({ size: 'small', seed: 1 }));
  sis = new pg.Client({ connectionString: sisUrl });
  await sis.connect();
  lea = (await sis.query<{ number: string; name: string }>('SELECT number, name FROM district')).rows[0];
  h = await startApiHarness(PROFILE, { worker: true, realWorkflows: true, sisDatabaseUrl: sisUrl });
  sandbox = await sandboxWithDistrictKey(KEY, lea.number);
  call = asClient(h.app, await apiKeyHeader(h.orm, 'admin'));
  await profileWithDescriptors(call, {
    profileId: PROFILE,
    name: 'Setup ISD',
    apiUrl: sandbox.baseUrl,
    schoolYear: YEAR,
    lea,
    key: KEY.key,
    secret: KEY.secret,
  });
  await call({
    method: 'PUT',
    url: `/api/profiles/${PROFILE}/code-sets/calendar-types/mappings`,
    payload: { code: 'REG', target: { namespace: 'uri://ed-fi.org/CalendarTypeDescriptor', codeValue: 'Student Specific' } },
  });
  await mapSixWeeks(call, PROFILE);
  expect((await publishAndWait(call, PROFILE, { category: 'organization-catalog', option: 'all', schoolYear: YEAR })).outcome).toBe('completed');
}, 240_000);

afterAll(async () => {
  await sandbox?.close();
  await sis?.end();
  for (const id of [`nightly/${PROFILE}`, `weekend/${PROFILE}`])
    await h?.client.schedule
      .getHandle(id)
      .delete()
      .catch(() => undefined);
  await h?.close();
});

const setupProblemOnDashboard = async (): Promise<{ message: string } | null> =>
  (await call(`/api/profiles/${PROFILE}/dashboard?schoolYear=${YEAR}`)).json<{ setupProblem: { message: string } | null }>().setupProblem;
const connectionOf = async () =>
  (await call('/api/leas'))
    .json<Array<{ stateNumber: string; connections: Array<{ profileId: string; enabled: boolean; setupProblem: { message: string } | null }> }>>()
    .find((l) => l.stateNumber === lea.number)!
    .connections.find((c) => c.profileId === PROFILE)!;

describe('set-up problems', () => {
  it('a key moved to another LEA: the run stops at the first refused batch, records are errors (no retries), the dashboard and Configure say what to fix, and a passing Test clears it', async () => {
    await stateSets({ claimSet: 'Ed-Fi Sandbox', educationOrganizationIds: [999999] });
    const run = await publishAndWait(call, PROFILE, { category: 'organization-calendars', option: 'all', schoolYear: YEAR });
    expect(run.outcome).toBe('failed');
    expect(run.detail).toContain('Set-up problem, the run stopped.');
    expect(run.detail).toContain('claim (999999)');
    // Calendars are the first level: nothing after them was sent.
    expect(sandbox.count('ed-fi/calendarDates')).toBe(0);
    const calendars = [...(await catalogRecords(call, PROFILE, 'calendars', YEAR)).values()];
    expect(calendars.length).toBeGreaterThan(0);
    expect(calendars.map((c) => c.status)).not.toContain('dependency');
    expect(
      calendars.filter((c) => c.status === 'error').every((c) => c.statusDescription?.includes('enter the key and secret the state issued for this LEA')),
    ).toBe(true);
    const waiting = await h.orm.em
      .getConnection()
      .execute<Array<{ n: string }>>("SELECT count(*) AS n FROM catalog WHERE profile_id = ? AND (status = 'dependency' OR retry_at IS NOT NULL)", [PROFILE]);
    expect(Number(waiting[0].n)).toBe(0);
    expect((await setupProblemOnDashboard())?.message).toContain('claim (999999)');
    expect((await connectionOf()).setupProblem?.message).toContain('enter the key and secret the state issued for this LEA');

    // The state puts the key back on the district: Test passes and clears the problem; Now – Errors sends the rest.
    await stateSets({ claimSet: 'Ed-Fi Sandbox', educationOrganizationIds: [Number(lea.number)] });
    expect((await call({ method: 'POST', url: `/api/leas/${lea.number}/connections/${PROFILE}/test` })).json()).toMatchObject({ ok: true });
    expect(await setupProblemOnDashboard()).toBeNull();
    expect((await connectionOf()).setupProblem).toBeNull();
    expect((await call({ method: 'PUT', url: `/api/leas/${lea.number}/connections/${PROFILE}/enabled`, payload: { enabled: true } })).statusCode).toBe(200);
    expect((await publishAndWait(call, PROFILE, { category: 'organization-calendars', option: 'all', schoolYear: YEAR })).outcome).toBe('completed');
    expect([...(await catalogRecords(call, PROFILE, 'calendars', YEAR)).values()].every((c) => c.status === 'published')).toBe(true);
  }, 180_000);

  it("a claim set without the resource (the seed's 'security set-up in the ODS'): a set-up problem, not a dependency", async () => {
    await stateSets({ claimSet: 'Bootstrap Descriptors and EdOrgs', educationOrganizationIds: [Number(lea.number)] });
    const run = await publishAndWait(call, PROFILE, { category: 'organization-calendars', option: 'all', schoolYear: YEAR });
    expect(run.outcome).toBe('failed');
    expect(run.detail).toContain("claim set (currently 'Bootstrap Descriptors and EdOrgs')");
    expect(run.detail).toContain('correct the claim set of the key');
    const statuses = [...(await catalogRecords(call, PROFILE, 'calendars', YEAR)).values()].map((c) => c.status);
    expect(statuses).not.toContain('dependency');
    await stateSets({ claimSet: 'Ed-Fi Sandbox', educationOrganizationIds: [Number(lea.number)] });
  }, 180_000);
});
