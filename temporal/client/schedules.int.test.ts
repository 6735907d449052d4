import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScheduleNotFoundError } from '@temporalio/client';
import { apiKeyHeader, asClient } from '../../test/auth.js';
import { removeProfileWorkflows, startApiHarness, type ApiHarness } from '../../test/apiHarness.js';
import { readQueue } from './publishQueue.js';

let h: ApiHarness;
let call: ReturnType<typeof asClient>;
const profileId = `sched-${randomUUID().slice(0, 8)}`;

async function scheduleExists(id: string): Promise<boolean> {
  try {
    await h.client.schedule.getHandle(id).describe();
    return true;
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return false;
    throw err;
  }
}

beforeAll(async () => {
  h = await startApiHarness('sched', { worker: true });
  call = asClient(h.app, await apiKeyHeader(h.orm, 'admin'));
});

afterAll(async () => {
  await removeProfileWorkflows(h, profileId, [`nightly/${profileId}`, `weekend/${profileId}`]);
  await h?.close();
});

describe('weekday-nightly and weekend schedules', () => {
  it('follow the profile switches, and a weekend run queues every category with Now – Changes in order', async () => {
    const created = await call({
      method: 'POST',
      url: '/api/profiles',
      payload: { id: profileId, name: 'Scheduled ISD', profileType: 'SIS', schoolYears: [2025] },
    });
    expect(created.statusCode).toBe(201);
    // Data Changes starts off: only the weekend run exists.
    expect(await scheduleExists(`weekend/${profileId}`)).toBe(true);
    expect(await scheduleExists(`nightly/${profileId}`)).toBe(false);
    const weekend = await h.client.schedule.getHandle(`weekend/${profileId}`).describe();
    expect(weekend.spec.calendars?.length ?? 0).toBeGreaterThan(0);

    await call({ method: 'PATCH', url: `/api/profiles/${profileId}`, payload: { publishDataChanges: true } });
    expect(await scheduleExists(`nightly/${profileId}`)).toBe(true);

    await h.client.schedule.getHandle(`weekend/${profileId}`).trigger();
    const deadline = Date.now() + 30_000;
    let view = await readQueue(h.client, profileId);
    while ((view === undefined || view.waiting.length < 5) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      view = await readQueue(h.client, profileId);
    }
    const queued = [view?.running?.request.category, ...(view?.waiting.map((w) => w.request.category) ?? [])];
    expect(queued.slice(0, 6)).toEqual([
      'organization-catalog',
      'course-catalog',
      'program-catalog',
      'organization-info',
      'organization-calendars',
      'organization-schedules',
    ]);
    expect(view?.waiting[0]?.request).toMatchObject({ option: 'changes', schoolYear: 2025, requestedBy: `schedule weekend/${profileId}` });

    // Unchecking Publish stops all publishing: both schedules go.
    await call({ method: 'PATCH', url: `/api/profiles/${profileId}`, payload: { publishPublish: false } });
    expect(await scheduleExists(`weekend/${profileId}`)).toBe(false);
    expect(await scheduleExists(`nightly/${profileId}`)).toBe(false);
  });
});
