/**
 * Every route of the OpenAPI document, walked as an attacker would: without credentials (plainly
 * and percent-encoded, since the router decodes paths), with too small a role, and as a caller who
 * may not see the profile. A new route is covered the day it is added.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import { createProfile } from '../db/profiles.js';
import { startApiHarness, type ApiHarness } from '../test/apiHarness.js';
import { apiKeyHeader, asClient } from '../test/auth.js';
import { LeaSchema } from '../db/entities/configuration.js';
import type { Access } from './auth/plugin.js';
import pg from 'pg';
import { scrapeState } from './routes/metrics.js';

interface Operation {
  readonly method: string;
  readonly path: string;
  readonly access: Access;
  readonly hasBody: boolean;
  readonly public: boolean;
}

let h: ApiHarness;
let operations: Operation[] = [];
const HIDDEN = 'hr-only-hidden';
/** Two districts on one deployment, and a profile of the second. */
const OURS = 'lea-ours';
const THEIRS = 'lea-theirs';
const THEIR_PROFILE = 'their-district-sis';

beforeAll(async () => {
  h = await startApiHarness('security');
  const em = h.orm.em.fork();
  // An HR-only profile shown by vendor: SIS callers must not learn it exists.
  createProfile(em, { id: HIDDEN, name: 'HR only', profileType: 'HR-only', schoolYears: [2025] }).settings = { UserProfileMappingOption: 'vendor-based' };
  em.create(LeaSchema, { id: OURS, name: 'Our ISD', stateNumber: '111111' });
  em.create(LeaSchema, { id: THEIRS, name: 'Their ISD', stateNumber: '222222' });
  await em.flush();
  createProfile(em, { id: THEIR_PROFILE, name: 'Their SIS', profileType: 'SIS', schoolYears: [2025], leaId: THEIRS });
  await em.flush();
  const doc = (await h.app.inject({ url: '/docs/json' })).json<{
    paths: Record<string, Record<string, { 'x-access'?: Access; requestBody?: unknown; security?: unknown[] }>>;
  }>();
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      operations.push({
        method: method.toUpperCase(),
        path,
        access: op['x-access'] ?? 'clerk',
        hasBody: op.requestBody !== undefined,
        public: Array.isArray(op.security) && op.security.length === 0,
      });
    }
  }
  operations = operations.filter((o) => o.method !== 'HEAD');
});

afterAll(async () => {
  await h?.close();
});

/** A concrete URL for a documented path: the hidden profile, and a plausible value for other parameters. */
function urlOf(path: string, profileId = HIDDEN, leaId = 'x1'): string {
  return path
    .replace(/\{profileId\}/g, profileId)
    .replace(/\{leaId\}/g, leaId)
    .replace(/\{(\w+)\}/g, (_m, name: string) => (name === 'resource' ? 'schools' : name === 'codeSet' ? 'calendar-types' : 'x1'));
}

/** `/api/…` with letters percent-encoded, as the bypass of the finding did (`/%61pi/…`, `/a%70i/…`). */
function encoded(url: string): string[] {
  return [url.replace(/^\/a/, '/%61'), url.replace(/^\/ap/, '/a%70'), url.replace(/\/profiles\//, '/%70rofiles/')].filter((u) => u !== url);
}

function request(o: Operation, url: string, headers: Record<string, string> = {}): InjectOptions {
  return {
    method: o.method,
    url: `${url}${url.includes('?') ? '&' : '?'}schoolYear=2025`,
    headers: { ...headers, ...(o.hasBody ? { 'content-type': 'application/json' } : {}) },
    ...(o.hasBody ? { payload: '{}' } : {}),
  };
}

describe('every route of the OpenAPI document', () => {
  it('declares how to authenticate, and the role each operation needs', async () => {
    const doc = (await h.app.inject({ url: '/docs/json' })).json<{ components: { securitySchemes: Record<string, unknown> }; security: unknown[] }>();
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['apiKey', 'session']);
    expect(doc.security).toEqual([{ apiKey: [] }, { session: [] }]);
    expect(operations.length).toBeGreaterThan(40);
    // What is open on purpose: sign-in, health, readiness and the links the sign-in page shows.
    expect(
      operations
        .filter((o) => o.public)
        .map((o) => `${o.method} ${o.path}`)
        .sort(),
    ).toEqual(['GET /api/info', 'GET /healthz', 'GET /readyz', 'POST /api/session']);
  });

  it('answers 401 to a caller without credentials, on the plain path and percent-encoded', async () => {
    const wrong: string[] = [];
    for (const o of operations.filter((x) => !x.public)) {
      for (const url of [urlOf(o.path), ...encoded(urlOf(o.path))]) {
        const res = await h.app.inject(request(o, url));
        if (res.statusCode !== 401) wrong.push(`${o.method} ${url} → ${res.statusCode}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('answers 403 to a clerk on every admin route', async () => {
    const clerk = await apiKeyHeader(h.orm, 'clerk');
    const admin = operations.filter((o) => o.access === 'admin' || o.access === 'deployment');
    expect(admin.length).toBeGreaterThan(10);
    const wrong: string[] = [];
    for (const o of admin) {
      const res = await h.app.inject(request(o, urlOf(o.path), clerk));
      if (res.statusCode !== 403) wrong.push(`${o.method} ${o.path} → ${res.statusCode}`);
    }
    expect(wrong).toEqual([]);
  });

  it('answers 404 on every profile route to a caller who may not see the profile, whatever its role', async () => {
    const sisClerk = await apiKeyHeader(h.orm, 'clerk', 'SIS');
    const sisAdmin = await apiKeyHeader(h.orm, 'admin', 'SIS');
    const profileRoutes = operations.filter((o) => o.path.includes('{profileId}'));
    expect(profileRoutes.length).toBeGreaterThan(25);
    const wrong: string[] = [];
    for (const o of profileRoutes) {
      const res = await h.app.inject(request(o, urlOf(o.path), o.access === 'admin' ? sisAdmin : sisClerk));
      if (res.statusCode !== 404) wrong.push(`${o.method} ${o.path} → ${res.statusCode} ${res.body.slice(0, 120)}`);
    }
    expect(wrong).toEqual([]);
    // The same profile is there for a caller with no vendor (district IT).
    const it = await apiKeyHeader(h.orm, 'admin');
    expect((await h.app.inject({ url: `/api/profiles/${HIDDEN}/settings`, headers: it })).statusCode).toBe(200);
  });

  it('answers 404 on every profile and LEA route to a caller of another district, whatever its role', async () => {
    const clerk = await apiKeyHeader(h.orm, 'clerk', null, OURS);
    const admin = await apiKeyHeader(h.orm, 'admin', null, OURS);
    const scoped = operations.filter((o) => (o.path.includes('{profileId}') || o.path.includes('{leaId}')) && o.access !== 'deployment');
    expect(scoped.length).toBeGreaterThan(30);
    const wrong: string[] = [];
    for (const o of scoped) {
      const res = await h.app.inject(request(o, urlOf(o.path, THEIR_PROFILE, THEIRS), o.access === 'admin' ? admin : clerk));
      if (res.statusCode !== 404) wrong.push(`${o.method} ${o.path} → ${res.statusCode} ${res.body.slice(0, 120)}`);
    }
    expect(wrong).toEqual([]);
    // Their own admin reaches them; so does the deployment's IT (no district).
    for (const headers of [await apiKeyHeader(h.orm, 'admin', null, THEIRS), await apiKeyHeader(h.orm, 'admin')]) {
      expect((await h.app.inject({ url: `/api/profiles/${THEIR_PROFILE}/settings`, headers })).statusCode).toBe(200);
      expect((await h.app.inject({ method: 'PATCH', url: `/api/leas/${THEIRS}`, headers, payload: { name: 'Their ISD' } })).statusCode).toBe(200);
    }
  });

  it("answers 403 to a district's admin on every route that changes what all districts share", async () => {
    const admin = await apiKeyHeader(h.orm, 'admin', null, OURS);
    const shared = operations.filter((o) => o.access === 'deployment');
    expect(shared.map((o) => `${o.method} ${o.path}`).sort()).toEqual([
      'DELETE /api/leas/{leaId}',
      'GET /api/diagnostics/system-processing',
      'GET /api/leas/{leaId}/replicas',
      'POST /api/leas',
      'PUT /api/diagnostics/system-processing',
      'PUT /api/leas/{leaId}/replicas',
      'PUT /api/settings',
    ]);
    const wrong: string[] = [];
    for (const o of shared) {
      const res = await h.app.inject(request(o, urlOf(o.path, HIDDEN, OURS), admin));
      if (res.statusCode !== 403 || !res.body.includes('admin of the whole deployment')) wrong.push(`${o.method} ${o.path} → ${res.statusCode}`);
    }
    expect(wrong).toEqual([]);
    const metrics = await h.app.inject({ url: '/metrics', headers: admin });
    expect(metrics.statusCode).toBe(403);
  });

  it("shows a district's admin only its district in every list, and makes everything it creates its district's", async () => {
    const headers = await apiKeyHeader(h.orm, 'admin', null, OURS);
    const call = asClient(h.app, headers);
    await apiKeyHeader(h.orm, 'clerk', null, THEIRS);
    const created = await call({ method: 'POST', url: '/api/profiles', payload: { id: 'our-sis', name: 'Our SIS', profileType: 'SIS', schoolYears: [2025] } });
    expect(created.statusCode).toBe(201);
    expect(created.json<{ leaId: string }>().leaId).toBe(OURS);
    expect((await call('/api/profiles')).json<Array<{ id: string }>>().map((p) => p.id)).toEqual(['our-sis']);
    expect((await call('/api/leas')).json<Array<{ id: string }>>().map((l) => l.id)).toEqual([OURS]);
    const keys = (await call('/api/api-keys')).json<Array<{ leaId: string | null }>>();
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((k) => k.leaId === OURS)).toBe(true);
    expect((await call({ method: 'DELETE', url: '/api/profiles/our-sis' })).statusCode).toBe(200);
    expect((await call('/api/removed-profiles')).json<Array<{ id: string }>>().map((p) => p.id)).toEqual(['our-sis']);
    // Nothing for another district, nor anything that would see every district.
    for (const leaId of [THEIRS, null]) {
      for (const [url, payload] of [
        ['/api/profiles', { name: 'Sneaky', profileType: 'SIS', schoolYears: [2025], leaId }],
        ['/api/users', { username: `sneaky-${String(leaId)}`, password: 'long enough password', role: 'admin', leaId }],
        ['/api/api-keys', { name: 'sneaky', role: 'admin', leaId }],
      ] as const) {
        const res = await call({ method: 'POST', url, payload });
        expect(res.statusCode, `${url} for ${String(leaId)}`).toBe(404);
      }
    }
    const user = await call({ method: 'POST', url: '/api/users', payload: { username: 'our-clerk', password: 'long enough password', role: 'clerk' } });
    expect(user.json<{ leaId: string }>().leaId).toBe(OURS);
    // People: a district's admin lists and removes its own, never another district's.
    const { createUser } = await import('../db/users.js');
    await createUser(h.orm.em.fork(), { username: 'their-clerk', password: 'a long enough password', role: 'clerk', leaId: THEIRS });
    const people = (await call('/api/users')).json<Array<{ username: string; leaId: string | null; passwordHash?: unknown }>>();
    expect(people.map((u) => u.username)).toContain('our-clerk');
    expect(people.every((u) => u.leaId === OURS && u.passwordHash === undefined)).toBe(true);
    expect((await call({ method: 'DELETE', url: '/api/users/their-clerk' })).statusCode).toBe(404);
    const signIn = await h.app.inject({ method: 'POST', url: '/api/session', payload: { username: 'our-clerk', password: 'long enough password' } });
    const session = { cookie: (signIn.headers['set-cookie'] as string).split(';')[0] };
    expect((await h.app.inject({ url: '/api/session', headers: session })).statusCode).toBe(200);
    expect((await call({ method: 'DELETE', url: '/api/users/our-clerk' })).statusCode).toBe(204);
    // Removed: signed out at once, and gone from the list.
    expect((await h.app.inject({ url: '/api/session', headers: session })).statusCode).toBe(401);
    expect((await call('/api/users')).json<Array<{ username: string }>>().map((u) => u.username)).not.toContain('our-clerk');
    expect((await asClient(h.app, await apiKeyHeader(h.orm, 'admin'))('/api/users')).json<Array<{ username: string }>>().map((u) => u.username)).toContain(
      'their-clerk',
    );
    // The deployment's IT sees both districts, and moves a profile between them.
    const it = asClient(h.app, await apiKeyHeader(h.orm, 'admin'));
    expect((await it('/api/leas')).json<Array<{ id: string }>>().map((l) => l.id)).toEqual(expect.arrayContaining([OURS, THEIRS]));
    expect((await call({ method: 'PATCH', url: `/api/profiles/${HIDDEN}`, payload: { leaId: OURS } })).statusCode).toBe(404);
    const moved = await it({ method: 'PATCH', url: `/api/profiles/${HIDDEN}`, payload: { leaId: OURS } });
    expect(moved.json<{ leaId: string }>().leaId).toBe(OURS);
    expect((await call(`/api/profiles/${HIDDEN}`)).statusCode).toBe(200);
    expect((await it({ method: 'PATCH', url: `/api/profiles/${HIDDEN}`, payload: { leaId: null } })).statusCode).toBe(200);
  });

  it("keeps a district's profile to its own district's key: another LEA's connection is refused", async () => {
    const it = asClient(h.app, await apiKeyHeader(h.orm, 'admin'));
    const res = await it({ method: 'PUT', url: `/api/leas/${OURS}/connections/${THEIR_PROFILE}`, payload: { key: 'k', secret: 's' } });
    expect(res.statusCode).toBe(409);
    expect(res.json<{ message: string }>().message).toBe('profile "Their SIS" publishes for LEA "lea-theirs": enter its key and secret under that LEA');
    expect((await it({ method: 'PUT', url: `/api/leas/${THEIRS}/connections/${THEIR_PROFILE}`, payload: { key: 'k', secret: 's' } })).statusCode).toBe(200);
  });

  it("guards the Prometheus endpoint: every profile's state is for the district's IT alone (an admin without a vendor)", async () => {
    expect((await h.app.inject({ url: '/metrics' })).statusCode).toBe(401);
    expect((await h.app.inject({ url: '/%6detrics' })).statusCode).toBe(401);
    expect((await h.app.inject({ url: '/metrics', headers: await apiKeyHeader(h.orm, 'clerk') })).statusCode).toBe(403);
    const vendor = await h.app.inject({ url: '/metrics', headers: await apiKeyHeader(h.orm, 'admin', 'SIS') });
    expect(vendor.statusCode).toBe(403);
    expect(vendor.json<{ message: string }>().message).toContain('admin API key that has no vendor');
    const it = await h.app.inject({ url: '/metrics', headers: await apiKeyHeader(h.orm, 'admin') });
    expect(it.statusCode).toBe(200);
    expect(it.headers['content-type']).toContain('text/plain; version=0.0.4');
    expect(it.body).toContain('edx_dependency_up{dependency="database"} 1');
    // A database gone between the readiness check and the reads: the scrape still answers, saying so.
    const gone = new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/none' });
    await gone.end();
    const state = await scrapeState({ orm: h.orm, db: gone, temporal: h.client, temporalConfig: h.config });
    expect(state.up.database).toBe(false);
    expect(state.catalog).toEqual([]);
  });

  it('serves the API docs (Swagger UI) under a content security policy', async () => {
    const page = await h.app.inject({ url: '/docs/' });
    expect(page.statusCode).toBe(200);
    expect(String(page.headers['content-security-policy'])).toMatch(/default-src 'self'.*script-src 'self'/);
    // On a plain-http local install the page must still load its scripts.
    expect(String(page.headers['content-security-policy'])).not.toContain('upgrade-insecure-requests');
  });

  it('refuses to let a signed-in admin remove their own account', async () => {
    const { createUser } = await import('../db/users.js');
    await createUser(h.orm.em.fork(), { username: 'lone-admin', password: 'a long enough password', role: 'admin' });
    const signIn = await h.app.inject({ method: 'POST', url: '/api/session', payload: { username: 'lone-admin', password: 'a long enough password' } });
    const headers = { cookie: (signIn.headers['set-cookie'] as string).split(';')[0], 'x-csrf-token': signIn.json<{ csrfToken: string }>().csrfToken };
    const res = await h.app.inject({ method: 'DELETE', url: '/api/users/lone-admin', headers });
    expect(res.statusCode).toBe(409);
    expect(res.json<{ message: string }>().message).toContain('another admin');
    expect((await h.app.inject({ url: '/api/session', headers })).statusCode).toBe(200);
  });

  it('refuses a web session without its CSRF token on sign-out too', async () => {
    const { createUser } = await import('../db/users.js');
    await createUser(h.orm.em.fork(), { username: 'csrf-clerk', password: 'a long enough password', role: 'clerk' });
    const signIn = await h.app.inject({ method: 'POST', url: '/api/session', payload: { username: 'csrf-clerk', password: 'a long enough password' } });
    const cookie = (signIn.headers['set-cookie'] as string).split(';')[0];
    expect((await h.app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie } })).statusCode).toBe(403);
    expect((await h.app.inject({ url: '/api/session', headers: { cookie } })).statusCode).toBe(200);
    const csrf = signIn.json<{ csrfToken: string }>().csrfToken;
    expect((await h.app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie, 'x-csrf-token': csrf } })).statusCode).toBe(204);
    expect((await h.app.inject({ url: '/api/session', headers: { cookie } })).statusCode).toBe(401);
  });
});
