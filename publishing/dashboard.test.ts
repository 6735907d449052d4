import { describe, expect, it } from 'vitest';
import { defaultListStatuses, markOf, sumCounts } from './dashboard.js';

const c = (published: number, dependency: number, error: number, excluded = 0) => ({ published, dependency, error, pending: 0, excluded });

describe('dashboard marks', () => {
  it('show the stop sign when errors exist, even with dependencies; the triangle for dependencies; the check when all published', () => {
    expect(markOf(c(10, 2, 1))).toBe('error');
    expect(markOf(c(10, 2, 0))).toBe('dependency');
    expect(markOf(c(10, 0, 0))).toBe('published');
    expect(markOf(c(0, 0, 0))).toBeNull();
  });
  it('add up a category from its entities', () => {
    expect(sumCounts([c(1, 2, 3), c(10, 20, 30)])).toEqual({ published: 11, dependency: 22, error: 33, pending: 0, excluded: 0 });
  });
  it('count excluded records but never mark a category by them: all sent is ✓ whatever the settings leave out', () => {
    expect(sumCounts([c(1, 0, 0, 4), c(2, 0, 0, 1)]).excluded).toBe(5);
    expect(markOf(c(10, 0, 0, 3))).toBe('published');
    expect(markOf(c(0, 0, 0, 3))).toBeNull();
  });
});

describe('DashboardDetailFilterOption', () => {
  it('Errors or Dependencies or All: errors if any, else dependencies if any, else everything', () => {
    expect(defaultListStatuses('errors-or-dependencies-or-all', c(5, 2, 1))).toEqual(['error']);
    expect(defaultListStatuses('errors-or-dependencies-or-all', c(5, 2, 0))).toEqual(['dependency']);
    expect(defaultListStatuses('errors-or-dependencies-or-all', c(5, 0, 0))).toBeUndefined();
  });
  it('the other options filter as named, and All records does not', () => {
    expect(defaultListStatuses('dependencies-only', c(5, 0, 1))).toEqual(['dependency']);
    expect(defaultListStatuses('errors-and-dependencies', c(5, 0, 1))).toEqual(['error', 'dependency']);
    expect(defaultListStatuses('all', c(5, 1, 1))).toBeUndefined();
  });
});
