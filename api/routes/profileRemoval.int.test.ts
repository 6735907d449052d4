import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScheduleNotFoundError } from '@temporalio/client';
import { apiKeyHeader, asClient } from '../../test/auth.js';
import { removeProfileWorkflows, startApiHarness, type ApiHarness } from '../../test/apiHarness.js';
import { finishSignal } from '../../test/workflows/queueHarness.js';
import { readQueue } from '../../temporal/client/publishQueue.js';
import { scheduleId } from '../../publishing/schedules.js';

let h: ApiHarness;
let call: ReturnType<typeof asClient>;
const profileId = `rm-${randomUUID().slice(0, 8)}`;
const weekend = scheduleId('weekend', profileId);

beforeAll(async () => {
  h = await startApiHarness('removal', { worker: true });
  call = asClient(h.app, await apiKeyHeader(h.orm));
});

afterAll(async () => {
  await removeProfileWorkflows(h, profileId, [weekend]);
  await h?.close();
});

const scheduleExists = () =>
  h.client.schedule
    .getHandle(weekend)
    .describe()
    .then(
      () => true,
      (err: unknown) => {
        if (err instanceof ScheduleNotFoundError) return false;
        throw err;
      },
    );

describe('removing a profile (Configure)', () => {
  it('waits for its publishing to finish, then hides it everywhere with its schedules stopped, and restores it disabled with its data kept', async () => {
    const created = await call({
      method: 'POST',
      url: '/api/profiles',
      payload: { id: profileId, name: 'Removed ISD', profileType: 'SIS', schoolYears: [2025] },
    });
    expect(created.statusCode).toBe(201);
    expect(await scheduleExists()).toBe(true);
    await h.orm.em
      .getConnection()
      .execute(
        `INSERT INTO catalog (profile_id, school_year, resource, source_key, school_id, natural_key, payload_hash, status, updated_at) VALUES (?, 2025, 'schools', '101', '101', '{"schoolId":101}', 'h', 'published', now())`,
        [profileId],
      );

    await call({ method: 'POST', url: `/api/profiles/${profileId}/publish`, payload: { category: 'organization-catalog', schoolYear: 2025 } });
    await call({ method: 'POST', url: `/api/profiles/${profileId}/publish`, payload: { category: 'organization-calendars', schoolYear: 2025 } });
    await expect.poll(async () => (await readQueue(h.client, profileId))?.running?.childStarted, { timeout: 20_000 }).toBe(true);
    const busy = await call({ method: 'DELETE', url: `/api/profiles/${profileId}` });
    expect(busy.statusCode).toBe(409);
    expect(busy.json<{ message: string }>().message).toBe('Organization Catalog is publishing for this profile: remove the profile once it has finished');
    // A refused Remove leaves the profile as it was: listed, and its switch where it stood.
    const still = (await call('/api/profiles')).json<Array<{ id: string; enabled: boolean; removedAt: string | null }>>().find((p) => p.id === profileId);
    expect(still).toMatchObject({ removedAt: null, enabled: created.json<{ enabled: boolean }>().enabled });
    await h.client.workflow.getHandle(`publish/${profileId}/2025/organization-catalog/1`).signal(finishSignal, 'completed');
    await expect.poll(async () => (await readQueue(h.client, profileId))?.running?.request.category, { timeout: 20_000 }).toBe('organization-calendars');
    await h.client.workflow.getHandle(`publish/${profileId}/2025/organization-calendars/2`).signal(finishSignal, 'completed');
    await expect.poll(async () => (await readQueue(h.client, profileId))?.running, { timeout: 20_000 }).toBeUndefined();

    const removed = await call({ method: 'DELETE', url: `/api/profiles/${profileId}` });
    expect(removed.statusCode).toBe(200);
    expect(removed.json()).toMatchObject({ id: profileId, enabled: false, removedAt: expect.any(String) as unknown });
    expect(await scheduleExists()).toBe(false);
    expect((await call('/api/profiles')).json<Array<{ id: string }>>().map((p) => p.id)).not.toContain(profileId);
    for (const url of [`/api/profiles/${profileId}`, `/api/profiles/${profileId}/dashboard?schoolYear=2025`, `/api/profiles/${profileId}/settings`])
      expect((await call(url)).statusCode, url).toBe(404);
    expect(
      (await call({ method: 'POST', url: `/api/profiles/${profileId}/publish`, payload: { category: 'organization-catalog', schoolYear: 2025 } })).statusCode,
    ).toBe(404);
    expect((await call({ method: 'DELETE', url: `/api/profiles/${profileId}` })).statusCode).toBe(404);
    // Its id stays taken, and the refusal says how to get it back.
    const again = await call({ method: 'POST', url: '/api/profiles', payload: { id: profileId, name: 'Again', profileType: 'SIS', schoolYears: [2025] } });
    expect(again.statusCode).toBe(409);
    expect(again.json<{ message: string }>().message).toBe(
      `the removed profile "Removed ISD" has the id "${profileId}": restore it (Configure) or choose another id`,
    );
    expect((await call('/api/removed-profiles')).json<Array<{ id: string }>>().map((p) => p.id)).toContain(profileId);

    const restored = await call({ method: 'POST', url: `/api/removed-profiles/${profileId}/restore` });
    expect(restored.json()).toMatchObject({ id: profileId, enabled: false, removedAt: null });
    expect((await call({ method: 'POST', url: `/api/removed-profiles/${profileId}/restore` })).statusCode).toBe(404);
    expect((await call(`/api/profiles/${profileId}`)).statusCode).toBe(200);
    const kept = await h.orm.em.getConnection().execute<Array<{ n: string }>>(`SELECT count(*) AS n FROM catalog WHERE profile_id = ?`, [profileId]);
    expect(Number(kept[0]?.n)).toBe(1);
    // Enabled again, its weekend run is scheduled again.
    await call({ method: 'PATCH', url: `/api/profiles/${profileId}`, payload: { enabled: true } });
    expect(await scheduleExists()).toBe(true);
  });

  it('is for admins only, like the rest of Configure', async () => {
    const clerk = asClient(h.app, await apiKeyHeader(h.orm, 'clerk'));
    expect((await clerk({ method: 'DELETE', url: `/api/profiles/${profileId}` })).statusCode).toBe(403);
    expect((await clerk('/api/removed-profiles')).statusCode).toBe(403);
    expect((await clerk({ method: 'DELETE', url: '/api/leas/none' })).statusCode).toBe(403);
  });
});
