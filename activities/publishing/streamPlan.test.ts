import { describe, expect, it } from 'vitest';
import { readingAhead } from './streamPlan.js';

/** A source of 1..n that logs when each record is asked for and when it is closed. */
function logged(n: number, log: string[], failAt?: number): AsyncGenerator<number> {
  return (async function* () {
    try {
      for (let i = 1; i <= n; i++) {
        log.push(`asked ${i}`);
        await new Promise((r) => setTimeout(r, 1));
        if (i === failAt) throw new Error(`record ${i} unreadable`);
        yield i;
      }
    } finally {
      log.push('closed');
    }
  })();
}

describe('readingAhead: the next record is read while the consumer works on this one', () => {
  it('asks the source for the next record before the consumer asks for it, and hands every record on in order', async () => {
    const log: string[] = [];
    const got: number[] = [];
    for await (const r of readingAhead(logged(3, log))) {
      got.push(r);
      // The consumer's work on record r (planning a batch) starts after the source was asked for r + 1.
      log.push(`planning ${r}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(got).toEqual([1, 2, 3]);
    expect(log.indexOf('asked 2')).toBeLessThan(log.indexOf('planning 1'));
    expect(log.indexOf('asked 3')).toBeLessThan(log.indexOf('planning 2'));
    expect(log).toContain('closed');
  });

  it('closes the source when the consumer stops early', async () => {
    const log: string[] = [];
    for await (const r of readingAhead(logged(10, log))) if (r === 2) break;
    expect(log).toContain('closed');
    expect(log).not.toContain('asked 4');
  });

  it("gives the consumer the source's failure at its next read, not as an unhandled rejection while it works", async () => {
    const log: string[] = [];
    const got: number[] = [];
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown): void => void unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      await expect(
        (async () => {
          for await (const r of readingAhead(logged(5, log, 2))) {
            got.push(r);
            // Long enough for the read ahead to fail meanwhile.
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
        })(),
      ).rejects.toThrow('record 2 unreadable');
      await new Promise((resolve) => setTimeout(resolve, 10));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(got).toEqual([1]);
    expect(unhandled).toEqual([]);
  });
});
