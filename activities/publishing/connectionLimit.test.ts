import { describe, expect, it } from 'vitest';
import { Fifo, Semaphore } from './connectionLimit.js';

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

describe('the waiters’ queue', () => {
  it('hands out in arrival order across many pushes and takes, and holds only what still waits', () => {
    const q = new Fifo<number>();
    const out: number[] = [];
    let pushed = 0;
    // Pushes and takes interleaved, as sends queue and answers free slots: 10,000 through it.
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 300; i++) q.push(pushed++);
      for (let i = 0; i < 200; i++) out.push(q.shift()!);
    }
    expect(q.length).toBe(pushed - out.length);
    for (let x = q.shift(); x !== undefined; x = q.shift()) out.push(x);
    expect(out).toEqual(Array.from({ length: pushed }, (_, i) => i));
    expect(q.length).toBe(0);
    expect(q.shift()).toBeUndefined();
  });
});

describe('adaptive connections and the worker’s own stalls', () => {
  const busy = (ms: number): void => {
    const until = performance.now() + ms;
    while (performance.now() < until);
  };
  const grown = async (limit: Semaphore, answerMs: number): Promise<void> => {
    const answer = () => new Promise<{ status: number }>((r) => setTimeout(() => r({ status: 201 }), answerMs));
    await Promise.all(Array.from({ length: 120 }, () => limit.run(answer)));
  };

  it('an ODS answering on time while the worker’s event loop is blocked does not shrink the limit', async () => {
    const limit = new Semaphore(16, true);
    await grown(limit, 5);
    expect(limit.size).toBe(16);
    // Every request in flight, then the loop held for 80 ms (an extract, a collection): the answers
    // are back at 5 ms but handled at ~80 ms, well past 1.5× and 20 ms over the unloaded 5 ms.
    for (let round = 0; round < 3; round++) {
      // Back on time, handled as a socket's data is: after the loop's timers, in a later phase.
      const sends = Array.from({ length: 16 }, () =>
        limit.run(() => new Promise<{ status: number }>((r) => setTimeout(() => setImmediate(() => r({ status: 201 })), 5))),
      );
      await new Promise((r) => setTimeout(r, 1));
      busy(80);
      await Promise.all(sends);
    }
    expect(limit.size).toBe(16);
  });

  it('an ODS whose answers really slow down still shrinks it', async () => {
    const limit = new Semaphore(16, true);
    await grown(limit, 5);
    expect(limit.size).toBe(16);
    await grown(limit, 80);
    expect(limit.size).toBeLessThan(16);
  });
});
