/**
 * What every resource mapper is: how one Ed-Fi resource is read from the SIS replica for a
 * profile, a school year and a scope (district or one school), and turned into the JSON the API
 * takes — or into a computed dependency or error with the reason a clerk can act on.
 */
import type pg from 'pg';
import Cursor from 'pg-cursor';
import type { DataStandard, TedsVersion } from '../edfi/model/types.js';
import type { ChangeSources } from '../publishing/changeSet.js';
import type { CodeSetId } from '../publishing/codeSets.js';
import type { StrayOwnership } from '../publishing/resyncOwnership.js';
import type { ProfileKind, ProfileSettings, SettingName } from '../publishing/profileSettings.js';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type EdfiDocument = { [key: string]: Json };

/** Local code → descriptor URI, through the profile's code-set mappings. */
export interface DescriptorLookup {
  /**
   * The mapped descriptor URI, or (unmapped) the local descriptor in the profile's namespace prefix,
   * recorded so the Descriptors category publishes it. Undefined for an empty code.
   */
  uri(codeSet: CodeSetId, code: string | null | undefined, schoolId?: number | null): string | undefined;
  /** Only a mapped value: undefined when the code is empty or unmapped (where the state needs its own code). */
  mapped(codeSet: CodeSetId, code: string | null | undefined, schoolId?: number | null): string | undefined;
}

/**
 * One choice a resource offers beyond its on/off toggle (the seed's "Resource Preferences"),
 * declared by its mapper: the Configure page lists it under the resource, the API accepts it by
 * `key`, and changing it makes the next Now – Changes read that resource whole.
 */
export interface PreferenceOption {
  readonly key: string;
  /** What the Configure page shows, e.g. "Report grade levels". */
  readonly label: string;
  /** Why a district would turn it on or off. */
  readonly help: string;
  readonly default: boolean;
}

/** Per-profile choices for a resource. */
export interface ResourcePreferences {
  /** Resource toggled off: what was sent stays, nothing new is sent. */
  readonly enabled: boolean;
  /** The stored choices by option key; an option not stored has its default (`optionOn`). */
  readonly options: Readonly<Record<string, boolean>>;
}

export const DEFAULT_PREFERENCES: ResourcePreferences = { enabled: true, options: {} };

/** The toggle and every declared option's value (stored or default), what the mapper reads: a stray stored key does not count. */
export function effectivePreferences(preferences: ResourcePreferences, declared: readonly PreferenceOption[]): ResourcePreferences {
  return { enabled: preferences.enabled, options: Object.fromEntries(declared.map((o) => [o.key, optionOn(preferences, o)])) };
}

/** The option's value for this profile: stored, or its default. */
export function optionOn(preferences: ResourcePreferences, option: PreferenceOption): boolean {
  return preferences.options[option.key] ?? option.default;
}

export interface PublishContext {
  readonly profileId: string;
  /** The profile's type and SIS product: what it publishes (publishing/profileScope.ts). */
  readonly kind: ProfileKind;
  readonly schoolYear: number;
  readonly dataStandard: DataStandard;
  /** Texas extension version the profile's API runs; none when undefined. */
  readonly teds?: TedsVersion | undefined;
  /** One school (SIS school id) — the dashboard's school context; the district when undefined. */
  readonly schoolId?: number | undefined;
  readonly descriptors: DescriptorLookup;
  readonly preferences: (resource: string) => ResourcePreferences;
  /** A profile setting's value (stored, or its default for the profile's kind); a mapper declares the ones it reads in `settings`. */
  readonly setting: <N extends SettingName>(name: N) => ProfileSettings[N];
  /** Now – Last 14 Days: the first day of the window (a mapper with `recent` reads only records from it); undefined otherwise. */
  readonly since?: string | undefined;
}

/**
 * What "the last 14 days" means for a dated resource (attendance): the natural-key field holding
 * its records' date, and the SQL giving the latest such date the SIS holds for the school year
 * (`$1`; one text column, `latest`) — the SIS's "today".
 */
export interface RecentWindow {
  readonly naturalKeyDate: string;
  readonly latestSql: string;
}

/** A column a record list shows for this resource besides the school, status and activity (the guide's per-entity columns). */
export interface ListColumnSpec {
  /** The key of the record's `display` value, e.g. `studentName`. */
  readonly id: string;
  /** The heading, e.g. "Student Name". */
  readonly label: string;
}

export interface MappedRecord {
  /** The SIS object key (the seed's identity-mapping object key): stable across natural-key changes. */
  readonly sourceKey: string;
  /** SIS school the record belongs to (the school context filter); null for district-level records. */
  readonly schoolId: number | null;
  readonly doc: EdfiDocument;
  /** A required element is missing: withheld as a computed dependency with this reason. */
  readonly dependency?: string;
  /** Known to fail at the API: withheld as a computed error with this message (and fix). */
  readonly error?: string;
  /** Kept out of publishing by the profile's settings (e.g. ExcludeStudentsWithoutUniqueIDs): never sent, listed as excluded with this reason. */
  readonly excluded?: string;
  /** The values of its mapper's `listColumns`, by id: what the record list shows (never sent). */
  readonly display?: Readonly<Record<string, string | number | null>>;
}

export interface ResourceMapper {
  /** Resource path, e.g. `ed-fi/calendars`. */
  readonly resource: string;
  /** The SIS query its extract runs: what a test holds its change sources against (every table it reads). */
  readonly sql: string;
  /**
   * The code sets whose mappings its JSON depends on: mapping one of their codes makes the next
   * Now – Changes read this resource whole (and no other).
   */
  readonly codeSets: readonly CodeSetId[];
  /** Raise when this mapper's output changes (a new field, a new rule): the next Now – Changes reads it whole. */
  readonly revision: number;
  /**
   * How resync knows an ODS record it did not send is the district's (a stray to delete): by the
   * education-organization ids it carries (the default), or `none` for person resources, whose
   * records resync then never deletes unless the catalog knows them (publishing/resyncOwnership.ts).
   */
  readonly strayOwnership?: StrayOwnership;
  /** The profile settings it reads through `ctx.setting(name)`: changing one makes the next Now – Changes read it whole. */
  readonly settings?: readonly SettingName[];
  /** Dated resources offer Now – Last 14 Days; the others treat it as Now – Changes. */
  readonly recent?: RecentWindow;
  /** The record list's columns besides school, status and activity (the natural key's fields when absent); each record's `display` fills them. */
  readonly listColumns?: readonly ListColumnSpec[];
  /** Choices beyond the toggle it reads through `ctx.preferences(resource)` (none when absent). */
  readonly preferenceOptions?: readonly PreferenceOption[];
  /**
   * The SIS rows of the context's year and scope as records; `sourceKeys` narrows to some records
   * (a source key, or the SIS object its `changes` trace: a section id names all its terms' records).
   */
  extract(sis: pg.ClientBase, ctx: PublishContext, sourceKeys?: readonly string[]): AsyncIterable<MappedRecord>;
  /**
   * How the SIS event queue leads to this resource's records, so Now – Changes extracts only the
   * records changed since the last complete run (small resources: `readWholeOnAnyChange`, nothing
   * when none of their tables changed, everything when one did).
   */
  readonly changes: ChangeSources;
}

/** Rows read per round trip while streaming an extract. */
export const FETCH_ROWS = 5_000;
/**
 * Rows of the first round trip: a streamed extract's first batch (FIRST_STREAMED_BATCH records)
 * is planned and sent without waiting for a whole fetch to be read and mapped. Two rounds of an
 * ODS's 64 connections: a burst's first POSTs wait for 128 students read, mapped and planned, not
 * 500 (~60 ms of its way to the ODS).
 */
export const FIRST_FETCH_ROWS = 128;

/**
 * The size of a stream's `n`th read (or batch): the small first one, doubling up to `most`. Each is
 * read and planned while the one before is sent (reading runs ~4× faster than an ODS's 64
 * connections take the records), so the connections stay busy from the first batch on.
 */
export function rampedRows(n: number, most: number): number {
  return Math.min(most, FIRST_FETCH_ROWS * 2 ** n);
}
/**
 * Rows handed on between two turns of the event loop. A fetch's rows are mapped, hashed and staged
 * in microtasks alone, which never let the worker's HTTP answers in: 5,000 of them held the sends'
 * connections idle for a fifth of a second each fetch, while the extract streamed beside them. At
 * 250 a turn, a streamed burst's hand-overs through the worker (a reported batch's workflow task,
 * its sendBatch's start) still waited behind turns of students being mapped: 100 (2026-12-07).
 */
const ROWS_PER_TURN = 100;

/**
 * Every row `read` hands back, small fetches growing to whole ones, until a fetch comes back short;
 * yielding to the event loop every ROWS_PER_TURN rows.
 */
async function* fetched<R>(read: (size: number) => Promise<R[]>): AsyncGenerator<R> {
  for (let n = 0; ; n++) {
    const size = rampedRows(n, FETCH_ROWS);
    const rows = await read(size);
    for (let i = 0; i < rows.length; i++) {
      if (i > 0 && i % ROWS_PER_TURN === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      yield rows[i];
    }
    if (rows.length < size) return;
  }
}

/** How an extract reads: the whole resource, or the records of some keys. */
export type ExtractRead = 'whole' | 'keyed';

/**
 * Runs one extract query (the mappers' single query each), narrowed to `sourceKeys` when given,
 * streaming it: a resource of a million rows never sits in the worker's memory at once, only the
 * rows of one fetch.
 *
 * A whole read goes through a declared cursor: Postgres plans those for their first rows, where a
 * protocol-level portal is planned for the last — the enrollments' hash joins and sort made the
 * first 500 rows of 60,000 wait 380 ms, against 6–9 ms declared, for the same total (measured on
 * the `large` district). A streamed extract's first batch is sent that much sooner. A keyed read
 * (a few thousand keys at a time) keeps the portal: its total is what a Now – Changes waits for.
 */
export async function* rowsOf<R extends pg.QueryResultRow>(
  sis: pg.ClientBase,
  sql: string,
  params: readonly unknown[],
  read: ExtractRead = 'keyed',
): AsyncGenerator<R> {
  if (read === 'whole') {
    yield* declaredRows<R>(sis, sql, params);
    return;
  }
  const cursor = sis.query(new Cursor<R>(sql, [...params]));
  try {
    yield* fetched((size) => cursor.read(size));
  } finally {
    await cursor.close();
  }
}

/** The cursor's name: one extract reads at a time on a SIS connection. */
const WHOLE_READ = 'edx_whole_read';

async function* declaredRows<R extends pg.QueryResultRow>(sis: pg.ClientBase, sql: string, params: readonly unknown[]): AsyncGenerator<R> {
  // A cursor lives in a transaction; read only, so a hot standby replica serves it too.
  await sis.query('BEGIN READ ONLY');
  let failed = false;
  try {
    await sis.query(`DECLARE ${WHOLE_READ} NO SCROLL CURSOR FOR ${sql}`, [...params]);
    yield* fetched(async (size) => (await sis.query<R>(`FETCH ${size} FROM ${WHOLE_READ}`)).rows);
  } catch (err) {
    failed = true;
    // The read's own error is the one to report, whatever the rollback meets (a broken connection).
    await sis.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    // Also when the reader stops early: the transaction and its cursor end either way.
    if (!failed) await sis.query('COMMIT');
  }
}

/** What a mapper's SQL takes, in order (`$1`, `$2`, …): the context's year or school, the narrowing source keys, or a value of its own. */
export type SqlParam = 'schoolYear' | 'schoolId' | 'sourceKeys' | ((ctx: PublishContext) => unknown);

/**
 * Text keys in a SQL parameter as integer ids, for `id = ANY(${integerIds('$1')})`: the id column's
 * index finds a few thousand records of a large table, where `id::text = ANY($1)` casts every row
 * of it. A key that is not a number (an older key format) matches nothing, as before.
 */
export function integerIds(param: `$${number}`): string {
  return `ARRAY(SELECT k::bigint FROM unnest(${param}::text[]) k WHERE k ~ '^[0-9]{1,18}$')`;
}

/** The keyed read's keys (`$3`) as integer ids. */
export const KEY_IDS = integerIds('$3');

/**
 * The common mapper: one SQL query, one row per record. It declares everything else about itself
 * (resource, code sets, revision, change sources, …) and how a row becomes a record; the
 * streaming extract is built here.
 */
export function sqlMapper<R extends pg.QueryResultRow>(
  spec: Omit<ResourceMapper, 'extract'> & { readonly params: readonly SqlParam[]; readonly record: (row: R, ctx: PublishContext) => MappedRecord },
): ResourceMapper {
  const { params, record, ...mapper } = spec;
  return {
    ...mapper,
    async *extract(sis, ctx, sourceKeys) {
      const values = params.map((p) =>
        p === 'schoolYear' ? ctx.schoolYear : p === 'schoolId' ? (ctx.schoolId ?? null) : p === 'sourceKeys' ? (sourceKeys ?? null) : p(ctx),
      );
      for await (const row of rowsOf<R>(sis, spec.sql, values, sourceKeys === undefined ? 'whole' : 'keyed')) yield record(row, ctx);
    },
  };
}
