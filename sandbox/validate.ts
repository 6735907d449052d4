/**
 * Reads a request body against the model: copies the properties the resource has into a fresh
 * object in model order (unknown ones are dropped, as Newtonsoft ignores them, or refused when
 * strict), coerces what the ODS coerces ("255901001" → 255901001, "true" → true), resolves descriptor
 * URIs to their stored spelling, and collects every failure with the ODS's path and words.
 * Facts: edfi-api-facts.md §4 (a), (b), (e), (f).
 */
import type { DataStandard, MustMatch, ObjectShape, Property, ReferenceField, ResourceModel, ScalarType } from '../edfi/model/types.js';
import type { Failure } from './errors.js';
import { collectionClass, EDORG_ID_FIELDS, ordinal, pascal, singular } from './names.js';

export type Doc = Record<string, unknown>;

export interface ValidationContext {
  readonly dataStandard: DataStandard;
  readonly strict: boolean;
  /** The stored spelling of a descriptor URI (case-insensitive), or undefined when it does not exist. */
  resolveDescriptor(descriptorPath: string, uri: string): string | undefined;
  /** `ed-fi/gradeLevelDescriptors` → `GradeLevelDescriptor`. */
  descriptorEntity(descriptorPath: string): string;
}

/** Properties every body may carry that are not part of the model. */
const SERVER_FIELDS = new Set(['id', '_etag', '_lastModifiedDate', 'link', '_ext']);

export function validateDocument(body: Doc, resource: ResourceModel, ctx: ValidationContext): { doc: Doc; failures: Failure[] } {
  const failures: Failure[] = [];
  const doc = readShape(body, resource, resource.entity, '$', ctx, failures);
  if (failures.length === 0) for (const m of resource.mustMatch) checkUnified(doc, m, failures);
  return { doc, failures };
}

/** Exact name first; Newtonsoft also binds names in any case. */
function propertyOf(src: Doc, name: string): unknown {
  const v = src[name];
  if (v !== undefined) return v;
  const lower = name.toLowerCase();
  for (const k in src) if (k.length === name.length && k.toLowerCase() === lower) return src[k];
  return undefined;
}

const namesCache = new WeakMap<ObjectShape, Set<string>>();
function namesOf(shape: ObjectShape): Set<string> {
  let names = namesCache.get(shape);
  if (names === undefined) {
    names = new Set(shape.properties.map((p) => p.name));
    namesCache.set(shape, names);
  }
  return names;
}

/**
 * Only the model's properties, each checked and coerced. A body that already holds nothing else
 * (no unknown names, no nulls, exact case) is kept and corrected in place: the object JSON.parse
 * built is as compact as V8 makes objects, and no copy is made. Otherwise a fresh object in model
 * order (the ODS drops what it does not know).
 */
function readShape(src: Doc, shape: ObjectShape, entity: string, path: string, ctx: ValidationContext, failures: Failure[]): Doc {
  // The Texas `_ext.TX` of a resource or of a collection item.
  const extension = shape.extension;
  const names = namesOf(shape);
  let clean = true;
  for (const k in src) {
    if (src[k] === null || !(names.has(k) || (k === '_ext' && extension !== undefined))) {
      clean = false;
      break;
    }
  }
  const props = shape.properties;
  const values: unknown[] = new Array(props.length);
  for (let i = 0; i < props.length; i++) {
    const p = props[i];
    const v = clean ? src[p.name] : propertyOf(src, p.name);
    const value = readProperty(v, p, entity, `${path}.${p.name}`, ctx, failures);
    // A value sent but dropped (an empty optional reference, an empty list) needs the copy.
    if (value === undefined && v !== undefined) clean = false;
    values[i] = value;
  }
  let ext: Doc | undefined;
  if (extension !== undefined) {
    const sent = propertyOf(src, '_ext');
    const tx = typeof sent === 'object' && sent !== null && !Array.isArray(sent) ? propertyOf(sent as Doc, 'TX') : undefined;
    if (typeof tx === 'object' && tx !== null && !Array.isArray(tx)) {
      const read = readShape(tx as Doc, extension, `${entity}Extension`, `${path}._ext.TX`, ctx, failures);
      if (Object.keys(read).length > 0) ext = read;
      if (read !== tx || Object.keys(sent as Doc).length !== 1 || (sent as Doc).TX !== tx) clean = false;
    } else if (sent !== undefined) clean = false;
  }
  if (ctx.strict) {
    for (const k in src) {
      if (SERVER_FIELDS.has(k) || props.some((p) => p.name.toLowerCase() === k.toLowerCase())) continue;
      failures.push({
        path: `${path}.${k}`,
        message: `Could not find member '${k}' on object of type '${entity}'. Path '${jsonPathOf(`${path}.${k}`)}'.`,
        binding: true,
      });
    }
  }
  if (clean) {
    for (let i = 0; i < props.length; i++) if (values[i] !== undefined && values[i] !== src[props[i].name]) src[props[i].name] = values[i];
    return src;
  }
  const out: Doc = {};
  for (let i = 0; i < props.length; i++) if (values[i] !== undefined) out[props[i].name] = values[i];
  if (ext !== undefined) out._ext = { TX: ext };
  return out;
}

function missing(v: unknown): boolean {
  return v === undefined || v === null;
}

function readProperty(v: unknown, p: Property, entity: string, path: string, ctx: ValidationContext, failures: Failure[]): unknown {
  switch (p.kind) {
    case 'scalar':
      return readScalar(v, p.type, p.name, p.required, path, ctx, failures);
    case 'descriptor':
      if (missing(v)) {
        if (p.required) failures.push({ path, message: `${pascal(p.name)} is required.` });
        return undefined;
      }
      return readDescriptor(v, p.descriptor, p.name, p.required, path, ctx, failures);
    case 'reference':
      return readReference(v, p.name, p.fields, p.required, path, ctx, failures);
    case 'object': {
      if (missing(v)) {
        if (p.required) failures.push({ path, message: `${pascal(p.name)} is required.` });
        return undefined;
      }
      if (typeof v !== 'object' || Array.isArray(v)) {
        failures.push(typeFailure(v, 'object', path));
        return undefined;
      }
      return readShape(v as Doc, p.shape, `${entity}${pascal(p.name)}`, path, ctx, failures);
    }
    case 'collection':
      return readCollection(v, p, entity, path, ctx, failures);
  }
}

function readCollection(
  v: unknown,
  p: Extract<Property, { kind: 'collection' }>,
  entity: string,
  path: string,
  ctx: ValidationContext,
  failures: Failure[],
): unknown {
  const itemEntity = collectionClass(entity, p.name);
  if (missing(v) || (Array.isArray(v) && v.length === 0)) {
    if (p.required) failures.push({ path, message: `${itemEntity} requires at least one object in the collection.` });
    return undefined;
  }
  if (!Array.isArray(v)) {
    failures.push(typeFailure(v, 'array', path));
    return undefined;
  }
  const identity = p.item.properties.filter((q) => q.identity);
  const seen = new Set<string>();
  const out: Doc[] = [];
  let same = true;
  for (let i = 0; i < v.length; i++) {
    const item: unknown = v[i];
    const itemPath = `${path}[${i}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      failures.push(typeFailure(item, 'object', itemPath));
      same = false;
      continue;
    }
    const read = readShape(item as Doc, p.item, singular(itemEntity), itemPath, ctx, failures);
    if (read !== item) same = false;
    if (identity.length > 0) {
      const key = JSON.stringify(identity.map((q) => normalizedKeyPart(read[q.name])));
      if (seen.has(key))
        failures.push({
          path,
          message: `The ${ordinal(i + 1)} item of the ${itemEntity} has the same identifying values as another item earlier in the list.`,
        });
      seen.add(key);
    }
    out.push(read);
  }
  return same ? v : out;
}

function normalizedKeyPart(v: unknown): unknown {
  if (typeof v === 'string') return v.toLowerCase();
  if (typeof v === 'object' && v !== null) return Object.values(v).map(normalizedKeyPart);
  return v;
}

function readReference(
  v: unknown,
  name: string,
  fields: readonly ReferenceField[],
  required: boolean,
  path: string,
  ctx: ValidationContext,
  failures: Failure[],
): unknown {
  if (missing(v)) {
    if (required) failures.push({ path, message: `${pascal(name)} is required.` });
    return undefined;
  }
  if (typeof v !== 'object' || Array.isArray(v)) {
    failures.push(typeFailure(v, 'object', path));
    return undefined;
  }
  const src = v as Doc;
  const absent = fields.filter((f) => missing(propertyOf(src, f.name)));
  // An optional reference sent with none of its fields is no reference at all.
  if (absent.length === fields.length) {
    if (required) failures.push({ path, message: `${pascal(name)} is required.` });
    return undefined;
  }
  if (absent.length > 0) {
    failures.push({ path, message: `${pascal(name)} is missing the following properties: ${absent.map((f) => pascal(f.name)).join(', ')}` });
    return undefined;
  }
  // Exactly the fields, nothing else (a `link` sent back, say): corrected in place.
  let clean = Object.keys(src).length === fields.length;
  const values: unknown[] = new Array(fields.length);
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    // A field in another case ("SchoolId") is bound as Newtonsoft binds it, and makes the copy.
    const exact = clean ? src[f.name] : undefined;
    if (exact === undefined) clean = false;
    const fv = exact ?? propertyOf(src, f.name);
    const fpath = `${path}.${f.name}`;
    values[i] =
      f.type.kind === 'descriptor'
        ? readDescriptor(fv, f.type.descriptor, f.name, true, fpath, ctx, failures)
        : readScalar(fv, f.type, f.name, true, fpath, ctx, failures);
  }
  if (clean) {
    for (let i = 0; i < fields.length; i++) if (values[i] !== undefined && values[i] !== src[fields[i].name]) src[fields[i].name] = values[i];
    return src;
  }
  const out: Doc = {};
  for (let i = 0; i < fields.length; i++) if (values[i] !== undefined) out[fields[i].name] = values[i];
  return out;
}

function readDescriptor(
  v: unknown,
  descriptorPath: string,
  name: string,
  required: boolean,
  path: string,
  ctx: ValidationContext,
  failures: Failure[],
): string | undefined {
  const entity = ctx.descriptorEntity(descriptorPath);
  if (typeof v !== 'string') {
    failures.push(typeFailure(v, 'string', path));
    return undefined;
  }
  if (v === '') {
    if (required) failures.push({ path, message: `${pascal(name)} is required and should not be left empty.`, legacy: `${pascal(name)} is required.` });
    return undefined;
  }
  if (!v.includes('#')) {
    failures.push({
      path,
      message: `${entity} value '${v}' is not a valid value for use as a descriptor (a '#' is expected to delineate the namespace and code value portions).`,
      descriptor: { value: v, entity },
    });
    return undefined;
  }
  const stored = ctx.resolveDescriptor(descriptorPath, v);
  if (stored === undefined) failures.push({ path, message: `${entity} value '${v}' does not exist.`, descriptor: { value: v, entity } });
  return stored;
}

const INT32 = { min: -2147483648, max: 2147483647 };

/** An education organization id, also under a role name (`responsibilitySchoolId`, …). */
function isEdOrgId(name: string): boolean {
  return EDORG_ID_FIELDS.has(name) || /(SchoolId|EducationOrganizationId|LocalEducationAgencyId)$/.test(name);
}
const INTEGER_TEXT = /^\s*[-+]?\d+\s*$/;
const NUMBER_TEXT = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

function jsonPathOf(path: string): string {
  return path.replace(/^\$\.?/, '');
}

/** Newtonsoft's name for a JSON token's type, as its converter messages print it. */
function tokenType(v: unknown): string {
  if (typeof v === 'string') return 'String';
  if (typeof v === 'boolean') return 'Boolean';
  if (typeof v === 'number') return Number.isInteger(v) ? 'Integer' : 'Float';
  if (Array.isArray(v)) return 'StartArray';
  if (v === null) return 'Null';
  return 'StartObject';
}

function typeFailure(v: unknown, expected: 'object' | 'array' | 'string', path: string): Failure {
  const message =
    expected === 'string'
      ? `Error reading string. Unexpected token: ${tokenType(v)}. Path '${jsonPathOf(path)}'.`
      : `Unexpected token ${tokenType(v)} when ${expected === 'array' ? 'reading a collection' : 'reading an object'}. Path '${jsonPathOf(path)}'.`;
  return { path, message, binding: true };
}

const dateCache = new Map<string, string>();
/** Dates repeat across millions of records: keep one string per date. */
function internDate(s: string): string {
  const hit = dateCache.get(s);
  if (hit !== undefined) return hit;
  if (dateCache.size < 100_000) dateCache.set(s, s);
  return s;
}

function readDate(v: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(v.trim());
  if (m === null) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(y, mo - 1, d));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d) return undefined;
  return internDate(`${m[1]}-${m[2]}-${m[3]}`);
}

function readScalar(v: unknown, type: ScalarType, name: string, required: boolean, path: string, ctx: ValidationContext, failures: Failure[]): unknown {
  const Name = pascal(name);
  if (missing(v)) {
    if (!required) return undefined;
    // Value types (ints, dates, booleans) are non-nullable in the ODS's C# model: 6.1 reports them from model binding.
    const valueType = type.kind !== 'string';
    failures.push({
      path,
      message: `${Name} is required.`,
      ...(valueType ? { legacy: `Required property '${name}' not found in JSON. Path ''.`, binding: true } : {}),
    });
    return undefined;
  }
  switch (type.kind) {
    case 'string': {
      if (typeof v === 'object') {
        failures.push(typeFailure(v, 'string', path));
        return undefined;
      }
      const s = typeof v === 'string' ? v : typeof v === 'boolean' ? (v ? 'True' : 'False') : JSON.stringify(v);
      if (s === '' && required) {
        failures.push({ path, message: `${Name} is required and should not be left empty.`, legacy: `${Name} is required.` });
        return undefined;
      }
      if (type.maxLength !== undefined && s.length > type.maxLength) {
        failures.push({
          path,
          message:
            ctx.dataStandard === '4.0'
              ? `${Name} must be between 1 and ${type.maxLength} characters in length.`
              : `${Name} must be at most ${type.maxLength} characters in length.`,
        });
        return undefined;
      }
      return s;
    }
    case 'integer': {
      let n: number;
      if (typeof v === 'number') n = v;
      else if (typeof v === 'string' && INTEGER_TEXT.test(v)) n = Number(v);
      else if (typeof v === 'string' && NUMBER_TEXT.test(v)) n = Number(v);
      else {
        failures.push({
          path,
          message:
            typeof v === 'string'
              ? `Could not convert string to integer: ${v}. Path '${jsonPathOf(path)}'.`
              : `Unexpected token ${tokenType(v)} when parsing integer. Path '${jsonPathOf(path)}'.`,
          binding: true,
        });
        return undefined;
      }
      if (!Number.isInteger(n)) {
        failures.push({ path, message: `Input string '${String(v)}' is not a valid integer. Path '${jsonPathOf(path)}'.`, binding: true });
        return undefined;
      }
      // DS 5.x widened education organization ids to bigint (the ODS suite posts Number.MAX_SAFE_INTEGER).
      const wide = ctx.dataStandard !== '4.0' && isEdOrgId(name);
      if (wide ? !Number.isSafeInteger(n) : n < INT32.min || n > INT32.max) {
        failures.push({
          path,
          message: `Value was either too large or too small for an ${wide ? 'Int64' : 'Int32'}. Path '${jsonPathOf(path)}'.`,
          binding: true,
        });
        return undefined;
      }
      if (n === 0 && required) {
        failures.push({ path, message: `${Name} value must be different than 0.` });
        return undefined;
      }
      if ((type.min !== undefined && n < type.min) || (type.max !== undefined && n > type.max)) {
        failures.push({ path, message: `${Name} must be between ${type.min ?? INT32.min} and ${type.max ?? INT32.max}.` });
        return undefined;
      }
      return n;
    }
    case 'number': {
      const n = typeof v === 'number' ? v : typeof v === 'string' && NUMBER_TEXT.test(v) ? Number(v) : NaN;
      if (Number.isNaN(n)) {
        failures.push({
          path,
          message:
            typeof v === 'string'
              ? `Could not convert string to decimal: ${v}. Path '${jsonPathOf(path)}'.`
              : `Unexpected token ${tokenType(v)} when parsing decimal. Path '${jsonPathOf(path)}'.`,
          binding: true,
        });
        return undefined;
      }
      const bound = type.precision !== undefined ? 10 ** (type.precision - (type.scale ?? 0)) - 10 ** -(type.scale ?? 0) : undefined;
      const min = type.min ?? (bound !== undefined ? -bound : undefined);
      const max = type.max ?? bound;
      if ((min !== undefined && n < min) || (max !== undefined && n > max)) {
        const fmt = (x: number) => x.toFixed(type.scale ?? 0);
        failures.push({ path, message: `${Name} must be between ${fmt(min ?? -Infinity)} and ${fmt(max ?? Infinity)}.` });
        return undefined;
      }
      return n;
    }
    case 'boolean': {
      // The ODS's strict boolean converter: true/false, "true"/"false", 0/1.
      if (typeof v === 'boolean') return v;
      if (v === 0 || v === 1) return v === 1;
      if (typeof v === 'string' && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === 'true';
      const shown = typeof v === 'string' ? v : JSON.stringify(v);
      failures.push({ path, message: `Unexpected value for boolean: ${shown} (type: ${tokenType(v)})`, binding: true });
      return undefined;
    }
    case 'date': {
      const d = typeof v === 'string' ? readDate(v) : undefined;
      if (d === undefined) {
        failures.push({
          path,
          message:
            typeof v === 'string'
              ? `Could not convert string to DateTime: ${v}. Path '${jsonPathOf(path)}'.`
              : `Unexpected token parsing date. Expected String, got ${tokenType(v)}. Path '${jsonPathOf(path)}'.`,
          binding: true,
        });
        return undefined;
      }
      return d;
    }
    case 'time': {
      const m = typeof v === 'string' ? /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(v.trim()) : null;
      if (m === null || Number(m[1]) > 23 || Number(m[2]) > 59 || Number(m[3] ?? 0) > 59) {
        failures.push({ path, message: `Could not convert string to TimeSpan: ${String(v)}. Path '${jsonPathOf(path)}'.`, binding: true });
        return undefined;
      }
      return `${m[1].padStart(2, '0')}:${m[2]}:${m[3] ?? '00'}`;
    }
    case 'datetime': {
      if (typeof v !== 'string' || Number.isNaN(Date.parse(v))) {
        failures.push({ path, message: `Could not convert string to DateTime: ${String(v)}. Path '${jsonPathOf(path)}'.`, binding: true });
        return undefined;
      }
      return v;
    }
  }
}

function valueAt(doc: Doc, path: readonly string[]): unknown {
  let v: unknown = doc;
  for (const step of path) v = typeof v === 'object' && v !== null ? (v as Doc)[step] : undefined;
  return v;
}

/** Key unification: two references that share a column must carry the same value. */
function checkUnified(doc: Doc, m: MustMatch, failures: Failure[]): void {
  const a = valueAt(doc, m.left);
  const b = valueAt(doc, m.right);
  if (a === undefined || b === undefined) return;
  const same = typeof a === 'string' && typeof b === 'string' ? a.toLowerCase() === b.toLowerCase() : a === b;
  if (same) return;
  const field = m.left[m.left.length - 1] ?? '';
  failures.push({
    path: `$.${m.left.join('.')}`,
    message: `All values supplied for '${field}' must match. Review all references (including those in collections) and update the values appropriately.`,
  });
}

export { valueAt };
