/**
 * The catalog reads behind "root causes": an entity's or category's records in dependency or
 * error, counted by what they wait on — the end of their `depends_on` chain, so 600 calendars and
 * sections behind one school count against that school — or, with nothing to wait on, by their
 * status description; and the blocking records themselves.
 */
import type pg from 'pg';
import type { CatalogScope } from './catalogReads.js';
import type { CauseInput } from '../publishing/rootCauses.js';

type Conn = pg.Pool | pg.ClientBase;

/** How far a chain of waits is followed; real chains are 1–3 deep (section → offering → course). */
export const MAX_CHAIN = 6;

/** One (wait chain's end or description, status, entity) with its count: `publishing/rootCauses.ts` groups them. */
export type CauseCount = CauseInput;

export async function causeCounts(conn: Conn, scope: CatalogScope, resources: readonly string[]): Promise<CauseCount[]> {
  const { rows } = await conn.query<CauseCount>(
    `WITH RECURSIVE waiting AS (
       SELECT resource, source_key, status, status_description, depends_on
       FROM catalog
       WHERE profile_id = $1 AND school_year = $2 AND resource = ANY($3) AND status IN ('dependency', 'error')
         AND ($4::text IS NULL OR school_id = $4)
     ),
     chain(start, dep, depth) AS (
       SELECT DISTINCT depends_on, depends_on, 0 FROM waiting WHERE depends_on IS NOT NULL
       UNION ALL
       SELECT ch.start, b.depends_on, ch.depth + 1
       FROM chain ch
       JOIN catalog b ON b.profile_id = $1 AND b.school_year = $2
        AND b.resource = split_part(ch.dep, '|', 1) AND b.natural_key = substr(ch.dep, strpos(ch.dep, '|') + 1)
       WHERE b.status = 'dependency' AND b.depends_on IS NOT NULL AND ch.depth < $5
     ),
     root AS (SELECT DISTINCT ON (start) start, dep FROM chain ORDER BY start, depth DESC)
     SELECT r.dep AS "rootDep", w.status, CASE WHEN r.dep IS NULL THEN w.status_description END AS description,
            w.resource, count(*)::int AS n, min(w.source_key) AS "sampleKey"
     FROM waiting w LEFT JOIN root r ON r.start = w.depends_on
     GROUP BY 1, 2, 3, 4`,
    [scope.profileId, scope.schoolYear, resources, scope.school ?? null, MAX_CHAIN],
  );
  return rows;
}

export interface BlockerRecord {
  readonly dep: string;
  readonly sourceKey: string;
  readonly status: string;
  readonly description: string | null;
  readonly schoolId: string | null;
  readonly display: Record<string, unknown> | null;
}

/** The catalog rows the chains end at (a blocker missing from the catalog is absent from the answer). */
export async function blockerRecords(conn: Conn, scope: CatalogScope, deps: readonly string[]): Promise<BlockerRecord[]> {
  if (deps.length === 0) return [];
  const { rows } = await conn.query<BlockerRecord>(
    `SELECT d.dep, c.source_key AS "sourceKey", c.status, c.status_description AS description, c.school_id AS "schoolId", c.display
     FROM unnest($3::text[]) AS d(dep)
     JOIN catalog c ON c.profile_id = $1 AND c.school_year = $2
      AND c.resource = split_part(d.dep, '|', 1) AND c.natural_key = substr(d.dep, strpos(d.dep, '|') + 1)`,
    [scope.profileId, scope.schoolYear, deps],
  );
  return rows;
}
