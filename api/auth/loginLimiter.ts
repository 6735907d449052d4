/**
 * Slows password guessing: after `maxFailures` failed sign-ins for one user name from one
 * address within the window, further attempts are refused until the window has passed.
 */
export interface LoginLimiter {
  /** Seconds to wait, or 0 when an attempt may go ahead. */
  retryAfter(key: string, now?: number): number;
  recordFailure(key: string, now?: number): void;
  recordSuccess(key: string): void;
}

export function loginLimiter(maxFailures = 5, windowMs = 15 * 60_000): LoginLimiter {
  const failures = new Map<string, number[]>();
  const recent = (key: string, now: number): number[] => {
    const list = (failures.get(key) ?? []).filter((t) => now - t < windowMs);
    if (list.length === 0) failures.delete(key);
    else failures.set(key, list);
    return list;
  };
  return {
    retryAfter(key, now = Date.now()) {
      const list = recent(key, now);
      if (list.length < maxFailures) return 0;
      return Math.ceil((list[0] + windowMs - now) / 1000);
    },
    recordFailure(key, now = Date.now()) {
      failures.set(key, [...recent(key, now), now]);
      // Bound memory under a flood of distinct names.
      if (failures.size > 10_000) failures.delete(failures.keys().next().value!);
    },
    recordSuccess(key) {
      failures.delete(key);
    },
  };
}
