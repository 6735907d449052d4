/**
 * One planned record of a batch, sent: in the delete phase its old record is deleted from the ODS
 * (what refers to an old key first); in the post phase it is checked, then posted. Each answers with
 * the catalog row it leaves; sendBatch counts them and writes them together.
 */
import type { ResourceModel } from '../../edfi/model/types.js';
import type { BatchRow, CatalogWrite } from '../../db/catalog.js';
import { classifyResponse, networkFailure, type Outcome } from '../../publishing/outcome.js';
import type { UnresolvedReference } from '../../db/catalog.js';
import { runLog } from '../runLog.js';
import { cascadeDependents } from './cascade.js';
import { outcomeWrite, precheck, send } from './sending.js';
import { apiBlocker, blockersReleased, withheldWrite } from '../../publishing/recordFate.js';
import type { EntityRun, ProfileRuntime } from './shared.js';
import type { Engine } from './engine.js';

type Run = EntityRun & { batchNo: number; phase: 'delete' | 'post' };

export type DeleteResult =
  | { readonly kind: 'skip' }
  | { readonly kind: 'forget' }
  | { readonly kind: 'sent'; readonly write: CatalogWrite; readonly deleted: boolean; readonly outcome: Outcome };

export async function deleteRow(e: Engine, rt: ProfileRuntime, run: Run, row: BatchRow): Promise<DeleteResult> {
  if (row.action === 'post') return { kind: 'skip' };
  if (row.action === 'forget' || row.edfiId === null) return row.action !== 'rekey' ? { kind: 'forget' } : { kind: 'skip' };
  const edfiId = row.edfiId;
  let outcome: Outcome;
  let http: number | null = null;
  // A new key for a record others refer to: they go first, or the ODS refuses the delete (409). So
  // for a person gone from the SIS (a student deleted, whose enrollments, rosters… sit in other
  // categories). Other removals (a dropped roster) are many and leave with their dependents'
  // categories, so they are not looked up one by one.
  if (row.action === 'rekey') await cascadeDependents(e, rt, run.profileId, run.schoolYear, run.resource, row.sourceKey, 'key-change');
  else if (row.action === 'delete' && rt.model.resource(run.resource)?.person !== undefined)
    await cascadeDependents(e, rt, run.profileId, run.schoolYear, run.resource, row.sourceKey, 'gone');
  try {
    const started = Date.now();
    const answer = await rt.ods.delete(run.resource, edfiId);
    http = answer.status;
    runLog('DEBUG', 'DELETE answered', { resource: run.resource, http, ms: Date.now() - started });
    outcome = classifyResponse('DELETE', answer.status, answer.body);
  } catch (err) {
    outcome = networkFailure((err as Error).message);
  }
  const base = {
    sourceKey: row.sourceKey,
    schoolId: row.catalogSchoolId,
    naturalKey: row.catalogNaturalKey ?? '',
    payloadHash: row.catalogHash ?? '',
    sentJson: null,
  };
  if (outcome.status !== 'deleted') return { kind: 'sent', write: { ...outcomeWrite(base, edfiId, outcome, http), status: 'error' }, deleted: false, outcome };
  // A re-keyed record is posted anew in the post phase; a gone one stays as "deleted".
  const rekey = row.action === 'rekey';
  const write: CatalogWrite = {
    ...base,
    edfiId: null,
    status: rekey ? 'pending' : 'deleted',
    statusDescription: rekey ? 'natural key changed: old record deleted, new one to be posted' : null,
    httpStatus: http,
    dependencySource: null,
    dependsOn: null,
    attempted: true,
  };
  return { kind: 'sent', write, deleted: true, outcome };
}

export type PostResult =
  | { readonly kind: 'skip' }
  | { readonly kind: 'withheld'; readonly write: CatalogWrite; readonly dependency: boolean; readonly excluded: boolean }
  | {
      readonly kind: 'sent';
      readonly write: CatalogWrite;
      readonly outcome: Outcome;
      /** What its publishing releases (itself; the person a School Enrollment claims): empty unless published. */
      readonly releases: readonly string[];
    };

export async function postRow(
  e: Engine,
  rt: ProfileRuntime,
  run: Run,
  resourceModel: ResourceModel,
  row: BatchRow,
  unresolved: UnresolvedReference | undefined,
): Promise<PostResult> {
  if (row.action !== 'post' && row.action !== 'rekey') return { kind: 'skip' };
  // The old record could not be deleted: posting the new one would leave two in the ODS.
  if (row.action === 'rekey' && row.edfiId !== null && row.docText !== null) return { kind: 'skip' };
  const doc = row.docText ?? row.sentJson;
  if (doc === null) return { kind: 'skip' };
  const base = {
    sourceKey: row.sourceKey,
    schoolId: row.schoolId,
    naturalKey: row.naturalKey ?? row.catalogNaturalKey ?? '',
    // A planned record is staged or in the catalog, and both keep its hash.
    payloadHash: row.payloadHash ?? row.catalogHash ?? '',
    // Staged JSON is copied into the catalog by SQL; only a catalog resend carries it here.
    sentJson: typeof doc === 'string' ? null : doc,
  };
  // Staged text was checked against the model when extracted; a catalog resend is checked now.
  const withheld = precheck(
    resourceModel,
    rt.model,
    { error: row.error, dependency: row.dependency, excluded: row.excluded, ...(typeof doc === 'string' ? {} : { doc }) },
    unresolved,
  );
  if (withheld !== undefined)
    return {
      kind: 'withheld',
      write: withheldWrite(base, row.edfiId, withheld),
      dependency: withheld.status === 'dependency',
      excluded: withheld.status === 'excluded',
    };
  const { outcome, http, id } = await send(e, rt, run.resource, doc, run.readyOnly === true);
  return {
    kind: 'sent',
    write: outcomeWrite(base, id ?? row.edfiId, outcome, http, apiBlocker(outcome, doc)),
    outcome,
    releases: outcome.status === 'published' ? blockersReleased(resourceModel, base.naturalKey, doc) : [],
  };
}
