import { describe, expect, it } from 'vitest';
import { TRIGGERS } from '../publishing/publishRequest.js';
import { PRIORITY_OF_TRIGGER, runPriority } from './priority.js';

describe('a category run’s task priority', () => {
  it('puts near-real-time changes first, then what a person asked for, and bulk runs last', () => {
    const p = PRIORITY_OF_TRIGGER;
    expect(p['data-changes']).toBeLessThan(p.clerk);
    expect(p.clerk).toBe(p.api);
    expect(p.clerk).toBeLessThan(p.schedule);
    expect(p.schedule).toBeLessThan(p['initial-sync']);
  });

  it('gives every trigger a key Temporal accepts (1–5)', () => {
    for (const t of TRIGGERS) expect(PRIORITY_OF_TRIGGER[t]).toSatisfy((k: number) => Number.isInteger(k) && k >= 1 && k <= 5);
  });

  it('shares the workers between profiles by one fairness key each, within 64 bytes', () => {
    const a = runPriority('6f1c2d3e-0000-4000-8000-000000000001', 'schedule');
    const b = runPriority('6f1c2d3e-0000-4000-8000-000000000002', 'schedule');
    expect(a.fairnessKey).not.toBe(b.fairnessKey);
    expect(a.priorityKey).toBe(4);
    // The longest profile id the Configure page accepts is a valid key as it is.
    expect(Buffer.byteLength(runPriority('x'.repeat(64), 'clerk').fairnessKey ?? '')).toBe(64);
  });
});
