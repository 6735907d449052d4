import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProfile } from '../../db/profiles.js';
import { apiKeyHeader, asClient } from '../../test/auth.js';
import { removeProfileWorkflows, startApiHarness, type ApiHarness } from '../../test/apiHarness.js';
import { finishSignal } from '../../test/workflows/queueHarness.js';

let h: ApiHarness;
let app: ReturnType<typeof asClient>;
const profileId = `diag-${randomUUID().slice(0, 8)}`;
const scheduleId = `nightly/${profileId}`;

interface Status {
  enabled: boolean;
  state: string;
  detail: string;
  queues: Array<{ profileId: string; holding: boolean; finishing: string | null }>;
  schedules: Array<{ id: string; paused: boolean }>;
}

async function status(): Promise<Status> {
  return (await app({ url: '/api/diagnostics/system-processing' })).json<Status>();
}

async function until(what: string, predicate: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

beforeAll(async () => {
  h = await startApiHarness('diag', { worker: true });
  const em = h.orm.em.fork();
  createProfile(em, { id: profileId, name: 'Diagnostics ISD', profileType: 'SIS', schoolYears: [2025] });
  await em.flush();
  await h.client.schedule.create({
    scheduleId,
    spec: { cronExpressions: ['0 22 * * 1-5'] },
    action: { type: 'startWorkflow', workflowType: 'publishQueue', taskQueue: h.config.taskQueues.publishing, args: [{ profileId }] },
  });
  app = asClient(h.app, await apiKeyHeader(h.orm));
});

afterAll(async () => {
  await removeProfileWorkflows(h, profileId, [scheduleId]);
  await h?.close();
});

describe('Diagnostics: Enable System Processing', () => {
  it('off holds the queues and pauses the schedules once running work finishes; on resumes both', async () => {
    const publish = (category: string) => app({ method: 'POST', url: `/api/profiles/${profileId}/publish`, payload: { category, schoolYear: 2025 } });
    const first = (await publish('organization-catalog')).json<{ workflowId: string }>();
    const second = (await publish('course-catalog')).json<{ workflowId: string }>();
    await until('the first publish to run', async () => (await status()).queues[0]?.finishing === first.workflowId);

    const off = await app({ method: 'PUT', url: '/api/diagnostics/system-processing', payload: { enabled: false } });
    expect(off.statusCode).toBe(202);
    // The running publish is allowed to finish; until then the switch reports "pausing".
    await until('the queue to hold', async () => (await status()).queues[0]?.holding === true);
    const pausing = await status();
    expect(pausing).toMatchObject({ enabled: false, state: 'pausing', detail: expect.stringContaining('1 run(s) finishing their current batch') as unknown });
    expect(pausing.schedules).toEqual([{ id: scheduleId, paused: true }]);

    await h.client.workflow.getHandle(first.workflowId).signal(finishSignal, 'completed');
    await until('pausing to complete', async () => (await status()).state === 'paused');
    // Nothing new started while paused: the second publish still waits.
    const queue = (await app({ url: `/api/profiles/${profileId}/publish-queue` })).json<{ running: unknown; waiting: Array<{ workflowId: string }> }>();
    expect(queue.running).toBeNull();
    expect(queue.waiting.map((w) => w.workflowId)).toEqual([second.workflowId]);

    const on = await app({ method: 'PUT', url: '/api/diagnostics/system-processing', payload: { enabled: true } });
    expect(on.statusCode).toBe(202);
    await until('the second publish to start', async () => (await status()).queues[0]?.finishing === second.workflowId);
    const resumed = await status();
    expect(resumed).toMatchObject({ enabled: true, state: 'running' });
    expect(resumed.schedules).toEqual([{ id: scheduleId, paused: false }]);
    await h.client.workflow.getHandle(second.workflowId).signal(finishSignal, 'completed');
  });
});
