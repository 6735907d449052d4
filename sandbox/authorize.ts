/**
 * The authorization strategies a claim domain names (edfi-api-facts.md §4g, §5, §6): relationships
 * with ed-orgs (LEA → its schools) and people (students through enrollment, staff through
 * employment/assignment, contacts through a student), and namespace prefixes for descriptors.
 */
import type { DataStandard, ResourceModel } from '../edfi/model/types.js';
import type { Strategy } from './claims.js';
import type { ApiError } from './errors.js';
import { EDORG_ID_FIELDS, pascal, PERSON_FIELDS } from './names.js';
import type { Relations } from './relations.js';
import type { Doc } from './validate.js';

/** Who is calling: from the bearer token. */
export interface Caller {
  readonly key: string;
  readonly claimSet: string;
  /** The ed-orgs named in the client's claims (the token's scope narrows them to one). */
  readonly edOrgIds: readonly number[];
  readonly claims: ReadonlySet<number>;
  readonly namespacePrefixes: readonly string[];
}

interface Subject {
  /** As the ODS names it in messages: `SchoolId`, `StudentUniqueId`. */
  readonly property: string;
  readonly kind: 'edorg' | 'student' | 'staff' | 'contact';
  readonly path: readonly string[];
}

const subjectsCache = new WeakMap<ResourceModel, Subject[]>();

/** The properties of a resource that relationship authorization looks at. */
function subjectsOf(r: ResourceModel): Subject[] {
  const cached = subjectsCache.get(r);
  if (cached !== undefined) return cached;
  const out: Subject[] = [];
  const add = (name: string, path: readonly string[]) => {
    const kind = EDORG_ID_FIELDS.has(name) ? 'edorg' : PERSON_FIELDS[name];
    if (kind !== undefined) out.push({ property: pascal(name), kind, path });
  };
  for (const p of r.properties) {
    if (p.kind === 'scalar') add(p.name, [p.name]);
    else if (p.kind === 'reference') for (const f of p.fields) add(f.name, [p.name, f.name]);
  }
  subjectsCache.set(r, out);
  return out;
}

function at(doc: Doc, path: readonly string[]): unknown {
  const first = doc[path[0]];
  if (path.length === 1) return first;
  return typeof first === 'object' && first !== null ? (first as Doc)[path[1]] : undefined;
}

function covers(strategy: Strategy, kind: Subject['kind']): boolean {
  switch (strategy) {
    case 'RelationshipsWithEdOrgsOnly':
      return kind === 'edorg';
    case 'RelationshipsWithEdOrgsAndPeople':
      return true;
    case 'RelationshipsWithStudentsOnly':
      return kind === 'student';
    default:
      return false;
  }
}

/** The properties whose values the caller has no relationship with (empty: authorized). */
function unrelated(caller: Caller, r: ResourceModel, doc: Doc, strategy: Strategy, relations: Relations, firstOnly: boolean): Subject[] {
  const failed: Subject[] = [];
  for (const s of subjectsOf(r)) {
    if (!covers(strategy, s.kind)) continue;
    const v = at(doc, s.path);
    if (v === undefined) continue;
    const ok = s.kind === 'edorg' ? typeof v === 'number' && relations.edOrgAuthorized(caller.claims, v) : relations.personReachable(s.kind, caller.claims, v);
    if (!ok && !failed.some((f) => f.property === s.property)) {
      failed.push(s);
      if (firstOnly) break;
    }
  }
  return failed;
}

function hintFor(kind: Subject['kind'], dataStandard: DataStandard): string | undefined {
  switch (kind) {
    case 'student':
      return "You may need to create a corresponding 'StudentSchoolAssociation' item.";
    case 'staff':
      return "You may need to create corresponding 'StaffEducationOrganizationEmploymentAssociation' or 'StaffEducationOrganizationAssignmentAssociation' items.";
    case 'contact':
      return `You may need to create corresponding 'StudentSchoolAssociation' and '${dataStandard === '4.0' ? 'StudentParentAssociation' : 'StudentContactAssociation'}' items.`;
    default:
      return undefined;
  }
}

function namespaceAllowed(caller: Caller, ns: unknown): boolean {
  if (typeof ns !== 'string') return true;
  const lower = ns.toLowerCase();
  return caller.namespacePrefixes.some((p) => lower.startsWith(p.toLowerCase()));
}

/** Apply a strategy to a document; `existing` is the stored one for updates and deletes (checked first). */
export function authorize(
  caller: Caller,
  r: ResourceModel,
  doc: Doc,
  strategy: Strategy,
  relations: Relations,
  dataStandard: DataStandard,
  existing?: Doc,
): ApiError | undefined {
  if (strategy === 'NoFurtherAuthorizationRequired') return undefined;
  if (strategy === 'NamespaceBased') {
    if (existing !== undefined && !namespaceAllowed(caller, existing.namespace))
      return { kind: 'namespace', prefixes: caller.namespacePrefixes, existing: true };
    if (!namespaceAllowed(caller, doc.namespace)) return { kind: 'namespace', prefixes: caller.namespacePrefixes, existing: false };
    return undefined;
  }
  const failed = unrelated(caller, r, doc, strategy, relations, false);
  if (failed.length === 0) return undefined;
  const person = failed.find((f) => f.kind !== 'edorg');
  const hint = person !== undefined ? hintFor(person.kind, dataStandard) : undefined;
  return { kind: 'relationship', edOrgIds: caller.edOrgIds, properties: failed.map((f) => f.property), ...(hint !== undefined ? { hint } : {}) };
}

/** The same decision for list reads: unauthorized items are silently left out. */
export function visible(caller: Caller, r: ResourceModel, doc: Doc, strategy: Strategy, relations: Relations): boolean {
  if (strategy === 'NoFurtherAuthorizationRequired') return true;
  if (strategy === 'NamespaceBased') return namespaceAllowed(caller, doc.namespace);
  return unrelated(caller, r, doc, strategy, relations, true).length === 0;
}

/** Whether a tracked delete may be shown: its key values against today's relationships, or for people where they were reachable then. */
export function deleteVisible(
  caller: Caller,
  r: ResourceModel,
  keyValues: Doc,
  reach: readonly number[] | undefined,
  strategy: Strategy,
  relations: Relations,
): boolean {
  if (strategy === 'NoFurtherAuthorizationRequired') return true;
  if (strategy === 'NamespaceBased') return namespaceAllowed(caller, keyValues.namespace);
  if (r.person !== undefined) return (reach ?? []).some((e) => relations.edOrgAuthorized(caller.claims, e));
  for (const [name, v] of Object.entries(keyValues)) {
    const kind = EDORG_ID_FIELDS.has(name) ? 'edorg' : PERSON_FIELDS[name];
    if (kind === undefined || !covers(strategy, kind)) continue;
    const ok = kind === 'edorg' ? typeof v === 'number' && relations.edOrgAuthorized(caller.claims, v) : relations.personReachable(kind, caller.claims, v);
    if (!ok) return false;
  }
  return true;
}
