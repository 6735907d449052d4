/**
 * Relationship-based authorization, as a publisher meets it (reference/edfi-api-facts.md §5): a
 * person (student, staff, contact) is "claimed" by the district only once an association that
 * establishes the relationship is in the ODS — a student by a School Enrollment (or a
 * responsibility association), staff by an employment or assignment association, a contact by the
 * student–contact association. Until then, updating the person, or sending anything about them,
 * is refused with 403.
 *
 * A record refused so waits on its person, not on a whole resource: its blocker is
 * `relationship|<kind>|<uniqueId>`, and the association that establishes the relationship wakes
 * exactly the records waiting on that person when it publishes.
 */
import type { ResourceModel } from './model/types.js';

export type PersonKind = 'student' | 'staff' | 'contact';

/** Where a person's unique id sits in a document: on the person resource itself, or in a reference to them. */
const PERSON_FIELDS: ReadonlyArray<{ kind: PersonKind; ids: readonly string[]; refs: readonly string[] }> = [
  { kind: 'student', ids: ['studentUniqueId'], refs: ['studentReference'] },
  { kind: 'staff', ids: ['staffUniqueId'], refs: ['staffReference'] },
  { kind: 'contact', ids: ['contactUniqueId', 'parentUniqueId'], refs: ['contactReference', 'parentReference'] },
];

/** Which person's relationship each establishing association creates. */
const ESTABLISHES: Readonly<Record<string, PersonKind>> = {
  StudentSchoolAssociation: 'student',
  StudentEducationOrganizationResponsibilityAssociation: 'student',
  StaffEducationOrganizationEmploymentAssociation: 'staff',
  StaffEducationOrganizationAssignmentAssociation: 'staff',
  StudentParentAssociation: 'contact',
  StudentContactAssociation: 'contact',
};

/** The blocker a record waits on when the ODS refuses it for want of a relationship with this person. */
export function relationshipBlocker(kind: PersonKind, uniqueId: string): string {
  // The ODS compares unique ids ignoring case.
  return `relationship|${kind}|${uniqueId.toLowerCase()}`;
}

function idIn(doc: Record<string, unknown>, fields: readonly string[]): string | undefined {
  for (const f of fields) {
    const v = doc[f];
    if (typeof v === 'string' && v !== '') return v;
  }
  return undefined;
}

/**
 * The person a document is about, as the ODS's relationship check sees it: a person resource's own
 * id, else the first person it refers to (a student before staff before a contact, as the ODS
 * authorizes a student–contact association through its student).
 */
export function personOf(doc: Record<string, unknown>): { kind: PersonKind; uniqueId: string } | undefined {
  for (const p of PERSON_FIELDS) {
    const own = idIn(doc, p.ids);
    if (own !== undefined) return { kind: p.kind, uniqueId: own };
  }
  for (const p of PERSON_FIELDS) {
    for (const ref of p.refs) {
      const r = doc[ref];
      if (typeof r !== 'object' || r === null) continue;
      const id = idIn(r as Record<string, unknown>, p.ids);
      if (id !== undefined) return { kind: p.kind, uniqueId: id };
    }
  }
  return undefined;
}

/** The blocker of a document refused for want of a relationship, or undefined when it names no person. */
export function refusedFor(doc: Record<string, unknown>): string | undefined {
  const person = personOf(doc);
  return person === undefined ? undefined : relationshipBlocker(person.kind, person.uniqueId);
}

/** The blockers a published record releases by establishing a relationship (none for most resources). */
export function relationshipsEstablished(resource: ResourceModel, doc: Record<string, unknown>): string[] {
  const kind = ESTABLISHES[resource.entity];
  if (kind === undefined) return [];
  const ids = PERSON_FIELDS.find((p) => p.kind === kind)!;
  for (const ref of ids.refs) {
    const r = doc[ref];
    if (typeof r !== 'object' || r === null) continue;
    const id = idIn(r as Record<string, unknown>, ids.ids);
    if (id !== undefined) return [relationshipBlocker(kind, id)];
  }
  return [];
}

/** Whether publishing this resource can establish a relationship (its records' JSON is then read to wake who waits). */
export function establishesRelationships(resource: ResourceModel): boolean {
  return ESTABLISHES[resource.entity] !== undefined;
}

/** The kind of person whose relationship this resource establishes, if any. */
export function claimedBy(resource: ResourceModel): PersonKind | undefined {
  return ESTABLISHES[resource.entity];
}

/**
 * The people a resource's records are about by reference (a student's demographics, a section
 * roster), whom the ODS must already have claimed: such a resource publishes after the ones that
 * claim them — the order of the ODS's own dependency endpoint (students Create, their School
 * Enrollment, then everything else about them).
 */
export function needsRelationshipWith(resource: ResourceModel): PersonKind[] {
  const names = new Set(resource.properties.map((p) => p.name));
  return PERSON_FIELDS.filter((p) => p.refs.some((r) => names.has(r))).map((p) => p.kind);
}
