import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyHeader, asClient } from '../../test/auth.js';
import { startApiHarness, type ApiHarness } from '../../test/apiHarness.js';
import { freePort } from '../../scripts/stack/ports.js';
import { DEFAULT_CLIENT, startSandbox, type Sandbox } from '../../sandbox/server.js';

let h: ApiHarness;
let sandbox: Sandbox;
let app: ReturnType<typeof asClient>;
const SECRET = 'SOYtEgzXkRg6qsSvMNyhKEpE';
/** A key the state issued for LEA 202020, as a district gets it (SIS Vendor: held to its LEA). */
const LIVE = {
  key: 'live-district-key',
  secret: 'live-district-secret',
  claimSet: 'SIS Vendor',
  educationOrganizationIds: [202020],
  namespacePrefixes: ['uri://ed-fi.org', 'uri://tea.texas.gov'],
};
/** The key of a district whose state number is entered wrong at first (LEA 303030). */
const RENUMBERED = {
  key: 'renumbered-key',
  secret: 'renumbered-secret',
  claimSet: 'SIS Vendor',
  educationOrganizationIds: [303030],
  namespacePrefixes: ['uri://ed-fi.org'],
};
/** A key of another district (LEA 149913). */
const OTHER = {
  key: 'other-district-key',
  secret: 'other-district-secret',
  claimSet: 'SIS Vendor',
  educationOrganizationIds: [149913],
  namespacePrefixes: ['uri://ed-fi.org'],
};

beforeAll(async () => {
  h = await startApiHarness('config');
  sandbox = await startSandbox({ texasExtension: '2025.2.1', clients: [DEFAULT_CLIENT, LIVE, OTHER, RENUMBERED] });
  app = asClient(h.app, await apiKeyHeader(h.orm));
});

afterAll(async () => {
  await sandbox?.close();
  await h?.close();
});

const json = <T>(r: { json: () => unknown }): T => r.json() as T;

describe('configuration over HTTP', () => {
  it('keeps Simultaneous Connections within 20–500 with a message that says why', async () => {
    expect(json<{ simultaneousConnections: number }>(await app({ url: '/api/settings' })).simultaneousConnections).toBe(200);
    const low = await app({ method: 'PUT', url: '/api/settings', payload: { simultaneousConnections: 10 } });
    expect(low.statusCode).toBe(400);
    expect(json<{ field: string; message: string }>(low)).toMatchObject({
      field: 'simultaneousConnections',
      message: expect.stringContaining('at least 20') as unknown,
    });
    const ok = await app({
      method: 'PUT',
      url: '/api/settings',
      payload: { simultaneousConnections: 350, enableDataExchange: true, loggingOptions: ['warnings'] },
    });
    expect(json(ok)).toMatchObject({ simultaneousConnections: 350, enableDataExchange: true, loggingOptions: ['warnings'] });
  });

  it('validates profiles, and refuses to change a saved profile type', async () => {
    const noName = await app({ method: 'POST', url: '/api/profiles', payload: { name: '  ', profileType: 'SIS', schoolYears: [2025] } });
    expect(noName.statusCode).toBe(400);
    expect(json<{ field: string }>(noName).field).toBe('name');
    const long = await app({ method: 'POST', url: '/api/profiles', payload: { name: 'x'.repeat(101), profileType: 'SIS', schoolYears: [2025] } });
    expect(json<{ message: string }>(long).message).toContain('at most 100 characters');
    const badType = await app({ method: 'POST', url: '/api/profiles', payload: { name: 'TX 24-25 SIS', profileType: 'PowerSchool', schoolYears: [2025] } });
    expect(json<{ field: string }>(badType).field).toBe('profileType');

    const created = await app({
      method: 'POST',
      url: '/api/profiles',
      payload: { id: 'tx-sis', name: 'TX 24-25 SIS', profileType: 'SIS', schoolYears: [2025], apiUrl: 'https://odstst.example.org/odsedfiapi2025' },
    });
    expect(created.statusCode).toBe(201);
    expect(json(created)).toMatchObject({
      id: 'tx-sis',
      authUrl: 'https://odstst.example.org/odsedfiapi2025',
      publishDataChanges: false,
      publishDownload: true,
      publishPublish: true,
      odsApiVersion: '7.x',
      dataStandard: '4.0',
    });

    const retype = await app({ method: 'PATCH', url: '/api/profiles/tx-sis', payload: { profileType: 'HR-only', name: 'renamed' } });
    expect(retype.statusCode).toBe(409);
    expect(json<{ message: string }>(retype).message).toContain('the profile type cannot change once a profile is saved');
    expect(json<{ name: string }>(await app({ url: '/api/profiles/tx-sis' })).name).toBe('TX 24-25 SIS');
    const rename = await app({ method: 'PATCH', url: '/api/profiles/tx-sis', payload: { name: 'TX SIS', profileType: 'SIS', publishDataChanges: true } });
    expect(json(rename)).toMatchObject({ name: 'TX SIS', profileType: 'SIS', publishDataChanges: true });
    // An Authentication URL that defaulted to the API URL moves with it; one set on its own stays.
    const moved = await app({ method: 'PATCH', url: '/api/profiles/tx-sis', payload: { apiUrl: 'https://ods.example.org/odsedfiapi2025' } });
    expect(json(moved)).toMatchObject({ apiUrl: 'https://ods.example.org/odsedfiapi2025', authUrl: 'https://ods.example.org/odsedfiapi2025' });
    await app({ method: 'PATCH', url: '/api/profiles/tx-sis', payload: { authUrl: 'https://auth.example.org/oauth' } });
    const kept = await app({ method: 'PATCH', url: '/api/profiles/tx-sis', payload: { apiUrl: 'https://ods2.example.org/odsedfiapi2025' } });
    expect(json(kept)).toMatchObject({ apiUrl: 'https://ods2.example.org/odsedfiapi2025', authUrl: 'https://auth.example.org/oauth' });
    expect(
      (await app({ method: 'POST', url: '/api/profiles', payload: { id: 'tx-sis', name: 'again', profileType: 'SIS', schoolYears: [2025] } })).statusCode,
    ).toBe(409);
  });

  it("shows a profile's settings with the guide's defaults and refuses bad values by name", async () => {
    await app({
      method: 'POST',
      url: '/api/profiles',
      payload: { id: 'esp', name: 'eSchoolPlus SIS', profileType: 'SIS', sisProduct: 'eSchoolPlus', schoolYears: [2025] },
    });
    const view = json<{ settings: Record<string, unknown>; offered: Array<{ name: string }> }>(await app({ url: '/api/profiles/esp/settings' }));
    expect(view.settings.DescriptorNameSpacePrefixToPublish).toBe('uri://local.texas.gov');
    expect(view.offered.map((o) => o.name)).not.toContain('PublishFinanceData');
    const bad = await app({ method: 'PUT', url: '/api/profiles/esp/settings', payload: { DashboardDetailFilterOption: 'errors', PublishFinanceData: true } });
    expect(bad.statusCode).toBe(400);
    expect(json<{ problems: Array<{ setting: string }> }>(bad).problems.map((p) => p.setting)).toEqual(['DashboardDetailFilterOption', 'PublishFinanceData']);
    const good = await app({ method: 'PUT', url: '/api/profiles/esp/settings', payload: { DashboardCounterRefreshInterval: 15 } });
    expect(json<{ settings: Record<string, unknown> }>(good).settings.DashboardCounterRefreshInterval).toBe(15);
  });

  it('stores the secret sealed, never returns it, and enables a connection only after a successful Test of those credentials', async () => {
    const deadPort = await freePort();
    await app({
      method: 'POST',
      url: '/api/profiles',
      payload: { id: 'conn', name: 'Connection test', profileType: 'SIS', schoolYears: [2025], apiUrl: `http://127.0.0.1:${deadPort}/api` },
    });
    expect((await app({ method: 'POST', url: '/api/leas', payload: { name: 'PS District One', stateNumber: '10191' } })).statusCode).toBe(400);
    expect((await app({ method: 'POST', url: '/api/leas', payload: { name: 'PS District One', stateNumber: '101912' } })).statusCode).toBe(201);

    const put = await app({ method: 'PUT', url: '/api/leas/101912/connections/conn', payload: { key: 'fMJJa7GES72Yw', secret: SECRET } });
    expect(put.statusCode).toBe(200);
    expect(put.body).not.toContain(SECRET);
    expect(json(put)).toMatchObject({ key: 'fMJJa7GES72Yw', hasSecret: true, enabled: false, lastTest: null });

    const early = await app({ method: 'PUT', url: '/api/leas/101912/connections/conn/enabled', payload: { enabled: true } });
    expect(early.statusCode).toBe(409);
    expect(json<{ message: string }>(early).message).toContain('it has not been tested');

    const unreachable = await app({ method: 'POST', url: '/api/leas/101912/connections/conn/test' });
    expect(json(unreachable)).toMatchObject({ ok: false, failure: 'unreachable' });
    expect((await app({ method: 'PUT', url: '/api/leas/101912/connections/conn/enabled', payload: { enabled: true } })).statusCode).toBe(409);

    // The database holds the sealed form only.
    const rows = await h.orm.em.fork().getConnection().execute<Array<{ secret_encrypted: string }>>('select secret_encrypted from lea_connection');
    expect(rows[0]?.secret_encrypted).toMatch(/^v1:/);
    expect(JSON.stringify(rows)).not.toContain(SECRET);

    await app({ method: 'PUT', url: '/api/leas/101912/connections/conn', payload: { key: ' fMJJa7GES72Yw', secret: SECRET } });
    const spaces = await app({ method: 'POST', url: '/api/leas/101912/connections/conn/test' });
    expect(json(spaces)).toMatchObject({
      ok: false,
      failure: 'whitespace',
      message: expect.stringContaining('The key has leading or trailing spaces') as unknown,
    });

    const listing = await app({ url: '/api/leas' });
    expect(listing.body).not.toContain(SECRET);
  });

  it('connects to an Ed-Fi API: a successful Test reads its versions into the profile and lets the connection be enabled', async () => {
    const created = await app({
      method: 'POST',
      url: '/api/profiles',
      payload: { id: 'tx-live', name: 'TX live', profileType: 'SIS', schoolYears: [2025], apiUrl: sandbox.baseUrl, odsApiVersion: '6.1' },
    });
    expect(created.json()).toMatchObject({ odsApiVersion: '6.1', stateExtension: 'none' });
    await app({ method: 'POST', url: '/api/leas', payload: { name: 'Live District', stateNumber: '202020' } });
    await app({ method: 'PUT', url: '/api/leas/202020/connections/tx-live', payload: { key: LIVE.key, secret: LIVE.secret } });
    const test = await app({ method: 'POST', url: '/api/leas/202020/connections/tx-live/test' });
    expect(test.json()).toMatchObject({
      ok: true,
      message: 'Profile Successfully Connected: the key serves LEA 202020 (claim set "SIS Vendor"; namespaces uri://ed-fi.org, uri://tea.texas.gov)',
      detected: { odsApiVersion: '7.x', dataStandard: '4.0', stateExtension: 'TX-2025.2.1' },
    });
    expect((await app('/api/profiles/tx-live')).json()).toMatchObject({ odsApiVersion: '7.x', stateExtension: 'TX-2025.2.1' });
    const enabled = await app({ method: 'PUT', url: '/api/leas/202020/connections/tx-live/enabled', payload: { enabled: true } });
    expect(enabled.statusCode).toBe(200);
    expect(enabled.json()).toMatchObject({ enabled: true, lastTest: { ok: true, forCurrentCredentials: true } });

    // New credentials switch the connection off until they pass a test of their own.
    await app({ method: 'PUT', url: '/api/leas/202020/connections/tx-live', payload: { key: LIVE.key, secret: 'rotated' } });
    expect(
      (await app('/api/leas')).json<Array<{ id: string; connections: Array<{ enabled: boolean }> }>>().find((l) => l.id === '202020')?.connections[0]?.enabled,
    ).toBe(false);
    const refused = await app({ method: 'POST', url: '/api/leas/202020/connections/tx-live/test' });
    expect(refused.json()).toMatchObject({ ok: false, failure: 'bad-credentials' });
    expect((await app({ method: 'PUT', url: '/api/leas/202020/connections/tx-live/enabled', payload: { enabled: true } })).statusCode).toBe(409);
  });

  it('fails the Test of a key the state issued for another LEA (7.x token introspection), says which LEA it serves, and refuses Enable', async () => {
    await app({
      method: 'POST',
      url: '/api/profiles',
      payload: { id: 'tx-other', name: 'TX other', profileType: 'SIS', schoolYears: [2025], apiUrl: sandbox.baseUrl },
    });
    await app({ method: 'PUT', url: '/api/leas/202020/connections/tx-other', payload: { key: OTHER.key, secret: OTHER.secret } });
    const test = await app({ method: 'POST', url: '/api/leas/202020/connections/tx-other/test' });
    expect(test.json()).toMatchObject({
      ok: false,
      failure: 'wrong-lea',
      message: expect.stringMatching(
        /^The key serves education organization 149913, not this profile's LEA 202020 .*Enter the key and secret the state issued for LEA 202020/,
      ) as unknown,
    });
    const enable = await app({ method: 'PUT', url: '/api/leas/202020/connections/tx-other/enabled', payload: { enabled: true } });
    expect(enable.statusCode).toBe(409);
    expect(enable.json<{ message: string }>().message).toContain('The key serves education organization 149913');
    // The district's own key passes, and the connection may be enabled.
    await app({ method: 'PUT', url: '/api/leas/202020/connections/tx-other', payload: { key: LIVE.key, secret: LIVE.secret } });
    expect((await app({ method: 'POST', url: '/api/leas/202020/connections/tx-other/test' })).json()).toMatchObject({ ok: true });
    expect((await app({ method: 'PUT', url: '/api/leas/202020/connections/tx-other/enabled', payload: { enabled: true } })).statusCode).toBe(200);
  });

  it('on ODS/API 6.1 (no token introspection) reads the LEA, and says the check goes only that far', async () => {
    const old = await startSandbox({ apiVersion: '6.1', texasExtension: '2025.2.1', clients: [OTHER] });
    try {
      await app({
        method: 'POST',
        url: '/api/profiles',
        payload: { id: 'tx-61', name: 'TX 6.1', profileType: 'SIS', schoolYears: [2025], apiUrl: old.baseUrl },
      });
      await app({ method: 'PUT', url: '/api/leas/202020/connections/tx-61', payload: { key: OTHER.key, secret: OTHER.secret } });
      const test = await app({ method: 'POST', url: '/api/leas/202020/connections/tx-61/test' });
      expect(test.json()).toMatchObject({
        ok: true,
        detected: { odsApiVersion: '6.1' },
        message: expect.stringContaining('LEA 202020 is not in this ODS yet (this ODS/API cannot say which LEA a key serves') as unknown,
      });
    } finally {
      await old.close();
    }
  });

  it('edits an LEA — a new state number switches its connections off until each passes Test again — and removes it only once no profile connects to it', async () => {
    await app({
      method: 'POST',
      url: '/api/profiles',
      payload: { id: 'renum', name: 'Renumbered SIS', profileType: 'SIS', schoolYears: [2025], apiUrl: sandbox.baseUrl },
    });
    // Entered with a transposed number; the key the state issued is for 303030.
    expect((await app({ method: 'POST', url: '/api/leas', payload: { id: 'renum-lea', name: 'Renumbered ISD', stateNumber: '303003' } })).statusCode).toBe(201);
    const base = '/api/leas/renum-lea/connections/renum';
    await app({ method: 'PUT', url: base, payload: { key: RENUMBERED.key, secret: RENUMBERED.secret } });
    expect((await app({ method: 'POST', url: `${base}/test` })).json()).toMatchObject({ ok: false, failure: 'wrong-lea' });

    const taken = await app({ method: 'PATCH', url: '/api/leas/renum-lea', payload: { stateNumber: '202020' } });
    expect(taken.statusCode).toBe(409);
    expect(taken.json<{ message: string }>().message).toBe('another LEA has state number 202020');
    const bad = await app({ method: 'PATCH', url: '/api/leas/renum-lea', payload: { stateNumber: '30303' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ message: string }>().message).toContain('six digits');

    const fixed = await app({ method: 'PATCH', url: '/api/leas/renum-lea', payload: { stateNumber: '303030', name: 'Renumbered ISD (fixed)' } });
    expect(fixed.json()).toMatchObject({ name: 'Renumbered ISD (fixed)', stateNumber: '303030', connections: [{ profileId: 'renum', enabled: false }] });
    expect((await app({ method: 'POST', url: `${base}/test` })).json()).toMatchObject({ ok: true });
    expect((await app({ method: 'PUT', url: `${base}/enabled`, payload: { enabled: true } })).statusCode).toBe(200);

    // Renaming keeps what the Test proved; renumbering does not.
    const renamed = await app({ method: 'PATCH', url: '/api/leas/renum-lea', payload: { name: 'Renumbered ISD' } });
    expect(renamed.json()).toMatchObject({ connections: [{ enabled: true, lastTest: { ok: true, forCurrentCredentials: true } }] });
    const moved = await app({ method: 'PATCH', url: '/api/leas/renum-lea', payload: { stateNumber: '303031' } });
    expect(moved.json()).toMatchObject({
      connections: [{ enabled: false, lastTest: { ok: false, message: "the LEA's state number changed to 303031: Test again" } }],
    });
    const enable = await app({ method: 'PUT', url: `${base}/enabled`, payload: { enabled: true } });
    expect(enable.statusCode).toBe(409);
    expect(enable.json<{ message: string }>().message).toContain("the last test failed (the LEA's state number changed to 303031: Test again)");

    const early = await app({ method: 'DELETE', url: '/api/leas/renum-lea' });
    expect(early.statusCode).toBe(409);
    expect(early.json<{ message: string }>().message).toBe('remove its connection to Renumbered SIS first');
    expect((await app({ method: 'DELETE', url: base })).statusCode).toBe(204);
    expect((await app({ method: 'DELETE', url: base })).statusCode).toBe(404);
    expect((await app({ method: 'DELETE', url: '/api/leas/renum-lea' })).statusCode).toBe(204);
    expect(json<Array<{ id: string }>>(await app({ url: '/api/leas' })).map((l) => l.id)).not.toContain('renum-lea');
    expect((await app({ method: 'DELETE', url: '/api/leas/renum-lea' })).statusCode).toBe(404);

    // A profile that publishes for the district without a connection to it is told to move or go.
    expect((await app({ method: 'POST', url: '/api/leas', payload: { id: 'moving-lea', name: 'Moving ISD', stateNumber: '404041' } })).statusCode).toBe(201);
    const profile = { id: 'moving-sis', name: 'Moving SIS', profileType: 'SIS', schoolYears: [2025], leaId: 'moving-lea' };
    expect((await app({ method: 'POST', url: '/api/profiles', payload: profile })).statusCode).toBe(201);
    const refused = await app({ method: 'DELETE', url: '/api/leas/moving-lea' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json<{ message: string }>().message).toBe('move Moving SIS to another district or remove it (it publishes for this one) first');
    expect((await app({ method: 'PATCH', url: '/api/profiles/moving-sis', payload: { leaId: null } })).statusCode).toBe(200);
    expect((await app({ method: 'DELETE', url: '/api/leas/moving-lea' })).statusCode).toBe(204);
  });
});
