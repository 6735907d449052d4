/**
 * Initial synchronization on the real stack (Temporal, Postgres, the sandbox): a clean generated
 * district set up as a clerk leaves it, nothing published, runs `initial-sync/{profileId}/{year}`
 * to the end with no clerk action — every category the profile publishes ✓, Data Changes on —;
 * a second run goes Now – Changes, pauses before its next category, resumes, and is cancelled.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { WORKFLOWS_PATH } from '../worker/createWorkers.js';
import { apiKeyHeader, asClient } from '../test/auth.js';
import { runCli } from '../test/cli.js';
import { createApiKey } from '../db/users.js';
import { DependencyCountKey, ErrorCountKey, OutcomeKey, TriggerKey } from '../temporal/searchAttributes.js';
import { districtOnStack, setUpEveryCodeSet, type DistrictOnStack } from '../test/district.js';
import { until } from '../test/publishing.js';
import { CATEGORIES } from '../publishing/categories.js';
import { DATA_CHANGES_TURNED_ON } from './initialSync.js';
import type { InitialSyncView } from '../temporal/client/initialSync.js';

let call: ReturnType<typeof asClient>;
const YEAR = 2025;
const P = 'ini';
let district: DistrictOnStack | undefined;

const read = async (): Promise<InitialSyncView> => {
  const res = await call(`/api/profiles/${P}/initial-sync?schoolYear=${YEAR}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<InitialSyncView>();
};
const post = (action: string, payload: Record<string, unknown> = { schoolYear: YEAR }) =>
  call({ method: 'POST', url: `/api/profiles/${P}/initial-sync${action === 'start' ? '' : `/${action}`}`, payload });
const ended = async (timeoutMs: number): Promise<InitialSyncView> => {
  let last: InitialSyncView | undefined;
  await until(
    'the initial synchronization ended',
    async () => {
      last = await read();
      return !last.open;
    },
    timeoutMs,
  );
  return last!;
};

beforeAll(async () => {
  district = await districtOnStack({ profileId: P, name: 'Initial ISD', schoolYear: YEAR, publish: [], listen: true });
  ({ call } = district);
  await setUpEveryCodeSet(district, P);
}, 400_000);

afterAll(async () => {
  await district?.close();
});

describe('initial synchronization', () => {
  it('runs a clean district from nothing published to every active category ✓ with no clerk action, and turns Data Changes on', async () => {
    expect((await call(`/api/profiles/${P}/initial-sync?schoolYear=${YEAR}`)).statusCode).toBe(404);
    const started = await post('start', { schoolYear: YEAR, turnOnDataChanges: true });
    expect(started.statusCode, started.body).toBe(202);
    expect(started.json<{ workflowId: string }>().workflowId).toBe(`initial-sync/${P}/${YEAR}`);
    // One at a time.
    expect((await post('start', { schoolYear: YEAR })).statusCode).toBe(409);
    const done = await ended(900_000);
    expect(done.state, done.detail).toBe('completed');
    expect(done.steps.filter((s) => s.state !== 'completed').map((s) => `${s.category} ${s.state} ${s.detail ?? ''}`)).toEqual([]);
    expect(done.steps.every((s) => s.option === 'all' || s.option === 'dependencies')).toBe(true);
    // Finance is off for this profile; local descriptors go with the records that use them.
    expect(done.skipped.map((s) => s.category)).toEqual(['staff-fte', 'descriptors', 'accounts', 'payroll']);
    expect(done.dataChanges).toBe(DATA_CHANGES_TURNED_ON);
    const dashboard = (await call(`/api/profiles/${P}/dashboard?schoolYear=${YEAR}`)).json<{
      groups: Array<{ categories: Array<{ id: string; mark: string | null; counts: Record<string, number> }> }>;
    }>();
    const marks = new Map(dashboard.groups.flatMap((g) => g.categories).map((c) => [c.id, c]));
    for (const step of done.steps)
      expect(marks.get(step.category)?.mark, `${step.category} ${JSON.stringify(marks.get(step.category)?.counts)}`).toBe('published');
    expect(done.steps.map((s) => s.category).filter((c, i, all) => all.indexOf(c) === i)).toEqual(
      CATEGORIES.map((c) => c.id).filter((id) => !done.skipped.some((s) => s.category === id)),
    );
    const profile = (await call(`/api/profiles/${P}`)).json<{ publishDataChanges: boolean }>();
    expect(profile.publishDataChanges).toBe(true);
    await expect(district!.h.client.schedule.getHandle(`nightly/${P}`).describe()).resolves.toBeDefined();

    // Support engineers find its runs by trigger, and each says how it ended.
    for (const s of done.steps) {
      const attrs = (await district!.h.client.workflow.getHandle(s.workflowId!).describe()).typedSearchAttributes;
      expect([attrs.get(TriggerKey), attrs.get(OutcomeKey), attrs.get(ErrorCountKey), attrs.get(DependencyCountKey)], s.category).toEqual([
        'initial-sync',
        'clean',
        0,
        0,
      ]);
    }
    expect((await district!.h.client.workflow.getHandle(done.workflowId).describe()).typedSearchAttributes.get(TriggerKey)).toBe('initial-sync');
    // README's query finds them in the Temporal UI (visibility catches up within moments).
    const query = `ProfileId = "${P}" AND Outcome = "clean" AND \`Trigger\` = "initial-sync"`;
    await until(
      "README's search-attribute query lists every step's run",
      async () => {
        const found = new Set<string>();
        for await (const w of district!.h.client.workflow.list({ query })) found.add(w.workflowId);
        return done.steps.every((s) => found.has(s.workflowId!));
      },
      15_000,
    );

    // The CLI tells the same, category by category.
    const cliEnv = { EDX_API_URL: district!.h.baseUrl!, EDX_API_KEY: (await createApiKey(district!.h.orm.em.fork(), { name: 'cli', role: 'clerk' })).token };
    const status = runCli(['initial-sync', '--profile', P, '--year', String(YEAR), '--status'], cliEnv);
    expect(await status.code, status.output()).toBe(0);
    expect(status.output()).toContain(`completed: category ${done.steps.length} of ${done.steps.length}`);
    expect(status.output()).toMatch(/student-identification \(all\): completed — \d+ published, 0 dependency, 0 error/);
    expect(status.output()).toContain(`descriptors: skipped — `);

    // Its history replays against the current code (RECORD_FIXTURES=1 keeps it for workflows/replay.test.ts).
    const history = await district!.h.client.workflow.getHandle(done.workflowId).fetchHistory();
    if (process.env.RECORD_FIXTURES === '1')
      writeFileSync(path.resolve(import.meta.dirname, '../test/fixtures/initial-sync-history.json'), historyToJSON(history));
    await Worker.runReplayHistory({ workflowsPath: WORKFLOWS_PATH, replayName: 'initial-sync' }, history);
  }, 1_000_000);

  it('runs again with Now – Changes where published, pauses before its next category, resumes, and is cancelled', async () => {
    expect((await post('start')).statusCode).toBe(202);
    expect((await post('pause')).statusCode).toBe(202);
    // Paused before its next category: one already queued when the pause arrived finishes, nothing after it is queued while it holds.
    await until('paused', async () => (await read()).state === 'paused', 60_000);
    await until('nothing running', async () => (await read()).steps.every((s) => s.state !== 'running'), 60_000);
    const started = (await read()).steps.filter((s) => s.state !== 'waiting').length;
    expect(started).toBeLessThanOrEqual(1);
    await new Promise((r) => setTimeout(r, 2_000));
    const paused = await read();
    expect(paused.steps.filter((s) => s.state !== 'waiting')).toHaveLength(started);
    expect(paused.steps[started].state).toBe('waiting');
    // Categories already published go Now – Changes this time.
    expect(paused.steps[0]).toMatchObject({ category: 'organization-catalog', option: 'changes' });
    expect((await post('resume')).statusCode).toBe(202);
    await until('the second category finished', async () => (await read()).steps[1]?.state === 'completed', 120_000);
    expect((await post('cancel')).statusCode).toBe(202);
    const cancelled = await ended(240_000);
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.steps.at(-1)?.state).toBe('waiting');
    expect((await post('pause')).statusCode, 'nothing is running').toBe(404);
    const cliEnv = { EDX_API_URL: district!.h.baseUrl!, EDX_API_KEY: (await createApiKey(district!.h.orm.em.fork(), { name: 'cli 2', role: 'clerk' })).token };
    const resume = runCli(['initial-sync', '--profile', P, '--year', String(YEAR), '--resume'], cliEnv);
    expect(await resume.code).toBe(3);
    expect(resume.output()).toContain('HTTP 404: no initial synchronization of 2025 is running for this profile');
  }, 600_000);

  it('refuses a school year that is not the profile’s, and turning Data Changes on from a clerk', async () => {
    const refused = await post('start', { schoolYear: 2031 });
    expect(refused.statusCode).toBe(400);
    expect(refused.json<{ message: string }>().message).toMatch(/school year 2031 is not one of this profile's/);
    const clerk = asClient(district!.h.app, await apiKeyHeader(district!.h.orm, 'clerk'));
    const res = await clerk({ method: 'POST', url: `/api/profiles/${P}/initial-sync`, payload: { schoolYear: YEAR, turnOnDataChanges: true } });
    expect(res.statusCode).toBe(403);
    expect(res.json<{ message: string }>().message).toMatch(/needs the admin role/);
  });
});
