/**
 * The dashboard's marks and the record lists' default filter, from catalog counts: a green check
 * when everything published, the orange triangle for dependencies, the red stop sign for errors
 * (errors win when both), nothing when there are no records.
 */
import type { CatalogStatus } from './outcome.js';

export interface StatusCounts {
  published: number;
  dependency: number;
  error: number;
  pending: number;
  /** Kept out by the profile's settings: listed, never a mark of their own. */
  excluded: number;
}

export type Mark = 'published' | 'dependency' | 'error' | null;

export const emptyCounts = (): StatusCounts => ({ published: 0, dependency: 0, error: 0, pending: 0, excluded: 0 });

export function addCount(counts: StatusCounts, status: CatalogStatus, n: number): void {
  if (status === 'published' || status === 'dependency' || status === 'error' || status === 'excluded') counts[status] += n;
  else if (status === 'pending' || status === 'processing') counts.pending += n;
}

export function sumCounts(list: readonly StatusCounts[]): StatusCounts {
  const out = emptyCounts();
  for (const c of list) {
    out.published += c.published;
    out.dependency += c.dependency;
    out.error += c.error;
    out.pending += c.pending;
    out.excluded += c.excluded;
  }
  return out;
}

export function markOf(c: StatusCounts): Mark {
  if (c.error > 0) return 'error';
  if (c.dependency > 0) return 'dependency';
  if (c.published > 0) return 'published';
  return null;
}

/**
 * The statuses a record list shows by default under DashboardDetailFilterOption; undefined means
 * all records.
 */
export function defaultListStatuses(option: string | undefined, c: StatusCounts): CatalogStatus[] | undefined {
  switch (option) {
    case 'errors-or-dependencies-or-all':
      if (c.error > 0) return ['error'];
      if (c.dependency > 0) return ['dependency'];
      return undefined;
    case 'dependencies-only':
      return ['dependency'];
    case 'errors-and-dependencies':
      return ['error', 'dependency'];
    default:
      return undefined;
  }
}
