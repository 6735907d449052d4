/** One record on its own: re-extracted from the SIS, checked and sent (the record details' Publish, and a dependency retry). */
import { naturalKeyOf, payloadHash, referencesOf } from '../../edfi/documents.js';
import { anyPublished, catalogRow } from '../../db/catalog.js';
import { mapperFor } from '../../resources/index.js';
import { type EdfiDocument } from '../../resources/mapper.js';
import { type DependencySource } from '../../publishing/outcome.js';
import { publishContext } from './context.js';
import { wakeDependents } from './dependencies.js';
import { send, noteSetupProblem, outcomeWrite, precheck } from './sending.js';
import { stageLocalDescriptors, publishLocalDescriptors } from './localDescriptors.js';
import { catalogName } from '../../publishing/resourceNames.js';
import { apiBlocker, blockersReleased } from '../../publishing/recordFate.js';
import type { Engine } from './engine.js';

/** Who asks: a clerk's Publish sends the record whatever its status; a dependency retry only while it is still in dependency. */
export type PublishOneFor = 'record-action' | 'dependency-retry';

/**
 * Publishes one record on its own: re-extracted from the SIS, checked, sent if it can be. For a
 * dependency retry, a record that left dependency another way is left alone. `published` is what it
 * releases as a blocker when it published (its key; the person a School Enrollment claims); its dependents are woken here unless the caller wakes a
 * whole batch's at once (`dependents: 'woken-by-caller'`).
 */
export const publishOne = async (
  e: Engine,
  input: { profileId: string; schoolYear: number; resource: string; sourceKey: string },
  how: { readonly for: PublishOneFor; readonly dependents?: 'woken-here' | 'woken-by-caller' },
): Promise<{ done: boolean; outcome: string; source: DependencySource; published?: readonly string[] }> => {
  const name = catalogName(input.resource);
  const row = await catalogRow(e.db, input.profileId, input.schoolYear, name, input.sourceKey);
  if (row === undefined) return { done: true, outcome: 'removed from the catalog', source: 'computed' };
  if (how.for === 'dependency-retry' && row.status !== 'dependency')
    return { done: true, outcome: `no longer in dependency (${row.status})`, source: 'computed' };
  const rt = await e.runtime(input.profileId);
  const resourceModel = rt.model.resource(input.resource);
  const mapper = mapperFor(input.resource);
  if (resourceModel === undefined || mapper === undefined) return { done: true, outcome: `${input.resource} is no longer published`, source: 'computed' };
  const { ctx, lookup } = await publishContext(e, rt.profile, input.schoolYear, undefined);
  const sisClient = await (await e.source(rt.profile)).connect();
  let record;
  try {
    for await (const r of mapper.extract(sisClient, ctx, [input.sourceKey])) record = r;
  } finally {
    sisClient.release();
  }
  if (record === undefined) return { done: true, outcome: 'left the source', source: 'computed' };
  await stageLocalDescriptors(e, input.profileId, input.schoolYear, lookup.localDescriptorsMet());
  const doc: EdfiDocument = record.doc;
  const nk = naturalKeyOf(resourceModel, doc);
  let unresolved: { property: string; target: string; key: string } | undefined;
  for (const ref of referencesOf(rt.model, resourceModel, doc)) {
    const first = ref.candidates[0];
    if (first !== undefined && !(await anyPublished(e.db, rt.peers, input.schoolYear, ref.candidates))) {
      unresolved = { property: ref.property, target: first.target, key: first.key };
      break;
    }
  }
  const base = {
    sourceKey: input.sourceKey,
    schoolId: record.schoolId === null ? null : String(record.schoolId),
    naturalKey: nk.key,
    payloadHash: payloadHash(doc),
    sentJson: doc,
  };
  const withheld = precheck(
    resourceModel,
    rt.model,
    { error: record.error ?? null, dependency: record.dependency ?? null, excluded: record.excluded ?? null, doc },
    unresolved,
  );
  if (withheld !== undefined) {
    await e.writeOutcomes(input.profileId, input.schoolYear, name, [{ ...base, edfiId: row.edfiId, ...withheld, attempted: false }]);
    return { done: withheld.status !== 'dependency', outcome: withheld.statusDescription ?? withheld.status, source: 'computed' };
  }
  await publishLocalDescriptors(e, { profileId: input.profileId, schoolYear: input.schoolYear });
  const { outcome, http, id } = await send(e, rt, input.resource, doc);
  await e.writeOutcomes(input.profileId, input.schoolYear, name, [outcomeWrite(base, id ?? row.edfiId, outcome, http, apiBlocker(outcome, doc))]);
  if (outcome.setup !== undefined) await noteSetupProblem(e, input.profileId, input.resource, outcome);
  const published = outcome.status === 'published' ? blockersReleased(resourceModel, base.naturalKey, doc) : undefined;
  if (published !== undefined && how.dependents !== 'woken-by-caller') await wakeDependents(e, rt, input.schoolYear, published);
  return {
    done: outcome.status !== 'dependency',
    outcome: outcome.status === 'published' ? 'published' : outcome.message,
    source: outcome.status === 'dependency' ? 'api' : 'computed',
    ...(published !== undefined ? { published } : {}),
  };
};
