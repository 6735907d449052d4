/**
 * The order a category's entities publish in: each after everything it references inside the
 * category, and each record about a person after the entities that claim that person for the
 * district (a student's demographics after their School Enrollment: the ODS refuses them before).
 * Entities on the same level do not depend on each other and publish at the same time
 * (the Ed-Fi API Publisher's way; lightbeam sends strictly one resource after another).
 */
import type { EdfiModel, Property } from '../edfi/model/types.js';
import { claimedBy, needsRelationshipWith } from '../edfi/relationships.js';

function referencedResources(properties: readonly Property[], out: Set<string>): Set<string> {
  for (const p of properties) {
    if (p.kind === 'reference') for (const t of p.targets) out.add(t);
    else if (p.kind === 'collection') referencedResources(p.item.properties, out);
    else if (p.kind === 'object') referencedResources(p.shape.properties, out);
  }
  return out;
}

/** Levels of resources: level 0 references nothing in the set, level n only lower levels. */
export function entityLevels(model: EdfiModel, resources: readonly string[]): string[][] {
  const inSet = new Set(resources);
  const claimers = (kind: string): string[] =>
    resources.filter((r) => {
      const m = model.resource(r);
      return m !== undefined && claimedBy(m) === kind;
    });
  const needs = new Map(
    resources.map((r) => {
      const m = model.resource(r);
      const refs = [...referencedResources(m?.properties ?? [], new Set())].filter((t) => t !== r && inSet.has(t));
      // A claiming association needs the claim of every other person it is about, not of the one it
      // claims: a student–contact association claims the contact but needs the student's School
      // Enrollment — to be sent, and in the ODS while it is deleted (a cascade deletes levels in reverse).
      const claims =
        m === undefined
          ? []
          : needsRelationshipWith(m)
              .filter((kind) => kind !== claimedBy(m))
              .flatMap(claimers);
      return [r, [...new Set([...refs, ...claims])].filter((t) => t !== r)];
    }),
  );
  const level = new Map<string, number>();
  const depth = (r: string, seen: Set<string>): number => {
    const known = level.get(r);
    if (known !== undefined) return known;
    if (seen.has(r)) return 0; // a cycle would be a model error; do not loop on it
    seen.add(r);
    const d = Math.max(-1, ...(needs.get(r) ?? []).map((t) => depth(t, seen))) + 1;
    level.set(r, d);
    return d;
  };
  const out: string[][] = [];
  for (const r of resources) {
    const d = depth(r, new Set());
    (out[d] ??= []).push(r);
  }
  return out.filter((l) => l.length > 0);
}
