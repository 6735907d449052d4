/**
 * What the model says about one Ed-Fi document: its natural key, the records it references, a
 * stable hash of its content, and whether it is well formed (required fields, types, lengths,
 * descriptor form) — so a bad record is caught with the field named before any round trip.
 */
import { createHash } from 'node:crypto';
import type { EdfiModel, Property, ReferenceProperty, ResourceModel, ScalarType } from './model/types.js';
import { targetPathIn } from './model/index.js';

type Doc = { readonly [key: string]: unknown };

function at(doc: unknown, path: readonly string[]): unknown {
  let v: unknown = doc;
  for (const step of path) v = typeof v === 'object' && v !== null ? (v as Doc)[step] : undefined;
  return v;
}

/**
 * Names of the identity parts in a natural key: the field's own name (`schoolId`), or its whole
 * path where two parts share a name (courseOfferings' `schoolReference_schoolId` / `sessionReference_schoolId`).
 */
function keyNames(identity: readonly (readonly string[])[]): string[] {
  const leaves = identity.map((p) => p[p.length - 1] ?? '');
  return identity.map((p, i) => (leaves.filter((l) => l === leaves[i]).length > 1 ? p.join('_') : (leaves[i] ?? '')));
}

/** Each identity's key members opened (`"schoolId":`), worked out once: every record extracted needs its key. */
const keyOpeningsByIdentity = new WeakMap<readonly (readonly string[])[], readonly string[]>();

function keyOpenings(identity: readonly (readonly string[])[]): readonly string[] {
  let openings = keyOpeningsByIdentity.get(identity);
  if (openings === undefined) keyOpeningsByIdentity.set(identity, (openings = keyNames(identity).map((n) => `${JSON.stringify(n)}:`)));
  return openings;
}

function keyText(openings: readonly string[], values: readonly unknown[]): string {
  // The text JSON.stringify gives an object with these keys in this order, without building one.
  let out = '{';
  for (let i = 0; i < openings.length; i++) out += `${i > 0 ? ',' : ''}${openings[i]}${JSON.stringify(values[i] ?? null)}`;
  return `${out}}`;
}

/**
 * The natural key as one comparable JSON object text (what the record lists show and filter by),
 * and the first identity field that is missing, if any (then the key holds null for it).
 */
export function naturalKeyOf(resource: Pick<ResourceModel, 'identity'>, doc: Doc): { key: string; missing?: string } {
  const values: unknown[] = [];
  let missing: string | undefined;
  for (const path of resource.identity) {
    const v = at(doc, path);
    if (v === undefined || v === null || v === '') {
      missing ??= path.join('.');
      values.push(null);
    } else values.push(v);
  }
  const key = keyText(keyOpenings(resource.identity), values);
  return missing === undefined ? { key } : { key, missing };
}

export interface ReferencedRecord {
  /** The reference property, e.g. `calendarReference` or `classPeriods[].classPeriodReference`. */
  readonly property: string;
  /**
   * What it may point at, each with that target's natural key in `naturalKeyOf` form — several for
   * abstract references (educationOrganizationReference: a school, an LEA, …), the likeliest first.
   */
  readonly candidates: ReadonlyArray<{ readonly target: string; readonly key: string }>;
}

/** Abstract ed-org references point at schools and LEAs far more often than at the rest. */
const LIKELIEST = ['ed-fi/schools', 'ed-fi/localEducationAgencies'];

/** Resources every ODS has before anything is sent: not worth a dependency check. */
function preloaded(target: string): boolean {
  return target === 'ed-fi/schoolYearTypes' || target.endsWith('Descriptors');
}

/** How to read one target's natural key out of a reference: which reference field gives each key part. */
interface ReferencePlan {
  readonly target: string;
  readonly fields: ReadonlyArray<string | undefined>;
  readonly openings: readonly string[];
}

/** Reference plans per model and property: the same for every record, so worked out once. */
const referencePlans = new WeakMap<EdfiModel, WeakMap<ReferenceProperty, readonly ReferencePlan[]>>();

function plansOf(model: EdfiModel, ref: ReferenceProperty): readonly ReferencePlan[] {
  let byRef = referencePlans.get(model);
  if (byRef === undefined) referencePlans.set(model, (byRef = new WeakMap()));
  const known = byRef.get(ref);
  if (known !== undefined) return known;
  const targets = ref.targets.filter((t) => !preloaded(t)).sort((a, b) => (LIKELIEST.indexOf(a) + 1 || 99) - (LIKELIEST.indexOf(b) + 1 || 99));
  const plans = targets.flatMap((targetPath): ReferencePlan[] => {
    const target = model.resource(targetPath);
    if (target === undefined) return [];
    const fields = target.identity.map((path) => {
      // A key part the reference does not carry is unified with one it does (courseOfferings' two schoolIds).
      const unified = target.mustMatch.flatMap((m) => (m.left.join('.') === path.join('.') ? [m.right] : m.right.join('.') === path.join('.') ? [m.left] : []));
      return [path, ...unified].map((want) => ref.fields.find((f) => targetPathIn(f, targetPath).join('.') === want.join('.'))).find((f) => f !== undefined)
        ?.name;
    });
    return [{ target: targetPath, fields, openings: keyOpenings(target.identity) }];
  });
  byRef.set(ref, plans);
  return plans;
}

function referenceKey(plan: ReferencePlan, value: Doc): string | undefined {
  const values: unknown[] = [];
  for (const field of plan.fields) {
    const v = field === undefined ? undefined : value[field];
    if (v === undefined || v === null || v === '') return undefined;
    values.push(v);
  }
  return keyText(plan.openings, values);
}

/** Every record this document points at (top level and inside collections), except descriptors and school years. */
export function referencesOf(model: EdfiModel, resource: ResourceModel, doc: Doc): ReferencedRecord[] {
  const out: ReferencedRecord[] = [];
  const visit = (shape: readonly Property[], value: unknown, prefix: string): void => {
    if (typeof value !== 'object' || value === null) return;
    for (const p of shape) {
      const v = (value as Doc)[p.name];
      if (v === undefined || v === null) continue;
      if (p.kind === 'reference') {
        if (typeof v !== 'object') continue;
        const candidates = plansOf(model, p).flatMap((plan) => {
          const key = referenceKey(plan, v as Doc);
          return key === undefined ? [] : [{ target: plan.target, key }];
        });
        if (candidates.length > 0) out.push({ property: `${prefix}${p.name}`, candidates });
      } else if (p.kind === 'collection' && Array.isArray(v)) {
        for (const item of v) visit(p.item.properties, item, `${prefix}${p.name}[].`);
      } else if (p.kind === 'object') {
        visit(p.shape.properties, v, `${prefix}${p.name}.`);
      }
    }
  };
  visit(resource.properties, doc, '');
  return out;
}

/** Each property name as it opens a member (`"name":`): names come from the Ed-Fi model, a few hundred at most. */
const MEMBER_OPENINGS = new Map<string, string>();
const MAX_MEMBER_OPENINGS = 10_000;

/**
 * JSON with object keys sorted, so equal content hashes equally whatever order a mapper built it in.
 * Every extracted record goes through it, so it builds one string without intermediate arrays (half
 * the CPU of entries, filter, sort, map and join). The text must never change: the catalog's hashes
 * are made of it, and a different text would make every record look changed.
 */
export function canonicalJson(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      // An undefined item joins as nothing (as Array.join does); JSON.stringify gives undefined for it.
      const item = canonicalJson(value[i]) as string | undefined;
      if (item !== undefined) out += item;
    }
    return `${out}]`;
  }
  let out = '{';
  for (const key of Object.keys(value).sort()) {
    const v = (value as Doc)[key];
    if (v === undefined) continue;
    if (out.length > 1) out += ',';
    let opening = MEMBER_OPENINGS.get(key);
    if (opening === undefined) {
      opening = `${JSON.stringify(key)}:`;
      if (MEMBER_OPENINGS.size < MAX_MEMBER_OPENINGS) MEMBER_OPENINGS.set(key, opening);
    }
    out += opening + canonicalJson(v);
  }
  return `${out}}`;
}

/** 32 hex characters: what the catalog compares to decide whether a record changed. */
export function payloadHash(doc: Doc): string {
  return payloadHashOf(canonicalJson(doc));
}

/** The same hash from JSON already made canonical (an extract serializes each record once). */
export function payloadHashOf(canonical: string): string {
  return createHash('md5').update(canonical).digest('hex');
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;
const DESCRIPTOR_URI = /^[^#\s]+#.+$/;

function scalarProblem(type: ScalarType, v: unknown): string | undefined {
  switch (type.kind) {
    case 'string':
      if (typeof v !== 'string') return 'must be text';
      return type.maxLength !== undefined && v.length > type.maxLength ? `is ${v.length} characters; at most ${type.maxLength} are allowed` : undefined;
    case 'date':
      return typeof v === 'string' && DATE.test(v) && !Number.isNaN(Date.parse(v)) ? undefined : 'must be a date (YYYY-MM-DD)';
    case 'time':
      return typeof v === 'string' && TIME.test(v) ? undefined : 'must be a time (HH:MM:SS)';
    case 'datetime':
      return typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? undefined : 'must be a date and time';
    case 'integer':
      if (typeof v !== 'number' || !Number.isInteger(v)) return 'must be a whole number';
      if (type.min !== undefined && v < type.min) return `must be at least ${type.min}`;
      return type.max !== undefined && v > type.max ? `must be at most ${type.max}` : undefined;
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v)) return 'must be a number';
      if (type.min !== undefined && v < type.min) return `must be at least ${type.min}`;
      return type.max !== undefined && v > type.max ? `must be at most ${type.max}` : undefined;
    case 'boolean':
      return typeof v === 'boolean' ? undefined : 'must be true or false';
  }
}

function shapeProblem(properties: readonly Property[], value: unknown, prefix: string): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `${prefix || 'the document'} must be an object`;
  for (const p of properties) {
    const name = `${prefix}${p.name}`;
    const v = (value as Doc)[p.name];
    if (v === undefined || v === null || (typeof v === 'string' && v === '' && p.kind !== 'scalar')) {
      if (p.required || p.identity) return `${name} is required`;
      continue;
    }
    let problem: string | undefined;
    switch (p.kind) {
      case 'scalar':
        problem = scalarProblem(p.type, v);
        if (problem === undefined && p.required && typeof v === 'string' && v.trim() === '') problem = 'is required';
        break;
      case 'descriptor':
        problem =
          typeof v === 'string' && DESCRIPTOR_URI.test(v)
            ? v.length > 306
              ? 'is too long for a descriptor'
              : undefined
            : 'must be a descriptor URI (namespace#codeValue)';
        break;
      case 'reference':
        for (const f of p.fields) {
          const fv = typeof v === 'object' ? (v as Doc)[f.name] : undefined;
          if (fv === undefined || fv === null || fv === '') return `${name}.${f.name} is required`;
          const fp =
            f.type.kind === 'descriptor'
              ? typeof fv === 'string' && DESCRIPTOR_URI.test(fv)
                ? undefined
                : 'must be a descriptor URI (namespace#codeValue)'
              : scalarProblem(f.type, fv);
          if (fp !== undefined) return `${name}.${f.name} ${fp}`;
        }
        break;
      case 'collection': {
        if (!Array.isArray(v)) return `${name} must be a list`;
        if (p.required && v.length === 0) return `${name} needs at least one item`;
        for (const [i, item] of v.entries()) {
          const ip = shapeProblem(p.item.properties, item, `${name}[${i}].`);
          if (ip !== undefined) return ip;
        }
        break;
      }
      case 'object':
        problem = shapeProblem(p.shape.properties, v, `${name}.`);
        if (problem !== undefined) return problem;
        break;
    }
    if (problem !== undefined) return `${name} ${problem}`;
  }
  return undefined;
}

/** The first problem the ODS would refuse this document for, naming the field; undefined when it is well formed. */
export function documentProblem(resource: ResourceModel, doc: Doc): string | undefined {
  const core = shapeProblem(resource.properties, doc, '');
  if (core !== undefined) return core;
  const ext = at(doc, ['_ext', 'TX']);
  return resource.extension !== undefined && ext !== undefined ? shapeProblem(resource.extension.properties, ext, '_ext.TX.') : undefined;
}
