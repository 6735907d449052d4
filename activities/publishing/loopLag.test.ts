import { describe, expect, it } from 'vitest';
import { LoopLag } from './loopLag.js';

describe("the event loop's lateness", () => {
  it('is about the time the loop was held, and far less while it idles for as long', async () => {
    const lag = new LoopLag().start();
    try {
      const idle = lag.mark();
      await new Promise((r) => setTimeout(r, 80));
      const idleMs = lag.heldSince(idle);
      const held = lag.mark();
      const until = performance.now() + 60;
      while (performance.now() < until);
      await new Promise((r) => setTimeout(r, 20));
      const heldMs = lag.heldSince(held);
      // The tick due while it was held fired ~55–60 ms late; an idle loop's ticks are on time.
      expect(heldMs).toBeGreaterThan(50);
      expect(heldMs - idleMs).toBeGreaterThan(35);
    } finally {
      lag.stop();
    }
  });

  it('measures nothing before any tick (nothing to subtract)', () => {
    const lag = new LoopLag();
    expect(lag.heldSince(lag.mark())).toBe(0);
  });
});
