/**
 * A referenced record leaves the ODS — its natural key changed, or it left the SIS (a student
 * deleted): what refers to it is deleted first, or the ODS refuses the delete (409).
 */
import { runLog } from '../runLog.js';
import { forgetWatermarks } from '../../db/changeWatermark.js';
import { catalogDependents, markCascaded, sentDocument, type CatalogDependent } from '../../db/cascade.js';
import { dependentFilters, isReferenced } from '../../publishing/cascade.js';
import { classifyResponse } from '../../publishing/outcome.js';
import { CATEGORIES } from '../../publishing/categories.js';
import { entityLevels } from '../../publishing/entityOrder.js';
import { signalPublish } from '../../temporal/client/publishQueue.js';
import { type ProfileRuntime } from './shared.js';
import { catalogName } from '../../publishing/resourceNames.js';
import type { Engine } from './engine.js';

/**
 * A referenced record's natural key changed (a school's number): everything in the ODS that refers
 * to its old key — across categories, and what refers to those — is deleted first, deepest first,
 * and left pending with its resource read whole next time, so it is sent again with the new key;
 * the categories that hold it are queued (Now – Changes) behind this run. Answers how many could
 * not be deleted (the old record then stays, as the ODS would refuse it).
 */
export const cascadeDependents = async (
  e: Engine,
  rt: ProfileRuntime,
  profileId: string,
  schoolYear: number,
  resource: string,
  sourceKey: string,
  why: 'key-change' | 'gone' = 'key-change',
): Promise<{ deleted: number; errors: number }> => {
  // Called for every re-keyed record of a delete pass: no query for one nothing can refer to.
  if (!isReferenced(rt.model, resource)) return { deleted: 0, errors: 0 };
  const old = await sentDocument(e.db, profileId, schoolYear, catalogName(resource), sourceKey);
  if (old === null) return { deleted: 0, errors: 0 };
  // What another profile on the same ODS sent about the record refers to it too (a teacher's Staff
  // Sections from the SIS profile, when the HR profile re-keys the teacher): it goes first as well.
  const found = new Map<string, CatalogDependent & { path: string }>();
  let frontier: Array<{ path: string; doc: Record<string, unknown> }> = [{ path: resource, doc: old }];
  while (frontier.length > 0) {
    const filters = frontier.flatMap((f) => dependentFilters(rt.model, f.path, f.doc));
    const pathOf = new Map(filters.map((f) => [catalogName(f.resource), f.resource]));
    const rows = await catalogDependents(
      e.db,
      rt.peers,
      schoolYear,
      filters.map((f) => ({ resource: catalogName(f.resource), contains: f.contains })),
    );
    frontier = [];
    for (const r of rows) {
      const key = `${r.profileId}|${r.resource}|${r.sourceKey}`;
      const path = pathOf.get(r.resource);
      if (found.has(key) || path === undefined) continue;
      found.set(key, { ...r, path });
      frontier.push({ path, doc: r.sentJson });
    }
  }
  if (found.size === 0) return { deleted: 0, errors: 0 };
  const dependents = [...found.values()];
  const deleted: CatalogDependent[] = [];
  let errors = 0;
  for (const level of entityLevels(rt.model, [...new Set(dependents.map((d) => d.path))]).reverse()) {
    await Promise.all(
      dependents
        .filter((d) => level.includes(d.path))
        .map(async (d) => {
          const answer = await rt.ods.delete(d.path, d.edfiId).catch(() => undefined);
          if (answer !== undefined && classifyResponse('DELETE', answer.status, answer.body).status === 'deleted') deleted.push(d);
          else errors++;
        }),
    );
  }
  const statusWhy =
    why === 'key-change'
      ? `deleted from the ODS because the ${catalogName(resource).replace(/s$/, '')} it refers to changed its key; sent again with the new one`
      : `deleted from the ODS because the ${catalogName(resource).replace(/s$/, '')} it refers to left the SIS; sent again if the SIS still gives it`;
  const categories = new Set<string>();
  // Each profile's deleted dependents are pending again in its own catalog, read whole, and its categories queued.
  for (const owner of new Set(deleted.map((d) => d.profileId))) {
    const mine = deleted.filter((d) => d.profileId === owner);
    await markCascaded(e.db, owner, schoolYear, mine, statusWhy);
    const resources = [...new Set(mine.map((d) => d.resource))];
    await forgetWatermarks(e.db, owner, schoolYear, resources);
    const ownCategories = new Set(
      resources.map((r) => CATEGORIES.find((c) => c.entities.some((e) => catalogName(e.resource) === r))?.id).filter((c): c is string => c !== undefined),
    );
    for (const category of ownCategories) {
      categories.add(owner === profileId ? category : `${category} (${owner})`);
      await signalPublish(e.deps.temporal, e.deps.temporalConfig, owner, {
        category,
        option: 'changes',
        schoolYear,
        scope: { kind: 'district' },
        requestedBy: `${why === 'key-change' ? 'key change' : 'removal'} of a ${catalogName(resource).replace(/s$/, '')} (its dependents are sent again, or forgotten)`,
        trigger: 'cascade',
      });
    }
  }
  runLog(errors > 0 ? 'ERROR' : 'INFO', why === 'key-change' ? 'dependents deleted for a key change' : 'dependents deleted for a removal', {
    resource,
    deleted: deleted.length,
    errors,
    categories: [...categories],
  });
  return { deleted: deleted.length, errors };
};
