import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EdfiClient } from '../edfi/client/api.js';
import { readDiscovery } from '../edfi/client/discovery.js';
import { requestToken } from '../edfi/client/oauth.js';
import { DEFAULT_CLIENT, startSandbox, type Sandbox } from './server.js';

let sandbox: Sandbox;
let client: EdfiClient;

beforeAll(async () => {
  sandbox = await startSandbox({ texasExtension: '2025.2.1' });
  client = new EdfiClient({ apiUrl: sandbox.baseUrl, key: DEFAULT_CLIENT.key, secret: DEFAULT_CLIENT.secret, connections: 4 });
});

afterAll(async () => {
  await client?.close();
  await sandbox?.close();
});

const school = { schoolId: 101912001, nameOfInstitution: 'Hill Elementary', localEducationAgencyReference: { localEducationAgencyId: 101912 } };

describe('the Ed-Fi sandbox', () => {
  it('answers the discovery document as ODS/API 7.2 with DS 4.0 and the Texas extension', async () => {
    const doc: unknown = await (await fetch(sandbox.baseUrl)).json();
    expect(readDiscovery(doc)).toEqual({ version: '7.2', odsApiVersion: '7.x', dataStandard: '4.0', stateExtension: 'TX-2025.2.1' });
  });

  it('issues 32-hex bearer tokens for good credentials and the ODS/API errors otherwise', async () => {
    const ok = await requestToken({ authUrl: sandbox.baseUrl, key: DEFAULT_CLIENT.key, secret: DEFAULT_CLIENT.secret });
    expect(ok.ok && ok.grant.accessToken).toMatch(/^[0-9a-f]{32}$/);
    expect(ok.ok && ok.grant.expiresInSeconds).toBe(1800);
    const bad = await requestToken({ authUrl: sandbox.baseUrl, key: DEFAULT_CLIENT.key, secret: 'wrong' });
    expect(bad).toMatchObject({ ok: false, failure: { kind: 'bad-credentials', httpStatus: 401 } });
    const grant = await fetch(`${sandbox.baseUrl}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_id: 'a', client_secret: 'b', grant_type: 'password' }) });
    expect(grant.status).toBe(400);
    expect(await grant.json()).toEqual({ error: 'unsupported_grant_type' });
    expect((await fetch(`${sandbox.baseUrl}/data/v3/ed-fi/schools`)).status).toBe(401);
  });

  it('upserts by natural key: 201 with a Location id on insert, 200 with the same id on update', async () => {
    const first = await client.post('ed-fi/schools', school);
    expect(first.status).toBe(201);
    expect(first.id).toMatch(/^[0-9a-f]{32}$/);
    const again = await client.post('ed-fi/schools', { ...school, nameOfInstitution: 'Hill Elementary School' });
    expect(again).toMatchObject({ status: 200, id: first.id });
    const got = await client.send('GET', new URL(`${sandbox.baseUrl}/data/v3/ed-fi/schools/${first.id}`));
    expect(got.body).toMatchObject({ id: first.id, nameOfInstitution: 'Hill Elementary School' });
    expect(sandbox.count('ed-fi/schools')).toBe(1);
  });

  it('refuses what the ODS refuses: an id in a POST body, a missing identity field, bad JSON, an unknown resource', async () => {
    const withId = await client.post('ed-fi/schools', { ...school, id: 'abc' });
    expect(withId.status).toBe(400);
    expect(JSON.stringify(withId.body)).toContain('Resource identifiers cannot be assigned by the client');
    const noKey = await client.post('ed-fi/calendars', { calendarCode: '2101', schoolReference: { schoolId: 101912001 } });
    expect(noKey.status).toBe(400);
    expect(JSON.stringify(noKey.body)).toContain('schoolYearTypeReference.schoolYear is required.');
    expect((await client.post('ed-fi/nonsense', {})).status).toBe(404);
    const token = await requestToken({ authUrl: sandbox.baseUrl, key: DEFAULT_CLIENT.key, secret: DEFAULT_CLIENT.secret });
    const raw = await fetch(`${sandbox.baseUrl}/data/v3/ed-fi/schools`, { method: 'POST', headers: { authorization: `Bearer ${token.ok ? token.grant.accessToken : ''}`, 'content-type': 'application/json' }, body: '{"schoolId":' });
    expect(raw.status).toBe(400);
  });

  it('pages lists with limit, offset and Total-Count, up to 500 at once; deletes by id', async () => {
    for (let i = 0; i < 7; i++) await client.post('ed-fi/calendarTypeDescriptors', { namespace: 'uri://tea.texas.gov/CalendarTypeDescriptor', codeValue: String(i), shortDescription: `type ${i}` });
    expect(await client.page('ed-fi/calendarTypeDescriptors', 5, 5)).toHaveLength(2);
    await expect(client.page('ed-fi/calendarTypeDescriptors', 0, 501)).rejects.toThrow(/HTTP 400/);
    const one = (await client.page('ed-fi/calendarTypeDescriptors', 0, 1))[0] as { id: string };
    expect((await client.delete('ed-fi/calendarTypeDescriptors', one.id)).status).toBe(204);
    expect((await client.delete('ed-fi/calendarTypeDescriptors', one.id)).status).toBe(404);
    expect(sandbox.count('ed-fi/calendarTypeDescriptors')).toBe(6);
  });

  it('lets the client get a new token by itself when the old one stops working', async () => {
    const short = await startSandbox({ tokenLifetimeSeconds: 1 });
    const c = new EdfiClient({ apiUrl: short.baseUrl, key: DEFAULT_CLIENT.key, secret: DEFAULT_CLIENT.secret });
    try {
      expect((await c.post('ed-fi/schools', school)).status).toBe(201);
      await new Promise((r) => setTimeout(r, 1_100));
      expect((await c.post('ed-fi/schools', school)).status).toBe(200);
    } finally {
      await c.close();
      await short.close();
    }
  });
});
