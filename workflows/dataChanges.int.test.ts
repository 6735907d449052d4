/**
 * Near-real-time Data Changes on the real stack (Temporal, Postgres, the sandbox): with the
 * profile's Data Changes on, a SIS update, insert and delete each reach the ODS within seconds with
 * no clerk action; Diagnostics and a disabled LEA connection hold them and they follow once let go; with Data Changes off,
 * nothing goes until a run is asked for; a burst over the spike
 * threshold is deferred — the dashboard says why and until when — and the nightly run sends it.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { WORKFLOWS_PATH } from '../worker/createWorkers.js';
import { dataChangesWorkflowId } from '../temporal/ids.js';
import type pg from 'pg';
import type { EdfiClient } from '../edfi/client/api.js';
import type { asClient } from '../test/auth.js';
import { districtOnStack, type DistrictOnStack } from '../test/district.js';
import { odsRecords, until } from '../test/publishing.js';
import { readDataChanges } from '../temporal/client/dataChanges.js';
import { DEFERRED_UNTIL } from '../publishing/dataChanges.js';
import type { Workflows } from '../temporal/contract.js';
import { TriggerKey } from '../temporal/searchAttributes.js';

let sis: pg.Client;
let state: EdfiClient;
let call: ReturnType<typeof asClient>;
let district: DistrictOnStack | undefined;
const YEAR = 2025;
const P = 'dch';

/** The ODS's course with this state course number, if any. */
const odsCourse = async (code: string): Promise<Record<string, unknown> | undefined> =>
  (await odsRecords(state, 'ed-fi/courses')).find((c) => c.courseCode === code);
const setDataChanges = async (on: boolean): Promise<void> => {
  const res = await call({ method: 'PATCH', url: `/api/profiles/${P}`, payload: { publishDataChanges: on } });
  expect(res.statusCode, res.body).toBe(200);
};
/** How long until `ok`, in seconds (fails after `within`). */
const secondsUntil = async (what: string, ok: () => Promise<boolean>, withinMs = 30_000): Promise<number> => {
  const from = Date.now();
  await until(what, ok, withinMs);
  return (Date.now() - from) / 1000;
};
/** A course of the catalog the ODS holds, and its SIS calendar. */
let course: { stateCode: string; calendarId: number };

beforeAll(async () => {
  district = await districtOnStack({ profileId: P, name: 'Changes ISD', schoolYear: YEAR, publish: ['organization-catalog', 'course-catalog'] });
  ({ sis, state, call } = district);
  const row = (
    await sis.query<{ stateCode: string; calendarId: number }>(
      `SELECT co.stateCode AS "stateCode", co.calendarID AS "calendarId" FROM course co JOIN calendar c USING (calendarID)
        WHERE c.endYear = $1 AND co.stateCode IS NOT NULL AND co.active ORDER BY co.stateCode LIMIT 1`,
      [YEAR],
    )
  ).rows[0];
  course = row;
  expect(await odsCourse(course.stateCode)).toBeDefined();
}, 400_000);

afterAll(async () => {
  await district?.close();
});

describe('near-real-time Data Changes', () => {
  it('sends a SIS update, insert and delete to the ODS within seconds of their commit, with no clerk action', async () => {
    await setDataChanges(true);
    await until('listening', async () => (await readDataChanges(district!.h.client, P))?.state === 'listening', 30_000);

    await sis.query('UPDATE course SET name = $1 WHERE stateCode = $2', ['Data Changes Algebra', course.stateCode]);
    const updated = await secondsUntil('the new title in the ODS', async () => (await odsCourse(course.stateCode))?.courseTitle === 'Data Changes Algebra');

    await sis.query(
      `INSERT INTO course (courseID, calendarID, number, name, stateCode, credits, homeroom, active)
       VALUES ((SELECT max(courseID) + 1 FROM course), $1, 'DC-1', 'Data Changes Geometry', '99990001', 1, false, true)`,
      [course.calendarId],
    );
    const inserted = await secondsUntil('the new course in the ODS', async () => (await odsCourse('99990001'))?.courseTitle === 'Data Changes Geometry');

    await sis.query("DELETE FROM course WHERE stateCode = '99990001'");
    const deleted = await secondsUntil('the course gone from the ODS', async () => (await odsCourse('99990001')) === undefined);
    console.log(`data changes: SIS commit → ODS: update ${updated.toFixed(1)} s, insert ${inserted.toFixed(1)} s, delete ${deleted.toFixed(1)} s`);
    for (const s of [updated, inserted, deleted]) expect(s).toBeLessThan(15);
    // The worker's metrics say so too: each run that carried them observed its oldest change's commit → ODS.
    const metrics = (await district!.h.workerMetrics?.registry.metrics()) ?? '';
    const labels = 'profile="dch",category="course-catalog",resource="courses"';
    const observed = Number(new RegExp(`^edx_changes_to_ods_seconds_count\\{${labels}\\} (\\d+)`, 'm').exec(metrics)?.[1]);
    const within30s = Number(new RegExp(`^edx_changes_to_ods_seconds_bucket\\{le="30",${labels}\\} (\\d+)`, 'm').exec(metrics)?.[1]);
    expect(observed).toBeGreaterThanOrEqual(1);
    expect(within30s).toBe(observed);

    // They went as Now – Changes runs (a burst's changes share one) that support engineers find by their trigger.
    const queue = (await call(`/api/profiles/${P}/publish-queue`)).json<{ recent: Array<{ category: string; option?: string; workflowId: string }> }>();
    const runs = queue.recent.filter((r) => r.category === 'course-catalog' && r.option === 'changes');
    expect(runs.length).toBeGreaterThanOrEqual(1);
    for (const r of runs)
      expect((await district!.h.client.workflow.getHandle(r.workflowId).describe()).typedSearchAttributes.get(TriggerKey)).toBe('data-changes');
  }, 120_000);

  it('holds while Diagnostics switches system processing off, and sends what waited once it is back on', async () => {
    const processing = (enabled: boolean) => call({ method: 'PUT', url: '/api/diagnostics/system-processing', payload: { enabled } });
    expect((await processing(false)).statusCode).toBe(202);
    try {
      await sis.query('UPDATE course SET name = $1 WHERE stateCode = $2', ['Held Algebra', course.stateCode]);
      await new Promise((r) => setTimeout(r, 4_000));
      expect((await odsCourse(course.stateCode))?.courseTitle).toBe('Data Changes Algebra');
    } finally {
      expect((await processing(true)).statusCode).toBe(202);
    }
    await secondsUntil('the held change in the ODS', async () => (await odsCourse(course.stateCode))?.courseTitle === 'Held Algebra');
  }, 60_000);

  it('holds while the LEA connection is disabled (no doomed run is queued), and sends what waited once it is enabled again', async () => {
    const lea = (await sis.query<{ number: string }>('SELECT number FROM district')).rows[0].number;
    const enabled = (on: boolean) => call({ method: 'PUT', url: `/api/leas/${lea}/connections/${P}/enabled`, payload: { enabled: on } });
    // The run that sent the last test's change may still be ending after its record reached the ODS: count from an idle queue.
    type Queue = { running: unknown; beside: unknown; waiting: unknown[]; recent: unknown[] };
    const queue = async (): Promise<Queue> => (await call(`/api/profiles/${P}/publish-queue`)).json<Queue>();
    await until('the queue is idle', async () => ((q) => q.running === null && q.beside === null && q.waiting.length === 0)(await queue()), 30_000);
    const queuedBefore = (await queue()).recent.length;
    expect((await enabled(false)).statusCode).toBe(200);
    try {
      await sis.query('UPDATE course SET name = $1 WHERE stateCode = $2', ['Disabled Algebra', course.stateCode]);
      await until('paused', async () => (await readDataChanges(district!.h.client, P))?.state === 'paused', 90_000);
      expect((await readDataChanges(district!.h.client, P))?.why).toBe('the LEA connection is not enabled (Configure)');
      expect((await odsCourse(course.stateCode))?.courseTitle).toBe('Held Algebra');
      expect((await call(`/api/profiles/${P}/publish-queue`)).json<{ recent: unknown[] }>().recent.length).toBe(queuedBefore);
    } finally {
      expect((await enabled(true)).statusCode).toBe(200);
    }
    await secondsUntil('the change in the ODS', async () => (await odsCourse(course.stateCode))?.courseTitle === 'Disabled Algebra', 60_000);
  }, 180_000);

  it('with Data Changes off, a change stays in the SIS until a run is asked for', async () => {
    await setDataChanges(false);
    await until('stopped', async () => (await readDataChanges(district!.h.client, P)) === undefined, 30_000);
    await sis.query('UPDATE course SET name = $1 WHERE stateCode = $2', ['Not Sent Algebra', course.stateCode]);
    await new Promise((r) => setTimeout(r, 5_000));
    expect((await odsCourse(course.stateCode))?.courseTitle).toBe('Disabled Algebra');
    // The run that just ended replays against the current code (RECORD_FIXTURES=1 keeps it for workflows/replay.test.ts).
    const history = await district!.h.client.workflow.getHandle(dataChangesWorkflowId(P)).fetchHistory();
    if (process.env.RECORD_FIXTURES === '1')
      writeFileSync(path.resolve(import.meta.dirname, '../test/fixtures/data-changes-history.json'), historyToJSON(history));
    await Worker.runReplayHistory({ workflowsPath: WORKFLOWS_PATH, replayName: 'data-changes' }, history);
  }, 60_000);

  it('defers a burst over the spike threshold to the nightly run — the dashboard says why and until when — and the nightly run sends it', async () => {
    const settings = await call({ method: 'PUT', url: `/api/profiles/${P}/settings`, payload: { DataChangesSpikeThreshold: 5 } });
    expect(settings.statusCode, settings.body).toBe(200);
    await setDataChanges(true);
    await until('listening', async () => (await readDataChanges(district!.h.client, P))?.state === 'listening', 30_000);
    await sis.query(
      `UPDATE course SET name = name || ' (burst)' WHERE courseID IN (
         SELECT co.courseID FROM course co JOIN calendar c USING (calendarID) WHERE c.endYear = $1 AND co.stateCode IS NOT NULL AND co.active ORDER BY co.courseID LIMIT 10)`,
      [YEAR],
    );
    await until('deferred', async () => ((await readDataChanges(district!.h.client, P))?.deferred ?? []).some((d) => d.category === 'course-catalog'), 30_000);
    const dashboard = (await call(`/api/profiles/${P}/dashboard?schoolYear=${YEAR}`)).json<{
      groups: Array<{ categories: Array<{ id: string; deferred: { since: string; why: string; until: string } | null }> }>;
    }>();
    const catalog = dashboard.groups.flatMap((g) => g.categories).find((c) => c.id === 'course-catalog')!;
    expect(catalog.deferred?.why).toMatch(/^\d+ SIS changes in the last hour, over DataChangesSpikeThreshold \(5\)$/);
    expect(catalog.deferred?.until).toBe(DEFERRED_UNTIL);
    await new Promise((r) => setTimeout(r, 3_000));
    expect(((await odsRecords(state, 'ed-fi/courses')) as Array<{ courseTitle: string }>).filter((c) => c.courseTitle.endsWith('(burst)'))).toEqual([]);

    // The weekday nightly run (started by hand here, as its schedule would) takes the deferred category.
    const queued: string[] = await district!.h.client.workflow.execute<Workflows['scheduledSync']>('scheduledSync', {
      workflowId: `nightly-test/${Date.now()}`,
      taskQueue: district!.h.config.taskQueues.publishing,
      args: [{ profileId: P, kind: 'nightly' }],
    });
    expect(queued).toContain('course-catalog');
    await until(
      'the burst in the ODS',
      async () => ((await odsRecords(state, 'ed-fi/courses')) as Array<{ courseTitle: string }>).filter((c) => c.courseTitle.endsWith('(burst)')).length > 0,
      60_000,
    );
    await setDataChanges(false);
  }, 180_000);
});
