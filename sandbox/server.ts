/**
 * A local Ed-Fi ODS/API (7.x behaviour) for `npm start`, tests and benchmarks: OAuth2 client
 * credentials, the discovery document, and resources under /data/v3 with POST upsert by natural
 * key (201 insert / 200 update with Location and ETag), GET by id and paged lists, PUT and DELETE,
 * and the API's Problem Details errors. Plain node:http and in-memory maps: fast enough that
 * benchmarks measure the client, not the server.
 */
import http from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { identityOf, naturalKey } from './resources.js';

export interface SandboxClient {
  readonly key: string;
  readonly secret: string;
}

export interface SandboxOptions {
  readonly port?: number;
  readonly host?: string;
  readonly clients?: readonly SandboxClient[];
  /** Bearer token lifetime in seconds (the shipped ODS/API: 1800). */
  readonly tokenLifetimeSeconds?: number;
  readonly dataStandard?: '4.0' | '5.x';
  /** Texas extension version announced in the discovery document; none when undefined. */
  readonly texasExtension?: '2024.2.1' | '2025.2.1' | '2026.2.1';
}

export interface Sandbox {
  readonly baseUrl: string;
  /** Documents stored per resource path, for tests that check what arrived. */
  count(resourcePath: string): number;
  close(): Promise<void>;
}

/** A documented local key and secret that work out of the box (never use them anywhere else). */
export const DEFAULT_CLIENT: SandboxClient = { key: 'sandbox-key', secret: 'sandbox-secret' };

interface Stored {
  id: string;
  doc: Record<string, unknown>;
  etag: string;
  lastModified: string;
}

const MAX_BODY = 5 * 1024 * 1024;
const PAGE_LIMIT = 500;

function problem(res: http.ServerResponse, status: number, type: string, title: string, detail: string, errors?: string[]): void {
  res.writeHead(status, { 'content-type': 'application/problem+json' });
  res.end(JSON.stringify({ detail, type: `urn:ed-fi:api:${type}`, title, status, correlationId: randomUUID(), ...(errors ? { errors } : {}) }));
}

function readBody(req: http.IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(undefined));
  });
}

function basicCredentials(header: string | undefined): SandboxClient | undefined {
  const m = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (m?.[1] === undefined) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  return i < 0 ? undefined : { key: decoded.slice(0, i), secret: decoded.slice(i + 1) };
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const clients = opts.clients ?? [DEFAULT_CLIENT];
  const lifetime = opts.tokenLifetimeSeconds ?? 1800;
  const tokens = new Map<string, number>();
  const store = new Map<string, { byId: Map<string, Stored>; byKey: Map<string, string> }>();
  let baseUrl = '';

  const collection = (path: string) => {
    let c = store.get(path);
    if (c === undefined) {
      c = { byId: new Map(), byKey: new Map() };
      store.set(path, c);
    }
    return c;
  };

  const discovery = () => ({
    version: '7.2',
    applicationName: 'Ed-Fi Alliance ODS/API',
    informationalVersion: '7.2',
    suite: '3',
    build: 'edfi-exchange sandbox',
    dataModels: [{ name: 'Ed-Fi', version: opts.dataStandard === '5.x' ? '5.2.0' : '4.0.0', informationalVersion: 'sandbox' }, ...(opts.texasExtension !== undefined ? [{ name: 'TX', version: opts.texasExtension, informationalVersion: 'sandbox' }] : [])],
    urls: { dependencies: `${baseUrl}/metadata/data/v3/dependencies`, openApiMetadata: `${baseUrl}/metadata/`, oauth: `${baseUrl}/oauth/token`, dataManagementApi: `${baseUrl}/data/v3/` },
  });

  async function token(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const text = (await readBody(req)) ?? '';
    const type = req.headers['content-type'] ?? '';
    let fields: Record<string, string> = {};
    if (type.includes('application/json')) {
      try {
        fields = JSON.parse(text) as Record<string, string>;
      } catch {
        fields = {};
      }
    } else fields = Object.fromEntries(new URLSearchParams(text));
    const lower = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k.toLowerCase(), String(v)]));
    const sent = basicCredentials(req.headers.authorization) ?? (lower.client_id !== undefined ? { key: lower.client_id, secret: lower.client_secret ?? '' } : undefined);
    const json = (status: number, body: object) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    // The grant type is checked before the credentials, as the ODS/API does.
    if ((lower.grant_type ?? '').toLowerCase() !== 'client_credentials') return json(400, { error: 'unsupported_grant_type' });
    if (sent === undefined || sent.key === '' || sent.secret === '') return json(401, { error: 'invalid_request' });
    if (!clients.some((c) => c.key === sent.key && c.secret === sent.secret)) return json(401, { error: 'invalid_client' });
    const access = randomBytes(16).toString('hex');
    tokens.set(access, Date.now() + lifetime * 1000);
    json(200, { access_token: access, expires_in: lifetime, token_type: 'bearer' });
  }

  async function data(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const expires = bearer !== undefined ? tokens.get(bearer) : undefined;
    if (expires === undefined || expires < Date.now()) return problem(res, 401, 'security:authentication', 'Authentication Failed', 'The caller could not be authenticated.', [bearer === undefined ? 'Authorization header is missing.' : 'Invalid token']);
    const m = /^\/data\/v3\/([a-z-]+)\/([A-Za-z]+)(?:\/([^/]+))?\/?$/.exec(url.pathname);
    const resourcePath = m ? `${m[1]}/${m[2]}` : '';
    const identity = m ? identityOf(resourcePath) : undefined;
    if (m === null || identity === undefined) return problem(res, 404, 'not-found', 'Not Found', 'The specified data could not be found.', [`Path '${url.pathname}' does not exist. Check the resource name and try again.`]);
    const id = m[3];
    const c = collection(resourcePath);
    const method = req.method ?? 'GET';
    const stored = (s: Stored) => ({ id: s.id, ...s.doc, _etag: s.etag, _lastModifiedDate: s.lastModified });
    if (method === 'GET' && id !== undefined) {
      const s = c.byId.get(id);
      if (s === undefined) return problem(res, 404, 'not-found', 'Not Found', 'The specified item could not be found.');
      res.writeHead(200, { 'content-type': 'application/json', etag: `"${s.etag}"` });
      return void res.end(JSON.stringify(stored(s)));
    }
    if (method === 'GET') {
      const limit = url.searchParams.has('limit') ? Number(url.searchParams.get('limit')) : PAGE_LIMIT;
      const offset = url.searchParams.has('offset') ? Number(url.searchParams.get('offset')) : 0;
      if (!Number.isInteger(limit) || limit < 0 || limit > PAGE_LIMIT) return problem(res, 400, 'bad-request:parameter-validation-failed', 'Parameter Validation Failed', 'The request construction was invalid.', [`Limit must be a value between 0 and ${PAGE_LIMIT}.`]);
      if (!Number.isInteger(offset) || offset < 0) return problem(res, 400, 'bad-request:parameter-validation-failed', 'Parameter Validation Failed', 'The request construction was invalid.', ['Offset cannot be a negative value.']);
      const all = [...c.byId.values()];
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (url.searchParams.get('totalCount') === 'true') headers['total-count'] = String(all.length);
      res.writeHead(200, headers);
      return void res.end(JSON.stringify(all.slice(offset, offset + limit).map(stored)));
    }
    if (method === 'DELETE') {
      const s = id !== undefined ? c.byId.get(id) : undefined;
      if (id === undefined) return problem(res, 405, 'method-not-allowed', 'Method Not Allowed', 'Resource collections cannot be deleted. To delete a specific item, use DELETE and include the "id" in the route.');
      if (s === undefined) return problem(res, 404, 'not-found', 'Not Found', 'Resource to delete was not found.');
      c.byId.delete(id);
      const key = naturalKey(s.doc, identity);
      if ('key' in key) c.byKey.delete(key.key);
      res.writeHead(204);
      return void res.end();
    }
    if (method !== 'POST' && method !== 'PUT') return problem(res, 405, 'method-not-allowed', 'Method Not Allowed', `The endpoint of the request does not support the '${method}' method.`);
    if (method === 'POST' && id !== undefined) return problem(res, 405, 'method-not-allowed', 'Method Not Allowed', 'Resource items can only be updated using PUT. To "upsert" an item in the resource collection using POST, remove the "id" from the route.');
    const text = await readBody(req);
    if (text === undefined) return problem(res, 413, 'bad-request', 'Payload Too Large', `The request body is larger than ${MAX_BODY} bytes.`);
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      return problem(res, 400, 'bad-request:data-validation-failed', 'Data Validation Failed', 'The request data was constructed incorrectly.', ['A non-empty, well-formed JSON request body is required.']);
    }
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return problem(res, 400, 'bad-request:data-validation-failed', 'Data Validation Failed', 'The request data was constructed incorrectly.', ['A JSON object is required.']);
    const body = { ...(doc as Record<string, unknown>) };
    if (method === 'POST' && 'id' in body) return problem(res, 400, 'bad-request:data-validation-failed', 'Data Validation Failed', 'The request data was constructed incorrectly.', ["Resource identifiers cannot be assigned by the client. The 'id' property should not be included in the request body."]);
    delete body.id;
    const key = naturalKey(body, identity);
    if ('missing' in key) return problem(res, 400, 'bad-request:data-validation-failed', 'Data Validation Failed', 'Data validation failed. See \'validationErrors\' for details.', [`${key.missing} is required.`]);
    const now = new Date();
    const etag = String(now.getTime());
    if (method === 'PUT') {
      const s = id !== undefined ? c.byId.get(id) : undefined;
      if (s === undefined) return problem(res, 404, 'not-found', 'Not Found', 'Resource to update was not found.');
      const old = naturalKey(s.doc, identity);
      if ('key' in old && old.key !== key.key) return problem(res, 400, 'bad-request:data-validation-failed:key-change-not-supported', 'Key Change Not Supported', `Identifying values for the ${m[2]} data cannot be changed. Delete and recreate the item instead.`);
      Object.assign(s, { doc: body, etag, lastModified: now.toISOString() });
      res.writeHead(204, { etag: `"${etag}"`, location: `${baseUrl}/data/v3/${resourcePath}/${s.id}` });
      return void res.end();
    }
    const existingId = c.byKey.get(key.key);
    const existing = existingId !== undefined ? c.byId.get(existingId) : undefined;
    if (existing !== undefined) {
      const changed = JSON.stringify(existing.doc) !== JSON.stringify(body);
      if (changed) Object.assign(existing, { doc: body, etag, lastModified: now.toISOString() });
      res.writeHead(200, { etag: `"${existing.etag}"`, location: `${baseUrl}/data/v3/${resourcePath}/${existing.id}` });
      return void res.end();
    }
    const newId = randomUUID().replace(/-/g, '');
    c.byId.set(newId, { id: newId, doc: body, etag, lastModified: now.toISOString() });
    c.byKey.set(key.key, newId);
    res.writeHead(201, { etag: `"${etag}"`, location: `${baseUrl}/data/v3/${resourcePath}/${newId}` });
    res.end();
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const route = async (): Promise<void> => {
      if (url.pathname === '/' && req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end(JSON.stringify(discovery()));
      }
      if (url.pathname === '/oauth/token' && req.method === 'POST') return token(req, res);
      if (url.pathname.startsWith('/data/v3/')) return data(req, res, url);
      problem(res, 404, 'not-found', 'Not Found', 'The specified data could not be found.');
    };
    // However malformed the request, the answer is the API's error, never a crash.
    route().catch((err: unknown) => {
      if (!res.headersSent) problem(res, 500, 'system', 'System Error', 'An unexpected error occurred on the server.');
      console.error('sandbox:', err);
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  baseUrl = `http://${opts.host ?? '127.0.0.1'}:${address.port}`;
  return {
    baseUrl,
    count: (path) => store.get(path)?.byId.size ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
