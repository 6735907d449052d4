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
});
