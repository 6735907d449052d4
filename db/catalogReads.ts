/**
 * What the dashboard reads from the catalog: counts per resource and status (from the trigger-kept
 * `catalog_counts`, a few hundred rows), the schools with records, a page of an entity's records
 * (sorted and filtered by the list's columns or the natural key's fields), and one record whole.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import type { CatalogStatus } from '../publishing/outcome.js';

type Conn = ReturnType<MikroORM['em']['getConnection']>;

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
  return conn.execute<CountRow[]>(
    `SELECT resource, status, sum(n) AS n, max(last) AS last FROM catalog_counts WHERE profile_id = ? AND school_year = ? ${scope.school !== undefined ? 'AND school_id = ?' : ''} GROUP BY resource, status HAVING sum(n) > 0`,
    scope.school !== undefined ? [scope.profileId, scope.schoolYear, scope.school] : [scope.profileId, scope.schoolYear],
  );
}

/** Catalog ids of the schools that have records in the year. */
export async function schoolsWithRecords(conn: Conn, scope: CatalogScope): Promise<string[]> {
  const rows = await conn.execute<Array<{ school_id: string }>>(
    "SELECT DISTINCT school_id FROM catalog_counts WHERE profile_id = ? AND school_year = ? AND school_id <> '' AND n > 0 ORDER BY school_id",
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
  const rows = await conn.execute<Array<{ source_key: string; name: string | null; number: string | null }>>(
    `SELECT source_key, sent_json->>'nameOfInstitution' AS name, (natural_key::jsonb)->>'schoolId' AS number FROM catalog WHERE profile_id = ? AND school_year = ? AND resource = 'schools' AND source_key IN (${keys.map(() => '?').join(', ')})`,
    [scope.profileId, scope.schoolYear, ...keys],
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
export type ListColumn = keyof typeof LIST_COLUMNS | { readonly key: string };

/** A list column by the API's name: one of LIST_COLUMNS, or `key.<field>` of the natural key; undefined for anything else. */
export function listColumn(name: string): ListColumn | undefined {
  if (Object.hasOwn(LIST_COLUMNS, name)) return name as keyof typeof LIST_COLUMNS;
  if (/^key\.[A-Za-z0-9_]+$/.test(name)) return { key: name.slice(4) };
  return undefined;
}

const columnSql = (c: ListColumn): { sql: string; args: unknown[] } =>
  typeof c === 'string' ? { sql: `"${LIST_COLUMNS[c]}"`, args: [] } : { sql: '(natural_key::jsonb ->> ?)', args: [c.key] };

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
}

export async function recordsPage(conn: Conn, scope: CatalogScope, q: RecordsQuery): Promise<{ total: number; rows: RecordListRow[] }> {
  const where: string[] = ['profile_id = ?', 'school_year = ?', 'resource = ?'];
  const args: unknown[] = [scope.profileId, scope.schoolYear, q.resource];
  if (scope.school !== undefined) {
    where.push('school_id = ?');
    args.push(scope.school);
  }
  if (q.statuses !== undefined) {
    where.push(`status IN (${q.statuses.map(() => '?').join(', ')})`);
    args.push(...q.statuses);
  }
  for (const f of q.filters) {
    const col = columnSql(f.column);
    where.push(`${col.sql}::text ILIKE ?`);
    args.push(...col.args, `%${f.text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
  }
  const whereSql = where.join(' AND ');
  // Without text filters the total comes from the trigger-kept counts, not a count of millions.
  const [{ total }] =
    q.filters.length > 0
      ? await conn.execute<[{ total: string }]>(`SELECT count(*) AS total FROM catalog WHERE ${whereSql}`, args)
      : await conn.execute<[{ total: string }]>(
          `SELECT coalesce(sum(n), 0) AS total FROM catalog_counts WHERE profile_id = ? AND school_year = ? AND resource = ?${scope.school !== undefined ? ' AND school_id = ?' : ''}${q.statuses !== undefined ? ` AND status IN (${q.statuses.map(() => '?').join(', ')})` : " AND status <> 'deleted'"}`,
          [scope.profileId, scope.schoolYear, q.resource, ...(scope.school !== undefined ? [scope.school] : []), ...(q.statuses ?? [])],
        );
  const dir = q.order === 'desc' ? 'DESC' : 'ASC';
  const sort = columnSql(q.sort);
  // Last activity is never null: one direction for both keys lets the activity index serve the page.
  const orderBy = q.sort === 'lastActivity' ? `updated_at ${dir}, source_key ${dir}` : `${sort.sql} ${dir} NULLS LAST, source_key`;
  const rows = await conn.execute<RecordListRow[]>(
    `SELECT source_key AS "sourceKey", school_id AS "schoolId", natural_key AS "naturalKey", status, status_description AS "statusDescription", updated_at AS "updatedAt", edfi_id AS "edfiId"
       FROM catalog WHERE ${whereSql} ORDER BY ${orderBy} LIMIT ? OFFSET ?`,
    [...args, ...sort.args, q.pageSize, (q.page - 1) * q.pageSize],
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
  readonly lastAttemptAt: Date | null;
  readonly naturalKey: string;
  readonly sentJson: unknown;
}

export async function recordDetail(conn: Conn, scope: CatalogScope, resource: string, sourceKey: string): Promise<RecordDetail | undefined> {
  const rows = await conn.execute<RecordDetail[]>(
    `SELECT source_key AS "sourceKey", school_id AS "schoolId", school_year AS "schoolYear", edfi_id AS "edfiId", status, status_description AS "statusDescription",
            http_status AS "httpStatus", attempts, first_published_at AS "firstPublishedAt", last_attempt_at AS "lastAttemptAt", natural_key AS "naturalKey", sent_json AS "sentJson"
       FROM catalog WHERE profile_id = ? AND school_year = ? AND resource = ? AND source_key = ?`,
    [scope.profileId, scope.schoolYear, resource, sourceKey],
  );
  return rows[0];
}
