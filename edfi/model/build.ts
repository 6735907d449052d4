/**
 * Turns definitions into the model: derives every identity and every reference's fields from the
 * targets' identities, then the publish order and the ODS dependencies document from the references.
 */
import { EDORG, camel, pascal, pathOf, type PropDef, type ReferenceDef, type ResourceDef, type ShapeDef } from './dsl.js';
import type { DependencyEntry, EdfiModel, ModelOptions, ObjectShape, Property, ReferenceField, ResourceModel, ScalarType } from './types.js';

/** Concrete targets of an abstract educationOrganizationReference, when modelled. */
const EDORG_RESOURCES = ['ed-fi/educationServiceCenters', 'ed-fi/localEducationAgencies', 'ed-fi/schools', 'ed-fi/stateEducationAgencies'];
const EDORG_ID: ScalarType = { kind: 'integer' };

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

type Path = readonly string[];

class Resolver {
  private readonly defs = new Map<string, ResourceDef>();
  private readonly identities = new Map<string, Path[]>();
  private readonly fields = new Map<string, ReferenceField[]>();
  private readonly resolving = new Set<string>();
  readonly edOrgs: string[];

  constructor(defs: readonly ResourceDef[]) {
    for (const def of defs) {
      const path = pathOf(def);
      if (this.defs.has(path)) throw new Error(`Ed-Fi model: ${path} defined twice`);
      this.defs.set(path, def);
    }
    this.edOrgs = EDORG_RESOURCES.filter((p) => this.defs.has(p));
  }

  def(path: string): ResourceDef {
    const def = this.defs.get(path);
    if (!def) throw new Error(`Ed-Fi model: reference to ${path}, which is not modelled`);
    return def;
  }

  targets(ref: ReferenceDef): string[] {
    if (ref.target === EDORG) return this.edOrgs;
    this.def(ref.target); // fails on a target that is not modelled
    return [ref.target];
  }

  /**
   * The natural key: identifying scalars and descriptors by name, then identifying references by
   * name with their fields by name — the order the reference doc lists them. Descriptors keep the
   * ODS's namespace, codeValue.
   */
  identity(path: string): Path[] {
    const cached = this.identities.get(path);
    if (cached) return cached;
    if (this.resolving.has(path)) throw new Error(`Ed-Fi model: identity cycle through ${path}`);
    this.resolving.add(path);
    const def = this.def(path);
    const keys = def.properties.filter((p) => p.identity);
    const result: Path[] = def.isDescriptor
      ? [['namespace'], ['codeValue']]
      : [
          ...keys
            .filter((p) => p.kind === 'scalar' || p.kind === 'descriptor')
            .map((p) => p.name)
            .sort(byName)
            .map((n) => [n]),
          ...keys
            .filter((p): p is ReferenceDef => p.kind === 'reference')
            .sort((a, b) => byName(a.name, b.name))
            .flatMap((ref) => this.fieldsOf(ref.target).map((f) => [ref.name, f.name])),
        ];
    this.resolving.delete(path);
    this.identities.set(path, result);
    return result;
  }

  /** Role prefix of a reference (`graduationSchoolYearTypeReference` to SchoolYearType → `graduation`). */
  private role(ref: ReferenceDef): string {
    const entity = ref.target === EDORG ? 'EducationOrganization' : this.def(ref.target).entity;
    const base = ref.name.slice(0, -'Reference'.length);
    if (base === camel(entity) || !base.endsWith(entity)) return '';
    return base.slice(0, -entity.length);
  }

  /**
   * Fields of any reference to `target`: its identity flattened, each under the target's own column
   * name — a role-named reference inside the target's key keeps its role (`graduationSchoolYear`).
   * Values shared by two key references (key unification) appear once.
   */
  fieldsOf(target: string): ReferenceField[] {
    const cached = this.fields.get(target);
    if (cached) return cached;
    let result: ReferenceField[];
    if (target === EDORG) {
      result = [
        {
          name: 'educationOrganizationId',
          targetPath: ['educationOrganizationId'],
          targetPaths: Object.fromEntries(this.edOrgs.map((p) => [p, this.identity(p)[0] ?? []])),
          type: EDORG_ID,
        },
      ];
    } else {
      const def = this.def(target);
      const seen = new Set<string>();
      result = [];
      for (const tPath of this.identity(target)) {
        const field = this.fieldAt(def, tPath);
        if (seen.has(field.name)) continue;
        seen.add(field.name);
        result.push(field);
      }
      result.sort((a, b) => byName(a.name, b.name));
    }
    this.fields.set(target, result);
    return result;
  }

  private fieldAt(def: ResourceDef, tPath: Path): ReferenceField {
    const [head = '', inner] = tPath;
    if (def.isDescriptor) return { name: head, targetPath: tPath, type: { kind: 'string', maxLength: head === 'namespace' ? 255 : 50 } };
    const prop = def.properties.find((p) => p.name === head);
    if (!prop) throw new Error(`Ed-Fi model: ${pathOf(def)} identity names unknown ${head}`);
    if (prop.kind === 'scalar') return { name: head, targetPath: tPath, type: prop.type };
    if (prop.kind === 'descriptor') return { name: head, targetPath: tPath, type: { kind: 'descriptor', descriptor: prop.descriptor } };
    if (prop.kind !== 'reference' || inner === undefined) throw new Error(`Ed-Fi model: ${pathOf(def)} cannot key on ${head}`);
    const innerField = this.fieldsOf(prop.target).find((f) => f.name === inner);
    if (!innerField) throw new Error(`Ed-Fi model: ${pathOf(def)}.${head} has no field ${inner}`);
    const role = this.role(prop);
    return { name: role ? role + pascal(inner) : inner, targetPath: tPath, type: innerField.type };
  }

  property(p: PropDef): Property {
    switch (p.kind) {
      case 'scalar':
      case 'descriptor':
        return p;
      case 'reference':
        return {
          kind: 'reference',
          name: p.name,
          identity: p.identity,
          required: p.required,
          targets: this.targets(p),
          fields: this.fieldsOf(p.target),
        };
      case 'collection':
        return { kind: 'collection', name: p.name, identity: p.identity, required: p.required, item: this.shape(p.item) };
      case 'object':
        return { kind: 'object', name: p.name, identity: p.identity, required: p.required, shape: this.shape(p.shape) };
    }
  }

  shape(s: ShapeDef): ObjectShape {
    return {
      properties: s.properties.map((p) => this.property(p)),
      ...(s.extension ? { extension: this.shape(s.extension) } : {}),
    };
  }

  resource(path: string): ResourceModel {
    const def = this.def(path);
    return {
      project: def.project,
      name: def.name,
      path,
      entity: def.entity,
      isDescriptor: def.isDescriptor,
      properties: def.properties.map((p) => this.property(p)),
      identity: this.identity(path),
      mustMatch: def.mustMatch,
      allowsIdentityUpdate: def.allowsIdentityUpdate,
      ...(def.extension ? { extension: this.shape(def.extension) } : {}),
      ...(def.person ? { person: def.person } : {}),
    };
  }

  paths(): string[] {
    return [...this.defs.keys()];
  }
}

/** Every resource a resource's documents point at: reference targets and descriptors, at any depth. */
export function referencedResources(r: ResourceModel): Set<string> {
  const out = new Set<string>();
  const walk = (shape: ObjectShape): void => {
    for (const p of shape.properties) {
      if (p.kind === 'descriptor') out.add(p.descriptor);
      else if (p.kind === 'reference') {
        for (const t of p.targets) out.add(t);
        for (const f of p.fields) if (f.type.kind === 'descriptor') out.add(f.type.descriptor);
      } else if (p.kind === 'collection') walk(p.item);
      else if (p.kind === 'object') walk(p.shape);
    }
    if (shape.extension) walk(shape.extension);
  };
  walk(r); // a resource is a shape: its own _ext.TX is walked as the shape's extension
  out.delete(r.path); // a parent LEA reference does not order LEAs after themselves
  return out;
}

/** Longest chain of references below each resource (descriptors and schoolYearTypes: 0). */
function levels(resources: ReadonlyMap<string, ResourceModel>): Map<string, number> {
  const level = new Map<string, number>();
  const visiting = new Set<string>();
  const visit = (path: string): number => {
    const known = level.get(path);
    if (known !== undefined) return known;
    if (visiting.has(path)) throw new Error(`Ed-Fi model: reference cycle through ${path}`);
    visiting.add(path);
    const r = resources.get(path);
    let depth = 0;
    if (r) for (const dep of referencedResources(r)) if (resources.has(dep)) depth = Math.max(depth, visit(dep) + 1);
    visiting.delete(path);
    level.set(path, depth);
    return depth;
  };
  for (const path of [...resources.keys()].sort(byName)) visit(path);
  return level;
}

/** Associations that make a person reachable (edfi-api-facts.md section 2): Update goes after them. */
const PERSON_UPDATE_AFTER: Readonly<Record<'student' | 'staff' | 'contact', readonly string[]>> = {
  student: ['ed-fi/studentSchoolAssociations'],
  staff: ['ed-fi/staffEducationOrganizationEmploymentAssociations', 'ed-fi/staffEducationOrganizationAssignmentAssociations'],
  contact: ['ed-fi/studentParentAssociations', 'ed-fi/studentContactAssociations', 'ed-fi/studentSchoolAssociations'],
};

export function buildModel(options: ModelOptions, defs: readonly ResourceDef[]): EdfiModel {
  const resolver = new Resolver(defs);
  const resources = new Map<string, ResourceModel>();
  for (const path of resolver.paths().sort(byName)) resources.set(path, resolver.resource(path));

  const level = levels(resources);
  const rank = (path: string): number => (resources.get(path)?.isDescriptor || path === 'ed-fi/schoolYearTypes' ? 0 : 1);
  const dependencyOrder = [...resources.keys()].sort((a, b) => (level.get(a) ?? 0) - (level.get(b) ?? 0) || rank(a) - rank(b) || byName(a, b));

  // The ODS numbers load groups from 1; people are created early and updated after their association.
  const order = (path: string): number => (level.get(path) ?? 0) + 1;
  const dependencies: DependencyEntry[] = [];
  for (const path of dependencyOrder) {
    const person = resources.get(path)?.person;
    const after = person ? PERSON_UPDATE_AFTER[person].filter((p) => resources.has(p)) : [];
    if (after.length === 0) {
      dependencies.push({ resource: `/${path}`, order: order(path), operations: ['Create', 'Update'] });
      continue;
    }
    dependencies.push({ resource: `/${path}`, order: order(path), operations: ['Create'] });
    dependencies.push({ resource: `/${path}`, order: Math.max(...after.map(order)) + 1, operations: ['Update'] });
  }
  dependencies.sort((a, b) => a.order - b.order || byName(a.resource, b.resource));

  const lower = new Map([...resources].map(([path, r]) => [path.toLowerCase(), r]));
  return {
    options,
    resources,
    resource: (path: string) => lower.get(path.replace(/^\/+|\/+$/g, '').toLowerCase()),
    dependencyOrder,
    dependencies,
  };
}
