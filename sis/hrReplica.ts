/**
 * The district's HR system replica: what an HR vendor's system holds of the same district — its
 * staff, their employment and assignments, the finance lines, contracted FTEs and shared services —
 * in a database of its own with the same schema and its own event queue, so an HR-only profile
 * reads its own source. The organization tables come along (the HR system knows the district's
 * campuses and years, and its code tables); students, sections and grades do not.
 */
import type { District } from './generate.js';

export const HR_TABLES: ReadonlySet<string> = new Set([
  'district',
  'schoolyear',
  'school',
  'localcode',
  'staff',
  'employment',
  'employmentassignment',
  'staffschool',
  'financeline',
  'contractedfte',
  'ssa',
]);

/** A district as its HR system holds it: the HR tables filled, every other table empty. */
export function hrReplicaOf(district: District): District {
  return {
    ...district,
    tables: district.tables.filter((t) => HR_TABLES.has(t.name)),
    counts: Object.fromEntries(Object.entries(district.counts).map(([name, n]) => [name, HR_TABLES.has(name) ? n : 0])),
  };
}
