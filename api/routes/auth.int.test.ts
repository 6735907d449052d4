import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createProfile } from '../../db/profiles.js';
import { createUser } from '../../db/users.js';
import { apiKeyHeader, asClient } from '../../test/auth.js';
import { startApiHarness, type ApiHarness } from '../../test/apiHarness.js';

let h: ApiHarness;
let app: FastifyInstance;
let orm: MikroORM;

beforeAll(async () => {
  h = await startApiHarness('auth');
  app = h.app;
  orm = h.orm;
  const em = orm.em.fork();
  await createUser(em, { username: 'clerk1', password: 'a long clerk password', role: 'clerk' });
  createProfile(em, { id: 'sis', name: 'District SIS', profileType: 'SIS', schoolYears: [2025] });
  const hr = createProfile(em, { id: 'hr', name: 'District HR', profileType: 'HR-only', schoolYears: [2025] });
  hr.settings = { ...hr.settings, UserProfileMappingOption: 'vendor-based' };
  await em.flush();
});

afterAll(async () => {
  await h?.close();
});

const signIn = (password: string, ip = '10.9.9.9') =>
  app.inject({ method: 'POST', url: '/api/session', payload: { username: 'clerk1', password }, remoteAddress: ip });

describe('authentication and roles', () => {
  it('asks for credentials on /api, and sends the security headers everywhere', async () => {
    const res = await app.inject({ url: '/api/profiles' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect((await app.inject({ url: '/api/profiles', headers: { authorization: 'Bearer edx_AAAAAAAA_' + 'x'.repeat(32) } })).statusCode).toBe(401);
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
  });

  it('lets a clerk key publish-side routes but not configuration, and an admin key both; a revoked key nothing', async () => {
    const clerk = asClient(app, await apiKeyHeader(orm, 'clerk'));
    expect((await clerk('/api/profiles')).statusCode).toBe(200);
    const denied = await clerk('/api/leas');
    expect(denied.statusCode).toBe(403);
    expect(denied.json<{ message: string }>().message).toContain('needs the admin role');
    const admin = asClient(app, await apiKeyHeader(orm, 'admin'));
    expect((await admin('/api/leas')).statusCode).toBe(200);
    const created = (await admin({ method: 'POST', url: '/api/api-keys', payload: { name: 'district script', role: 'clerk' } })).json<{
      id: string;
      token: string;
    }>();
    const script = asClient(app, { authorization: `Bearer ${created.token}` });
    expect((await script('/api/profiles')).statusCode).toBe(200);
    const listed = await admin('/api/api-keys');
    expect(listed.body).not.toContain(created.token);
    expect((await admin({ method: 'DELETE', url: `/api/api-keys/${created.id}` })).statusCode).toBe(204);
    expect((await script('/api/profiles')).statusCode).toBe(401);
  });

  it('signs a clerk in with a session cookie and requires the CSRF token on changes', async () => {
    const res = await signIn('a long clerk password');
    expect(res.statusCode).toBe(200);
    const cookie = String(res.headers['set-cookie']).split(';')[0];
    expect(String(res.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
    const { csrfToken } = res.json<{ csrfToken: string }>();
    expect((await app.inject({ url: '/api/session', headers: { cookie } })).json()).toMatchObject({ name: 'clerk1', role: 'clerk', csrfToken });
    const payload = { category: 'course-catalog', schoolYear: 2025, option: 'everything' };
    const noToken = await app.inject({ method: 'POST', url: '/api/profiles/sis/publish', headers: { cookie }, payload });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json<{ message: string }>().message).toContain('x-csrf-token');
    // With the token the request gets through to validation (400 for the bad option, not 403).
    expect((await app.inject({ method: 'POST', url: '/api/profiles/sis/publish', headers: { cookie, 'x-csrf-token': csrfToken }, payload })).statusCode).toBe(
      400,
    );
    expect((await app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie, 'x-csrf-token': csrfToken } })).statusCode).toBe(204);
    expect((await app.inject({ url: '/api/session', headers: { cookie } })).statusCode).toBe(401);
  });

  it('answers a wrong password like an unknown name, and locks out guessing after five failures', async () => {
    const wrong = await signIn('nope', '10.1.1.1');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json<{ message: string }>().message).toBe('the user name or password is wrong');
    for (let i = 0; i < 4; i++) await signIn('nope', '10.1.1.1');
    const locked = await signIn('a long clerk password', '10.1.1.1');
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    // Another address is not locked out by someone else's guessing.
    expect((await signIn('a long clerk password', '10.2.2.2')).statusCode).toBe(200);
  });

  it('hides vendor-based profiles from principals of the other vendor', async () => {
    const sisUser = asClient(app, await apiKeyHeader(orm, 'clerk', 'SIS'));
    expect((await sisUser('/api/profiles')).json<Array<{ id: string }>>().map((p) => p.id)).toEqual(['sis']);
    expect((await sisUser('/api/profiles/hr')).statusCode).toBe(404);
    expect((await sisUser('/api/profiles/hr/publish-queue')).statusCode).toBe(404);
    const hrUser = asClient(app, await apiKeyHeader(orm, 'clerk', 'HR'));
    expect((await hrUser('/api/profiles')).json<Array<{ id: string }>>().map((p) => p.id)).toEqual(['hr', 'sis']);
    const it = asClient(app, await apiKeyHeader(orm, 'admin', null));
    expect((await it('/api/profiles')).json<Array<{ id: string }>>()).toHaveLength(2);
  });
});
