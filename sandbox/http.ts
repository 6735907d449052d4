/** Writing answers on plain node:http, and what every route handler gets about its request. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { render, type ApiError, type Reply } from './errors.js';
import type { ApiVersion } from './options.js';
import type { Store } from './store.js';

export interface RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly method: string;
  /** The path without the school-year route segment, e.g. `/data/v3/ed-fi/students`. */
  readonly path: string;
  /** The path as requested (for messages and fault routes). */
  readonly fullPath: string;
  readonly query: URLSearchParams;
  readonly correlationId: string;
  readonly version: ApiVersion;
  /** `http://host:port` plus the route prefix (`/2025` for 7.x year-specific): what Location and link URLs start with. */
  readonly base: string;
  readonly origin: string;
  /** The ODS this request addresses (undefined when the route has no instance, e.g. the discovery document). */
  readonly store: Store | undefined;
  readonly year: number | undefined;
}

export function sendReply(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...reply.headers };
  if (reply.body !== undefined) headers['content-type'] = reply.contentType ?? 'application/json';
  res.writeHead(reply.status, headers);
  res.end(reply.body);
}

export function sendError(c: RequestContext, error: ApiError): void {
  sendReply(c.res, render(c.version, error, c.correlationId));
}

/** JSON the way the ODS writes it: indented, nulls left out (our documents never hold nulls). */
export function sendJson(res: ServerResponse, status: number, value: unknown, headers?: Record<string, string>): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(value, null, 2));
}

export function sendEmpty(res: ServerResponse, status: number, headers?: Record<string, string>): void {
  res.writeHead(status, headers);
  res.end();
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** ETag values compare without their quotes (and without a weak `W/` prefix). */
export function unquote(etag: string | undefined): string | undefined {
  return etag?.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
}

/** 32 hex or the dashed 8-4-4-4-12 form, to the ODS's "N" format; undefined when not a GUID. */
export function parseGuid(s: string): string | undefined {
  const t = s
    .trim()
    .replace(/^\{|\}$/g, '')
    .toLowerCase();
  if (/^[0-9a-f]{32}$/.test(t)) return t;
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(t)) return t.replace(/-/g, '');
  return undefined;
}
