/** Signing in and out, and the admin's API keys and users. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problem } from '../schemas.js';
import type { MikroORM } from '@mikro-orm/postgresql';
import { ApiKeySchema, AppUserSchema, ROLES, VENDORS, WebSessionSchema } from '../../db/entities/auth.js';
import { createApiKey, createUser, removeUser } from '../../db/users.js';
import { hashPassword, randomToken, sha256, verifyPassword } from '../auth/credentials.js';
import { loginLimiter } from '../auth/loginLimiter.js';
import { districtForNew } from '../visibleProfile.js';
import { inCallersDistrict } from '../../publishing/profileVisibility.js';
import { readCookie, SESSION_COOKIE, SESSION_IDLE_MS, sessionCookie } from '../auth/plugin.js';

const me = z.object({
  kind: z.enum(['user', 'key']),
  name: z.string(),
  role: z.enum(ROLES),
  vendor: z.enum(VENDORS).nullable(),
  leaId: z.string().nullable().describe('The one district the caller works for; null: every district'),
  csrfToken: z.string().optional(),
});
const userView = z.object({
  username: z.string(),
  role: z.enum(ROLES),
  vendor: z.enum(VENDORS).nullable(),
  leaId: z.string().nullable(),
  createdAt: z.string(),
});
const leaId = z
  .string()
  .min(1)
  .max(64)
  .nullable()
  .optional()
  .describe("The district it works for (an LEA's id); null: every district. Left out: the caller's own district");

export function authRoutes(orm: MikroORM) {
  const limiter = loginLimiter();
  // A real hash with the same cost as users' hashes, checked when the name is unknown.
  const unknownUserHash = hashPassword(randomToken());
  return (root: FastifyInstance, _opts: unknown, done: (err?: Error) => void): void => {
    const app = root.withTypeProvider<ZodTypeProvider>();

    app.post(
      '/api/session',
      {
        config: { access: 'public' },
        schema: {
          tags: ['auth'],
          description:
            'Sign in. Sets an HttpOnly session cookie and answers with the CSRF token to send as x-csrf-token on every change. Failures in 15 minutes lock sign-in (429 with Retry-After): 5 for one name from one address, 30 from one address, 50 for one name.',
          body: z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) }),
          response: { 200: me, 401: problem, 429: problem },
        },
      },
      async (req, reply) => {
        const username = req.body.username.trim().toLowerCase();
        const attempt = { address: req.ip, username };
        const wait = limiter.retryAfter(attempt);
        if (wait > 0)
          return reply
            .code(429)
            .header('retry-after', String(wait))
            .send({ error: 'Too Many Requests', message: `too many failed sign-ins; try again in ${Math.ceil(wait / 60)} minute(s)` });
        const em = orm.em.fork();
        const user = await em.findOne(AppUserSchema, { username });
        // Same answer and the same work (one scrypt) for an unknown name and a wrong password: names are not for guessing.
        const passwordOk = await verifyPassword(req.body.password, user?.passwordHash ?? (await unknownUserHash));
        if (user === null || !passwordOk) {
          limiter.recordFailure(attempt);
          return reply.code(401).send({ error: 'Unauthorized', message: 'the user name or password is wrong' });
        }
        limiter.recordSuccess(attempt);
        const token = randomToken();
        const csrfToken = randomToken();
        em.create(WebSessionSchema, {
          id: sha256(token),
          userId: user.id,
          csrfToken,
          expiresAt: new Date(Date.now() + SESSION_IDLE_MS),
          createdAt: new Date(),
        });
        await em.flush();
        reply.header('set-cookie', sessionCookie(req, token, SESSION_IDLE_MS / 1000));
        return { kind: 'user' as const, name: user.username, role: user.role, vendor: user.vendor, leaId: user.leaId, csrfToken };
      },
    );

    app.get(
      '/api/session',
      {
        config: { access: 'clerk' },
        schema: { tags: ['auth'], description: 'Who is signed in (and, for the web UI, its CSRF token).', response: { 200: me } },
      },
      (req) => {
        const p = req.principal!;
        return { kind: p.kind, name: p.name, role: p.role, vendor: p.vendor, leaId: p.leaId, ...(p.csrfToken !== undefined ? { csrfToken: p.csrfToken } : {}) };
      },
    );

    // A signed-in caller only, so the CSRF check applies: a foreign page cannot sign a clerk out.
    app.delete(
      '/api/session',
      { config: { access: 'clerk' }, schema: { tags: ['auth'], description: 'Sign out (the web UI sends its x-csrf-token).', response: { 204: z.null() } } },
      async (req, reply) => {
        const cookie = readCookie(req, SESSION_COOKIE);
        if (cookie !== undefined) await orm.em.fork().nativeDelete(WebSessionSchema, { id: sha256(cookie) });
        return reply
          .code(204)
          .header('set-cookie', sessionCookie(req, '', 0))
          .send(null);
      },
    );

    const keyView = z.object({
      id: z.string(),
      name: z.string(),
      role: z.enum(ROLES),
      vendor: z.enum(VENDORS).nullable(),
      leaId: z.string().nullable(),
      createdAt: z.string(),
      lastUsedAt: z.string().nullable(),
      revoked: z.boolean(),
    });

    app.get('/api/api-keys', { config: { access: 'admin' }, schema: { tags: ['auth'], response: { 200: z.array(keyView) } } }, async (req) => {
      const keys = await orm.em.fork().find(ApiKeySchema, {}, { orderBy: { createdAt: 'asc' } });
      return keys
        .filter((k) => inCallersDistrict(k.leaId, req.principal!))
        .map((k) => ({
          id: k.id,
          name: k.name,
          role: k.role,
          vendor: k.vendor,
          leaId: k.leaId,
          createdAt: k.createdAt.toISOString(),
          lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
          revoked: k.revokedAt !== null,
        }));
    });

    app.post(
      '/api/api-keys',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['auth'],
          description: 'Create an API key. The token is in this answer only: store it now; only its hash is kept.',
          body: z.object({
            name: z.string().trim().min(1).max(100),
            role: z.enum(ROLES).default('clerk'),
            vendor: z.enum(VENDORS).nullable().default(null),
            leaId,
          }),
          response: { 201: z.object({ id: z.string(), token: z.string() }), 404: problem },
        },
      },
      async (req, reply) => {
        const district = await districtForNew(orm, req.body.leaId, req.principal!);
        if ('notFound' in district) return reply.code(404).send({ error: 'Not Found', message: district.notFound, field: 'leaId' });
        return reply.code(201).send(await createApiKey(orm.em.fork(), { ...req.body, leaId: district.leaId }));
      },
    );

    app.delete(
      '/api/api-keys/:id',
      {
        config: { access: 'admin' },
        schema: { tags: ['auth'], description: 'Revoke an API key.', params: z.object({ id: z.string() }), response: { 204: z.null(), 404: problem } },
      },
      async (req, reply) => {
        const em = orm.em.fork();
        const key = await em.findOne(ApiKeySchema, { id: req.params.id });
        if (key === null || !inCallersDistrict(key.leaId, req.principal!))
          return reply.code(404).send({ error: 'Not Found', message: `no API key ${req.params.id}` });
        key.revokedAt = new Date();
        await em.flush();
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/api/users',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['auth'],
          description: "The people who may sign in: the caller's district's (every one, for an admin of the whole deployment). Never a password.",
          response: { 200: z.array(userView) },
        },
      },
      async (req) => {
        const users = await orm.em.fork().find(AppUserSchema, {}, { orderBy: { username: 'asc' } });
        return users
          .filter((u) => inCallersDistrict(u.leaId, req.principal!))
          .map((u) => ({ username: u.username, role: u.role, vendor: u.vendor, leaId: u.leaId, createdAt: u.createdAt.toISOString() }));
      },
    );

    app.delete(
      '/api/users/:username',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['auth'],
          description: 'Remove a person: they are signed out at once and cannot sign in again. Not your own account: another admin removes it.',
          params: z.object({ username: z.string() }),
          response: { 204: z.null(), 404: problem, 409: problem },
        },
      },
      async (req, reply) => {
        const em = orm.em.fork();
        const user = await em.findOne(AppUserSchema, { username: req.params.username.trim().toLowerCase() });
        // Another district's person is as absent as one that never was.
        if (user === null || !inCallersDistrict(user.leaId, req.principal!))
          return reply.code(404).send({ error: 'Not Found', message: `no user "${req.params.username}"` });
        if (req.principal!.kind === 'user' && req.principal!.id === user.id)
          return reply.code(409).send({ error: 'Conflict', message: 'you cannot remove your own account: another admin can', field: 'username' });
        await removeUser(em, user);
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/api/users',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['auth'],
          body: z.object({
            username: z.string().trim().min(1).max(100),
            password: z.string().min(12, 'at least 12 characters').max(200),
            role: z.enum(ROLES),
            vendor: z.enum(VENDORS).nullable().default(null),
            leaId,
          }),
          response: { 201: z.object({ username: z.string(), role: z.enum(ROLES), leaId: z.string().nullable() }), 404: problem, 409: problem },
        },
      },
      async (req, reply) => {
        const em = orm.em.fork();
        const district = await districtForNew(orm, req.body.leaId, req.principal!);
        if ('notFound' in district) return reply.code(404).send({ error: 'Not Found', message: district.notFound, field: 'leaId' });
        if ((await em.count(AppUserSchema, { username: req.body.username.toLowerCase() })) > 0)
          return reply.code(409).send({ error: 'Conflict', message: `a user "${req.body.username}" already exists`, field: 'username' });
        const user = await createUser(em, { ...req.body, leaId: district.leaId });
        return reply.code(201).send({ username: user.username, role: user.role, leaId: user.leaId });
      },
    );
    done();
  };
}
