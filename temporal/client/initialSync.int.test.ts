import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from '../../test/apiHarness.js';
import { initialSyncWorkflowId } from '../ids.js';
import { cancelInitialSync, pauseInitialSync } from './initialSync.js';

let h: ApiHarness;
const profileId = `isc-${randomUUID().slice(0, 8)}`;
const YEAR = 2025;

beforeAll(async () => {
  h = await startApiHarness('isc');
});

afterAll(async () => {
  await h?.close();
});

/** An initial synchronization's workflow on a queue no worker serves: it stays open until ended here. */
async function openRun(): Promise<void> {
  await h.client.workflow.start('initialSync', {
    workflowId: initialSyncWorkflowId(profileId, YEAR),
    taskQueue: `isc-none-${randomUUID()}`,
    args: [],
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
  });
}

describe("an initial synchronization's pause, resume and cancel", () => {
  it('reach a run that is open', async () => {
    await openRun();
    expect(await pauseInitialSync(h.client, profileId, YEAR, true)).toBe(true);
    expect(await pauseInitialSync(h.client, profileId, YEAR, false)).toBe(true);
    expect(await cancelInitialSync(h.client, profileId, YEAR)).toBe(true);
    await h.client.workflow.getHandle(initialSyncWorkflowId(profileId, YEAR)).terminate('test over');
  });

  it('answer "none running" for a run that has ended — also one that ended just before the send (the fuzz suite met it as a 500)', async () => {
    await openRun();
    await h.client.workflow.getHandle(initialSyncWorkflowId(profileId, YEAR)).terminate('ended before the clerk clicked');
    expect(await pauseInitialSync(h.client, profileId, YEAR, true)).toBe(false);
    expect(await cancelInitialSync(h.client, profileId, YEAR)).toBe(false);
  });

  it('answer "none running" when there has been none', async () => {
    expect(await pauseInitialSync(h.client, `${profileId}-none`, YEAR, true)).toBe(false);
    expect(await cancelInitialSync(h.client, `${profileId}-none`, YEAR)).toBe(false);
  });
});
