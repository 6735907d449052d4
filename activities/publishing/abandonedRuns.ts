/**
 * The work rows (stage, plan, change scope) of category runs that did not end well — failed,
 * cancelled, terminated, or their history gone. finishRun clears a run's rows only when it ends
 * well, so without this they would stay in the work tables forever. The worker clears them when it
 * starts and every hour after; a run still open keeps its rows, and an id it cannot read is left alone.
 */
import type pg from 'pg';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { clearRun, workRunIds } from '../../db/catalogPlan.js';
import { executionOf } from '../../publishing/workRuns.js';

export const ABANDONED_RUNS_EVERY_MS = 3_600_000;

/** Clears the work rows of every run whose workflow is no longer open; answers how many resource runs it cleared. */
export async function clearAbandonedRuns(deps: { readonly db: pg.Pool; readonly temporal: Client }): Promise<number> {
  const executions = new Map<string, { workflowId: string; runId: string; ids: string[] }>();
  for (const id of await workRunIds(deps.db)) {
    const ex = executionOf(id);
    if (ex === undefined) continue;
    const key = `${ex.workflowId}\n${ex.runId}`;
    const entry = executions.get(key) ?? { ...ex, ids: [] };
    entry.ids.push(id);
    executions.set(key, entry);
  }
  let cleared = 0;
  for (const ex of executions.values()) {
    let open: boolean;
    try {
      open = (await deps.temporal.workflow.getHandle(ex.workflowId, ex.runId).describe()).status.name === 'RUNNING';
    } catch (err) {
      // Gone from Temporal (past retention, or another namespace's ids): nothing will read its rows. Otherwise ask again next time.
      if (!(err instanceof WorkflowNotFoundError)) continue;
      open = false;
    }
    if (open) continue;
    for (const id of ex.ids) await clearRun(deps.db, id);
    cleared += ex.ids.length;
  }
  return cleared;
}
