/**
 * The Ed-Fi API client the downloads and the publisher share: one keep-alive connection pool per
 * API (sized by Simultaneous Connections), one bearer token reused until shortly before it
 * expires (the ODS/API limits live tokens per client), a single retry after a 401, and answers
 * returned as they are, for `publishing/outcome.ts` to classify.
 */
import { Pool, request, type Dispatcher } from 'undici';
import { context, SpanKind, SpanStatusCode, trace, type Context } from '@opentelemetry/api';
import { requestToken, tokenUrl, type TokenFailure } from './oauth.js';

export interface EdfiClientOptions {
  /** Base URL of the API (the state's "API URL"), e.g. https://api.state.gov/odsedfiapi2025. */
  readonly apiUrl: string;
  /** Where tokens come from; the API URL when absent. */
  readonly authUrl?: string;
  readonly key: string;
  readonly secret: string;
  /** Requests in flight at once (the profile's Simultaneous Connections). */
  readonly connections?: number;
  readonly timeoutMs?: number;
  /** Told of every request's answer and how long it took (status 0: none came); metrics listen here. */
  readonly observe?: Heard;
  /** Records each exchange as a client span (the default). The send thread has no tracer: the main thread records its exchanges instead. */
  readonly spans?: boolean;
}

/** Where an exchange went: the path names the resource, never a record's data. */
export type OdsTarget = { readonly pathname: string; readonly host: string };
/** One HTTP exchange heard: its method, the answer's status (0: none came), how long it took, where it went. */
export type Heard = (method: string, status: number, seconds: number, url: OdsTarget) => void;

export interface ApiAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly etag?: string;
  /** The resource id from a Location header (POST) — what later PUTs and DELETEs address. */
  readonly id?: string;
}

export class EdfiAuthError extends Error {
  constructor(readonly failure: TokenFailure) {
    super(failure.message);
    this.name = 'EdfiAuthError';
  }
}

/** The id at the end of a Location header: `…/data/v3/ed-fi/schools/{id}`. */
export function idFromLocation(location: string | undefined): string | undefined {
  if (location === undefined) return undefined;
  const last = location.split('?')[0]?.replace(/\/+$/, '').split('/').pop();
  return last !== undefined && /^[0-9a-f-]{32,36}$/i.test(last) ? last : undefined;
}

/** `{apiUrl}/data/v3/{project}/{resource}[/{id}]`; resource paths are like `ed-fi/schools` or `tx/…`. */
export function dataPath(apiUrl: string, resourcePath: string, id?: string): URL {
  const base = new URL(apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`);
  return new URL(`data/v3/${resourcePath.replace(/^\/+/, '')}${id !== undefined ? `/${encodeURIComponent(id)}` : ''}`, base);
}

const REFRESH_BEFORE_EXPIRY_MS = 60_000;
/** A proxy: it records once the process registers a tracer provider (tracing on), and costs next to nothing before. */
const odsTracer = trace.getTracer('edfi-exchange');
const MAX_THROTTLED = 5;

/**
 * One exchange with the ODS as a client span of `parent` (the active context by default), recorded
 * once it is over: the path names the resource, never a record's data. The send thread's exchanges
 * are recorded this way on the main thread, under the activity that asked for them.
 */
export function odsSpan(method: string, url: OdsTarget, status: number, startMs: number, endMs: number, parent: Context = context.active()): void {
  const span = odsTracer.startSpan(
    `${method} ${url.pathname}`,
    { kind: SpanKind.CLIENT, startTime: startMs, attributes: { 'http.request.method': method, 'url.path': url.pathname, 'server.address': url.host } },
    parent,
  );
  if (status === 0) span.setStatus({ code: SpanStatusCode.ERROR, message: 'no answer' });
  else {
    span.setAttribute('http.response.status_code', status);
    if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end(endMs);
}

/** How long a 429's Retry-After says to wait (seconds or an HTTP date), else a growing default; at most a minute. */
export function retryAfterMs(header: string | string[] | undefined, attempt: number, now = Date.now()): number {
  const value = Array.isArray(header) ? header[0] : header;
  const fallback = Math.min(60_000, 1_000 * 2 ** attempt);
  if (value === undefined || value.trim() === '') return fallback;
  const secs = Number(value);
  if (Number.isFinite(secs)) return Math.min(60_000, Math.max(0, secs * 1000));
  const at = Date.parse(value);
  return Number.isNaN(at) ? fallback : Math.min(60_000, Math.max(0, at - now));
}

export class EdfiClient {
  private readonly pool: Pool;
  private token: { value: string; expiresAt: number } | undefined;
  private pendingToken: Promise<string> | undefined;

  constructor(private readonly options: EdfiClientOptions) {
    this.pool = new Pool(new URL(options.apiUrl).origin, { connections: options.connections ?? 20, pipelining: 1, keepAliveTimeout: 30_000 });
  }

  private async bearer(): Promise<string> {
    if (this.token !== undefined && this.token.expiresAt - REFRESH_BEFORE_EXPIRY_MS > Date.now()) return this.token.value;
    // One token request at a time, however many sends wait for it.
    this.pendingToken ??= (async () => {
      try {
        const result = await requestToken({
          authUrl: this.options.authUrl ?? this.options.apiUrl,
          key: this.options.key,
          secret: this.options.secret,
          ...(this.options.timeoutMs !== undefined ? { timeoutMs: this.options.timeoutMs } : {}),
        });
        if (!result.ok) throw new EdfiAuthError(result.failure);
        const lifetimeMs = Math.max(result.grant.expiresInSeconds, 1) * 1000;
        this.token = { value: result.grant.accessToken, expiresAt: Date.now() + lifetimeMs };
        return result.grant.accessToken;
      } finally {
        this.pendingToken = undefined;
      }
    })();
    return this.pendingToken;
  }

  async send(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: URL, body?: unknown, heard?: Heard): Promise<ApiAnswer> {
    return this.sendText(method, url, body === undefined ? undefined : JSON.stringify(body), heard);
  }

  /** As `send`, with the body already JSON text (a publish run sends the staged JSON as it is). */
  private async sendText(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: URL,
    body: string | undefined,
    heard?: Heard,
    retried = false,
    throttled = 0,
  ): Promise<ApiAnswer> {
    // The cached token without a promise: a publish run sends tens of thousands of requests.
    const token = this.token !== undefined && this.token.expiresAt - REFRESH_BEFORE_EXPIRY_MS > Date.now() ? this.token.value : await this.bearer();
    const timeout = this.options.timeoutMs ?? 60_000;
    const started = performance.now();
    const startedAt = Date.now();
    const observe = this.options.observe;
    const heardAll = (status: number): void => {
      const seconds = (performance.now() - started) / 1000;
      observe?.(method, status, seconds, url);
      heard?.(method, status, seconds, url);
      // A client span of the active one (the activity's, when traced).
      if (this.options.spans !== false) odsSpan(method, url, status, startedAt, Date.now());
    };
    let res: Dispatcher.ResponseData;
    let text: string;
    try {
      res = await this.pool.request({
        method,
        path: `${url.pathname}${url.search}`,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body } : {}),
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
      text = await res.body.text();
    } catch (err) {
      heardAll(0);
      throw err;
    }
    heardAll(res.statusCode);
    if (res.statusCode === 401 && !retried) {
      // Expired or revoked early (short token lifetimes): get a new token once and resend.
      this.token = undefined;
      return this.sendText(method, url, body, heard, true);
    }
    if (res.statusCode === 429 && throttled < MAX_THROTTLED) {
      // The API asks us to slow down: wait as long as it says (seconds or an HTTP date), then resend.
      await new Promise((r) => setTimeout(r, retryAfterMs(res.headers['retry-after'], throttled)));
      return this.sendText(method, url, body, heard, retried, throttled + 1);
    }
    let parsed: unknown = text;
    if (text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    const header = (name: string): string | undefined => {
      const v = res.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const id = idFromLocation(header('location'));
    const etag = header('etag');
    return { status: res.statusCode, body: text === '' ? undefined : parsed, ...(etag !== undefined ? { etag } : {}), ...(id !== undefined ? { id } : {}) };
  }

  /** Each resource's collection URL, parsed once: a publish run POSTs to a few of them thousands of times. */
  private readonly collections = new Map<string, URL>();

  private collection(resourcePath: string): URL {
    let url = this.collections.get(resourcePath);
    if (url === undefined) this.collections.set(resourcePath, (url = dataPath(this.options.apiUrl, resourcePath)));
    return url;
  }

  /** `heard`: told of this request's exchanges (besides `observe`, told of every one). */
  post(resourcePath: string, json: unknown, heard?: Heard): Promise<ApiAnswer> {
    return this.send('POST', this.collection(resourcePath), json, heard);
  }

  /** POST of a document that is already JSON text. */
  postText(resourcePath: string, jsonText: string, heard?: Heard): Promise<ApiAnswer> {
    return this.sendText('POST', this.collection(resourcePath), jsonText, heard);
  }

  put(resourcePath: string, id: string, json: unknown): Promise<ApiAnswer> {
    return this.send('PUT', dataPath(this.options.apiUrl, resourcePath, id), json);
  }

  delete(resourcePath: string, id: string, heard?: Heard): Promise<ApiAnswer> {
    return this.send('DELETE', dataPath(this.options.apiUrl, resourcePath, id), undefined, heard);
  }

  /** A GET of a collection with a query, answered as it came (a probe: what this key may read). */
  get(resourcePath: string, query: Record<string, string>): Promise<ApiAnswer> {
    const url = dataPath(this.options.apiUrl, resourcePath);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    return this.send('GET', url);
  }

  /** ODS/API 7.x token introspection (`POST …/oauth/token_info`): the key's education organizations, claim set and namespaces. */
  async tokenInfo(): Promise<ApiAnswer> {
    const token = await this.bearer();
    const url = new URL(tokenUrl(this.options.authUrl ?? this.options.apiUrl).replace(/\/oauth\/token$/i, '/oauth/token_info'));
    const timeout = this.options.timeoutMs ?? 60_000;
    // The Authentication URL may be another host than the API's: not through the API's pool.
    const res = await request(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token }).toString(),
      headersTimeout: timeout,
      bodyTimeout: timeout,
    });
    const text = await res.body.text();
    let body: unknown = text === '' ? undefined : text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: kept as text
    }
    return { status: res.statusCode, body };
  }

  /** One page of a collection (limit ≤ 500, the ODS/API's maximum). */
  async page(resourcePath: string, offset: number, limit = 500, query: Record<string, string> = {}, heard?: Heard): Promise<unknown[]> {
    const url = dataPath(this.options.apiUrl, resourcePath);
    url.searchParams.set('offset', String(offset));
    url.searchParams.set('limit', String(limit));
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const answer = await this.send('GET', url, undefined, heard);
    if (answer.status !== 200 || !Array.isArray(answer.body)) throw new Error(`GET ${url.pathname} answered HTTP ${answer.status}`);
    return answer.body as unknown[];
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
