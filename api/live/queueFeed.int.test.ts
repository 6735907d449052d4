import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProfile } from '../../db/profiles.js';
import { apiKeyHeader } from '../../test/auth.js';
import { startApiHarness, type ApiHarness } from '../../test/apiHarness.js';
import { finishSignal } from '../../test/workflows/queueHarness.js';
import type { LiveQueueView as QueueView } from './queueFeed.js';

let h: ApiHarness;
let base: string;
let auth: { authorization: string };
const profileId = `live-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  h = await startApiHarness('live', { worker: true, listen: true });
  const em = h.orm.em.fork();
  createProfile(em, { id: profileId, name: 'Live ISD', profileType: 'SIS', schoolYears: [2025] });
  await em.flush();
  base = h.baseUrl!;
  auth = await apiKeyHeader(h.orm, 'clerk');
});

afterAll(async () => {
  await h?.close();
});

/** Reads `queue` events from the stream until `predicate` holds for one. */
async function nextEvent(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  buffer: { text: string },
  predicate: (v: QueueView | null) => boolean,
): Promise<QueueView | null> {
  const decoder = new TextDecoder();
  const deadline = Date.now() + 20_000;
  for (;;) {
    let end: number;
    while ((end = buffer.text.indexOf('\n\n')) >= 0) {
      const block = buffer.text.slice(0, end);
      buffer.text = buffer.text.slice(end + 2);
      const data = /^event: queue\ndata: (.*)$/m.exec(block)?.[1];
      if (data !== undefined) {
        const view = JSON.parse(data) as QueueView | null;
        if (predicate(view)) return view;
      }
    }
    if (Date.now() > deadline) throw new Error('no matching event in time');
    const { value, done } = await reader.read();
    if (done) throw new Error('stream ended');
    buffer.text += decoder.decode(value, { stream: true });
  }
}

describe('live publish-queue events', () => {
  it('push the queue as it changes, without reloading', async () => {
    const res = await fetch(`${base}/api/profiles/${profileId}/publish-queue/events`, { headers: auth });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const buffer = { text: '' };
    expect(await nextEvent(reader, buffer, () => true)).toBeNull();

    const publish = await fetch(`${base}/api/profiles/${profileId}/publish`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ category: 'course-catalog', schoolYear: 2025 }),
    });
    const { workflowId } = (await publish.json()) as { workflowId: string };
    // The running category's progress rides along (the stand-in reports 3 of 10 batches).
    const runningView = await nextEvent(reader, buffer, (v) => v?.running?.childStarted === true && v.progress !== undefined);
    expect(runningView?.running?.workflowId).toBe(workflowId);
    expect(runningView?.progress).toMatchObject({ phase: 'publishing', batchesDone: 3, batchesTotal: 10 });

    await h.client.workflow.getHandle(workflowId).signal(finishSignal, 'completed');
    const doneView = await nextEvent(reader, buffer, (v) => v?.running === undefined && (v?.recent.length ?? 0) === 1);
    expect(doneView?.recent[0]).toMatchObject({ workflowId, outcome: 'completed' });
    await reader.cancel();
  });

  it('refuse a profile the caller may not see', async () => {
    const res = await fetch(`${base}/api/profiles/nope/publish-queue/events`, { headers: auth });
    expect(res.status).toBe(404);
  });
});
