import { describe, expect, it } from 'vitest';
import { ADAPTIVE_FLOOR, ADAPTIVE_START, isOverload, nextBaseline, onAnswer, onOverload, startAdaptive, type AdaptiveState } from './adaptiveConcurrency.js';

/** A window's worth of answers, every connection busy, each taking `ms`. */
const window = (s: AdaptiveState, ms: number, status = 201, heldMs = 0): AdaptiveState => {
  let next = s;
  for (let i = 0, n = s.limit; i < n; i++) next = onAnswer(next, { status, ms, inFlight: s.limit, heldMs });
  return next;
};

describe('adaptive connections', () => {
  it('start low and double each busy window (slow start) up to Simultaneous Connections, the ceiling', () => {
    let s = startAdaptive(200);
    expect(s.limit).toBe(ADAPTIVE_START);
    const limits: number[] = [];
    for (let i = 0; i < 7; i++) limits.push((s = window(s, 50)).limit);
    expect(limits).toEqual([16, 32, 64, 128, 200, 200, 200]);
    expect(startAdaptive(5).limit).toBe(5);
  });

  it('back off at once on an overload answer (5xx, 429, no answer), once per window, and then grow by one a window', () => {
    let s = window(window(startAdaptive(200), 50), 50);
    expect(s.limit).toBe(32);
    s = onAnswer(s, { status: 503, ms: 5, inFlight: 32 });
    expect(s.limit).toBe(25);
    // The rest of the same burst is the same strain.
    s = onAnswer(onAnswer(s, { status: 503, ms: 5, inFlight: 32 }), { status: 0, ms: 5, inFlight: 32 });
    expect(s.limit).toBe(25);
    expect([window(s, 50).limit, window(window(s, 50), 50).limit]).toEqual([26, 27]);
    expect([500, 502, 503, 504, 429, 0].every(isOverload)).toBe(true);
    expect([200, 201, 204, 400, 403, 404, 409].some(isOverload)).toBe(false);
  });

  it('back off when a window is much slower than the ODS answered unloaded; a few milliseconds of jitter are no strain', () => {
    let s = window(window(window(startAdaptive(200), 50), 50), 50);
    expect(s.limit).toBe(64);
    s = window(s, 90);
    expect(s.limit).toBe(57);
    expect(s.slowStart).toBe(false);
    // A fast ODS: 2 ms, then 5 ms, is jitter, not strain.
    let fast = window(window(startAdaptive(64), 2), 2);
    fast = window(fast, 5);
    expect(fast.limit).toBe(64);
  });

  it('a window slowed by the worker itself (its event loop held for much of each answer) neither backs off, nor grows, nor moves the unloaded latency', () => {
    let s = window(window(window(startAdaptive(200), 50), 50), 50);
    expect(s.limit).toBe(64);
    const baseline = s.baselineMs;
    // Answers at 100 ms, 50 of them waiting on the worker: the ODS answered as fast as before.
    for (let i = 0; i < 5; i++) s = window(s, 100, 201, 50);
    expect(s.limit).toBe(64);
    expect(s.baselineMs).toBe(baseline);
    // The same 100 ms with the worker idle is the ODS's strain.
    s = window(s, 100, 201, 0);
    expect(s.limit).toBe(57);
    // A loop held briefly (a few ms of a collection) still lets the window count.
    s = window(s, 100, 201, 3);
    expect(s.limit).toBe(51);
  });

  it('grow only when the connections were all in use: a quiet run does not climb to the ceiling on no evidence', () => {
    let s = startAdaptive(200);
    for (let i = 0; i < 10; i++) for (let j = 0; j < s.limit; j++) s = onAnswer(s, { status: 201, ms: 50, inFlight: 3 });
    expect(s.limit).toBe(ADAPTIVE_START);
  });

  it('never below the floor, never above the ceiling', () => {
    let s = startAdaptive(200);
    for (let i = 0; i < 50; i++) s = onOverload({ ...s, backedOff: false });
    expect(s.limit).toBe(ADAPTIVE_FLOOR);
    expect(startAdaptive(2).limit).toBe(2);
    expect(onOverload(startAdaptive(2)).limit).toBe(2);
  });

  it('the unloaded latency follows a faster window at once and a slower one only a little', () => {
    expect(nextBaseline(undefined, 50)).toBe(50);
    expect(nextBaseline(50, 40)).toBe(40);
    expect(nextBaseline(50, 70)).toBe(51);
  });
});
