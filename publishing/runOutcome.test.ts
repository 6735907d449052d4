import { describe, expect, it } from 'vitest';
import { runOutcome } from './runOutcome.js';

describe('a category run’s outcome', () => {
  it('is clean only with nothing in error or dependency; errors outrank dependencies', () => {
    expect(runOutcome({ error: 0, dependency: 0 })).toBe('clean');
    expect(runOutcome({ error: 0, dependency: 3 })).toBe('with-dependencies');
    expect(runOutcome({ error: 1, dependency: 3 })).toBe('with-errors');
    // Every record refused: completed as a workflow, never clean.
    expect(runOutcome({ error: 500, dependency: 0 })).toBe('with-errors');
  });
});
