import { describe, expect, it } from 'vitest';
import { MockActivityEnvironment } from '@temporalio/testing';
import { heartbeating } from './heartbeat.js';

describe('a long activity', () => {
  it('beats at once and then on its interval while it runs, and stops beating when it returns', async () => {
    const env = new MockActivityEnvironment();
    let beats = 0;
    env.on('heartbeat', () => beats++);
    const work = heartbeating(async () => {
      await new Promise((r) => setTimeout(r, 120));
      return 'done';
    }, 25);
    expect(await env.run(work)).toBe('done');
    const atEnd = beats;
    expect(atEnd).toBeGreaterThanOrEqual(3);
    await new Promise((r) => setTimeout(r, 80));
    expect(beats).toBe(atEnd);
  });
  it('runs outside an activity too (a script), without beating', async () => {
    expect(await heartbeating(() => Promise.resolve(7))()).toBe(7);
  });
});
