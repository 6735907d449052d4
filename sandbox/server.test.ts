import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EdfiClient } from '../edfi/client/api.js';
import { readDiscovery } from '../edfi/client/discovery.js';
import { requestToken } from '../edfi/client/oauth.js';
import { DEFAULT_CLIENT, startSandbox, type Sandbox } from './server.js';
import { DOCS } from './testing.js';

let sandbox: Sandbox;
let client: EdfiClient;

beforeAll(async () => {
  sandbox = await startSandbox();
  client = new EdfiClient({ apiUrl: sandbox.baseUrl, key: DEFAULT_CLIENT.key, secret: DEFAULT_CLIENT.secret, connections: 4 });
});

afterAll(async () => {
  await client?.close();
  await sandbox?.close();
});

describe('the Ed-Fi sandbox with the product client, default options', () => {
  it('announces ODS/API 7.2, DS 4.0 and TEDS 2025.2.1 by default', async () => {
    const doc: unknown = await (await fetch(sandbox.baseUrl)).json();
    expect(readDiscovery(doc)).toEqual({ version: '7.2', odsApiVersion: '7.x', dataStandard: '4.0', stateExtension: 'TX-2025.2.1' });
    expect(sandbox.apiVersion).toBe('7.x');
  });

  it('starts with the seed: descriptors, school years 1991–2050, the demo LEA and its schools, a course catalog', () => {
    expect(sandbox.count('ed-fi/schoolYearTypes')).toBe(60);
    expect(sandbox.count('ed-fi/localEducationAgencies')).toBe(1);
    expect(sandbox.count('ed-fi/schools')).toBe(5);
    expect(sandbox.count('ed-fi/courses')).toBeGreaterThanOrEqual(10);
    expect(sandbox.count('ed-fi/gradeLevelDescriptors')).toBe(19 + 15);
    expect(sandbox.count('tx/asOfStatusLastFridayOctoberDescriptors')).toBe(3);
  });

  it('issues tokens the client uses, and tells bad credentials apart', async () => {
    const ok = await requestToken({ authUrl: sandbox.baseUrl, key: DEFAULT_CLIENT.key, secret: DEFAULT_CLIENT.secret });
    expect(ok.ok && ok.grant.accessToken).toMatch(/^[0-9a-f]{32}$/);
    expect(ok.ok && ok.grant.expiresInSeconds).toBe(1800);
    const bad = await requestToken({ authUrl: sandbox.baseUrl, key: DEFAULT_CLIENT.key, secret: 'wrong' });
    expect(bad).toMatchObject({ ok: false, failure: { kind: 'bad-credentials', httpStatus: 401 } });
  });

  it('upserts by natural key through the client: 201 then 200 with the same id', async () => {
    const first = await client.post('ed-fi/students', DOCS.student('S-COMPAT'));
    expect(first.status).toBe(201);
    expect(first.id).toMatch(/^[0-9a-f]{32}$/);
    expect((await client.post('ed-fi/studentSchoolAssociations', DOCS.ssa('S-COMPAT'))).status).toBe(201);
    const again = await client.post('ed-fi/students', { ...DOCS.student('S-COMPAT'), firstName: 'Anita' });
    expect(again).toMatchObject({ status: 200, id: first.id });
    const got = await client.send('GET', new URL(`${sandbox.baseUrl}/data/v3/ed-fi/students/${first.id}`));
    expect(got.body).toMatchObject({ id: first.id, firstName: 'Anita' });
  });

  it('pages through the client (limit ≤ 500) and deletes by id', async () => {
    const schools = await client.page('ed-fi/schools', 0, 500);
    expect(schools).toHaveLength(5);
    expect(await client.page('ed-fi/schools', 3, 500)).toHaveLength(2);
    await expect(client.page('ed-fi/schools', 0, 501)).rejects.toThrow(/HTTP 400/);
    const made = await client.post('ed-fi/calendarTypeDescriptors', {
      namespace: 'uri://tea.texas.gov/CalendarTypeDescriptor',
      codeValue: 'X1',
      shortDescription: 'test',
    });
    expect((await client.delete('ed-fi/calendarTypeDescriptors', made.id ?? '')).status).toBe(204);
    expect((await client.delete('ed-fi/calendarTypeDescriptors', made.id ?? '')).status).toBe(404);
  });

  it('lets the client get a new token by itself when the old one expires', async () => {
    const short = await startSandbox({ tokenLifetimeSeconds: 1, seed: false });
    const c = new EdfiClient({ apiUrl: short.baseUrl, key: DEFAULT_CLIENT.key, secret: DEFAULT_CLIENT.secret });
    const desc = { namespace: 'uri://ed-fi.org/SexDescriptor', codeValue: 'Female', shortDescription: 'Female' };
    try {
      expect((await c.post('ed-fi/sexDescriptors', desc)).status).toBe(201);
      await new Promise((r) => setTimeout(r, 1_100));
      expect((await c.post('ed-fi/sexDescriptors', desc)).status).toBe(200);
    } finally {
      await c.close();
      await short.close();
    }
  });
});
