/**
 * Who is asking, and may they: API keys (`Authorization: Bearer edx_…`) for API clients, a session
 * cookie for the web UI (with a CSRF token on every change), and two roles — clerk (publish, map,
 * review) and admin (also configuration, connections, diagnostics). Every response carries the
 * security headers. Routes say their access level in `config.access`; `/api/*` defaults to clerk.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { MikroORM } from '@mikro-orm/postgresql';
import { ApiKeySchema, AppUserSchema, WebSessionSchema, type Role, type Vendor } from '../../db/entities/auth.js';
import { parseApiKey, sameHash, sha256 } from './credentials.js';

export type Access = 'public' | 'clerk' | 'admin';

export interface Principal {
  readonly kind: 'user' | 'key';
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly vendor: Vendor | null;
  /** Web sessions only: the token unsafe requests must echo in `x-csrf-token`. */
  readonly csrfToken?: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}

export const SESSION_COOKIE = 'edx_session';
/** Idle time after which a session ends; any request slides it (the guide's fixed one-hour timeout is a defect). */
export const SESSION_IDLE_MS = 12 * 60 * 60_000;
const SLIDE_EVERY_MS = 60_000;

const RANK: Record<Access, number> = { public: 0, clerk: 1, admin: 2 };

export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
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
    return { kind: 'key', id: key.id, name: key.name, role: key.role, vendor: key.vendor };
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
  return { kind: 'user', id: user.id, name: user.username, role: user.role, vendor: user.vendor, csrfToken: session.csrfToken };
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function installAuth(app: FastifyInstance, orm: MikroORM): void {
  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('cross-origin-opener-policy', 'same-origin');
  });
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const access: Access = request.routeOptions.config.access ?? (request.url.startsWith('/api/') ? 'clerk' : 'public');
    if (access === 'public') return;
    const principal = await resolvePrincipal(orm, request);
    if (principal === undefined) {
      return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'Unauthorized', message: 'sign in (POST /api/session) or send an API key: Authorization: Bearer edx_…' });
    }
    if (principal.kind === 'user' && UNSAFE.has(request.method)) {
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || principal.csrfToken === undefined || !sameHash(sent, principal.csrfToken)) {
        return reply.code(403).send({ error: 'Forbidden', message: 'missing or wrong x-csrf-token header (the web UI sends the token it got at sign-in)' });
      }
    }
    if (RANK[principal.role] < RANK[access]) {
      return reply.code(403).send({ error: 'Forbidden', message: `this needs the ${access} role; ${principal.name} is a ${principal.role}` });
    }
    request.principal = principal;
  });
}
