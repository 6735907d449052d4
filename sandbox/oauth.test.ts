import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from './server.js';
import { Api, call, tokenFor } from './testing.js';

const basic = (v: string) => `Basic ${Buffer.from(v).toString('base64')}`;
const FORM = 'application/x-www-form-urlencoded';

let s7: Sandbox;
let s6: Sandbox;

beforeAll(async () => {
  [s7, s6] = await Promise.all([
    startSandbox({
      seed: false,
      clients: [
        { key: 'k', secret: 's', educationOrganizationIds: [255901] },
        { key: 'off', secret: 's', approved: false },
      ],
    }),
    startSandbox({ apiVersion: '6.1', seed: false, clients: [{ key: 'k', secret: 's' }] }),
  ]);
});
afterAll(async () => {
  await s7?.close();
  await s6?.close();
});

function token(s: Sandbox, init: { body?: string; type?: string | null; auth?: string }) {
  const headers: Record<string, string> = {};
  if (init.type !== null) headers['content-type'] = init.type ?? FORM;
  if (init.auth !== undefined) headers.authorization = init.auth;
  // A string body makes fetch add text/plain; bytes go without a Content-Type.
  const body = new TextEncoder().encode(init.body ?? 'grant_type=client_credentials');
  return call(`${s.baseUrl}/oauth/token`, { method: 'POST', headers, body });
}

describe('POST /oauth/token', () => {
  it('accepts a Basic header with a form body, or JSON fields; 32-hex tokens with expires_in', async () => {
    const a = await token(s7, { auth: basic('k:s') });
    expect(a.status).toBe(200);
    expect(a.body).toEqual({ access_token: expect.stringMatching(/^[0-9a-f]{32}$/) as unknown, expires_in: 1800, token_type: 'bearer' });
    expect(a.headers.get('cache-control')).toBe('no-store');
    const j = await token(s7, { type: 'application/json', body: JSON.stringify({ Client_Id: 'k', client_secret: 's', grant_type: 'CLIENT_CREDENTIALS' }) });
    expect(j.status).toBe(200);
    const f = await token(s7, { body: 'grant_type=client_credentials&client_id=k&client_secret=s' });
    expect(f.status).toBe(200);
  });

  it('answers every malformed request as the ODS does (6.0+ statuses)', async () => {
    const cases: [Parameters<typeof token>[1], number, object][] = [
      [{ auth: basic('k:wrong') }, 401, { error: 'invalid_client' }],
      [{ auth: basic('nobody:s') }, 401, { error: 'invalid_client' }],
      [{ auth: basic('off:s') }, 401, { error: 'invalid_client' }],
      [{ body: 'grant_type=client_credentials&client_id=&client_secret=' }, 401, { error: 'invalid_request' }],
      [{ body: 'grant_type=client_credentials' }, 401, { error: 'invalid_request' }],
      [{ auth: 'Basic Test Test' }, 400, { error: 'invalid_request' }],
      [{ auth: 'Test Test' }, 401, { error: 'invalid_client' }],
      [{ auth: 'Basic !!!notbase64' }, 400, { error: 'invalid_request' }],
      [{ auth: basic('no-colon') }, 400, { error: 'invalid_client' }],
      [{ auth: basic('k:s'), body: 'grant_type=client_credentials&client_id=k' }, 400, { error: 'invalid_client' }],
      [{ auth: basic('k:s'), body: 'grant_type=password' }, 400, { error: 'unsupported_grant_type' }],
      // The grant type is checked before the credentials.
      [{ auth: basic('k:wrong'), body: 'grant_type=password' }, 400, { error: 'unsupported_grant_type' }],
      [
        { auth: basic('k:s'), body: 'grant_type=client_credentials&scope=999' },
        400,
        {
          error: 'invalid_scope',
          error_description: "The client is not explicitly associated with the EducationOrganizationId specified in the requested 'scope'.",
        },
      ],
      [
        { auth: basic('k:s'), body: 'grant_type=client_credentials&scope=abc' },
        400,
        {
          error: 'invalid_scope',
          error_description: "The supplied 'scope' was not a number (it should be an EducationOrganizationId that is explicitly associated with the client).",
        },
      ],
    ];
    for (const [init, status, body] of cases) {
      const a = await token(s7, init);
      expect([JSON.stringify(init), a.status, a.body]).toEqual([JSON.stringify(init), status, body]);
    }
  });

  it('returns the scope it was given', async () => {
    const a = await token(s7, { auth: basic('k:s'), body: 'grant_type=client_credentials&scope=255901' });
    expect(a.body).toMatchObject({ scope: '255901' });
  });

  it('7.x: 415 Problem Details without a Content-Type or with an unsupported one; 6.1: a bare 415', async () => {
    const none = await token(s7, { type: null, auth: basic('k:s') });
    expect(none.status).toBe(415);
    expect(none.headers.get('content-type')).toContain('application/problem+json');
    expect(none.body).toMatchObject({
      type: 'urn:ed-fi:api:unsupported-media-type',
      title: 'Unsupported Media Type',
      detail: 'The request construction was invalid.',
      errors: ["The 'Content-Type' header is missing."],
    });
    const xml = await token(s7, { type: 'text/xml', auth: basic('k:s') });
    expect(xml.body).toMatchObject({ errors: ["The value specified in the 'Content-Type' header is not supported by this host."] });
    const old = await token(s6, { type: 'text/xml', auth: basic('k:s') });
    expect([old.status, old.text]).toEqual([415, '']);
  });

  it('caps live tokens per client when asked (7.3: 429 too-many-tokens)', async () => {
    const s = await startSandbox({ seed: false, maxTokensPerClient: 2, clients: [{ key: 'k', secret: 's' }] });
    try {
      await tokenFor(s.baseUrl, 'k', 's');
      await tokenFor(s.baseUrl, 'k', 's');
      const third = await token(s, { auth: basic('k:s') });
      expect(third.status).toBe(429);
      expect(third.body).toMatchObject({
        type: 'urn:ed-fi:api:security:authentication:too-many-tokens',
        errors: ['Too many access tokens have been requested (limit is 2). Access tokens should be reused until they expire.'],
      });
    } finally {
      await s.close();
    }
  });
});

describe('bearer authentication', () => {
  it('7.x: 401 Problem Details naming what is wrong with the header', async () => {
    const url = `${s7.baseUrl}/data/v3/ed-fi/students`;
    const cases: [Record<string, string>, string][] = [
      [{}, 'Authorization header is missing.'],
      [{ authorization: 'Basic abc' }, 'Unknown Authorization header scheme.'],
      [{ authorization: 'Bearer' }, 'Missing Authorization header bearer token value.'],
      [{ authorization: 'Bearer 0123456789abcdef0123456789abcdef' }, 'Invalid token'],
    ];
    for (const [headers, error] of cases) {
      const a = await call(url, { headers });
      expect(a.status).toBe(401);
      expect(a.headers.get('content-type')).toContain('application/problem+json');
      expect(a.body).toMatchObject({
        type: 'urn:ed-fi:api:security:authentication',
        title: 'Authentication Failed',
        status: 401,
        detail: 'The caller could not be authenticated.',
        errors: [error],
      });
    }
  });

  it('6.1: a bare 401 with a Bearer challenge', async () => {
    const a = await call(`${s6.baseUrl}/data/v3/ed-fi/students`, { headers: { authorization: 'Bearer nope' } });
    expect([a.status, a.text, a.headers.get('www-authenticate')]).toEqual([401, '', 'Bearer']);
  });

  it('an expired token is an invalid token', async () => {
    const s = await startSandbox({ seed: false, tokenLifetimeSeconds: 1, clients: [{ key: 'k', secret: 's' }] });
    try {
      const api = await Api.of(s, 'k', 's');
      expect((await api.get('ed-fi/students')).status).toBe(200);
      await new Promise((r) => setTimeout(r, 1_050));
      const a = await api.get('ed-fi/students');
      expect([a.status, (a.body as { errors: string[] }).errors]).toEqual([401, ['Invalid token']]);
    } finally {
      await s.close();
    }
  });

  it('echoes the correlation id from the header, else the query, in 7.x errors', async () => {
    const h = await call(`${s7.baseUrl}/data/v3/ed-fi/students?correlationId=from-query`, { headers: { 'correlation-id': 'from-header' } });
    expect(h.body).toMatchObject({ correlationId: 'from-header' });
    const q = await call(`${s7.baseUrl}/data/v3/ed-fi/students?correlationId=from-query`);
    expect(q.body).toMatchObject({ correlationId: 'from-query' });
  });
});

describe('POST /oauth/token_info (7.x)', () => {
  it('describes the token: client, claim set, resources and their operations', async () => {
    const t = await tokenFor(s7.baseUrl, 'k', 's');
    const a = await call(`${s7.baseUrl}/oauth/token_info`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' },
      body: JSON.stringify({ token: t }),
    });
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({
      active: true,
      client_id: 'k',
      claim_set: { name: 'Ed-Fi Sandbox' },
      education_organizations: [{ education_organization_id: 255901 }],
    });
    expect((a.body as { resources: { resource: string; operations: string[] }[] }).resources).toContainEqual({
      resource: '/ed-fi/students',
      operations: ['Create', 'Read', 'Update', 'Delete', 'ReadChanges'],
    });
    const other = await call(`${s7.baseUrl}/oauth/token_info`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' },
      body: JSON.stringify({ token: 'x' }),
    });
    expect(other.body).toMatchObject({ status: 400, detail: 'The authentication token and the token to inspect must match.' });
    const empty = await call(`${s7.baseUrl}/oauth/token_info`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(empty.body).toMatchObject({ status: 400, detail: 'An invalid token was provided' });
  });
});
