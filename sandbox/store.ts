/**
 * The in-memory ODS: per resource, records by id, by natural key and in insertion order (the ODS
 * pages by its surrogate key); per record a count of who refers to it (409 on delete without a
 * scan); descriptors by URI; change versions, tracked deletes and key changes; and cascading
 * natural-key updates. Records keep the validated document as is — no copies, no closures — so
 * millions fit in memory.
 */
import type { EdfiModel, ObjectShape, ReferenceProperty, ResourceModel } from '../edfi/model/types.js';
import { newId } from './ids.js';
import { pascal } from './names.js';
import { Relations } from './relations.js';
import type { Doc } from './validate.js';

/**
 * One stored item. Kept small — every field is a pointer or a small integer — because there may be
 * millions: the id is not stored but derived from the collection's salt and `seq` (see Collection).
 */
export class StoredRecord {
  /** Referring resource path → how many of its records point here; undefined while nothing does. */
  refs: Record<string, number> | undefined = undefined;
  constructor(
    public doc: Doc,
    /** Change version of the last write (the ODS's ChangeVersion). */
    public cv: number,
    /** Last-modified second since 2020-01-01 (a small integer; the change version supplies sub-second ticks). */
    public ts: number,
    /** Position in the collection's insertion-ordered rows, which the id encodes. */
    public readonly seq: number,
  ) {}
}

/** 2020-01-01T00:00:00Z in seconds: `ts` counts from here so it stays a small integer. */
const TS_EPOCH = 1577836800;

export type KeyValues = Record<string, unknown>;

export interface TrackedDelete {
  readonly id: string;
  readonly changeVersion: number;
  readonly keyValues: KeyValues;
  /** For people: the ed-orgs they were reachable through when deleted (who may see the delete). */
  readonly reach?: readonly number[];
}

export interface KeyChange {
  readonly id: string;
  changeVersion: number;
  readonly oldKeyValues: KeyValues;
  newKeyValues: KeyValues;
}

type Key = string | number;

const SEP = '\u001f';

function keyPart(v: unknown): string {
  return typeof v === 'string' ? v.toLowerCase() : String(v);
}

/** A natural key as one Map key: a single number stays a number; strings compare case-insensitively. */
export function compileKey(identity: readonly (readonly string[])[]): (doc: Doc) => Key | undefined {
  if (identity.length === 1 && identity[0].length === 1) {
    const a = identity[0][0];
    return (doc) => {
      const v = doc[a];
      return typeof v === 'number' ? v : typeof v === 'string' ? v.toLowerCase() : undefined;
    };
  }
  return (doc) => {
    const parts: string[] = new Array<string>(identity.length);
    for (let i = 0; i < identity.length; i++) {
      let v: unknown = doc;
      for (const step of identity[i]) v = typeof v === 'object' && v !== null ? (v as Doc)[step] : undefined;
      if (v === undefined) return undefined;
      parts[i] = keyPart(v);
    }
    // join makes one flat string (a += chain would keep a tree of cons strings alive in the index).
    return parts.join(SEP);
  };
}

/**
 * One resource's records. `rows` is the primary index: insertion order (the ODS pages by its
 * surrogate key) and, through `seq`, the id — `salt` (20 hex, random per collection) + `seq` (12 hex):
 * a 32-hex id like the ODS's, with no id string or id map kept per record.
 */
export class Collection {
  readonly byKey = new Map<Key, StoredRecord>();
  readonly rows: (StoredRecord | undefined)[] = [];
  /** Deleted slots in `rows` (paging slices only while there are none). */
  holes = 0;
  private live = 0;
  salt: string = newId().slice(0, 20);
  /** Bumped on every change: invalidates paging cursors. */
  mutations = 0;
  readonly deletes: TrackedDelete[] = [];
  readonly keyChanges = new Map<string, KeyChange>();
  readonly keyOf: (doc: Doc) => Key | undefined;
  constructor(readonly model: ResourceModel) {
    this.keyOf = compileKey(model.identity);
  }

  get size(): number {
    return this.live;
  }

  idOf(rec: StoredRecord): string {
    return this.salt + rec.seq.toString(16).padStart(12, '0');
  }

  /** The record an id names, if it is one of ours and still there. */
  get(id: string): StoredRecord | undefined {
    if (id.length !== 32 || !id.startsWith(this.salt)) return undefined;
    const seq = parseInt(id.slice(20), 16);
    return Number.isSafeInteger(seq) ? this.rows[seq] : undefined;
  }

  /** Appends a new record (or puts one back at its place, for a snapshot). */
  add(doc: Doc, cv: number, ts: number, seq = this.rows.length): StoredRecord {
    const rec = new StoredRecord(doc, cv, ts, seq);
    // Slots a snapshot left empty count as holes.
    while (this.rows.length < seq) {
      this.rows.push(undefined);
      this.holes++;
    }
    if (seq === this.rows.length) this.rows.push(rec);
    else {
      if (this.rows[seq] === undefined) this.holes--;
      this.rows[seq] = rec;
    }
    this.live++;
    return rec;
  }

  unlist(rec: StoredRecord): void {
    if (this.rows[rec.seq] !== rec) return;
    this.rows[rec.seq] = undefined;
    this.holes++;
    this.live--;
  }

  *records(): IterableIterator<StoredRecord> {
    for (const r of this.rows) if (r !== undefined) yield r;
  }
}

interface DescriptorEntry {
  readonly rec: StoredRecord;
  /** The stored `namespace#codeValue`, shared by every document that uses it. */
  readonly uri: string;
}

/** Field names of a reference in the target's identity order (undefined when it cannot address that target). */
function fieldOrder(prop: ReferenceProperty, target: ResourceModel): string[] | undefined {
  const out: string[] = [];
  const same = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((s, i) => s === b[i]);
  for (const path of target.identity) {
    // A key part the reference does not carry is unified with one it does (courseOfferings' two schoolIds).
    const unified = target.mustMatch.flatMap((m) => (same(m.left, path) ? [m.right] : same(m.right, path) ? [m.left] : []));
    // Abstract references name the value per target (`educationOrganizationId` is `schoolId` on schools).
    const f = [path, ...unified].map((want) => prop.fields.find((x) => same(x.targetPaths?.[target.path] ?? x.targetPath, want))).find((x) => x !== undefined);
    if (f !== undefined) out.push(f.name);
    else if (target.identity.length === 1 && prop.fields.length === 1) out.push(prop.fields[0].name);
    else return undefined;
  }
  return out;
}

/** The entity a reference names in messages: the target's, or the abstract one (`EducationOrganization`). */
export function referenceEntity(prop: ReferenceProperty, model: EdfiModel): string {
  if (prop.targets.length === 1) return model.resources.get(prop.targets[0])?.entity ?? pascal(prop.name.replace(/Reference$/, ''));
  return pascal(prop.name.replace(/Reference$/, ''));
}

export class Store {
  readonly collections = new Map<string, Collection>();
  readonly relations = new Relations();
  changeVersion = 0;
  /** Any change at all (snapshots write only when this moved). */
  mutations = 0;
  private readonly descriptors = new Map<string, Map<string, DescriptorEntry>>();
  private readonly fieldOrders = new WeakMap<ReferenceProperty, Map<string, string[] | undefined>>();

  constructor(readonly model: EdfiModel) {
    for (const r of model.resources.values()) this.collections.set(r.path, new Collection(r));
  }

  collection(path: string): Collection | undefined {
    return this.collections.get(path);
  }

  // ── descriptors ────────────────────────────────────────────────────────────

  resolveDescriptor(descriptorPath: string, uri: string): string | undefined {
    return this.descriptors.get(descriptorPath)?.get(uri.toLowerCase())?.uri;
  }

  private descriptorEntry(descriptorPath: string, uri: string): DescriptorEntry | undefined {
    return this.descriptors.get(descriptorPath)?.get(uri.toLowerCase());
  }

  private registerDescriptor(col: Collection, rec: StoredRecord, adding: boolean): void {
    const uri = `${String(rec.doc.namespace)}#${String(rec.doc.codeValue)}`;
    let map = this.descriptors.get(col.model.path);
    if (map === undefined) {
      map = new Map<string, DescriptorEntry>();
      this.descriptors.set(col.model.path, map);
    }
    if (adding) map.set(uri.toLowerCase(), { rec, uri });
    else if (map.get(uri.toLowerCase())?.rec === rec) map.delete(uri.toLowerCase());
  }

  // ── references ─────────────────────────────────────────────────────────────

  private orderFor(prop: ReferenceProperty, target: ResourceModel): string[] | undefined {
    let byTarget = this.fieldOrders.get(prop);
    if (byTarget === undefined) {
      byTarget = new Map<string, string[] | undefined>();
      this.fieldOrders.set(prop, byTarget);
    }
    if (!byTarget.has(target.path)) byTarget.set(target.path, fieldOrder(prop, target));
    return byTarget.get(target.path);
  }

  /** The natural key a reference value points at in one target collection. */
  referenceKey(prop: ReferenceProperty, target: Collection, value: Doc): Key | undefined {
    const order = this.orderFor(prop, target.model);
    if (order === undefined) return undefined;
    if (order.length === 1) {
      const v = value[order[0]];
      return typeof v === 'number' ? v : typeof v === 'string' ? v.toLowerCase() : undefined;
    }
    let key = '';
    for (let i = 0; i < order.length; i++) {
      const v = value[order[i]];
      if (v === undefined) return undefined;
      key += i === 0 ? keyPart(v) : SEP + keyPart(v);
    }
    return key;
  }

  resolveReference(prop: ReferenceProperty, value: Doc): StoredRecord | undefined {
    return this.locate(prop, value)?.rec;
  }

  /** The record a reference points at and the collection it is in (abstract references: the concrete one). */
  locate(prop: ReferenceProperty, value: Doc): { col: Collection; rec: StoredRecord } | undefined {
    for (const t of prop.targets) {
      const col = this.collections.get(t);
      if (col === undefined) continue;
      const key = this.referenceKey(prop, col, value);
      const rec = key !== undefined ? col.byKey.get(key) : undefined;
      if (rec !== undefined) return { col, rec };
    }
    return undefined;
  }

  /** Calls back for every reference value in a document (top level, extension, collections, objects). */
  forEachReference(doc: Doc, resource: ResourceModel, fn: (prop: ReferenceProperty, value: Doc) => void): void {
    walkReferences(doc, resource, fn);
  }

  /** The first reference whose item does not exist. */
  missingReference(doc: Doc, resource: ResourceModel): ReferenceProperty | undefined {
    let missing: ReferenceProperty | undefined;
    this.forEachReference(doc, resource, (prop, value) => {
      if (missing === undefined && this.resolveReference(prop, value) === undefined) missing = prop;
    });
    return missing;
  }

  private countTargets(doc: Doc, col: Collection, delta: 1 | -1): void {
    const from = col.model.path;
    const bump = (target: StoredRecord | undefined) => {
      if (target === undefined) return;
      const refs = (target.refs ??= {});
      const n = (refs[from] ?? 0) + delta;
      if (n > 0) refs[from] = n;
      else delete refs[from];
    };
    this.forEachReference(doc, col.model, (prop, value) => bump(this.resolveReference(prop, value)));
    walkDescriptors(doc, col.model, (descriptorPath, uri) => bump(this.descriptorEntry(descriptorPath, uri)?.rec));
  }

  /** A resource that still refers to the record, for the 409 on delete. */
  referrer(rec: StoredRecord): ResourceModel | undefined {
    for (const path in rec.refs) if ((rec.refs[path] ?? 0) > 0) return this.collections.get(path)?.model;
    return undefined;
  }

  // ── writes ─────────────────────────────────────────────────────────────────

  private attach(col: Collection, rec: StoredRecord): void {
    const key = col.keyOf(rec.doc);
    if (key !== undefined) col.byKey.set(key, rec);
    if (col.model.isDescriptor) this.registerDescriptor(col, rec, true);
    this.countTargets(rec.doc, col, 1);
    this.relations.add(col.model, rec.doc);
  }

  /** `rewriting`: the same record comes back at once (an update), so no relationship history is kept. */
  private detach(col: Collection, rec: StoredRecord, rewriting = false): void {
    const key = col.keyOf(rec.doc);
    if (key !== undefined && col.byKey.get(key) === rec) col.byKey.delete(key);
    if (col.model.isDescriptor) this.registerDescriptor(col, rec, false);
    this.countTargets(rec.doc, col, -1);
    this.relations.remove(col.model, rec.doc, !rewriting);
  }

  private touch(col: Collection, rec: StoredRecord): void {
    rec.cv = ++this.changeVersion;
    rec.ts = Math.floor(Date.now() / 1000) - TS_EPOCH;
    col.mutations++;
    this.mutations++;
  }

  insert(col: Collection, doc: Doc): StoredRecord {
    const rec = col.add(doc, 0, 0);
    this.attach(col, rec);
    this.touch(col, rec);
    return rec;
  }

  /** Replaces a record's document under the same natural key; false (no new version) when nothing changed. */
  update(col: Collection, rec: StoredRecord, doc: Doc): boolean {
    if (sameJson(rec.doc, doc)) return false;
    this.detach(col, rec, true);
    rec.doc = doc;
    this.attach(col, rec);
    this.touch(col, rec);
    return true;
  }

  remove(col: Collection, rec: StoredRecord, reach?: readonly number[]): void {
    this.detach(col, rec);
    col.unlist(rec);
    this.touch(col, rec);
    col.deletes.push({ id: col.idOf(rec), changeVersion: rec.cv, keyValues: keyValues(rec.doc, col.model), ...(reach !== undefined ? { reach } : {}) });
  }

  /** "The ODS lost a record": gone without a trace in change tracking. */
  lose(col: Collection, rec: StoredRecord): void {
    this.detach(col, rec);
    col.unlist(rec);
    col.mutations++;
    this.mutations++;
  }

  /** A natural-key change (resources whose identity may be updated): cascades into the records that refer to it. */
  changeKey(col: Collection, rec: StoredRecord, doc: Doc): void {
    this.rekey(col, rec, doc, true);
  }

  private rekey(col: Collection, rec: StoredRecord, doc: Doc, attached: boolean): void {
    const children = this.referrers(col, rec);
    for (const c of children) this.detach(c.col, c.rec);
    const oldKeyValues = keyValues(rec.doc, col.model);
    const old = rec.doc;
    if (attached) this.detach(col, rec);
    rec.doc = doc;
    this.attach(col, rec);
    this.touch(col, rec);
    const id = col.idOf(rec);
    const seen = col.keyChanges.get(id);
    const newKeyValues = keyValues(doc, col.model);
    // Several changes to one item collapse: the first old keys, the latest new keys.
    if (seen !== undefined) Object.assign(seen, { changeVersion: rec.cv, newKeyValues });
    else col.keyChanges.set(id, { id, changeVersion: rec.cv, oldKeyValues, newKeyValues });
    for (const c of children) {
      const rewritten = this.rewriteReferences(c.rec.doc, c.col.model, col, old, doc);
      if (c.col.keyOf(rewritten) !== c.col.keyOf(c.rec.doc)) this.rekey(c.col, c.rec, rewritten, false);
      else {
        c.rec.doc = rewritten;
        this.attach(c.col, c.rec);
        this.touch(c.col, c.rec);
      }
    }
  }

  /** Records whose references point at `rec` (found by the counts, then a scan of those collections). */
  private referrers(col: Collection, rec: StoredRecord): { col: Collection; rec: StoredRecord }[] {
    const out: { col: Collection; rec: StoredRecord }[] = [];
    const key = col.keyOf(rec.doc);
    for (const path in rec.refs) {
      const from = this.collections.get(path);
      if (from === undefined) continue;
      for (const r of from.records()) {
        let hit = false;
        this.forEachReference(r.doc, from.model, (prop, value) => {
          if (!hit && prop.targets.includes(col.model.path) && this.referenceKey(prop, col, value) === key) hit = true;
        });
        if (hit) out.push({ col: from, rec: r });
      }
    }
    return out;
  }

  private rewriteReferences(doc: Doc, model: ResourceModel, target: Collection, oldTarget: Doc, newTarget: Doc): Doc {
    const oldKey = target.keyOf(oldTarget);
    const rewrite = (props: ResourceModel['properties'], src: Doc): Doc => {
      const out: Doc = { ...src };
      for (const p of props) {
        const v = src[p.name];
        if (p.kind === 'reference' && typeof v === 'object' && v !== null && p.targets.includes(target.model.path)) {
          const order = this.orderFor(p, target.model);
          if (order !== undefined && this.referenceKey(p, target, v as Doc) === oldKey) {
            const next: Doc = { ...(v as Doc) };
            target.model.identity.forEach((path, i) => {
              // order[i] names the reference field that holds identity value i of the target.
              let nv: unknown = newTarget;
              for (const s of path) nv = typeof nv === 'object' && nv !== null ? (nv as Doc)[s] : undefined;
              next[order[i]] = nv;
            });
            out[p.name] = next;
          }
        } else if (p.kind === 'collection' && Array.isArray(v)) {
          out[p.name] = (v as Doc[]).map((item) => rewrite(p.item.properties, item));
        }
      }
      return out;
    };
    return rewrite(model.properties, doc);
  }

  // ── snapshots ──────────────────────────────────────────────────────────────

  /** Puts a record back as it was (snapshot load); call `reindex()` once all are in. */
  restore(col: Collection, seq: number, doc: Doc, cv: number, ts: number): void {
    col.add(doc, cv, ts, seq);
    if (cv > this.changeVersion) this.changeVersion = cv;
  }

  reindex(): void {
    for (const col of this.collections.values()) {
      for (const rec of col.records()) {
        const key = col.keyOf(rec.doc);
        if (key !== undefined) col.byKey.set(key, rec);
        if (col.model.isDescriptor) this.registerDescriptor(col, rec, true);
      }
    }
    for (const col of this.collections.values()) {
      for (const rec of col.records()) {
        this.countTargets(rec.doc, col, 1);
        this.relations.add(col.model, rec.doc);
      }
    }
  }
}

/** The `_ext.TX` object of a document or collection item, when its shape has an extension. */
function extensionOf(doc: Doc, shape: ObjectShape): Doc | undefined {
  return shape.extension !== undefined ? ((doc._ext as Doc | undefined)?.TX as Doc | undefined) : undefined;
}

function walkReferences(doc: Doc, shape: ObjectShape, fn: (prop: ReferenceProperty, value: Doc) => void): void {
  for (const p of shape.properties) {
    const v = doc[p.name];
    if (v === undefined) continue;
    if (p.kind === 'reference') fn(p, v as Doc);
    else if (p.kind === 'collection') for (const item of v as Doc[]) walkReferences(item, p.item, fn);
    else if (p.kind === 'object') walkReferences(v as Doc, p.shape, fn);
  }
  const tx = extensionOf(doc, shape);
  if (tx !== undefined) walkReferences(tx, shape.extension!, fn);
}

function walkDescriptorProps(doc: Doc, shape: ObjectShape, fn: (descriptorPath: string, uri: string) => void): void {
  for (const p of shape.properties) {
    const v = doc[p.name];
    if (v === undefined) continue;
    if (p.kind === 'descriptor') fn(p.descriptor, v as string);
    else if (p.kind === 'reference') {
      for (const f of p.fields) if (f.type.kind === 'descriptor' && typeof (v as Doc)[f.name] === 'string') fn(f.type.descriptor, (v as Doc)[f.name] as string);
    } else if (p.kind === 'collection') for (const item of v as Doc[]) walkDescriptorProps(item, p.item, fn);
    else if (p.kind === 'object') walkDescriptorProps(v as Doc, p.shape, fn);
  }
  const tx = extensionOf(doc, shape);
  if (tx !== undefined) walkDescriptorProps(tx, shape.extension!, fn);
}

export function walkDescriptors(doc: Doc, resource: ResourceModel, fn: (descriptorPath: string, uri: string) => void): void {
  walkDescriptorProps(doc, resource, fn);
}

/** Natural-key values by their last path segment (`{entryDate, schoolId, studentUniqueId}`), as change queries list them. */
export function keyValues(doc: Doc, resource: ResourceModel): KeyValues {
  const out: KeyValues = {};
  for (const path of resource.identity) {
    let v: unknown = doc;
    for (const s of path) v = typeof v === 'object' && v !== null ? (v as Doc)[s] : undefined;
    out[path[path.length - 1]] = v;
  }
  return out;
}

/** Structural equality of two JSON values, without serializing them. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (!sameJson((a as Doc)[k], (b as Doc)[k])) return false;
  return true;
}

const DOTNET_EPOCH_TICKS = 621355968000000000n;
const UTC_KIND = 1n << 62n;

/** `DateTime.ToBinary()` of the UTC last-modified time, the ODS's ETag; the sub-second ticks come from the change version, so every write differs. */
export function etagOf(rec: StoredRecord): string {
  return ((BigInt(rec.ts + TS_EPOCH) * 10_000_000n + BigInt(rec.cv % 10_000_000) + DOTNET_EPOCH_TICKS) | UTC_KIND).toString();
}

/** ISO-8601 UTC with seven fractional digits, matching the ETag's ticks. */
export function lastModifiedOf(rec: StoredRecord): string {
  const iso = new Date((rec.ts + TS_EPOCH) * 1000).toISOString();
  return `${iso.slice(0, 19)}.${String(rec.cv % 10_000_000).padStart(7, '0')}Z`;
}
