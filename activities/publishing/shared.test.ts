import { describe, expect, it } from 'vitest';
import { Semaphore } from './shared.js';

describe("the profile's connection limit", () => {
  it('gives the next free connection to a woken record (ahead) before the running category’s waiting sends, never more than its size at once', async () => {
    const limit = new Semaphore(1);
    const order: string[] = [];
    let release!: () => void;
    const holding = limit.run(() => new Promise<void>((r) => (release = r)));
    const waits = [
      limit.run(() => Promise.resolve(void order.push('category 1'))),
      limit.run(() => Promise.resolve(void order.push('category 2'))),
      limit.run(() => Promise.resolve(void order.push('woken')), true),
    ];
    expect(limit.inFlight).toBe(1);
    release();
    await Promise.all([holding, ...waits]);
    expect(order).toEqual(['woken', 'category 1', 'category 2']);
    expect(limit.inFlight).toBe(0);
  });

  it('adaptive: never more in flight than its limit now; 503s shrink the limit, busy healthy windows grow it and let more waiting sends go at once', async () => {
    const limit = new Semaphore(40, true);
    expect(limit.size).toBe(8);
    let most = 0;
    const answer = async (status: number): Promise<{ status: number }> => {
      most = Math.max(most, limit.inFlight);
      await new Promise((r) => setTimeout(r, 2));
      return { status };
    };
    // 200 sends at once, all answered 201: the limit doubles each window, up to the ceiling.
    await Promise.all(Array.from({ length: 200 }, () => limit.run(() => answer(201))));
    expect(limit.size).toBe(40);
    expect(most).toBe(40);
    // The ODS answers 503: the limit backs off.
    await Promise.all(Array.from({ length: 40 }, () => limit.run(() => answer(503))));
    expect(limit.size).toBeLessThan(40);
    expect(limit.inFlight).toBe(0);
    // A thrown error (no answer) counts as overload too, and the error still reaches the caller.
    const before = limit.size;
    await expect(limit.run(() => Promise.reject(new Error('socket hang up')))).rejects.toThrow('socket hang up');
    expect(limit.size).toBeLessThanOrEqual(before);
  });

  it('fixed (not adaptive): its size is Simultaneous Connections whatever the ODS answers', async () => {
    const limit = new Semaphore(20);
    await Promise.all(Array.from({ length: 50 }, () => limit.run(() => Promise.resolve({ status: 503 }))));
    expect(limit.size).toBe(20);
  });
});
