/**
 * `/admin/…`: the sandbox's own controls, not part of the ODS/API. Guarded by the admin token when
 * one is configured (`Authorization: Bearer <adminToken>`; `npm start` always sets one), otherwise
 * answered to loopback callers only — a sandbox bound to 0.0.0.0 does not hand out clients or faults
 * to the network. Every POST, and any other request with a body, must say `content-type:
 * application/json` (parameters such as charset aside): a web page can send `text/plain` across
 * origins without asking, JSON only after a preflight this server never grants.
 *
 *   GET/POST /admin/faults            current fault configuration / replace it (`{}` turns faults off)
 *   GET/POST /admin/clients           list clients (no secrets) / add or replace one
 *   DELETE   /admin/clients/{key}     remove a client (its tokens stop working)
 *   POST     /admin/records/lose      {resource, id, schoolYear?}: drop a record silently
 *   POST     /admin/snapshot          write the snapshot file now
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { parseJson, readBody } from '../body.js';
import { ConfigError, normalizeClient } from '../clients.js';
import type { Core } from '../core.js';
import { parseFaults } from '../faults.js';
import { header, parseGuid, sendEmpty, sendJson, type RequestContext } from '../http.js';
import type { Store } from '../store.js';

export interface AdminDeps {
  readonly adminToken: string | undefined;
  readonly defaultEdOrgs: readonly number[];
  readonly storeFor: (year: number | undefined) => Store | undefined;
  readonly snapshot: (() => Promise<void>) | undefined;
}

function loopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

function allowed(c: RequestContext, deps: AdminDeps): boolean {
  if (deps.adminToken === undefined) return loopback(c.req.socket.remoteAddress);
  const sent = /^Bearer\s+(.+)$/i.exec(header(c.req, 'authorization') ?? '')?.[1]?.trim() ?? '';
  // Digests of equal length: the comparison tells nothing about the token's length either.
  const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
  return sent !== '' && timingSafeEqual(digest(sent), digest(deps.adminToken));
}

/** POST always (its body may be empty); any other method when it carries a body. */
function needsJson(c: RequestContext): boolean {
  if (c.method === 'POST') return true;
  if (c.method === 'GET' || c.method === 'HEAD') return false;
  const length = header(c.req, 'content-length');
  return (length !== undefined && length.trim() !== '0') || header(c.req, 'transfer-encoding') !== undefined;
}

function isJson(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';', 1)[0].trim().toLowerCase() === 'application/json';
}

async function jsonBody(c: RequestContext, core: Core): Promise<unknown> {
  const read = await readBody(c.req, core.maxBodyBytes);
  if ('tooLarge' in read) throw new ConfigError('the request body is too large');
  const parsed = parseJson(read.text);
  if ('error' in parsed) throw new ConfigError(`the body is not valid JSON: ${parsed.error}`);
  return 'value' in parsed ? parsed.value : {};
}

export async function adminRoute(core: Core, deps: AdminDeps, c: RequestContext, segments: readonly string[]): Promise<void> {
  if (!allowed(c, deps)) {
    return sendJson(c.res, 403, {
      message:
        deps.adminToken === undefined
          ? 'The admin endpoints answer loopback callers only; start the sandbox with an admin token to reach them from elsewhere.'
          : 'Send the admin token as "Authorization: Bearer <token>".',
    });
  }
  const what = `${c.method} ${segments.join('/')}`;
  if (needsJson(c) && !isJson(header(c.req, 'content-type'))) {
    c.req.resume();
    return sendJson(c.res, 415, { message: 'Send admin requests as JSON, with "content-type: application/json" (a POST without a body too: {}).' });
  }
  try {
    if (what === 'GET faults') return sendJson(c.res, 200, core.faults.config);
    if (what === 'POST faults') {
      core.faults.set(parseFaults(await jsonBody(c, core), 'the faults'));
      return sendJson(c.res, 200, core.faults.config);
    }
    if (what === 'GET clients')
      return sendJson(
        c.res,
        200,
        core.clients.list().map(({ secret: _secret, ...rest }) => rest),
      );
    if (what === 'POST clients') {
      const client = normalizeClient(await jsonBody(c, core), 'the client', deps.defaultEdOrgs);
      const existed = core.clients.put(client);
      if (existed) core.tokens.revoke(client.key);
      const { secret: _secret, ...shown } = client;
      return sendJson(c.res, existed ? 200 : 201, shown);
    }
    if (c.method === 'DELETE' && segments[0] === 'clients' && segments[1] !== undefined) {
      const key = decodeURIComponent(segments[1]);
      if (!core.clients.remove(key)) return sendJson(c.res, 404, { message: `No client has the key "${key}".` });
      core.tokens.revoke(key);
      return sendEmpty(c.res, 204);
    }
    if (what === 'POST records/lose') return loseRecord(core, deps, c, await jsonBody(c, core));
    if (what === 'POST snapshot') {
      if (deps.snapshot === undefined)
        return sendJson(c.res, 409, { message: 'No snapshot file is configured; start the sandbox with snapshotFile (--snapshot).' });
      await deps.snapshot();
      return sendEmpty(c.res, 204);
    }
    return sendJson(c.res, 404, { message: `No admin endpoint ${c.method} /admin/${segments.join('/')}.` });
  } catch (err) {
    if (err instanceof ConfigError) return sendJson(c.res, 400, { message: err.message });
    throw err;
  }
}

function loseRecord(core: Core, deps: AdminDeps, c: RequestContext, body: unknown): void {
  const b = (typeof body === 'object' && body !== null ? body : {}) as { resource?: unknown; id?: unknown; schoolYear?: unknown };
  const year = typeof b.schoolYear === 'number' ? b.schoolYear : undefined;
  const store = deps.storeFor(year);
  if (store === undefined)
    return sendJson(c.res, 400, {
      message: core.yearSpecific ? `schoolYear must be one of ${core.schoolYears.join(', ')}` : 'schoolYear is only for a year-specific sandbox',
    });
  const resource = typeof b.resource === 'string' ? core.model.resource(b.resource.replace(/^\/+/, '')) : undefined;
  if (resource === undefined) return sendJson(c.res, 400, { message: 'resource must name a resource path, e.g. "ed-fi/students"' });
  const col = store.collection(resource.path)!;
  const id = typeof b.id === 'string' ? parseGuid(b.id) : undefined;
  const rec = id !== undefined ? col.get(id) : undefined;
  if (rec === undefined) return sendJson(c.res, 404, { message: `No ${resource.path} item has the id ${JSON.stringify(b.id)}.` });
  store.lose(col, rec);
  sendEmpty(c.res, 204);
}
