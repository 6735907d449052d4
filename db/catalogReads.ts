/**
 * What the dashboard reads from the catalog: counts per resource and status (from the trigger-kept
 * `catalog_counts`, a few hundred rows), the schools with records, a page of an entity's records
 * (sorted and filtered by the list's columns or the natural key's fields), and one record whole.
 */
import type pg from 'pg';
import type { CatalogStatus } from '../publishing/outcome.js';

type Conn = pg.Pool | pg.ClientBase;

export interface CatalogScope {
  readonly profileId: string;
  readonly schoolYear: number;
  /** One school's records (its catalog id); the district's when undefined. */
  readonly school?: string | undefined;
}

export interface CountRow {
  readonly resource: string;
  readonly status: CatalogStatus;
  readonly n: string | number;
  readonly last: Date | string | null;
}

export async function catalogCounts(conn: Conn, scope: CatalogScope): Promise<CountRow[]> {
  const { rows } = await conn.query<CountRow>(
    `SELECT resource, status, sum(n) AS n, max(last) AS last FROM catalog_counts WHERE profile_id = $1 AND school_year = $2 ${scope.school !== undefined ? 'AND school_id = $3' : ''} GROUP BY resource, status HAVING sum(n) > 0`,
    scope.school !== undefined ? [scope.profileId, scope.schoolYear, scope.school] : [scope.profileId, scope.schoolYear],
  );
  return rows;
}

/** Catalog ids of the schools that have records in the year. */
export async function schoolsWithRecords(conn: Conn, scope: CatalogScope): Promise<string[]> {
  const { rows } = await conn.query<{ school_id: string }>(
    "SELECT DISTINCT school_id FROM catalog_counts WHERE profile_id = $1 AND school_year = $2 AND school_id <> '' AND n > 0 ORDER BY school_id",
    [scope.profileId, scope.schoolYear],
  );
  return rows.map((r) => r.school_id);
}

/** Name and state number of schools by catalog id, once their school record was sent. */
export async function schoolNames(
  conn: Conn,
  scope: CatalogScope,
  ids: readonly string[],
): Promise<Map<string, { name: string | null; number: string | null }>> {
  if (ids.length === 0) return new Map();
  const keys = [...new Set(ids)];
  const { rows } = await conn.query<{ source_key: string; name: string | null; number: string | null }>(
    `SELECT source_key, sent_json->>'nameOfInstitution' AS name, (natural_key::jsonb)->>'schoolId' AS number FROM catalog WHERE profile_id = $1 AND school_year = $2 AND resource = 'schools' AND source_key = ANY($3)`,
    [scope.profileId, scope.schoolYear, keys],
  );
  return new Map(rows.map((r) => [r.source_key, { name: r.name, number: r.number }]));
}

/** The record list's columns, by the API's names. */
export const LIST_COLUMNS = {
  sourceKey: 'source_key',
  schoolId: 'school_id',
  status: 'status',
  statusDescription: 'status_description',
  lastActivity: 'updated_at',
  edfiId: 'edfi_id',
} as const;
export type ListColumn = keyof typeof LIST_COLUMNS | { readonly key: string } | { readonly display: string };

/**
 * A list column by the API's name: one of LIST_COLUMNS, `key.<field>` of the natural key, or
 * `col.<id>` of the columns the resource's mapper declares; undefined for anything else.
 */
export function listColumn(name: string): ListColumn | undefined {
  if (Object.hasOwn(LIST_COLUMNS, name)) return name as keyof typeof LIST_COLUMNS;
  if (/^key\.[A-Za-z0-9_]+$/.test(name)) return { key: name.slice(4) };
  if (/^col\.[A-Za-z0-9_]+$/.test(name)) return { display: name.slice(4) };
  return undefined;
}

/** The column's SQL; a field's name goes in as a value (`arg` gives its placeholder). */
const columnSql = (c: ListColumn, arg: (v: unknown) => string): string =>
  typeof c === 'string' ? `"${LIST_COLUMNS[c]}"` : 'key' in c ? `(natural_key::jsonb ->> ${arg(c.key)})` : `(display ->> ${arg(c.display)})`;

export interface RecordsQuery {
  readonly resource: string;
  /** The statuses shown; every one but deleted when undefined. */
  readonly statuses: readonly CatalogStatus[] | undefined;
  readonly filters: ReadonlyArray<{ readonly column: ListColumn; readonly text: string }>;
  readonly sort: ListColumn;
  readonly order: 'asc' | 'desc';
  readonly page: number;
  readonly pageSize: number;
}

export interface RecordListRow {
  readonly sourceKey: string;
  readonly schoolId: string | null;
  readonly naturalKey: string;
  readonly status: CatalogStatus;
  readonly statusDescription: string | null;
  readonly updatedAt: Date;
  readonly edfiId: string | null;
  readonly display: Record<string, unknown> | null;
}

export async function recordsPage(conn: Conn, scope: CatalogScope, q: RecordsQuery): Promise<{ total: number; rows: RecordListRow[] }> {
  const args: unknown[] = [];
  // Each value's placeholder is its place in `args`.
  const arg = (v: unknown): string => `$${args.push(v)}`;
  const where: string[] = [`profile_id = ${arg(scope.profileId)}`, `school_year = ${arg(scope.schoolYear)}`, `resource = ${arg(q.resource)}`];
  if (scope.school !== undefined) where.push(`school_id = ${arg(scope.school)}`);
  if (q.statuses !== undefined) where.push(`status = ANY(${arg(q.statuses)})`);
  for (const f of q.filters) {
    const like = arg(`%${f.text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
    // A clerk filters schools by what the list shows: the name or state number, as well as the id.
    if (f.column === 'schoolId')
      where.push(
        `(school_id ILIKE ${like} OR school_id IN (SELECT s.source_key FROM catalog s WHERE s.profile_id = $1 AND s.school_year = $2 AND s.resource = 'schools'
           AND (s.sent_json ->> 'nameOfInstitution' ILIKE ${like} OR s.display ->> 'schoolName' ILIKE ${like} OR s.natural_key ILIKE ${like})))`,
      );
    else where.push(`${columnSql(f.column, arg)}::text ILIKE ${like}`);
  }
  const whereSql = where.join(' AND ');
  // Without text filters the total comes from the trigger-kept counts, not a count of millions.
  const { rows: counted } =
    q.filters.length > 0
      ? await conn.query<{ total: string }>(`SELECT count(*) AS total FROM catalog WHERE ${whereSql}`, args)
      : await conn.query<{ total: string }>(
          `SELECT coalesce(sum(n), 0) AS total FROM catalog_counts WHERE profile_id = $1 AND school_year = $2 AND resource = $3${scope.school !== undefined ? ' AND school_id = $4' : ''}${q.statuses !== undefined ? ` AND status = ANY($${scope.school !== undefined ? 5 : 4})` : " AND status <> 'deleted'"}`,
          [
            scope.profileId,
            scope.schoolYear,
            q.resource,
            ...(scope.school !== undefined ? [scope.school] : []),
            ...(q.statuses !== undefined ? [q.statuses] : []),
          ],
        );
  const total = counted[0]?.total ?? '0';
  const dir = q.order === 'desc' ? 'DESC' : 'ASC';
  // Last activity is never null: one direction for both keys lets the activity index serve the page.
  const orderBy = q.sort === 'lastActivity' ? `updated_at ${dir}, source_key ${dir}` : `${columnSql(q.sort, arg)} ${dir} NULLS LAST, source_key`;
  const page = `LIMIT ${arg(q.pageSize)} OFFSET ${arg((q.page - 1) * q.pageSize)}`;
  const { rows } = await conn.query<RecordListRow>(
    `SELECT source_key AS "sourceKey", school_id AS "schoolId", natural_key AS "naturalKey", status, status_description AS "statusDescription", updated_at AS "updatedAt", edfi_id AS "edfiId",
            display
       FROM catalog WHERE ${whereSql} ORDER BY ${orderBy} ${page}`,
    args,
  );
  return { total: Number(total), rows };
}

export interface RecordDetail {
  readonly sourceKey: string;
  readonly schoolId: string | null;
  readonly schoolYear: number;
  readonly edfiId: string | null;
  readonly status: CatalogStatus;
  readonly statusDescription: string | null;
  readonly httpStatus: number | null;
  readonly attempts: number;
  readonly firstPublishedAt: Date | null;
  readonly lastPublishedAt: Date | null;
  readonly lastAttemptAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly naturalKey: string;
  readonly sentJson: unknown;
}

export async function recordDetail(conn: Conn, scope: CatalogScope, resource: string, sourceKey: string): Promise<RecordDetail | undefined> {
  const { rows } = await conn.query<RecordDetail>(
    `SELECT source_key AS "sourceKey", school_id AS "schoolId", school_year AS "schoolYear", edfi_id AS "edfiId", status, status_description AS "statusDescription",
            http_status AS "httpStatus", attempts, first_published_at AS "firstPublishedAt", coalesce(last_published_at, first_published_at) AS "lastPublishedAt",
            last_attempt_at AS "lastAttemptAt", created_at AS "createdAt", updated_at AS "updatedAt", natural_key AS "naturalKey", sent_json AS "sentJson"
       FROM catalog WHERE profile_id = $1 AND school_year = $2 AND resource = $3 AND source_key = $4`,
    [scope.profileId, scope.schoolYear, resource, sourceKey],
  );
  return rows[0];
}
