/**
 * Work rows of runs that did not end well, on a real Temporal server and Postgres: a run that was
 * terminated (or whose history is gone) loses them; a run still open, and rows whose id names no
 * workflow, keep theirs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { createScratchDatabase } from '../../test/stack.js';
import { useTemporalClients } from '../../test/temporalClients.js';
import { migrateAppDatabase } from '../../db/orm.js';
import { markPlanned, stageChangeScope, stageExtract, workRunIds } from '../../db/catalogPlan.js';
import { clearAbandonedRuns } from './abandonedRuns.js';

const temporal = useTemporalClients();
let pool: pg.Pool;

beforeAll(async () => {
  const url = await createScratchDatabase('abandoned');
  await migrateAppDatabase(url);
  pool = new pg.Pool({ connectionString: url, max: 3 });
});

afterAll(async () => {
  await pool?.end();
});

/** Leaves work rows for a resource run, as an extract and a plan would. */
async function rowsFor(runId: string): Promise<void> {
  const client = await pool.connect();
  try {
    await stageExtract(client, runId, [{ sourceKey: 'k1', schoolId: '001', naturalKey: '{"k":1}', payloadHash: '0'.repeat(32) }]);
    await stageChangeScope(client, runId, ['k1']);
    await client.query(`INSERT INTO publish_plan (run_id, resource, batch_no, source_key, action) VALUES ($1, 'ed-fi/students', 0, 'k1', 'post')`, [runId]);
    await markPlanned(client, runId, 1);
  } finally {
    client.release();
  }
}

describe('work rows of runs that did not end well', () => {
  it('are cleared for a terminated run and one Temporal no longer knows, and kept for an open run and ids of another shape', async () => {
    // Nothing polls this queue: the open run stays open, the terminated one never ran.
    const start = (id: string) => temporal.client.workflow.start('categoryPublish', { taskQueue: `nobody-polls-${randomUUID()}`, workflowId: id, args: [] });
    const open = await start(`publish/abandoned/2025/open/${randomUUID()}`);
    const ended = await start(`publish/abandoned/2025/ended/${randomUUID()}`);
    await ended.terminate('test: a run that did not end well');
    const ids = {
      open: `${open.workflowId}/${open.firstExecutionRunId}:ed-fi/students`,
      ended: `${ended.workflowId}/${ended.firstExecutionRunId}:ed-fi/students`,
      endedToo: `${ended.workflowId}/${ended.firstExecutionRunId}:ed-fi/studentSchoolAssociations`,
      unknown: `publish/abandoned/2025/gone/1/${randomUUID()}:ed-fi/students`,
      otherShape: 'run-lazy',
    };
    for (const id of Object.values(ids)) await rowsFor(id);

    expect(await clearAbandonedRuns({ db: pool, temporal: temporal.client })).toBe(3);
    expect(await workRunIds(pool)).toEqual([ids.open, ids.otherShape].sort());
    for (const table of ['extract_stage', 'publish_plan', 'change_scope', 'plan_marker']) {
      const { rows } = await pool.query<{ run_id: string }>(`SELECT DISTINCT run_id FROM ${table} ORDER BY run_id`);
      expect(
        rows.map((r) => r.run_id),
        table,
      ).toEqual([ids.open, ids.otherShape].sort());
    }
    await open.terminate('test done');
  });
});
