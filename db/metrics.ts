/** What the metrics endpoint reads of the catalog at each scrape: cheap reads (counts kept by triggers, one partial index). */
import type pg from 'pg';

/** Records per profile, year, resource and status (catalog_counts, kept by the catalog's triggers). */
export async function catalogSizes(db: pg.Pool): Promise<Array<{ profile: string; schoolYear: number; resource: string; status: string; records: number }>> {
  const { rows } = await db.query<{ profile: string; school_year: number; resource: string; status: string; n: string }>(
    `SELECT profile_id AS profile, school_year, resource, status, sum(n) AS n
       FROM catalog_counts GROUP BY profile_id, school_year, resource, status HAVING sum(n) > 0`,
  );
  return rows.map((r) => ({ profile: r.profile, schoolYear: r.school_year, resource: r.resource, status: r.status, records: Number(r.n) }));
}

/** Per profile with records waiting in dependency: how many, and how long the oldest has waited (seconds). */
export async function dependencyBacklog(db: pg.Pool): Promise<Array<{ profile: string; waiting: number; oldestSeconds: number }>> {
  const { rows } = await db.query<{ profile: string; waiting: string; oldest: number | null }>(
    `SELECT profile_id AS profile, count(*) AS waiting, extract(epoch FROM now() - min(dependency_since))::float8 AS oldest
       FROM catalog WHERE status = 'dependency' GROUP BY profile_id`,
  );
  return rows.map((r) => ({ profile: r.profile, waiting: Number(r.waiting), oldestSeconds: Math.max(0, r.oldest ?? 0) }));
}
