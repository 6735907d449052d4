import { describe, expect, it } from 'vitest';
import { statisticsStale } from './catalog.js';

describe('statisticsStale (when a category run gathers the catalog statistics again)', () => {
  it('gathers them when never taken, or when the catalog grew or shrank by more than 5 %', () => {
    expect(statisticsStale(0, -1)).toBe(true);
    expect(statisticsStale(20, 0)).toBe(true);
    expect(statisticsStale(1_060_000, 1_000_000)).toBe(true);
    expect(statisticsStale(400_000, 1_000_000)).toBe(true);
  });

  it('leaves them be after a run that changed a few records of a large catalog', () => {
    expect(statisticsStale(1_009_747, 1_000_000)).toBe(false);
    expect(statisticsStale(998_990, 998_990)).toBe(false);
    expect(statisticsStale(0, 0)).toBe(false);
  });
});
