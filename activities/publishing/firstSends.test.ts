import { describe, expect, it } from 'vitest';
import { FirstSends } from './firstSends.js';

/** Whether the promise has ended by now (after the microtasks queued so far). */
async function ended(p: Promise<void>): Promise<boolean> {
  let done = false;
  void p.then(() => (done = true));
  await new Promise((r) => setImmediate(r));
  return done;
}

describe("FirstSends: a streamed extract waits for its first batch's sends to begin", () => {
  it('goes on as soon as that batch of that run begins sending, not for another batch or run', async () => {
    const sends = new FirstSends(10_000);
    const waiting = sends.waitFor('run-a', 0);
    sends.begun('run-b', 0);
    sends.begun('run-a', 1);
    expect(await ended(waiting)).toBe(false);
    sends.begun('run-a', 0);
    expect(await ended(waiting)).toBe(true);
  });

  it('goes on after at most its limit when the batch begins elsewhere (another worker)', async () => {
    const sends = new FirstSends(20);
    const began = performance.now();
    await sends.waitFor('run-a', 0);
    expect(performance.now() - began).toBeGreaterThanOrEqual(15);
  });

  it('a batch that begins with no extract waiting here changes nothing', async () => {
    const sends = new FirstSends(10_000);
    sends.begun('run-a', 0);
    const waiting = sends.waitFor('run-a', 0);
    expect(await ended(waiting)).toBe(false);
    sends.begun('run-a', 0);
    expect(await ended(waiting)).toBe(true);
  });
});
