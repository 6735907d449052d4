/**
 * Change queries (edfi-api-facts.md §7): `/changeQueries/v1/availableChangeVersions`, and per
 * resource `/deletes` and `/keyChanges` — filtered by change version, paged, and shown only where
 * the caller could have read the item (ReadChanges in the claim set, same relationship rules).
 */
import { authenticate } from '../auth.js';
import { deleteVisible, type Caller } from '../authorize.js';
import { checkClaims, strategyFor } from '../claims.js';
import type { Core } from '../core.js';
import { sendError, sendJson, type RequestContext } from '../http.js';
import { parseChangesQuery } from '../query.js';
import type { Collection, Store } from '../store.js';

export function changesRoute(core: Core, c: RequestContext, store: Store, col: Collection, caller: Caller, kind: 'deletes' | 'keyChanges'): void {
  const claim = checkClaims(caller.claimSet, col.model, 'ReadChanges', core.version);
  if (claim !== undefined) return sendError(c, claim);
  const q = parseChangesQuery(c.query, core.pageLimit);
  if ('kind' in q) return sendError(c, q);
  const inRange = (cv: number) => (q.min === undefined || cv >= q.min) && (q.max === undefined || cv <= q.max);
  const strategy = strategyFor(col.model, 'ReadChanges');
  let items: object[];
  if (kind === 'deletes') {
    items = col.deletes
      .filter((d) => inRange(d.changeVersion) && deleteVisible(caller, col.model, d.keyValues, d.reach, strategy, store.relations))
      .map((d) => ({ id: d.id, changeVersion: d.changeVersion, keyValues: d.keyValues }));
  } else {
    items = [...col.keyChanges.values()]
      .filter((k) => inRange(k.changeVersion) && deleteVisible(caller, col.model, k.newKeyValues, undefined, strategy, store.relations))
      .sort((a, b) => a.changeVersion - b.changeVersion)
      .map((k) => ({ id: k.id, changeVersion: k.changeVersion, oldKeyValues: k.oldKeyValues, newKeyValues: k.newKeyValues }));
  }
  sendJson(c.res, 200, items.slice(q.offset, q.offset + q.limit), q.totalCount ? { 'total-count': String(items.length) } : undefined);
}

/** `GET /changeQueries/v1/availableChangeVersions`: 7.x never sets the oldest version, so it is 0. */
export function availableChangeVersions(core: Core, c: RequestContext): void {
  const auth = authenticate(c, core.tokens, c.fullPath.startsWith('/changeQueries'));
  if ('kind' in auth) return sendError(c, auth);
  sendJson(c.res, 200, { oldestChangeVersion: 0, newestChangeVersion: c.store!.changeVersion });
}
