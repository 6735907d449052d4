/**
 * `/data/v3/{project}/{resource}[/{id}]`: each HTTP verb as a pipeline of named steps, every step
 * answering with the generation's error or passing on (edfi-api-facts.md §3–§5):
 *
 *   POST   authenticate → resource → body → no id → validate → find by natural key (Create | Update)
 *          → claim set → relationships/namespace → If-Match → references exist → insert 201 | update 200
 *   PUT    authenticate → resource → id → body → validate → find by id → claim set → authorization
 *          → If-Match → key change rules → references exist → 204
 *   DELETE authenticate → resource → id → find → claim set → authorization → If-Match → not referenced → 204
 *   GET    authenticate → resource → (id → find → claim set → authorization → If-None-Match | list query)
 */
import type { ObjectShape, ReferenceProperty, ResourceModel } from '../../edfi/model/types.js';
import { authenticate } from '../auth.js';
import { authorize, visible, type Caller } from '../authorize.js';
import { contentTypeProblem, parseJson, readBody } from '../body.js';
import { checkClaims, strategyFor, type Action, type Strategy } from '../claims.js';
import type { Core } from '../core.js';
import type { ApiError } from '../errors.js';
import { header, parseGuid, sendEmpty, sendError, sendJson, unquote, type RequestContext } from '../http.js';
import { matches, parseListQuery, type ListQuery } from '../query.js';
import { etagOf, lastModifiedOf, referenceEntity, type Collection, type Store, type StoredRecord } from '../store.js';
import { validateDocument, type Doc } from '../validate.js';
import { changesRoute } from './changes.js';

/** A step's result: what it produced, or the error that ends the request. */
type Step<T> = T | ApiError;
const failed = <T extends object>(x: Step<T>): x is ApiError => 'kind' in x;

/** Where data URLs of this request start: `/2025/data/v3` (7.x) or `/data/v3/2025` (6.1) when year-specific. */
export function dataBase(core: Core, c: RequestContext): string {
  return core.version === '6.1' && c.year !== undefined ? `${c.origin}/data/v3/${c.year}` : `${c.base}/data/v3`;
}

export async function dataRoute(core: Core, c: RequestContext, segments: readonly string[]): Promise<void> {
  // 7.2+ writes the 401 body only for paths that start with /data (a route prefix falls through to a bare 401).
  const auth = authenticate(c, core.tokens, c.fullPath.startsWith('/data'));
  if ('kind' in auth) return sendError(c, auth);
  const store = c.store!;
  const resource = segments.length >= 2 && segments.length <= 3 ? core.model.resource(`${segments[0]}/${segments[1]}`) : undefined;
  const col = resource !== undefined ? store.collection(resource.path) : undefined;
  if (col === undefined) return sendError(c, { kind: 'path-not-found', path: c.fullPath });
  const rest = segments[2];
  if (core.version === '7.x' && header(c.req, 'use-snapshot')?.toLowerCase() === 'true') {
    return sendError(c, c.method === 'GET' ? { kind: 'snapshot-not-found' } : { kind: 'snapshot-write' });
  }
  const caller = auth.caller;
  switch (c.method) {
    case 'GET':
      if (rest === undefined) return list(core, c, store, col, caller);
      if (rest.toLowerCase() === 'deletes' || rest.toLowerCase() === 'keychanges')
        return changesRoute(core, c, store, col, caller, rest.toLowerCase() === 'deletes' ? 'deletes' : 'keyChanges');
      return getById(core, c, store, col, caller, rest);
    case 'POST':
      if (rest !== undefined) return sendError(c, { kind: 'method-not-allowed', method: c.method, variant: 'post-with-id' });
      return post(core, c, store, col, caller);
    case 'PUT':
      if (rest === undefined) return sendError(c, { kind: 'method-not-allowed', method: c.method, variant: 'put-collection' });
      return put(core, c, store, col, caller, rest);
    case 'DELETE':
      if (rest === undefined) return sendError(c, { kind: 'method-not-allowed', method: c.method, variant: 'delete-collection' });
      return remove(core, c, store, col, caller, rest);
    default:
      c.res.setHeader('allow', rest === undefined ? 'GET, POST' : 'GET, PUT, DELETE');
      return sendError(c, { kind: 'method-not-allowed', method: c.method, variant: 'method' });
  }
}

// ── steps ────────────────────────────────────────────────────────────────────

/** Content type, size, JSON: the body as an object, or the ODS's 415/413/400. */
async function readJsonBody(core: Core, c: RequestContext, resource: ResourceModel, op: 'post' | 'put'): Promise<Step<{ body: Doc }>> {
  const type = contentTypeProblem(header(c.req, 'content-type'));
  if (type !== undefined) {
    c.req.resume();
    return { kind: 'unsupported-media-type', missing: type === 'missing' };
  }
  const read = await readBody(c.req, core.maxBodyBytes);
  if ('tooLarge' in read) return { kind: 'payload-too-large', limit: core.maxBodyBytes };
  const parsed = parseJson(read.text);
  if ('empty' in parsed || ('value' in parsed && parsed.value === null)) return { kind: 'empty-body', op };
  if ('error' in parsed) return { kind: 'malformed-json', message: parsed.error };
  const v = parsed.value;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    const what = Array.isArray(v) ? 'array (e.g. [1,2,3])' : `${typeof v} value`;
    return {
      kind: 'validation',
      entity: resource.entity,
      failures: [
        {
          path: '$',
          message: `Cannot deserialize the current JSON ${what} into type '${resource.entity}' because the type requires a JSON object (e.g. {"name":"value"}) to deserialize correctly.`,
          binding: true,
        },
      ],
    };
  }
  return { body: v as Doc };
}

function validate(core: Core, store: Store, resource: ResourceModel, body: Doc): Step<{ doc: Doc }> {
  const { doc, failures } = validateDocument(body, resource, {
    dataStandard: core.dataStandard,
    strict: core.strict,
    resolveDescriptor: (path, uri) => store.resolveDescriptor(path, uri),
    descriptorEntity: (path) => core.model.resources.get(path)?.entity ?? path,
  });
  return failures.length > 0 ? { kind: 'validation', entity: resource.entity, failures } : { doc };
}

function authorizeAction(core: Core, store: Store, caller: Caller, r: ResourceModel, action: Action, doc: Doc, existing?: Doc): ApiError | undefined {
  return (
    checkClaims(caller.claimSet, r, action, core.version) ?? authorize(caller, r, doc, strategyFor(r, action), store.relations, core.dataStandard, existing)
  );
}

function ifMatchFails(c: RequestContext, rec: StoredRecord): boolean {
  const wanted = header(c.req, 'if-match');
  if (wanted === undefined) return false;
  const v = unquote(wanted);
  return v !== '*' && v !== etagOf(rec);
}

function referencesExist(core: Core, store: Store, r: ResourceModel, doc: Doc): ApiError | undefined {
  const missing: ReferenceProperty | undefined = store.missingReference(doc, r);
  return missing !== undefined ? { kind: 'unresolved-reference', entity: referenceEntity(missing, core.model) } : undefined;
}

function writeHeaders(core: Core, c: RequestContext, col: Collection, rec: StoredRecord): Record<string, string> {
  return { etag: `"${etagOf(rec)}"`, location: `${dataBase(core, c)}/${col.model.path}/${col.idOf(rec)}` };
}

/** A just-written record the faults say the ODS "lost". */
function maybeLose(core: Core, c: RequestContext, store: Store, col: Collection, rec: StoredRecord): void {
  if (core.faults.loseRecord(c.method, c.fullPath) && col.rows[rec.seq] === rec) store.lose(col, rec);
}

function idFrom(raw: string): Step<{ id: string }> {
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    // A malformed escape is just an invalid id.
  }
  const id = parseGuid(decoded);
  return id !== undefined ? { id } : { kind: 'invalid-id', value: decoded, query: false };
}

// ── verbs ────────────────────────────────────────────────────────────────────

async function post(core: Core, c: RequestContext, store: Store, col: Collection, caller: Caller): Promise<void> {
  const r = col.model;
  const read = await readJsonBody(core, c, r, 'post');
  if (failed(read)) return sendError(c, read);
  if ('id' in read.body) return sendError(c, { kind: 'id-in-body' });
  const validated = validate(core, store, r, read.body);
  if (failed(validated)) return sendError(c, validated);
  const doc = validated.doc;
  const key = col.keyOf(doc);
  const existing = key !== undefined ? col.byKey.get(key) : undefined;
  const denied = authorizeAction(core, store, caller, r, existing !== undefined ? 'Update' : 'Create', doc, existing?.doc);
  if (denied !== undefined) return sendError(c, denied);
  if (existing !== undefined && ifMatchFails(c, existing)) return sendError(c, { kind: 'optimistic-lock' });
  const unresolved = referencesExist(core, store, r, doc);
  if (unresolved !== undefined) return sendError(c, unresolved);
  if (existing !== undefined) {
    store.update(col, existing, doc);
    sendEmpty(c.res, 200, writeHeaders(core, c, col, existing));
    return maybeLose(core, c, store, col, existing);
  }
  const rec = store.insert(col, doc);
  sendEmpty(c.res, 201, writeHeaders(core, c, col, rec));
  maybeLose(core, c, store, col, rec);
}

/** 6.1 copies the stored identity back over the sent one ("BackSynch"): a key change is silently ignored. */
function keepIdentity(r: ResourceModel, doc: Doc, stored: Doc): Doc {
  const out: Doc = { ...doc };
  for (const p of r.properties) if (p.identity) out[p.name] = stored[p.name];
  return out;
}

async function put(core: Core, c: RequestContext, store: Store, col: Collection, caller: Caller, rawId: string): Promise<void> {
  const r = col.model;
  const parsedId = idFrom(rawId);
  if (failed(parsedId)) return sendError(c, parsedId);
  const id = parsedId.id;
  const read = await readJsonBody(core, c, r, 'put');
  if (failed(read)) return sendError(c, read);
  const validated = validate(core, store, r, read.body);
  if (failed(validated)) return sendError(c, validated);
  let doc = validated.doc;
  const claim = checkClaims(caller.claimSet, r, 'Update', core.version);
  if (claim !== undefined) return sendError(c, claim);
  const rec = col.get(id);
  if (rec === undefined) return sendError(c, { kind: 'item-not-found', op: 'put' });
  const denied = authorize(caller, r, doc, strategyFor(r, 'Update'), store.relations, core.dataStandard, rec.doc);
  if (denied !== undefined) return sendError(c, denied);
  if (ifMatchFails(c, rec)) return sendError(c, { kind: 'optimistic-lock' });
  const newKey = col.keyOf(doc);
  const keyChanged = newKey !== col.keyOf(rec.doc);
  if (keyChanged && !r.allowsIdentityUpdate) {
    if (core.version === '7.x') return sendError(c, { kind: 'key-change', entity: r.entity });
    doc = keepIdentity(r, doc, rec.doc);
  }
  if (keyChanged && r.allowsIdentityUpdate && newKey !== undefined) {
    const other = col.byKey.get(newKey);
    if (other !== undefined && other !== rec) return sendError(c, { kind: 'non-unique' });
  }
  const unresolved = referencesExist(core, store, r, doc);
  if (unresolved !== undefined) return sendError(c, unresolved);
  if (keyChanged && r.allowsIdentityUpdate) store.changeKey(col, rec, doc);
  else store.update(col, rec, doc);
  sendEmpty(c.res, 204, writeHeaders(core, c, col, rec));
  maybeLose(core, c, store, col, rec);
}

function remove(core: Core, c: RequestContext, store: Store, col: Collection, caller: Caller, rawId: string): void {
  const r = col.model;
  const parsedId = idFrom(rawId);
  if (failed(parsedId)) return sendError(c, parsedId);
  const id = parsedId.id;
  const claim = checkClaims(caller.claimSet, r, 'Delete', core.version);
  if (claim !== undefined) return sendError(c, claim);
  const rec = col.get(id);
  if (rec === undefined) return sendError(c, { kind: 'item-not-found', op: 'delete' });
  const denied = authorize(caller, r, rec.doc, strategyFor(r, 'Delete'), store.relations, core.dataStandard, rec.doc);
  if (denied !== undefined) return sendError(c, denied);
  if (ifMatchFails(c, rec)) return sendError(c, { kind: 'optimistic-lock' });
  const referrer = store.referrer(rec);
  if (referrer !== undefined) return sendError(c, { kind: 'dependent-item', entity: referrer.entity });
  const person = r.person;
  const uniqueId = person !== undefined ? rec.doc[r.identity[0][0]] : undefined;
  store.remove(col, rec, person !== undefined ? store.relations.reachOf(person, uniqueId) : undefined);
  sendEmpty(c.res, 204);
}

function getById(core: Core, c: RequestContext, store: Store, col: Collection, caller: Caller, rawId: string): void {
  const r = col.model;
  const parsedId = idFrom(rawId);
  if (failed(parsedId)) return sendError(c, parsedId);
  const id = parsedId.id;
  const claim = checkClaims(caller.claimSet, r, 'Read', core.version);
  if (claim !== undefined) return sendError(c, claim);
  const rec = col.get(id);
  if (rec === undefined) return sendError(c, { kind: 'item-not-found', op: 'get' });
  const denied = authorize(caller, r, rec.doc, strategyFor(r, 'Read'), store.relations, core.dataStandard);
  if (denied !== undefined) return sendError(c, denied);
  const etag = etagOf(rec);
  if (unquote(header(c.req, 'if-none-match')) === etag) return sendEmpty(c.res, 304, { etag: `"${etag}"` });
  sendJson(c.res, 200, renderRecord(store, col, rec), { etag: `"${etag}"` });
}

function list(core: Core, c: RequestContext, store: Store, col: Collection, caller: Caller): void {
  const r = col.model;
  const q = parseListQuery(c.query, r, core.version, core.pageLimit);
  if ('kind' in q) return sendError(c, q);
  const claim = checkClaims(caller.claimSet, r, 'Read', core.version);
  if (claim !== undefined) return sendError(c, claim);
  const { page, total } = query(store, col, q, caller, strategyFor(r, 'Read'));
  sendJson(
    c.res,
    200,
    page.map((rec) => renderRecord(store, col, rec)),
    q.totalCount ? { 'total-count': String(total) } : undefined,
  );
}

// ── reading ──────────────────────────────────────────────────────────────────

interface Cursor {
  readonly mutations: number;
  readonly offset: number;
  readonly pos: number;
}
/** Where the last page of a query ended, so paging through millions does not rescan from the start. */
const cursors = new WeakMap<Collection, Map<string, Cursor>>();

function query(store: Store, col: Collection, q: ListQuery, caller: Caller, strategy: Strategy): { page: StoredRecord[]; total: number } {
  const plain =
    q.filters.length === 0 &&
    q.minChangeVersion === undefined &&
    q.maxChangeVersion === undefined &&
    q.id === undefined &&
    strategy === 'NoFurtherAuthorizationRequired';
  // No filter and no deleted slots: the page is a slice of the rows.
  if (plain && col.holes === 0) return { page: col.rows.slice(q.offset, q.offset + q.limit) as StoredRecord[], total: col.size };
  const test = (rec: StoredRecord): boolean =>
    (q.minChangeVersion === undefined || rec.cv >= q.minChangeVersion) &&
    (q.maxChangeVersion === undefined || rec.cv <= q.maxChangeVersion) &&
    matches(rec.doc, q.filters) &&
    visible(caller, col.model, rec.doc, strategy, store.relations);
  if (q.id !== undefined) {
    const rec = col.get(q.id);
    const hit = rec !== undefined && test(rec) ? [rec] : [];
    return { page: hit.slice(q.offset, q.offset + q.limit), total: hit.length };
  }
  // Filters naming the whole natural key: one index lookup instead of a scan (GET by natural key).
  const identity = col.model.identity;
  if (identity.every((path) => q.filters.some((f) => f.path.length === path.length && f.path.every((s, i) => s === path[i])))) {
    const probe: Doc = {};
    for (const f of q.filters) {
      if (f.path.length === 1) probe[f.path[0]] = f.value;
      else probe[f.path[0]] = { ...(probe[f.path[0]] ?? {}), [f.path[1]]: f.value };
    }
    const key = col.keyOf(probe);
    const rec = key !== undefined ? col.byKey.get(key) : undefined;
    const hit = rec !== undefined && test(rec) ? [rec] : [];
    return { page: hit.slice(q.offset, q.offset + q.limit), total: hit.length };
  }
  let total = plain ? col.size : 0;
  if (q.totalCount && !plain) for (const rec of col.rows) if (rec !== undefined && test(rec)) total++;
  const page: StoredRecord[] = [];
  if (q.limit === 0) return { page, total };
  let byQuery = cursors.get(col);
  if (byQuery === undefined) {
    byQuery = new Map<string, Cursor>();
    cursors.set(col, byQuery);
  }
  const cursorKey = `${caller.key}|${caller.edOrgIds.join(',')}|${q.shape}`;
  const cursor = byQuery.get(cursorKey);
  const resume = cursor !== undefined && cursor.mutations === col.mutations && cursor.offset === q.offset;
  let matched = resume ? q.offset : 0;
  let i = resume ? cursor.pos : 0;
  for (; i < col.rows.length && page.length < q.limit; i++) {
    const rec = col.rows[i];
    if (rec === undefined || !test(rec)) continue;
    if (matched >= q.offset) page.push(rec);
    matched++;
  }
  if (byQuery.size > 256) byQuery.clear();
  if (page.length === q.limit) byQuery.set(cursorKey, { mutations: col.mutations, offset: q.offset + q.limit, pos: i });
  return { page, total };
}

const referenceShapes = new WeakMap<ObjectShape, boolean>();

/** Whether a shape holds references anywhere (only those documents need copying to add links). */
function hasReferences(shape: ObjectShape): boolean {
  let v = referenceShapes.get(shape);
  if (v === undefined) {
    v =
      shape.properties.some(
        (p) => p.kind === 'reference' || (p.kind === 'collection' && hasReferences(p.item)) || (p.kind === 'object' && hasReferences(p.shape)),
      ) ||
      (shape.extension !== undefined && hasReferences(shape.extension));
    referenceShapes.set(shape, v);
  }
  return v;
}

/** References carry `link: {rel, href}` to the item they point at (href without `/data/v3`). */
function withLinks(store: Store, shape: ObjectShape, src: Doc): Doc {
  if (!hasReferences(shape)) return src;
  const out: Doc = { ...src };
  for (const p of shape.properties) {
    const v = src[p.name];
    if (v === undefined) continue;
    if (p.kind === 'reference') {
      const target = store.locate(p, v as Doc);
      if (target !== undefined)
        out[p.name] = { ...(v as Doc), link: { rel: target.col.model.entity, href: `/${target.col.model.path}/${target.col.idOf(target.rec)}` } };
    } else if (p.kind === 'collection' && hasReferences(p.item)) out[p.name] = (v as Doc[]).map((item) => withLinks(store, p.item, item));
    else if (p.kind === 'object') out[p.name] = withLinks(store, p.shape, v as Doc);
  }
  const tx = (src._ext as Doc | undefined)?.TX as Doc | undefined;
  if (shape.extension !== undefined && tx !== undefined) out._ext = { TX: withLinks(store, shape.extension, tx) };
  return out;
}

export function renderRecord(store: Store, col: Collection, rec: StoredRecord): Doc {
  return { id: col.idOf(rec), ...withLinks(store, col.model, rec.doc), _etag: etagOf(rec), _lastModifiedDate: lastModifiedOf(rec) };
}
