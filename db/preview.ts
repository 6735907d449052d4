/** Preview – Changes results: read from a run's plan before it is cleared, kept for the API to show. */
import type pg from 'pg';
import { changedFields, PREVIEW_KINDS, PREVIEW_SAMPLES, previewKind, type PreviewCounts, type PreviewSample } from '../publishing/preview.js';

/** Previews older than this are dropped when a new one is saved. */
const KEEP_DAYS = 30;

export interface PreviewScope {
  readonly runId: string;
  readonly workflowId: string;
  readonly profileId: string;
  readonly schoolYear: number;
  /** The catalog name. */
  readonly resource: string;
}

/**
 * Counts the plan's records by what the ODS would see, takes a few of each (an update with the JSON
 * fields that changed) and keeps them under the run's workflow id. Reads the plan, the stage and
 * the catalog; writes only publish_preview.
 */
export async function savePreview(client: pg.ClientBase, scope: PreviewScope): Promise<PreviewCounts> {
  const { rows } = await client.query<{ action: 'post' | 'rekey' | 'delete' | 'forget'; in_ods: boolean; n: string }>(
    `SELECT p.action, c.edfi_id IS NOT NULL AS in_ods, count(*) AS n
       FROM publish_plan p
       LEFT JOIN catalog c ON c.profile_id = $2 AND c.school_year = $3 AND c.resource = $4 AND c.source_key = p.source_key
      WHERE p.run_id = $1 AND p.resource = $4
      GROUP BY 1, 2`,
    [scope.runId, scope.profileId, scope.schoolYear, scope.resource],
  );
  const counts: PreviewCounts = { post: 0, update: 0, rekey: 0, delete: 0 };
  for (const r of rows) {
    const kind = previewKind(r.action, r.in_ods);
    if (kind !== undefined) counts[kind] += Number(r.n);
  }
  const sampled = await client.query<{
    action: 'post' | 'rekey' | 'delete' | 'forget';
    in_ods: boolean;
    source_key: string;
    natural_key: string;
    before: unknown;
    after: unknown;
  }>(
    `SELECT action, in_ods, source_key, natural_key, before, after FROM (
       SELECT p.action, c.edfi_id IS NOT NULL AS in_ods, p.source_key, coalesce(s.natural_key, c.natural_key) AS natural_key,
              c.sent_json AS before, s.doc AS after,
              row_number() OVER (PARTITION BY p.action, c.edfi_id IS NOT NULL ORDER BY p.source_key) AS n
         FROM publish_plan p
         LEFT JOIN catalog c ON c.profile_id = $2 AND c.school_year = $3 AND c.resource = $4 AND c.source_key = p.source_key
         LEFT JOIN extract_stage s ON s.run_id = $1 AND s.source_key = p.source_key
        WHERE p.run_id = $1 AND p.resource = $4 AND p.action <> 'forget') x
      WHERE n <= $5 ORDER BY source_key`,
    [scope.runId, scope.profileId, scope.schoolYear, scope.resource, PREVIEW_SAMPLES],
  );
  const samples: PreviewSample[] = sampled.rows.flatMap((r) => {
    const kind = previewKind(r.action, r.in_ods);
    if (kind === undefined) return [];
    const naturalKey = JSON.parse(r.natural_key) as Record<string, unknown>;
    return [{ kind, sourceKey: r.source_key, naturalKey, ...(kind === 'update' ? { changed: changedFields(r.before, r.after) } : {}) }];
  });
  samples.sort((a, b) => PREVIEW_KINDS.indexOf(a.kind) - PREVIEW_KINDS.indexOf(b.kind));
  await client.query(`DELETE FROM publish_preview WHERE created_at < now() - make_interval(days => $1)`, [KEEP_DAYS]);
  await client.query(
    `INSERT INTO publish_preview (workflow_id, resource, profile_id, school_year, counts, samples) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (workflow_id, resource) DO UPDATE SET counts = excluded.counts, samples = excluded.samples, created_at = now()`,
    [scope.workflowId, scope.resource, scope.profileId, scope.schoolYear, JSON.stringify(counts), JSON.stringify(samples)],
  );
  return counts;
}

export interface SavedPreview {
  readonly resource: string;
  readonly schoolYear: number;
  readonly createdAt: string;
  readonly counts: PreviewCounts;
  readonly samples: PreviewSample[];
}

/** A run's preview, per resource (empty: no such preview, or another profile's). */
export async function readPreview(db: pg.Pool, profileId: string, workflowId: string): Promise<SavedPreview[]> {
  const { rows } = await db.query<{ resource: string; school_year: number; created_at: Date; counts: PreviewCounts; samples: PreviewSample[] }>(
    'SELECT resource, school_year, created_at, counts, samples FROM publish_preview WHERE profile_id = $1 AND workflow_id = $2 ORDER BY resource',
    [profileId, workflowId],
  );
  return rows.map((r) => ({ resource: r.resource, schoolYear: r.school_year, createdAt: r.created_at.toISOString(), counts: r.counts, samples: r.samples }));
}
