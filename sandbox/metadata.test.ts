import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from './server.js';
import { Api, call, DOCS, tokenFor } from './testing.js';

let s7: Sandbox;
let s6: Sandbox;

beforeAll(async () => {
  [s7, s6] = await Promise.all([startSandbox(), startSandbox({ apiVersion: '6.1', texasExtension: 'none' })]);
});
afterAll(async () => {
  await s7?.close();
  await s6?.close();
});

describe('discovery', () => {
  it('7.x: version fields, data models, absolute urls', async () => {
    const a = await call(`${s7.baseUrl}/`);
    expect(Object.keys(a.body as object)).toEqual(['version', 'applicationName', 'informationalVersion', 'suite', 'build', 'dataModels', 'urls']);
    expect(a.body).toMatchObject({
      version: '7.2',
      applicationName: 'Ed-Fi Alliance ODS/API',
      dataModels: [
        { name: 'Ed-Fi', version: '4.0.0' },
        { name: 'TX', version: '2025.2.1' },
      ],
      urls: {
        dependencies: `${s7.baseUrl}/metadata/data/v3/dependencies`,
        openApiMetadata: `${s7.baseUrl}/metadata/`,
        oauth: `${s7.baseUrl}/oauth/token`,
        dataManagementApi: `${s7.baseUrl}/data/v3/`,
        changeQueries: `${s7.baseUrl}/changeQueries/v1/`,
      },
    });
  });

  it('6.1: apiMode, no applicationName, no extension when none', async () => {
    const a = await call(`${s6.baseUrl}/`);
    expect(a.body).toMatchObject({ version: '6.1', apiMode: 'Sandbox', dataModels: [{ name: 'Ed-Fi', version: '4.0.0' }] });
    expect(a.body).not.toHaveProperty('applicationName');
    expect((a.body as { dataModels: unknown[] }).dataModels).toHaveLength(1);
  });

  it('/health answers Healthy', async () => {
    const a = await call(`${s7.baseUrl}/health`);
    expect([a.status, a.text]).toEqual([200, 'Healthy']);
  });
});

describe('metadata', () => {
  it('dependencies come from the model, people split into Create and Update', async () => {
    const a = await call(`${s7.baseUrl}/metadata/data/v3/dependencies`);
    const deps = a.body as { resource: string; order: number; operations: string[] }[];
    expect(deps[0]).toMatchObject({ order: 1, operations: ['Create', 'Update'] });
    const students = deps.filter((d) => d.resource === '/ed-fi/students');
    const ssa = deps.find((d) => d.resource === '/ed-fi/studentSchoolAssociations')!;
    expect(students.map((d) => d.operations)).toEqual([['Create'], ['Update']]);
    expect(students[1].order).toBe(ssa.order + 1);
    expect(deps.map((d) => d.order)).toEqual([...deps.map((d) => d.order)].sort((x, y) => x - y));
  });

  it('the OpenAPI section list with an ETag (304 on If-None-Match), and the documents', async () => {
    const a = await call(`${s7.baseUrl}/metadata/`);
    expect(a.body).toEqual([
      { name: 'Descriptors', endpointUri: `${s7.baseUrl}/metadata/data/v3/descriptors/swagger.json`, prefix: '' },
      { name: 'Resources', endpointUri: `${s7.baseUrl}/metadata/data/v3/resources/swagger.json`, prefix: '' },
      { name: 'ChangeQueries', endpointUri: `${s7.baseUrl}/metadata/changeQueries/v1/swagger.json`, prefix: 'Other' },
    ]);
    expect((await call(`${s7.baseUrl}/metadata/`, { headers: { 'if-none-match': a.headers.get('etag')! } })).status).toBe(304);
    const resources = (await call(`${s7.baseUrl}/metadata/data/v3/resources/swagger.json`)).body as { paths: Record<string, unknown> };
    expect(resources.paths).toHaveProperty('/ed-fi/students');
    expect(resources.paths).not.toHaveProperty('/ed-fi/gradeLevelDescriptors');
    const descriptors = (await call(`${s7.baseUrl}/metadata/data/v3/descriptors/swagger.json`)).body as { paths: Record<string, unknown> };
    expect(descriptors.paths).toHaveProperty('/ed-fi/gradeLevelDescriptors');
    expect((await call(`${s7.baseUrl}/metadata/changeQueries/v1/swagger.json`)).status).toBe(200);
  });
});

describe('year-specific routing', () => {
  it('7.x: /{year} before everything, one independent ODS per year, 404 for a year without one', async () => {
    const s = await startSandbox({ yearSpecific: true, schoolYears: [2025, 2026] });
    try {
      const root = await call(`${s.baseUrl}/`);
      expect((root.body as { urls: { dataManagementApi: string } }).urls.dataManagementApi).toBe(`${s.baseUrl}/{schoolYearFromRoute}/data/v3/`);
      expect(((await call(`${s.baseUrl}/2025`)).body as { urls: { oauth: string } }).urls.oauth).toBe(`${s.baseUrl}/2025/oauth/token`);
      expect((await call(`${s.baseUrl}/oauth/token`, { method: 'POST' })).status).toBe(404);
      const token = await tokenFor(`${s.baseUrl}/2025`);
      const y25 = new Api(s.baseUrl, token, `${s.baseUrl}/2025/data/v3`);
      const y26 = new Api(s.baseUrl, token, `${s.baseUrl}/2026/data/v3`);
      const made = await y25.post('ed-fi/courses', DOCS.course('Y-1'));
      expect(made.headers.get('location')).toMatch(new RegExp(`^${s.baseUrl}/2025/data/v3/ed-fi/courses/[0-9a-f]{32}$`));
      expect(((await y25.get('ed-fi/courses?courseCode=Y-1')).body as unknown[]).length).toBe(1);
      expect((await y26.get('ed-fi/courses?courseCode=Y-1')).body).toEqual([]);
      expect(s.count('ed-fi/courses', 2025)).toBe(s.count('ed-fi/courses', 2026) + 1);
      const missing = await call(`${s.baseUrl}/2031/data/v3/ed-fi/courses`, { headers: { authorization: `Bearer ${token}` } });
      expect(missing.body).toMatchObject({
        status: 404,
        errors: ['No ODS instance matching the available route values was found. Route values were: [schoolYearFromRoute=2031]'],
      });
      expect((await call(`${s.baseUrl}/data/v3/ed-fi/courses`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(404);
      expect((await call(`${s.baseUrl}/2025/metadata/data/v3/dependencies`)).status).toBe(200);
    } finally {
      await s.close();
    }
  });

  it('6.1: /data/v3/{year}/…, the token endpoint unprefixed, apiMode Year Specific', async () => {
    const s = await startSandbox({ apiVersion: '6.1', yearSpecific: true, schoolYears: [2025] });
    try {
      expect((await call(`${s.baseUrl}/`)).body).toMatchObject({
        apiMode: 'Year Specific',
        urls: { dataManagementApi: `${s.baseUrl}/data/v3/${new Date().getUTCFullYear()}` },
      });
      const api = new Api(s.baseUrl, await tokenFor(s.baseUrl), `${s.baseUrl}/data/v3/2025`);
      const made = await api.post('ed-fi/courses', DOCS.course('Y6'));
      expect(made.status).toBe(201);
      expect(made.headers.get('location')).toContain('/data/v3/2025/ed-fi/courses/');
      expect((await call(`${s.baseUrl}/metadata/data/v3/2025/dependencies`)).status).toBe(200);
      expect((await call(`${s.baseUrl}/changeQueries/v1/2025/availableChangeVersions`, { headers: { authorization: `Bearer ${api.token}` } })).status).toBe(
        200,
      );
    } finally {
      await s.close();
    }
  });
});
