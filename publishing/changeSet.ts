/**
 * Now – Changes driven by the SIS event queue: which records of a resource the events since the
 * last complete run can have touched. A resource declares, for every SIS table its extract reads,
 * how an event on that table leads to its records; anything it cannot follow makes the run extract
 * the whole resource, which is always right, only slower.
 */

/** How one SIS table's events lead to a resource's records (its SIS objects). */
export type ChangeFollow =
  /** The event's object key is the resource's object itself (its primary table). */
  | 'key'
  /**
   * SQL from the changed rows' keys (`$1::text[]`) to the objects they feed (one text column,
   * `object`). `movesWith`: columns whose change moves a row from one object to another (a school
   * day's date moves it between grading periods) — the object it left cannot be found any more, so
   * such an update (or one that does not say which columns changed) reads the whole resource.
   * `reads`: the only columns of the table the resource reads — an update that changed none of them
   * (a school day's event code, for the sessions that count its instruction) is no change to it.
   */
  | { readonly sql: string; readonly movesWith?: readonly string[]; readonly reads?: readonly string[] }
  /** A change here cannot be traced to records (e.g. shared code tables): extract everything. */
  | 'everything';

export interface ChangeSources {
  /**
   * How a catalog source key names the SIS object a change is traced to: the whole key, or the part
   * before its first `-` (a section's records are `sectionID-termID`, one per term it meets in).
   */
  readonly objectOfKey: 'whole' | 'beforeDash';
  /** Every SIS table the extract reads (a unit test holds each mapper to its SQL). */
  readonly tables: Readonly<Record<string, ChangeFollow>>;
  /**
   * For tables read whole (`everything`), the only columns the resource reads: an update that
   * changed none of them (a school's name, for the calendars keyed by its number) is no change to it
   * — not a reason to read it whole, nor to queue its category in near-real time.
   */
  readonly wholeReads?: Readonly<Record<string, readonly string[]>>;
}

/**
 * A small resource's sources: any change in a table it reads means reading it whole (cheap), and
 * no change means reading nothing — what makes Now – Changes quick when little changed.
 */
export function readWholeOnAnyChange(tables: readonly string[], wholeReads?: Readonly<Record<string, readonly string[]>>): ChangeSources {
  return {
    objectOfKey: 'whole',
    tables: Object.fromEntries(tables.map((t) => [t, 'everything' as const])),
    ...(wholeReads !== undefined ? { wholeReads } : {}),
  };
}

/**
 * Whether an event can change a resource's records at all: its table is read, and an update changed
 * a column the resource reads (or moves a row between records). What Data Changes asks before it
 * queues a category; the change set (below) then follows each such event to the records.
 */
export function eventCanChange(
  sources: ChangeSources,
  e: Pick<ChangeEvent, 'table' | 'action' | 'changedColumns'>,
  keyColumnOf: (table: string) => string | undefined,
): boolean {
  const follow = sources.tables[e.table];
  if (follow === undefined) return false;
  if (e.action !== 'update' || follow === 'key') return true;
  // A row that changed its key may have left records behind: always a change.
  const key = keyColumnOf(e.table)?.toLowerCase();
  if (key !== undefined && e.changedColumns?.includes(key) !== false) return true;
  if (follow === 'everything') return changesWhatIsRead({ reads: sources.wholeReads?.[e.table] }, e.changedColumns);
  return movedBy(follow, e.changedColumns) !== undefined || changesWhatIsRead(follow, e.changedColumns);
}

/** One event as the change set needs it. */
export interface ChangeEvent {
  readonly table: string;
  readonly objectKey: string;
  readonly action: 'insert' | 'update' | 'delete';
  readonly changedColumns: readonly string[] | null;
}

export type ChangeSet =
  | { readonly kind: 'everything'; readonly why: string }
  | {
      readonly kind: 'objects';
      /** Objects named by the events themselves. */
      readonly objects: ReadonlySet<string>;
      /** Per traced table, the changed row keys to run its SQL on. */
      readonly traced: ReadonlyMap<string, ReadonlySet<string>>;
    };

/**
 * Reads the events of one resource's tables. A delete — or a change of a row's key — in a traced
 * table cannot be followed: the rows that pointed at it no longer say so, so the whole resource
 * is extracted.
 */
export function changeSetOf(sources: ChangeSources, events: Iterable<ChangeEvent>, keyColumnOf: (table: string) => string | undefined): ChangeSet {
  const objects = new Set<string>();
  const traced = new Map<string, Set<string>>();
  for (const e of events) {
    const follow = sources.tables[e.table];
    if (follow === undefined) continue;
    if (follow === 'key') {
      objects.add(e.objectKey);
      continue;
    }
    if (follow === 'everything') {
      if (!eventCanChange(sources, e, keyColumnOf)) continue;
      return { kind: 'everything', why: `a change in ${e.table}, which feeds every record` };
    }
    if (e.action === 'delete') return { kind: 'everything', why: `a ${e.table} row was deleted (the records that used it cannot be traced)` };
    const key = keyColumnOf(e.table)?.toLowerCase();
    if (e.action === 'update' && key !== undefined && e.changedColumns?.includes(key) === true)
      return { kind: 'everything', why: `a ${e.table} row changed its key` };
    const moved = e.action === 'update' ? movedBy(follow, e.changedColumns) : undefined;
    if (moved !== undefined) return { kind: 'everything', why: `a ${e.table} row changed its ${moved}, which moves it between records` };
    if (e.action === 'update' && !changesWhatIsRead(follow, e.changedColumns)) continue;
    let keys = traced.get(e.table);
    if (keys === undefined) traced.set(e.table, (keys = new Set()));
    keys.add(e.objectKey);
  }
  return { kind: 'objects', objects, traced };
}

/** Whether an update changed a column the resource reads (when it declares them; an update that does not say what it changed may have). */
function changesWhatIsRead(follow: { readonly reads?: readonly string[] }, changed: readonly string[] | null): boolean {
  if (follow.reads === undefined || changed === null) return true;
  return follow.reads.some((c) => changed.includes(c.toLowerCase()));
}

/** The column of `movesWith` an update changed (any of them, when it does not say which), or undefined. */
function movedBy(follow: { readonly movesWith?: readonly string[] }, changed: readonly string[] | null): string | undefined {
  const moves = follow.movesWith ?? [];
  if (moves.length === 0) return undefined;
  if (changed === null) return moves.join(' or ');
  return moves.find((c) => changed.includes(c.toLowerCase()));
}

/** The SQL expression (over a catalog row's `source_key`, of table `alias` when given) that gives the object it is traced by. */
export function catalogObjectSql(sources: ChangeSources, alias?: string): string {
  const key = alias !== undefined ? `${alias}.source_key` : 'source_key';
  return sources.objectOfKey === 'whole' ? key : `split_part(${key}, '-', 1)`;
}
