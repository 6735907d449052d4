import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from './clients.js';
import { Faults, parseFaults } from './faults.js';
import { startSandbox, type Sandbox } from './server.js';
import { Api, call, DOCS } from './testing.js';

let s: Sandbox;
let k: Api;

beforeAll(async () => {
  s = await startSandbox();
  k = await Api.of(s);
});
afterAll(async () => {
  await s?.close();
});

const admin = (path: string, body?: unknown, headers: Record<string, string> = {}) =>
  call(
    `${s.baseUrl}/admin/${path}`,
    body === undefined ? { headers } : { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) },
  );

describe('faults', () => {
  it('are off by default', async () => {
    expect((await admin('faults')).body).toEqual({});
    for (let i = 0; i < 20; i++) expect((await k.get('ed-fi/schools?limit=1')).status).toBe(200);
  });

  it('500/503/429 at the configured rates on matching routes only, the same sequence for the same seed', async () => {
    const run = async (): Promise<number[]> => {
      expect((await admin('faults', { seed: 42, rules: [{ route: 'GET /data/v3/ed-fi/schools', error500: 0.2, error503: 0.2, error429: 0.2 }] })).status).toBe(
        200,
      );
      const out: number[] = [];
      for (let i = 0; i < 40; i++) out.push((await k.get('ed-fi/schools?limit=1')).status);
      return out;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(new Set(first)).toEqual(new Set([200, 500, 503, 429]));
    expect((await k.get('ed-fi/courses?limit=1')).status).toBe(200);
    const five = await (async () => {
      for (;;) {
        const a = await k.get('ed-fi/schools?limit=1');
        if (a.status === 500) return a;
      }
    })();
    expect(five.body).toMatchObject({ type: 'urn:ed-fi:api:system', title: 'System Error' });
    await admin('faults', {});
  });

  it('latency and connection resets', async () => {
    s.setFaults({ rules: [{ route: '/health', latencyMs: 150 }] });
    const t = Date.now();
    expect((await call(`${s.baseUrl}/health`)).status).toBe(200);
    expect(Date.now() - t).toBeGreaterThanOrEqual(140);
    s.setFaults({ rules: [{ route: '/health', reset: 1 }] });
    await expect(fetch(`${s.baseUrl}/health`)).rejects.toThrow();
    s.setFaults({});
  });

  it('overload: past its capacity, each request in flight beyond it slows every answer and raises the chance of a 503', () => {
    const f = new Faults({ seed: 3, rules: [{ route: 'POST /data/v3/', overload: { inFlight: 2, latencyMs: 10, error503: 0.1 } }] });
    const held = [1, 2].map(() => f.decide('POST', '/data/v3/ed-fi/students')!);
    expect(held.map((d) => [d.latencyMs, d.action])).toEqual([
      [0, undefined],
      [0, undefined],
    ]);
    // Ten beyond the capacity: 100 ms slower each, and a 503 for every one (a rate of 10 × 0.1).
    const beyond = Array.from({ length: 10 }, () => f.decide('POST', '/data/v3/ed-fi/students')!);
    expect(beyond.map((d) => d.latencyMs)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(beyond.at(-1)!.action).toBe('503');
    // Answers done no longer count: the next request is within capacity again.
    for (const d of [...held, ...beyond]) d.release!();
    expect(f.decide('POST', '/data/v3/ed-fi/students')).toMatchObject({ latencyMs: 0, action: undefined });
    expect(f.decide('GET', '/data/v3/ed-fi/students')).toBeUndefined();
  });

  it('overload through the server: an answer that is done releases its place', async () => {
    s.setFaults({ rules: [{ route: 'GET /data/v3/ed-fi/schools', latencyMs: 50, overload: { inFlight: 1, latencyMs: 200 } }] });
    // One at a time stays within capacity, however many are sent one after another.
    for (let i = 0; i < 5; i++) {
      const t = Date.now();
      expect((await k.get('ed-fi/schools?limit=1')).status).toBe(200);
      expect(Date.now() - t).toBeLessThan(150);
    }
    // Two at once (the first held its 50 ms): the second is answered 200 ms later than that.
    const t = Date.now();
    await Promise.all([k.get('ed-fi/schools?limit=1'), k.get('ed-fi/schools?limit=1')]);
    expect(Date.now() - t).toBeGreaterThanOrEqual(240);
    s.setFaults({});
  });

  it('short token lifetimes', async () => {
    s.setFaults({ tokenLifetimeSeconds: 1 });
    const short = await Api.of(s);
    expect((await short.get('ed-fi/schools?limit=1')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1_050));
    expect((await short.get('ed-fi/schools?limit=1')).status).toBe(401);
    s.setFaults({});
  });

  it('"the ODS lost a record": a written record silently gone, so the next reference to it 409s', async () => {
    s.setFaults({ rules: [{ route: 'POST /data/v3/ed-fi/calendars', loseRecord: 1 }] });
    expect((await k.post('ed-fi/calendars', DOCS.calendar('LOST'))).status).toBe(201);
    s.setFaults({});
    const date = {
      date: '2024-08-20',
      calendarReference: { calendarCode: 'LOST', schoolId: 149913003, schoolYear: 2025 },
      calendarEvents: [{ calendarEventDescriptor: 'uri://ed-fi.org/CalendarEventDescriptor#Holiday' }],
    };
    expect((await k.post('ed-fi/calendarDates', date)).body).toMatchObject({ status: 409, detail: "The referenced 'Calendar' item does not exist." });
    // Also on demand, by id.
    const id = Api.idOf(await k.post('ed-fi/calendars', DOCS.calendar('LOST2')));
    expect((await admin('records/lose', { resource: 'ed-fi/calendars', id })).status).toBe(204);
    expect((await k.get(`ed-fi/calendars/${id}`)).status).toBe(404);
    expect((await k.get('ed-fi/calendars/deletes')).body).toEqual([]);
  });

  it('refuses a bad configuration with a message that says what to write', async () => {
    const bad = await admin('faults', { rules: [{ route: 'POST /data', error500: 5 }] });
    expect([bad.status, bad.body]).toEqual([400, { message: 'the faults.rules[0].error500 must be a rate between 0 and 1 (0.05 = 5% of requests); got 5' }]);
    expect(() => parseFaults({ rules: [{ rute: '/' }] }, 'faults.json')).toThrow(ConfigError);
    expect(() => parseFaults({ rules: [{ rute: '/' }] }, 'faults.json')).toThrow('faults.json.rules[0] has an unknown field "rute"');
    expect(() => parseFaults({ rules: [{ route: 'data/v3' }] }, 'f')).toThrow(/route must look like/);
    expect(new Faults({ rules: [{ route: '/x', error500: 0 }] }).decide('GET', '/x')).toBeUndefined();
    expect(() => parseFaults({ rules: [{ overload: { inFlight: 0 } }] }, 'f')).toThrow(
      "f.rules[0].overload.inFlight must be a whole number of requests, at least 1 (the ODS's capacity); got 0",
    );
    expect(() => parseFaults({ rules: [{ overload: { inFlight: 4, queue: 1 } }] }, 'f')).toThrow('f.rules[0].overload has an unknown field "queue"');
  });
});

describe('admin endpoints', () => {
  it('add a client that can then get tokens; list clients without secrets; remove one', async () => {
    const added = await admin('clients', { key: 'new-key', secret: 'new-secret', claimSet: 'SIS Vendor' });
    expect([added.status, added.body]).toEqual([
      201,
      {
        key: 'new-key',
        claimSet: 'SIS Vendor',
        educationOrganizationIds: [149913],
        namespacePrefixes: ['uri://ed-fi.org', 'uri://tea.texas.gov'],
        approved: true,
      },
    ]);
    const api = await Api.of(s, 'new-key', 'new-secret');
    expect((await api.get('ed-fi/schools?limit=1')).status).toBe(200);
    expect(JSON.stringify((await admin('clients')).body)).not.toContain('secret');
    const bad = await admin('clients', { key: 'x', secret: 'y', claimSet: 'Nope' });
    expect((bad.body as { message: string }).message).toMatch(/^the client.claimSet "Nope" is not a claim set this sandbox knows; use one of: "Ed-Fi Sandbox"/);
    expect((await call(`${s.baseUrl}/admin/clients/new-key`, { method: 'DELETE' })).status).toBe(204);
    expect((await api.get('ed-fi/schools?limit=1')).status).toBe(401);
  });

  it('with an admin token, only callers that send it — a loopback caller without it mints no client', async () => {
    const guarded = await startSandbox({ seed: false, adminToken: 'letmein' });
    const clientFor = (key: string) => JSON.stringify({ key, secret: `${key}-secret` });
    const tokenFor = (key: string) =>
      call(`${guarded.baseUrl}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `grant_type=client_credentials&client_id=${key}&client_secret=${key}-secret`,
      });
    try {
      expect((await call(`${guarded.baseUrl}/admin/faults`)).status).toBe(403);
      expect((await call(`${guarded.baseUrl}/admin/faults`, { headers: { authorization: 'Bearer letmeout' } })).status).toBe(403);
      expect((await call(`${guarded.baseUrl}/admin/faults`, { headers: { authorization: 'Bearer letmein' } })).status).toBe(200);
      // The caller is on loopback: without the token that is no longer enough.
      const stolen = await call(`${guarded.baseUrl}/admin/clients`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: clientFor('stolen'),
      });
      expect([stolen.status, (stolen.body as { message: string }).message]).toEqual([403, 'Send the admin token as "Authorization: Bearer <token>".']);
      expect(
        (
          await call(`${guarded.baseUrl}/admin/clients`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: 'Bearer letmei' },
            body: clientFor('stolen'),
          })
        ).status,
      ).toBe(403);
      expect((await tokenFor('stolen')).status).toBe(401);
      expect((await call(`${guarded.baseUrl}/admin/clients/sandbox-key`, { method: 'DELETE' })).status).toBe(403);
      // With the token, the same request mints a client that gets API tokens.
      const minted = await call(`${guarded.baseUrl}/admin/clients`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer letmein' },
        body: clientFor('granted'),
      });
      expect(minted.status).toBe(201);
      expect((await tokenFor('granted')).status).toBe(200);
      // The token does not lift the JSON rule.
      expect(
        (
          await call(`${guarded.baseUrl}/admin/clients`, {
            method: 'POST',
            headers: { 'content-type': 'text/plain', authorization: 'Bearer letmein' },
            body: clientFor('plain'),
          })
        ).status,
      ).toBe(415);
      expect((await tokenFor('plain')).status).toBe(401);
    } finally {
      await guarded.close();
    }
  });

  it('with an empty admin token, nobody — not a caller sending no token or an empty one', async () => {
    const guarded = await startSandbox({ seed: false, adminToken: '' });
    try {
      expect((await call(`${guarded.baseUrl}/admin/faults`)).status).toBe(403);
      expect((await call(`${guarded.baseUrl}/admin/faults`, { headers: { authorization: 'Bearer  ' } })).status).toBe(403);
    } finally {
      await guarded.close();
    }
  });

  it('refuses a body that is not JSON (what a web page can post across origins), creating nothing', async () => {
    const res = await call(`${s.baseUrl}/admin/clients`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ key: 'csrf-key', secret: 'csrf-secret' }),
    });
    expect(res.status).toBe(415);
    expect((res.body as { message: string }).message).toContain('content-type: application/json');
    // fetch's own default for a string body, and the other two types a form can send without a preflight.
    expect((await call(`${s.baseUrl}/admin/clients`, { method: 'POST', body: JSON.stringify({ key: 'csrf-key', secret: 'csrf-secret' }) })).status).toBe(415);
    expect(
      (
        await call(`${s.baseUrl}/admin/clients`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'key=csrf-key&secret=csrf-secret',
        })
      ).status,
    ).toBe(415);
    const form = new FormData();
    form.set('key', 'csrf-key');
    expect((await call(`${s.baseUrl}/admin/clients`, { method: 'POST', body: form })).status).toBe(415);
    // Look-alikes of JSON are not JSON either.
    const faultsBefore = (await admin('faults')).body;
    for (const type of ['text/json', 'application/jsonx', 'application/vnd.api+json']) {
      expect(
        (await call(`${s.baseUrl}/admin/faults`, { method: 'POST', headers: { 'content-type': type }, body: JSON.stringify({ rules: [{ error500: 1 }] }) }))
          .status,
      ).toBe(415);
    }
    expect((await admin('faults')).body).toEqual(faultsBefore);
    expect(JSON.stringify((await admin('clients')).body)).not.toContain('csrf-key');
  });

  it('takes JSON whatever its parameters or case, and a DELETE with a body only as JSON', async () => {
    const added = await call(`${s.baseUrl}/admin/clients`, {
      method: 'POST',
      headers: { 'content-type': 'Application/JSON; charset=utf-8' },
      body: JSON.stringify({ key: 'charset-key', secret: 'charset-secret' }),
    });
    expect(added.status).toBe(201);
    expect((await call(`${s.baseUrl}/admin/clients/charset-key`, { method: 'DELETE', headers: { 'content-type': 'text/plain' }, body: 'x' })).status).toBe(415);
    expect(JSON.stringify((await admin('clients')).body)).toContain('charset-key');
    expect(
      (await call(`${s.baseUrl}/admin/clients/charset-key`, { method: 'DELETE', headers: { 'content-type': 'application/json' }, body: '{}' })).status,
    ).toBe(204);
    expect(JSON.stringify((await admin('clients')).body)).not.toContain('charset-key');
  });
});
