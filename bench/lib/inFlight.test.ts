import { describe, expect, it } from 'vitest';
import { formatInFlight, inFlightReport } from './inFlight.js';

describe("a publish's requests in flight, as sampled", () => {
  it('weights each sample by its time, averages the POSTs and the connection limit over the work, and lists the stretches with none', () => {
    const samples = [
      { t: 0, inFlight: 0, limit: 8, sum: 0, count: 0 },
      { t: 0.5, inFlight: 64, limit: 64, sum: 0, count: 0 },
      { t: 1.5, inFlight: 0, limit: 64, sum: 0.5, count: 10 },
      { t: 2, inFlight: 0, limit: 64, sum: 0.5, count: 10 },
      { t: 2.5, inFlight: 64, limit: 32, sum: 0.5, count: 10 },
      { t: 3.5, inFlight: 64, limit: 32, sum: 1.5, count: 30 },
    ];
    const r = inFlightReport(samples);
    expect(r.meanInFlight).toBeCloseTo((64 * 1 + 64 * 1) / 3.5);
    expect(r.meanMs).toBeCloseTo(50);
    expect(r.lowestLimit).toBe(8);
    // From 0.5 s (the first sample with requests in flight) to 3.5 s: 64 for 2 s of the 3.
    expect(r.sending?.from).toBe(0.5);
    expect(r.sending?.to).toBe(3.5);
    expect(r.sending?.meanInFlight).toBeCloseTo((64 * 2) / 3);
    expect(r.meanLimit).toBeCloseTo((8 * 0.5 + 64 * 2 + 32 * 1) / 3.5);
    expect(r.idle).toEqual([
      [0, 0.5],
      [1.5, 2.5],
    ]);
    expect(formatInFlight(r, 64)).toBe(
      'in flight 36.6 of 64 on average (the limit 46.9 on average, 8 at its lowest); POSTs 50.0 ms each; nothing in flight 1.5 s (0.0–0.5, 1.5–2.5 s); from the first request seen in flight (0.5 s) to the last (3.5 s) 42.7 on average',
    );
  });

  it('has no sending stretch when at most one sample saw a request in flight', () => {
    const r = inFlightReport([
      { t: 0, inFlight: 0, limit: 64, sum: 0, count: 0 },
      { t: 0.1, inFlight: 3, limit: 64, sum: 0, count: 0 },
      { t: 0.2, inFlight: 0, limit: 64, sum: 0.1, count: 3 },
    ]);
    expect(r.sending).toBeUndefined();
    expect(formatInFlight(r, 64)).not.toContain('first request');
  });
});
