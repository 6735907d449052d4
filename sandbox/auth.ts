/**
 * OAuth2 client credentials (`POST /oauth/token`), bearer authentication, and token introspection
 * (`POST /oauth/token_info`, 7.x), with the ODS/API's error for every malformed request
 * (edfi-api-facts.md §1). Tokens are 32 hex characters and live in memory.
 */
import { randomBytes } from 'node:crypto';
import type { Caller } from './authorize.js';
import { readBody, contentTypeProblem } from './body.js';
import { ACTIONS, grantedActions } from './claims.js';
import type { ClientRegistry, RegisteredClient } from './clients.js';
import type { ApiError } from './errors.js';
import { header, sendError, sendJson, type RequestContext } from './http.js';
import type { EdfiModel } from '../edfi/model/types.js';

interface TokenEntry {
  readonly client: RegisteredClient;
  readonly caller: Caller;
  readonly expiresAt: number;
}

export class Tokens {
  private readonly byToken = new Map<string, TokenEntry>();
  private readonly issued = new Map<string, number[]>();

  issue(client: RegisteredClient, caller: Caller, lifetimeSeconds: number): string {
    const token = randomBytes(16).toString('hex');
    const expiresAt = Date.now() + lifetimeSeconds * 1000;
    this.byToken.set(token, { client, caller, expiresAt });
    const list = this.issued.get(client.key) ?? [];
    list.push(expiresAt);
    this.issued.set(client.key, list);
    return token;
  }

  /** The token's entry while it is live; an expired one is forgotten. */
  lookup(token: string): TokenEntry | undefined {
    const e = this.byToken.get(token);
    if (e === undefined) return undefined;
    if (e.expiresAt <= Date.now()) {
      this.byToken.delete(token);
      return undefined;
    }
    return e;
  }

  live(clientKey: string): number {
    const now = Date.now();
    const list = (this.issued.get(clientKey) ?? []).filter((t) => t > now);
    this.issued.set(clientKey, list);
    return list.length;
  }

  /** Drops expired tokens (called now and then so a long run does not grow). */
  sweep(): void {
    const now = Date.now();
    for (const [t, e] of this.byToken) if (e.expiresAt <= now) this.byToken.delete(t);
  }

  /** A client removed or changed: its tokens stop working. */
  revoke(clientKey: string): void {
    for (const [t, e] of this.byToken) if (e.client.key === clientKey) this.byToken.delete(t);
  }
}

export interface AuthDeps {
  readonly clients: ClientRegistry;
  readonly tokens: Tokens;
  readonly lifetimeSeconds: () => number;
  readonly maxTokensPerClient: number | undefined;
  readonly maxBodyBytes: number;
  readonly model: EdfiModel;
}

function oauthError(c: RequestContext, status: number, error: string, description?: string): void {
  sendJson(
    c.res,
    status,
    { error, ...(description !== undefined ? { error_description: description } : {}) },
    { 'cache-control': 'no-store', pragma: 'no-cache' },
  );
}

/** Reads the form or JSON body's fields, names lower-cased (binding ignores case). */
function fieldsOf(text: string, json: boolean): Record<string, string> | undefined {
  let entries: [string, unknown][];
  if (json) {
    if (text.trim() === '') return {};
    try {
      const v: unknown = JSON.parse(text);
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
      entries = Object.entries(v);
    } catch {
      return undefined;
    }
  } else entries = [...new URLSearchParams(text)];
  const out: Record<string, string> = {};
  for (const [k, v] of entries) out[k.toLowerCase()] = typeof v === 'string' ? v : String(v);
  return out;
}

type BasicResult = { readonly key: string; readonly secret: string } | { readonly status: number; readonly error: string } | undefined;

/** The Authorization header's credentials, or the ODS's answer to a malformed one. */
function basicCredentials(value: string | undefined): BasicResult {
  if (value === undefined || value.trim() === '') return undefined;
  const parts = value.trim().split(/\s+/);
  if (parts[0].toLowerCase() !== 'basic') return { status: 401, error: 'invalid_client' };
  if (parts.length !== 2) return { status: 400, error: 'invalid_request' };
  const encoded = parts[1];
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded) || encoded.length % 4 !== 0) return { status: 400, error: 'invalid_request' };
  const pair = Buffer.from(encoded, 'base64').toString('utf8').split(':');
  if (pair.length !== 2) return { status: 400, error: 'invalid_client' };
  return { key: pair[0], secret: pair[1] };
}

export function callerFor(client: RegisteredClient, scope?: number): Caller {
  const edOrgIds = scope !== undefined ? [scope] : client.educationOrganizationIds;
  return { key: client.key, claimSet: client.claimSet, edOrgIds, claims: new Set(edOrgIds), namespacePrefixes: client.namespacePrefixes };
}

export async function tokenEndpoint(c: RequestContext, deps: AuthDeps): Promise<void> {
  const type = header(c.req, 'content-type');
  const problem = contentTypeProblem(type);
  const form = (type ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
  if (problem !== undefined && !form) {
    // 7.2+ checks the content type of OAuth requests in middleware; 6.1 has only the [Consumes] filters.
    sendError(c, { kind: 'unsupported-media-type', missing: problem === 'missing' });
    return;
  }
  const read = await readBody(c.req, deps.maxBodyBytes);
  if ('tooLarge' in read) {
    sendError(c, { kind: 'payload-too-large', limit: deps.maxBodyBytes });
    return;
  }
  const fields = fieldsOf(read.text, !form);
  if (fields === undefined) return oauthError(c, 400, 'invalid_request');
  const basic = basicCredentials(header(c.req, 'authorization'));
  if (basic !== undefined && 'error' in basic) return oauthError(c, basic.status, basic.error);
  if (basic !== undefined && (fields.client_id !== undefined || fields.client_secret !== undefined)) return oauthError(c, 400, 'invalid_client');
  // The grant type is checked before the credentials, as the ODS/API does.
  if ((fields.grant_type ?? '').toLowerCase() !== 'client_credentials') return oauthError(c, 400, 'unsupported_grant_type');
  const key = basic?.key ?? fields.client_id ?? '';
  const secret = basic?.secret ?? fields.client_secret ?? '';
  if (key === '' || secret === '') return oauthError(c, 401, 'invalid_request');
  const client = deps.clients.get(key);
  if (client === undefined || client.secret !== secret || !client.approved) return oauthError(c, 401, 'invalid_client');
  let scope: number | undefined;
  if (fields.scope !== undefined && fields.scope !== '') {
    if (!/^\d+$/.test(fields.scope.trim()))
      return oauthError(
        c,
        400,
        'invalid_scope',
        "The supplied 'scope' was not a number (it should be an EducationOrganizationId that is explicitly associated with the client).",
      );
    scope = Number(fields.scope.trim());
    if (!client.educationOrganizationIds.includes(scope))
      return oauthError(
        c,
        400,
        'invalid_scope',
        "The client is not explicitly associated with the EducationOrganizationId specified in the requested 'scope'.",
      );
  }
  if (deps.maxTokensPerClient !== undefined && deps.tokens.live(client.key) >= deps.maxTokensPerClient) {
    sendError(c, { kind: 'too-many-tokens', limit: deps.maxTokensPerClient });
    return;
  }
  const lifetime = deps.lifetimeSeconds();
  const token = deps.tokens.issue(client, callerFor(client, scope), lifetime);
  sendJson(
    c.res,
    200,
    { access_token: token, expires_in: lifetime, token_type: 'bearer', ...(scope !== undefined ? { scope: String(scope) } : {}) },
    { 'cache-control': 'no-store', pragma: 'no-cache' },
  );
}

/** Bearer authentication: the caller, or the reason it failed. */
export function authenticate(c: RequestContext, tokens: Tokens, problemBody: boolean): { caller: Caller; token: string } | ApiError {
  const value = header(c.req, 'authorization');
  if (value === undefined || value.trim() === '') return { kind: 'unauthenticated', reason: 'missing', problemBody };
  const space = value.indexOf(' ');
  const scheme = space < 0 ? value : value.slice(0, space);
  if (scheme.toLowerCase() !== 'bearer') return { kind: 'unauthenticated', reason: 'scheme', problemBody };
  const token = space < 0 ? '' : value.slice(space + 1).trim();
  if (token === '') return { kind: 'unauthenticated', reason: 'no-token', problemBody };
  const entry = tokens.lookup(token);
  if (entry === undefined) return { kind: 'unauthenticated', reason: 'invalid', problemBody };
  return { caller: entry.caller, token };
}

/** `POST /oauth/token_info` (7.x): what a token may do. */
export async function tokenInfoEndpoint(c: RequestContext, deps: AuthDeps): Promise<void> {
  const auth = authenticate(c, deps.tokens, false);
  if ('kind' in auth) return sendError(c, auth);
  const read = await readBody(c.req, deps.maxBodyBytes);
  const text = 'text' in read ? read.text : '';
  const form = (header(c.req, 'content-type') ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
  const token = fieldsOf(text, !form)?.token ?? '';
  const bad = (detail: string) =>
    sendJson(c.res, 400, { detail, type: 'urn:ed-fi:api:bad-request', title: 'Bad Request', status: 400, correlationId: c.correlationId });
  if (token === '') return bad('An invalid token was provided');
  if (token !== auth.token) return bad('The authentication token and the token to inspect must match.');
  const entry = deps.tokens.lookup(token)!;
  const resources = [...deps.model.resources.values()]
    .map((r) => ({ resource: `/${r.path}`, operations: ACTIONS.filter((a) => grantedActions(entry.caller.claimSet, r)?.includes(a)) }))
    .filter((r) => r.operations.length > 0);
  sendJson(c.res, 200, {
    active: true,
    client_id: entry.client.key,
    namespace_prefixes: entry.caller.namespacePrefixes,
    education_organizations: entry.caller.edOrgIds.map((id) => ({ education_organization_id: id })),
    assigned_profiles: [],
    claim_set: { name: entry.caller.claimSet },
    resources,
    services: [],
  });
}
