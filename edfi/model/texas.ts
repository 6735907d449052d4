/**
 * The Texas TEDS extension, per TEDS version, parsed from our compiled API-surface files
 * (texas/surface-*.ts, verbatim copies of shared/reference/texas/*.txt; facts in texas-extension.md).
 *
 * File format (one property per line, indented two spaces, four more per nesting level):
 *   /tx/<name>   (<Entity>)                    a TX resource
 *   /ed-fi/<name>  _ext.TX:                     `_ext.TX` on a core resource
 *   /ed-fi/<name>  <collection>[]._ext.TX:      `_ext.TX` on the items of a core collection
 *   <name> [K|R|o] <type> [TEDS element/code table ids]     K identity, R required, o optional
 *   <name>: array|object [(min 1)]  <- <Entity>             a collection / embedded object, children indented
 * Types: string(n), integer [lo..hi], number(p,s) [lo..hi], date, datetime, boolean,
 * descriptor edfi:<X>Descriptor | tx:<X>Descriptor, ref edfi.<Entity> {fields} | ref tx.<Entity> {fields}.
 */
import { EDORG, bool, camel, date, datetime, dec, descriptor, int, pathOf, plural, str, type PropDef, type ResourceDef, type ShapeDef } from './dsl.js';
import type { ScalarType, TedsVersion } from './types.js';
import surface2024 from './texas/surface-2024.2.1.js';
import surface2025 from './texas/surface-2025.2.1.js';
import surface2026 from './texas/surface-2026.2.1.js';

export const TEDS_SURFACE_TEXT: Readonly<Record<TedsVersion, string>> = {
  '2024.2.1': surface2024,
  '2025.2.1': surface2025,
  '2026.2.1': surface2026,
};

/** `_ext.TX` for a core resource (or for the items of one of its collections). */
export interface TedsExtension {
  /** Core resource path, e.g. `ed-fi/calendarDates`. */
  readonly resource: string;
  /** Top-level collection whose items carry the extension, e.g. `diplomas`. */
  readonly collection?: string;
  readonly shape: ShapeDef;
}

export interface TedsSurface {
  /** `tx/…` resources, the TX descriptors included. */
  readonly resources: readonly ResourceDef[];
  readonly extensions: readonly TedsExtension[];
}

const RANGE = /^(-?\d+(?:\.\d+)?)?\.\.(-?\d+(?:\.\d+)?)?$/;

function range(token: string | undefined): { min?: number; max?: number } {
  const m = token === undefined ? null : RANGE.exec(token);
  if (!m) return {};
  return { ...(m[1] === undefined ? {} : { min: Number(m[1]) }), ...(m[2] === undefined ? {} : { max: Number(m[2]) }) };
}

function targetOf(schema: string, entity: string): string {
  if (schema === 'edfi' && entity === 'EducationOrganization') return EDORG;
  return `${schema === 'edfi' ? 'ed-fi' : 'tx'}/${plural(camel(entity))}`;
}

function descriptorPath(schema: string, base: string): string {
  return `${schema === 'edfi' ? 'ed-fi' : 'tx'}/${camel(base)}Descriptors`;
}

function scalarOf(tokens: readonly string[], line: string): ScalarType {
  const [type = '', rangeToken] = tokens;
  const { min, max } = range(rangeToken);
  const strMatch = /^string\((\d+)\)$/.exec(type);
  if (strMatch) return str(Number(strMatch[1]));
  const numMatch = /^number\((\d+),(\d+)\)$/.exec(type);
  if (numMatch) return dec(Number(numMatch[1]), Number(numMatch[2]), min, max);
  switch (type) {
    case 'integer':
      return int(min, max);
    case 'date':
      return date;
    case 'datetime':
      return datetime;
    case 'boolean':
      return bool;
  }
  throw new Error(`TEDS surface: unknown type in "${line}"`);
}

/** One property line → its definition; TX descriptor entity names are collected into `txDescriptors`. */
function propertyOf(name: string, flag: string, rest: string, line: string, txDescriptors: Map<string, string>): PropDef {
  const base = { name, identity: flag === 'K', required: flag !== 'o' };
  const tokens = rest.split(/\s+/);
  if (tokens[0] === 'descriptor') {
    const m = /^(edfi|tx):(\w+)Descriptor$/.exec(tokens[1] ?? '');
    if (!m?.[1] || !m[2]) throw new Error(`TEDS surface: bad descriptor in "${line}"`);
    const path = descriptorPath(m[1], m[2]);
    if (m[1] === 'tx') txDescriptors.set(path, `${m[2]}Descriptor`);
    return { kind: 'descriptor', ...base, descriptor: path };
  }
  if (tokens[0] === 'ref') {
    const m = /^ref (edfi|tx)\.(\w+) \{([^}]*)\}/.exec(rest);
    if (!m?.[1] || !m[2] || m[3] === undefined) throw new Error(`TEDS surface: bad reference in "${line}"`);
    return { kind: 'reference', ...base, target: targetOf(m[1], m[2]), declaredFields: m[3].split(',').map((f) => f.trim()) };
  }
  return { kind: 'scalar', ...base, type: scalarOf(tokens, line) };
}

interface Frame {
  readonly indent: number;
  readonly props: PropDef[];
}

/** Parses one API-surface file. Deterministic: output order follows the file. */
export function parseTedsSurface(text: string): TedsSurface {
  const resources: ResourceDef[] = [];
  const extensions: TedsExtension[] = [];
  const txDescriptors = new Map<string, string>();
  let stack: Frame[] = [];

  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (line === '' || line.startsWith('#')) continue;
    const indent = line.length - line.trimStart().length;
    const body = line.trim();

    if (indent === 0) {
      const root = /^\/tx\/(\w+)\s+\((\w+)\)$/.exec(body);
      const ext = /^\/ed-fi\/(\w+)\s+(?:(\w+)\[\]\.)?_ext\.TX:/.exec(body);
      const props: PropDef[] = [];
      if (root?.[1] && root[2]) {
        resources.push({
          project: 'tx',
          name: root[1],
          entity: root[2],
          isDescriptor: false,
          properties: props,
          mustMatch: [],
          allowsIdentityUpdate: false,
        });
      } else if (ext?.[1]) {
        extensions.push({ resource: `ed-fi/${ext[1]}`, ...(ext[2] ? { collection: ext[2] } : {}), shape: { properties: props } });
      } else {
        throw new Error(`TEDS surface: unexpected line "${line}"`);
      }
      stack = [{ indent: 2, props }];
      continue;
    }

    while (stack.length > 1 && indent < (stack[stack.length - 1]?.indent ?? 0)) stack.pop();
    const frame = stack[stack.length - 1];
    if (!frame || indent !== frame.indent) throw new Error(`TEDS surface: bad indent in "${line}"`);

    const nested = /^(\w+): (array|object)( \(min 1\))?\s+<-/.exec(body);
    if (nested?.[1] && nested[2]) {
      const props: PropDef[] = [];
      const base = { name: nested[1], identity: false, required: nested[3] !== undefined };
      frame.props.push(
        nested[2] === 'array' ? { kind: 'collection', ...base, item: { properties: props } } : { kind: 'object', ...base, shape: { properties: props } },
      );
      stack.push({ indent: indent + 4, props });
      continue;
    }
    const prop = /^(\w+) \[([KRo])\] (.+)$/.exec(body);
    if (!prop?.[1] || !prop[2] || !prop[3]) throw new Error(`TEDS surface: unexpected line "${line}"`);
    frame.props.push(propertyOf(prop[1], prop[2], prop[3], line, txDescriptors));
  }

  const descriptors = [...txDescriptors.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([path, entity]) => descriptor('tx', path.slice('tx/'.length), entity));
  return { resources: [...resources, ...descriptors], extensions };
}

const parsed = new Map<TedsVersion, TedsSurface>();

export function tedsSurface(version: TedsVersion): TedsSurface {
  let surface = parsed.get(version);
  if (!surface) {
    surface = parseTedsSurface(TEDS_SURFACE_TEXT[version]);
    parsed.set(version, surface);
  }
  return surface;
}

/**
 * Adds the TX resources and attaches `_ext.TX` shapes to the core definitions. TEDS extends DS 4.0;
 * on DS 5.x the core renames are followed (parents → contacts). Extensions of core resources this
 * model does not have (assessments, studentProgramAttendanceEvents) are returned as `skipped`.
 */
export function applyTeds(defs: readonly ResourceDef[], surface: TedsSurface): { defs: ResourceDef[]; skipped: string[] } {
  const present = new Set(defs.map(pathOf));
  const renamed = (path: string): string => (path === 'ed-fi/parents' && !present.has(path) ? 'ed-fi/contacts' : path);
  const byResource = new Map<string, TedsExtension[]>();
  const skipped: string[] = [];
  for (const ext of surface.extensions) {
    const path = renamed(ext.resource);
    if (!present.has(path)) {
      skipped.push(ext.collection ? `${ext.resource}.${ext.collection}[]` : ext.resource);
      continue;
    }
    byResource.set(path, [...(byResource.get(path) ?? []), ext]);
  }
  const out = defs.map((def) => {
    const exts = byResource.get(pathOf(def));
    if (!exts) return def;
    let next = def;
    for (const ext of exts) {
      if (!ext.collection) {
        next = { ...next, extension: ext.shape };
        continue;
      }
      const name = ext.collection;
      if (!next.properties.some((p) => p.name === name && p.kind === 'collection')) {
        skipped.push(`${ext.resource}.${name}[]`);
        continue;
      }
      next = {
        ...next,
        properties: next.properties.map((p) => (p.name === name && p.kind === 'collection' ? { ...p, item: { ...p.item, extension: ext.shape } } : p)),
      };
    }
    return next;
  });
  return { defs: [...out, ...surface.resources], skipped };
}
