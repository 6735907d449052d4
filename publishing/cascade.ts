/**
 * What refers to a record: when a referenced record's natural key changes (a school's number), the
 * ODS refuses to delete the old one while anything points at it (409). Its dependents — across
 * categories, and theirs in turn — are deleted first, dependents of dependents before them, and
 * sent again with the new key (seed 001: "a delete/post will occur with the cascading deletes").
 */
import type { EdfiModel, Property } from '../edfi/model/types.js';
import { targetPathIn } from '../edfi/model/index.js';

type Doc = Record<string, unknown>;

/** A resource whose documents refer to the record when they contain `contains` (a JSON containment test). */
export interface DependentFilter {
  readonly resource: string;
  readonly contains: Doc;
}

function valueAt(doc: Doc, path: readonly string[]): unknown {
  let v: unknown = doc;
  for (const step of path) v = typeof v === 'object' && v !== null ? (v as Doc)[step] : undefined;
  return v;
}

const referenced = new WeakMap<EdfiModel, Map<string, boolean>>();

/** Whether anything in the model can refer to `target`: a re-keyed leaf (a bell schedule, an enrollment) has nothing to cascade to. */
export function isReferenced(model: EdfiModel, target: string): boolean {
  const known = referenced.get(model) ?? referenced.set(model, new Map()).get(model)!;
  let answer = known.get(target);
  if (answer === undefined) {
    const refers = (properties: readonly Property[]): boolean =>
      properties.some((p) =>
        p.kind === 'reference'
          ? p.targets.includes(target)
          : p.kind === 'collection'
            ? refers(p.item.properties)
            : p.kind === 'object'
              ? refers(p.shape.properties)
              : false,
      );
    answer = [...model.resources.values()].some((r) => !r.isDescriptor && refers(r.properties));
    known.set(target, answer);
  }
  return answer;
}

/**
 * Every reference in the model to `target`, filled with the record's values: one filter per
 * resource and reference property, wrapped as the property sits in the document (a reference in a
 * collection item becomes `{"gradingPeriods":[{"gradingPeriodReference":{…}}]}`).
 */
export function dependentFilters(model: EdfiModel, target: string, targetDoc: Doc): DependentFilter[] {
  const out: DependentFilter[] = [];
  const visit = (resource: string, properties: readonly Property[], wrap: (inner: Doc) => Doc): void => {
    for (const p of properties) {
      if (p.kind === 'reference' && p.targets.includes(target)) {
        const values = p.fields.map((f) => [f.name, valueAt(targetDoc, targetPathIn(f, target))] as const);
        if (values.every(([, v]) => v !== undefined && v !== null)) out.push({ resource, contains: wrap({ [p.name]: Object.fromEntries(values) }) });
      } else if (p.kind === 'collection') visit(resource, p.item.properties, (inner) => wrap({ [p.name]: [inner] }));
      else if (p.kind === 'object') visit(resource, p.shape.properties, (inner) => wrap({ [p.name]: inner }));
    }
  };
  for (const r of model.resources.values()) if (!r.isDescriptor) visit(r.path, r.properties, (inner) => inner);
  return out;
}
