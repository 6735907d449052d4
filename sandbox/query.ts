/**
 * GET-list query parameters: limit (0–500 in 7.x, 1–500 in 6.1; default 500), offset, totalCount,
 * min/maxChangeVersion, and filters by example on any scalar, descriptor or reference identity
 * field — names and string values compared case-insensitively (edfi-api-facts.md §3 "GET list").
 */
import type { ResourceModel, ScalarType } from '../edfi/model/types.js';
import type { ApiError } from './errors.js';
import { parseGuid } from './http.js';
import { pascal } from './names.js';
import type { ApiVersion } from './options.js';
import type { Doc } from './validate.js';

export interface Filter {
  readonly path: readonly string[];
  /** The wanted value, normalized like stored values (lower-cased strings). */
  readonly value: string | number | boolean;
}

export interface ListQuery {
  readonly offset: number;
  readonly limit: number;
  readonly totalCount: boolean;
  readonly minChangeVersion: number | undefined;
  readonly maxChangeVersion: number | undefined;
  readonly id: string | undefined;
  readonly filters: readonly Filter[];
  /** The query without offset: paging cursors are kept per distinct query. */
  readonly shape: string;
}

type FieldType = ScalarType | { readonly kind: 'descriptor' };

const RESERVED = new Set([
  'offset',
  'limit',
  'totalcount',
  'minchangeversion',
  'maxchangeversion',
  'correlationid',
  'snapshot',
  'pagetoken',
  'pagesize',
  'q',
  'fields',
]);

const fieldsCache = new WeakMap<ResourceModel, Map<string, { path: string[]; type: FieldType; name: string }>>();

/** Query-able names of a resource: top-level scalars and descriptors, and reference fields flattened (`schoolId`). */
function filterFields(r: ResourceModel): Map<string, { path: string[]; type: FieldType; name: string }> {
  const hit = fieldsCache.get(r);
  if (hit !== undefined) return hit;
  const out = new Map<string, { path: string[]; type: FieldType; name: string }>();
  const add = (name: string, path: string[], type: FieldType) => {
    if (!out.has(name.toLowerCase())) out.set(name.toLowerCase(), { path, type, name });
  };
  for (const p of r.properties) {
    if (p.kind === 'scalar') add(p.name, [p.name], p.type);
    else if (p.kind === 'descriptor') add(p.name, [p.name], { kind: 'descriptor' });
  }
  for (const p of r.properties)
    if (p.kind === 'reference') for (const f of p.fields) add(f.name, [p.name, f.name], f.type.kind === 'descriptor' ? { kind: 'descriptor' } : f.type);
  fieldsCache.set(r, out);
  return out;
}

function parameterError(problem: string, legacy = problem): ApiError {
  return { kind: 'parameter', problem, legacy };
}

function integerParam(raw: string | null, name: string): number | undefined | ApiError {
  if (raw === null || raw === '') return undefined;
  if (!/^\s*-?\d+\s*$/.test(raw)) return parameterError(`The value '${raw}' is not valid for ${pascal(name)}.`);
  return Number(raw);
}

function filterValue(raw: string, type: FieldType, name: string): string | number | boolean | ApiError {
  const bad = () => parameterError(`The value '${raw}' is not valid for ${pascal(name)}.`);
  switch (type.kind) {
    case 'integer':
    case 'number': {
      const n = Number(raw);
      return raw.trim() === '' || !Number.isFinite(n) ? bad() : n;
    }
    case 'boolean':
      return /^(true|false)$/i.test(raw) ? raw.toLowerCase() === 'true' : bad();
    case 'date': {
      const m = /^(\d{4}-\d{2}-\d{2})/.exec(raw);
      return m !== null ? m[1] : bad();
    }
    default:
      return raw.toLowerCase();
  }
}

/** Page size default and maximum: `DefaultPageSizeLimit` (500 as shipped). */
export function parseListQuery(q: URLSearchParams, r: ResourceModel, version: ApiVersion, pageLimit: number): ListQuery | ApiError {
  let offset = 0;
  let limit = pageLimit;
  let totalCount = false;
  let minChangeVersion: number | undefined;
  let maxChangeVersion: number | undefined;
  let id: string | undefined;
  const filters: Filter[] = [];
  const shape: string[] = [];
  const fields = filterFields(r);
  for (const [rawName, raw] of q) {
    const name = rawName.toLowerCase();
    if (name !== 'offset') shape.push(`${name}=${raw}`);
    if (name === 'limit') {
      const v = integerParam(raw, 'limit');
      if (typeof v === 'object') return v;
      if (v !== undefined) {
        const min = version === '6.1' ? 1 : 0;
        if (v < min || v > pageLimit)
          return parameterError(
            `Limit must be a value between 0 and ${pageLimit}.`,
            'Limit must be omitted or set to a value between 1 and max value defined in configuration file (defaultPageSizeLimit).',
          );
        limit = v;
      }
    } else if (name === 'offset') {
      const v = integerParam(raw, 'offset');
      if (typeof v === 'object') return v;
      if (v !== undefined && v < 0) return parameterError('Offset cannot be a negative value.');
      offset = v ?? 0;
    } else if (name === 'totalcount') {
      if (!/^(true|false)?$/i.test(raw)) return parameterError(`The value '${raw}' is not valid for TotalCount.`);
      totalCount = raw.toLowerCase() === 'true';
    } else if (name === 'minchangeversion' || name === 'maxchangeversion') {
      const v = integerParam(raw, name === 'minchangeversion' ? 'minChangeVersion' : 'maxChangeVersion');
      if (typeof v === 'object') return v;
      if (name === 'minchangeversion') minChangeVersion = v;
      else maxChangeVersion = v;
    } else if (name === 'id') {
      const g = parseGuid(raw);
      if (g === undefined) return { kind: 'invalid-id', value: raw, query: true };
      id = g;
    } else if (!RESERVED.has(name)) {
      const f = fields.get(name);
      // Parameters that are not properties are ignored, as model binding ignores them.
      if (f === undefined) continue;
      const v = filterValue(raw, f.type, f.name);
      if (typeof v === 'object') return v;
      filters.push({ path: f.path, value: v });
    }
  }
  return { offset, limit, totalCount, minChangeVersion, maxChangeVersion, id, filters, shape: shape.join('&') };
}

/** Parameters of `/deletes` and `/keyChanges`: their bad values share one detail text. */
export function parseChangesQuery(
  q: URLSearchParams,
  pageLimit: number,
): { offset: number; limit: number; totalCount: boolean; min: number | undefined; max: number | undefined } | ApiError {
  const bad: ApiError = {
    kind: 'parameter',
    problem: 'Parameters supplied to the request were invalid.',
    legacy: 'Parameters supplied to the request were invalid.',
  };
  let offset = 0;
  let limit = pageLimit;
  let totalCount = false;
  let min: number | undefined;
  let max: number | undefined;
  for (const [rawName, raw] of q) {
    const name = rawName.toLowerCase();
    const n = /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : NaN;
    if (name === 'limit') {
      if (Number.isNaN(n) || n < 0 || n > pageLimit) return bad;
      limit = n;
    } else if (name === 'offset') {
      if (Number.isNaN(n) || n < 0) return bad;
      offset = n;
    } else if (name === 'totalcount') totalCount = raw.toLowerCase() === 'true';
    else if (name === 'minchangeversion') {
      if (Number.isNaN(n)) return bad;
      min = n;
    } else if (name === 'maxchangeversion') {
      if (Number.isNaN(n)) return bad;
      max = n;
    }
  }
  return { offset, limit, totalCount, min, max };
}

export function matches(doc: Doc, filters: readonly Filter[]): boolean {
  for (const f of filters) {
    let v: unknown = doc[f.path[0]];
    if (f.path.length > 1) v = typeof v === 'object' && v !== null ? (v as Doc)[f.path[1]] : undefined;
    if (v === undefined) return false;
    if (typeof v === 'string') {
      if (v.toLowerCase() !== f.value) return false;
    } else if (v !== f.value) return false;
  }
  return true;
}
