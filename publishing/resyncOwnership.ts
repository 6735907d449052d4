/**
 * Which ODS records a resync may delete as strays (records the catalog does not know): only the
 * district's own, never another district's in a shared ODS. A record is the district's when an
 * education-organization id it carries is the LEA's or one of its schools'. Person resources
 * (students, staff, contacts) carry none — a student belongs to a district through enrollments —
 * so their mappers declare `none`: resync deletes only the records the catalog knows there.
 */

/** How a resource's records are known to be the district's: by the education-organization ids they carry, or not at all. */
export type StrayOwnership = 'education-organization' | 'none';

const ED_ORG_ID_FIELDS: ReadonlySet<string> = new Set(['schoolId', 'localEducationAgencyId', 'educationOrganizationId']);

/** Every education-organization id in a document, at any depth (references included), as text. */
export function educationOrganizationIdsIn(doc: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) for (const x of v) walk(x);
    else if (typeof v === 'object' && v !== null)
      for (const [k, x] of Object.entries(v)) {
        if (ED_ORG_ID_FIELDS.has(k) && (typeof x === 'number' || typeof x === 'string')) out.push(String(x));
        else walk(x);
      }
  };
  walk(doc);
  return out;
}

/** A record the catalog does not know is the district's stray (resync deletes it) only when the resource can tell and one of its ids is the district's. */
export function isDistrictStray(doc: unknown, districtIds: ReadonlySet<string>, ownership: StrayOwnership): boolean {
  if (ownership === 'none') return false;
  return educationOrganizationIdsIn(doc).some((id) => districtIds.has(id));
}
