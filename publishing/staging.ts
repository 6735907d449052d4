/**
 * A mapped record as a run stages it: only what the plan compares (source key, school, natural key,
 * hash, a computed error or dependency), or whole — the canonical JSON a batch sends unparsed, the
 * records it references, and the model check done once here (a refusal becomes a computed error).
 */
import type { EdfiModel, ResourceModel } from '../edfi/model/types.js';
import { canonicalJson, documentProblem, naturalKeyOf, payloadHashOf, referencesOf } from '../edfi/documents.js';
import type { ExtractedRecord } from '../db/catalogPlan.js';
import type { MappedRecord } from '../resources/mapper.js';
import { notSent } from './recordFate.js';
import type { CatalogStatus } from './outcome.js';

/**
 * How much of a record is staged: `whole` (the JSON, its references and the model check — what is
 * about to be sent) or `hash-only` (its hash and key, enough to see it did not change).
 */
export type Staging = 'whole' | 'hash-only';

export function stagedRecord(model: EdfiModel, resourceModel: ResourceModel, r: MappedRecord, staging: Staging): ExtractedRecord {
  const doc = canonicalJson(r.doc);
  // An exclusion lifted (or imposed) must be planned even when the JSON is the same: it is part of the hash.
  const payloadHash = payloadHashOf(r.excluded !== undefined ? `${doc}\nexcluded` : doc);
  const whole = staging === 'whole';
  const problem = whole && r.error === undefined && r.dependency === undefined && r.excluded === undefined ? documentProblem(resourceModel, r.doc) : undefined;
  // One literal with every field (absent ones undefined): V8 builds `{ ...base, more }` ~1 µs per
  // added field, and this runs for every record extracted.
  return {
    sourceKey: r.sourceKey,
    schoolId: r.schoolId === null ? null : String(r.schoolId),
    naturalKey: naturalKeyOf(resourceModel, r.doc).key,
    dependency: r.dependency,
    excluded: r.excluded,
    // Small and never sent: staged in both passes, so an extract refreshes what the list shows.
    display: r.display !== undefined ? JSON.stringify(r.display) : undefined,
    payloadHash,
    doc: whole ? doc : undefined,
    refs: whole ? JSON.stringify(referencesOf(model, resourceModel, r.doc)) : undefined,
    error: r.error ?? (problem !== undefined ? notSent(problem) : undefined),
  };
}

/**
 * Which local descriptors a run sends: Retry – Errors the failed ones; Now – All every one again
 * (the ODS answers 200 for one it holds); otherwise those waiting and those that failed.
 */
export function localDescriptorStatuses(run: { readonly all?: boolean; readonly errorsOnly?: boolean }): CatalogStatus[] {
  if (run.errorsOnly === true) return ['error'];
  return run.all === true ? ['pending', 'error', 'published'] : ['pending', 'error'];
}
