/**
 * What relationship-based authorization needs, kept current on every write (like the ODS's auth
 * views): the ed-org hierarchy (LEA → its schools), which ed-orgs each student is enrolled in
 * (StudentSchoolAssociation, responsibility associations), which each staff member works for
 * (employment and assignment associations), and which students each contact/parent belongs to.
 * Person ids are kept lower-case: the ODS compares them case-insensitively.
 */
import type { ResourceModel } from '../edfi/model/types.js';
import { EDORG_ENTITIES, EDORG_PARENT_FIELDS } from './names.js';
import type { Doc } from './validate.js';

type Role =
  | { readonly kind: 'edorg' }
  | { readonly kind: 'student-edorg'; readonly edOrg: readonly [string, string] }
  | { readonly kind: 'staff-edorg' }
  | { readonly kind: 'contact-student'; readonly contact: readonly [string, string] };

function roleOf(r: ResourceModel): Role | undefined {
  if (EDORG_ENTITIES.has(r.entity)) return { kind: 'edorg' };
  switch (r.entity) {
    case 'StudentSchoolAssociation':
      return { kind: 'student-edorg', edOrg: ['schoolReference', 'schoolId'] };
    case 'StudentEducationOrganizationResponsibilityAssociation':
      return { kind: 'student-edorg', edOrg: ['educationOrganizationReference', 'educationOrganizationId'] };
    case 'StaffEducationOrganizationEmploymentAssociation':
    case 'StaffEducationOrganizationAssignmentAssociation':
      return { kind: 'staff-edorg' };
    case 'StudentParentAssociation':
      return { kind: 'contact-student', contact: ['parentReference', 'parentUniqueId'] };
    case 'StudentContactAssociation':
      return { kind: 'contact-student', contact: ['contactReference', 'contactUniqueId'] };
    default:
      return undefined;
  }
}

function at(doc: Doc, a: string, b: string): unknown {
  const ref = doc[a];
  return typeof ref === 'object' && ref !== null ? (ref as Doc)[b] : undefined;
}

/**
 * Key → values, where almost every key has one value (a student enrolled in one school): a lone
 * value is stored as itself, an array only from the second on — tens of bytes saved per person.
 */
export class MultiMap<V extends string | number> {
  private readonly map = new Map<string, V | V[]>();

  add(key: string, value: V): void {
    const cur = this.map.get(key);
    if (cur === undefined) this.map.set(key, value);
    else if (Array.isArray(cur)) cur.push(value);
    else this.map.set(key, [cur, value]);
  }

  /** Adds a value once (updates detach and re-attach the same association). */
  remember(key: string, value: V): void {
    if (!this.get(key).includes(value)) this.add(key, value);
  }

  remove(key: string, value: V): void {
    const cur = this.map.get(key);
    if (cur === undefined) return;
    if (!Array.isArray(cur)) {
      if (cur === value) this.map.delete(key);
      return;
    }
    const i = cur.indexOf(value);
    if (i >= 0) cur.splice(i, 1);
    if (cur.length === 1) this.map.set(key, cur[0]);
  }

  get(key: string): readonly V[] {
    const cur = this.map.get(key);
    return cur === undefined ? [] : Array.isArray(cur) ? cur : [cur];
  }
}

const lower = (v: unknown): string => String(v).toLowerCase();

export class Relations {
  /** Every existing ed-org → the ed-orgs above it. */
  readonly edOrgParents = new Map<number, number[]>();
  readonly studentEdOrgs = new MultiMap<number>();
  readonly staffEdOrgs = new MultiMap<number>();
  readonly contactStudents = new MultiMap<string>();
  /** Associations since deleted: tracked deletes of people stay visible through them (the ODS's "including deletes" auth views). */
  private readonly formerStudentEdOrgs = new MultiMap<number>();
  private readonly formerStaffEdOrgs = new MultiMap<number>();
  private readonly formerContactStudents = new MultiMap<string>();
  private readonly roles = new Map<string, Role | undefined>();

  private role(r: ResourceModel): Role | undefined {
    if (!this.roles.has(r.path)) this.roles.set(r.path, roleOf(r));
    return this.roles.get(r.path);
  }

  /** Whether a write to this resource can change who is reachable (callers skip the rest). */
  matters(r: ResourceModel): boolean {
    return this.role(r) !== undefined;
  }

  add(r: ResourceModel, doc: Doc): void {
    this.apply(r, doc, true);
  }

  /** `history`: the association is really gone (not just being rewritten), so remember it for /deletes. */
  remove(r: ResourceModel, doc: Doc, history = true): void {
    this.apply(r, doc, false, history);
  }

  private apply(r: ResourceModel, doc: Doc, adding: boolean, history = false): void {
    const role = this.role(r);
    if (role === undefined) return;
    switch (role.kind) {
      case 'edorg': {
        const id = doc[r.identity[0]?.[0] ?? ''];
        if (typeof id !== 'number') return;
        if (!adding) {
          this.edOrgParents.delete(id);
          return;
        }
        const parents: number[] = [];
        for (const p of r.properties) {
          if (p.kind !== 'reference' || p.identity) continue;
          for (const f of p.fields) {
            const v = at(doc, p.name, f.name);
            if (EDORG_PARENT_FIELDS.has(f.name) && typeof v === 'number' && v !== id) parents.push(v);
          }
        }
        this.edOrgParents.set(id, parents);
        return;
      }
      case 'student-edorg': {
        const student = at(doc, 'studentReference', 'studentUniqueId');
        const edOrg = at(doc, role.edOrg[0], role.edOrg[1]);
        if (student === undefined || typeof edOrg !== 'number') return;
        if (adding) this.studentEdOrgs.add(lower(student), edOrg);
        else {
          this.studentEdOrgs.remove(lower(student), edOrg);
          if (history) this.formerStudentEdOrgs.remember(lower(student), edOrg);
        }
        return;
      }
      case 'staff-edorg': {
        const staff = at(doc, 'staffReference', 'staffUniqueId');
        const edOrg = at(doc, 'educationOrganizationReference', 'educationOrganizationId');
        if (staff === undefined || typeof edOrg !== 'number') return;
        if (adding) this.staffEdOrgs.add(lower(staff), edOrg);
        else {
          this.staffEdOrgs.remove(lower(staff), edOrg);
          if (history) this.formerStaffEdOrgs.remember(lower(staff), edOrg);
        }
        return;
      }
      case 'contact-student': {
        const contact = at(doc, role.contact[0], role.contact[1]);
        const student = at(doc, 'studentReference', 'studentUniqueId');
        if (contact === undefined || student === undefined) return;
        if (adding) this.contactStudents.add(lower(contact), lower(student));
        else {
          this.contactStudents.remove(lower(contact), lower(student));
          if (history) this.formerContactStudents.remember(lower(contact), lower(student));
        }
        return;
      }
    }
  }

  /** An ed-org the client may act for: one of its own, or below one (LEA → schools). It must exist. */
  edOrgAuthorized(claims: ReadonlySet<number>, id: number, depth = 0): boolean {
    const parents = this.edOrgParents.get(id);
    if (parents === undefined) return false;
    if (claims.has(id)) return true;
    if (depth > 6) return false;
    for (const p of parents) if (this.edOrgAuthorized(claims, p, depth + 1)) return true;
    return false;
  }

  personReachable(kind: 'student' | 'staff' | 'contact', claims: ReadonlySet<number>, uniqueId: unknown): boolean {
    const key = lower(uniqueId);
    if (kind === 'contact') {
      for (const s of this.contactStudents.get(key)) if (this.personReachable('student', claims, s)) return true;
      return false;
    }
    for (const e of (kind === 'student' ? this.studentEdOrgs : this.staffEdOrgs).get(key)) if (this.edOrgAuthorized(claims, e)) return true;
    return false;
  }

  /** The ed-orgs a person is or was reachable through (kept with a tracked delete, to filter /deletes later). */
  reachOf(kind: 'student' | 'staff' | 'contact', uniqueId: unknown): number[] {
    const key = lower(uniqueId);
    const both = <V extends string | number>(now: MultiMap<V>, before: MultiMap<V>, k: string): V[] => [...now.get(k), ...before.get(k)];
    if (kind === 'contact')
      return [...new Set(both(this.contactStudents, this.formerContactStudents, key).flatMap((s) => both(this.studentEdOrgs, this.formerStudentEdOrgs, s)))];
    return [...new Set(kind === 'student' ? both(this.studentEdOrgs, this.formerStudentEdOrgs, key) : both(this.staffEdOrgs, this.formerStaffEdOrgs, key))];
  }
}
