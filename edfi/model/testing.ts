/** Helpers shared by the model's tests: walking properties and checking the model's own consistency. */
import { targetPathIn } from './index.js';
import type { EdfiModel, ObjectShape, Property, ReferenceProperty, ResourceModel } from './types.js';

export interface Located<P extends Property = Property> {
  /** Where the property sits, e.g. `sections.classPeriods[].classPeriodReference`. */
  readonly at: string;
  readonly property: P;
}

/** Every property of a resource at any depth, extensions included. */
export function allProperties(r: ResourceModel): Located[] {
  const out: Located[] = [];
  const walk = (shape: ObjectShape, at: string): void => {
    for (const p of shape.properties) {
      out.push({ at: `${at}.${p.name}`, property: p });
      if (p.kind === 'collection') walk(p.item, `${at}.${p.name}[]`);
      if (p.kind === 'object') walk(p.shape, `${at}.${p.name}`);
    }
    if (shape.extension) walk(shape.extension, `${at}._ext.TX`);
  };
  walk(r, r.path); // a resource is a shape: its own _ext.TX is walked as the shape's extension
  return out;
}

export function allReferences(r: ResourceModel): Located<ReferenceProperty>[] {
  return allProperties(r).filter((l): l is Located<ReferenceProperty> => l.property.kind === 'reference');
}

const key = (path: readonly string[]): string => path.join('.');

/**
 * Structural problems of a model, as sentences; empty when consistent. Checks that every reference
 * field lands on an identity path of every target and that the fields cover the whole identity; that
 * descriptor properties name descriptor resources; that must-match paths exist.
 */
export function consistencyProblems(model: EdfiModel): string[] {
  const problems: string[] = [];
  for (const r of model.resources.values()) {
    if (r.identity.length === 0) problems.push(`${r.path}: no identity`);
    for (const { at, property: p } of allProperties(r)) {
      if (p.identity && !p.required) problems.push(`${at}: identity but not required`);
      if (p.kind === 'descriptor' && !model.resources.get(p.descriptor)?.isDescriptor) {
        problems.push(`${at}: descriptor ${p.descriptor} is not a modelled descriptor resource`);
      }
      if (p.kind !== 'reference') continue;
      if (p.targets.length === 0) problems.push(`${at}: no targets`);
      for (const t of p.targets) {
        const target = model.resources.get(t);
        if (!target) {
          problems.push(`${at}: target ${t} not modelled`);
          continue;
        }
        const identity = new Set(target.identity.map(key));
        const covered = new Set<string>();
        for (const f of p.fields) {
          const path = targetPathIn(f, t);
          if (!identity.has(key(path))) problems.push(`${at}.${f.name}: ${key(path)} is not an identity path of ${t}`);
          covered.add(key(path));
          if (f.type.kind === 'descriptor' && !model.resources.get(f.type.descriptor)?.isDescriptor) {
            problems.push(`${at}.${f.name}: descriptor ${f.type.descriptor} not modelled`);
          }
        }
        // An identity path not carried by a field must share its field name with one that is (key unification).
        const names = new Set(p.fields.map((f) => f.name));
        for (const path of target.identity) {
          if (!covered.has(key(path)) && !names.has(path[path.length - 1] ?? '')) {
            problems.push(`${at}: identity path ${key(path)} of ${t} has no field`);
          }
        }
      }
    }
    const identityKeys = new Set(r.identity.map(key));
    for (const m of r.mustMatch) {
      for (const side of [m.left, m.right]) {
        const [refName, field] = side;
        const ref = r.properties.find((p) => p.name === refName);
        const ok = identityKeys.has(key(side)) || (ref?.kind === 'reference' && ref.fields.some((f) => f.name === field));
        if (!ok) problems.push(`${r.path}: must-match path ${key(side)} does not exist`);
      }
    }
  }
  return problems;
}
