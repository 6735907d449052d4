/**
 * Who is asking, and may they: API keys (`Authorization: Bearer edx_…`) for API clients, a session
 * cookie for the web UI (with a CSRF token on every change), and two roles — clerk (publish, map,
 * review) and admin (also configuration, connections, diagnostics). Every response carries the
 * security headers. Access is decided on the matched route, never on the raw URL (which the
 * router decodes: `/%61pi/…` is `/api/…`): a route says `config.access`, and one that says nothing
 * needs a clerk; `deployment` routes change every district's exchange and need an admin of no one
 * district. Every `/profiles/{profileId}/…` and `/leas/{leaId}/…` route is answered 404 for a
 * profile or district the caller may not see, here, before its handler runs. Strings with NUL are refused here too: Postgres cannot
 * store or compare them.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { MikroORM } from '@mikro-orm/postgresql';
import { ApiKeySchema, AppUserSchema, WebSessionSchema } from '../../db/entities/auth.js';
import { parseApiKey, sameHash, sha256 } from './credentials.js';
import type { Profile } from '../../db/entities/profile.js';
import type { Lea } from '../../db/entities/configuration.js';
import { findCallersLea, findVisibleProfile } from '../visibleProfile.js';
import type { Principal } from './principal.js';

/** `deployment`: an admin of the whole deployment (no district), for what every district shares. */
export type Access = 'public' | 'clerk' | 'admin' | 'deployment';

export type { Principal } from './principal.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    principal?: Principal;
    /** On `/profiles/{profileId}/…` routes: the profile, already checked to be visible to the caller. */
    profile?: Profile;
    /** On `/leas/{leaId}/…` routes: the district, already checked to be the caller's. */
    lea?: Lea;
  }
}

export const SESSION_COOKIE = 'edx_session';
/** Idle time after which a session ends; any request slides it (the guide's fixed one-hour timeout is a defect). */
export const SESSION_IDLE_MS = 12 * 60 * 60_000;
const SLIDE_EVERY_MS = 60_000;

const RANK: Record<Access, number> = { public: 0, clerk: 1, admin: 2, deployment: 2 };

export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k !== name) continue;
    try {
      return decodeURIComponent(v.join('='));
    } catch {
      // A malformed cookie is no session (a 401 later), not a server error.
      return undefined;
    }
  }
  return undefined;
}

export function sessionCookie(request: FastifyRequest, token: string, maxAgeSeconds: number): string {
  const secure = request.protocol === 'https' || process.env.EDX_SECURE_COOKIES === '1' ? '; Secure' : '';
  return `${SESSION_COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`;
}

async function resolvePrincipal(orm: MikroORM, request: FastifyRequest): Promise<Principal | undefined> {
  const em = orm.em.fork();
  const auth = request.headers.authorization;
  if (auth !== undefined) {
    const token = /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
    const parsed = token !== undefined ? parseApiKey(token) : undefined;
    if (token === undefined || parsed === undefined) return undefined;
    const key = await em.findOne(ApiKeySchema, { id: parsed.id, revokedAt: null });
    if (key === null || !sameHash(key.keyHash, sha256(token))) return undefined;
    if (key.lastUsedAt === null || Date.now() - key.lastUsedAt.getTime() > SLIDE_EVERY_MS) {
      key.lastUsedAt = new Date();
      await em.flush();
    }
    return { kind: 'key', id: key.id, name: key.name, role: key.role, vendor: key.vendor, leaId: key.leaId };
  }
  const cookie = readCookie(request, SESSION_COOKIE);
  if (cookie === undefined) return undefined;
  const session = await em.findOne(WebSessionSchema, { id: sha256(cookie) });
  if (session === null || session.expiresAt.getTime() < Date.now()) return undefined;
  const user = await em.findOne(AppUserSchema, { id: session.userId });
  if (user === null) return undefined;
  // Sliding expiry: an active clerk is never signed out mid-work.
  if (session.expiresAt.getTime() - Date.now() < SESSION_IDLE_MS - SLIDE_EVERY_MS) {
    session.expiresAt = new Date(Date.now() + SESSION_IDLE_MS);
    await em.flush();
  }
  return { kind: 'user', id: user.id, name: user.username, role: user.role, vendor: user.vendor, leaId: user.leaId, csrfToken: session.csrfToken };
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Routes a plugin adds without saying their access: the API docs, which are public by nature. */
const PUBLIC_PREFIXES = ['/docs'];

/** The access a matched route needs: what it declares, else clerk (deny by default). */
export function routeAccess(routeUrl: string | undefined, declared: Access | undefined): Access {
  // No route matched: the 404 answer reveals nothing, and there is nothing to protect.
  if (routeUrl === undefined) return 'public';
  if (declared !== undefined) return declared;
  return PUBLIC_PREFIXES.some((p) => routeUrl === p || routeUrl.startsWith(`${p}/`)) ? 'public' : 'clerk';
}

/** The dotted path of the first string (or key) holding a NUL character, if any. */
export function nulPath(value: unknown, at = ''): string | undefined {
  if (typeof value === 'string') return value.includes('\0') ? at || 'value' : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [k, v] of Object.entries(value)) {
    const here = at === '' ? k : `${at}.${k}`;
    if (k.includes('\0')) return here;
    const found = nulPath(v, here);
    if (found !== undefined) return found;
  }
  return undefined;
}

export function installAuth(app: FastifyInstance, orm: MikroORM): void {
  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('cross-origin-opener-policy', 'same-origin');
  });
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const access = routeAccess(request.routeOptions.url, request.routeOptions.config.access);
    if (access === 'public') return;
    const principal = await resolvePrincipal(orm, request);
    if (principal === undefined) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send({ error: 'Unauthorized', message: 'sign in (POST /api/session) or send an API key: Authorization: Bearer edx_…' });
    }
    if (principal.kind === 'user' && UNSAFE.has(request.method)) {
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || principal.csrfToken === undefined || !sameHash(sent, principal.csrfToken)) {
        return reply.code(403).send({ error: 'Forbidden', message: 'missing or wrong x-csrf-token header (the web UI sends the token it got at sign-in)' });
      }
    }
    if (RANK[principal.role] < RANK[access]) {
      return reply.code(403).send({
        error: 'Forbidden',
        message: `this needs the ${RANK[access] === RANK.admin ? 'admin' : access} role; ${principal.name} is a ${principal.role}`,
      });
    }
    if (access === 'deployment' && principal.leaId !== null) {
      return reply.code(403).send({
        error: 'Forbidden',
        message: `this changes what every district on this deployment shares: it needs an admin of the whole deployment (no district); ${principal.name} works for district ${principal.leaId}`,
      });
    }
    request.principal = principal;
  });
  // After parsing, before validation: a bad string and an invisible profile are refused before any handler or query.
  app.addHook('preValidation', async (request: FastifyRequest, reply: FastifyReply) => {
    for (const [part, value] of [
      ['params', request.params],
      ['query', request.query],
      ['body', request.body],
    ] as const) {
      const at = nulPath(value);
      if (at !== undefined)
        return reply.code(400).send({ error: 'Bad Request', message: `${part} ${at}: the NUL character (\\u0000) is not allowed; remove it`, field: at });
    }
    if (request.routeOptions.url?.includes(':leaId') === true) {
      const leaId = (request.params as { leaId?: unknown }).leaId;
      const lea = typeof leaId === 'string' && request.principal !== undefined ? await findCallersLea(orm, leaId, request.principal) : undefined;
      if (lea === undefined) return reply.code(404).send({ error: 'Not Found', message: `no LEA "${String(leaId)}"` });
      request.lea = lea;
    }
    if (request.routeOptions.url?.includes(':profileId') !== true) return;
    const profileId = (request.params as { profileId?: unknown }).profileId;
    const profile = typeof profileId === 'string' ? await findVisibleProfile(orm, profileId, request.principal) : undefined;
    if (profile === undefined) return reply.code(404).send({ error: 'Not Found', message: `no profile "${String(profileId)}"` });
    request.profile = profile;
  });
}

/** The profile of a `/profiles/{profileId}/…` route (checked visible by the preValidation hook). */
export function routeProfile(request: FastifyRequest): Profile {
  if (request.profile === undefined)
    throw new Error(`${request.routeOptions.url ?? request.url}: no profile was resolved; the route needs a :profileId parameter`);
  return request.profile;
}

/** The district of a `/leas/{leaId}/…` route (checked to be the caller's by the preValidation hook). */
export function routeLea(request: FastifyRequest): Lea {
  if (request.lea === undefined) throw new Error(`${request.routeOptions.url ?? request.url}: no LEA was resolved; the route needs a :leaId parameter`);
  return request.lea;
}
