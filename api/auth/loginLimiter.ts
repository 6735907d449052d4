/**
 * Slows password guessing on three counts at once: one user name from one address (5 failures in
 * 15 minutes), one address whatever the names (30: a script trying many names), and one name
 * whatever the address (50: guessing spread over many machines). Each count lives in a bounded
 * table that an attacker cannot flush: a full table drops only counts below their limit, never a
 * lock, and when it is full of locks new callers wait instead of getting a fresh count.
 */
export interface LoginLimiter {
  /** Seconds to wait, or 0 when an attempt may go ahead. */
  retryAfter(attempt: LoginAttempt, now?: number): number;
  recordFailure(attempt: LoginAttempt, now?: number): void;
  recordSuccess(attempt: LoginAttempt): void;
}

export interface LoginAttempt {
  readonly address: string;
  readonly username: string;
}

export interface LoginLimits {
  readonly perNameAndAddress: number;
  readonly perAddress: number;
  readonly perName: number;
  readonly windowMs: number;
  /** Entries each table keeps at most (memory stays bounded under a flood). */
  readonly capacity: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perNameAndAddress: 5, perAddress: 30, perName: 50, windowMs: 15 * 60_000, capacity: 10_000 };

/** IPv6 callers usually hold a whole /64: count it as one address, or a new address per try is free. */
export function addressKey(ip: string): string {
  const v6 = ip.includes(':') && !ip.startsWith('::ffff:');
  if (!v6) return ip.replace(/^::ffff:/, '');
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = ip.includes('::') ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** One count: failures within the window per key, in a table of bounded size. */
class FailureTable {
  private readonly failures = new Map<string, number[]>();
  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly capacity: number,
  ) {}

  private recent(key: string, now: number): number[] {
    const list = (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (list.length === 0) this.failures.delete(key);
    else this.failures.set(key, list);
    return list;
  }

  retryAfter(key: string, now: number): number {
    const list = this.recent(key, now);
    if (list.length >= this.limit) return Math.ceil((list[list.length - this.limit] + this.windowMs - now) / 1000);
    // Full of locks: a newcomer cannot be counted, so it waits rather than slipping through uncounted.
    if (list.length === 0 && this.failures.size >= this.capacity && !this.makeRoom(now)) return Math.ceil(this.windowMs / 1000);
    return 0;
  }

  recordFailure(key: string, now: number): void {
    const list = this.recent(key, now);
    if (list.length === 0 && this.failures.size >= this.capacity && !this.makeRoom(now)) return;
    this.failures.set(key, [...list.slice(-(this.limit - 1)), now]);
  }

  forget(key: string): void {
    this.failures.delete(key);
  }

  /** Drops expired counts, then the oldest count below the limit; never a lock. */
  private makeRoom(now: number): boolean {
    let spare: string | undefined;
    for (const key of [...this.failures.keys()]) {
      const list = this.recent(key, now);
      if (list.length > 0 && list.length < this.limit && spare === undefined) spare = key;
    }
    if (this.failures.size < this.capacity) return true;
    if (spare === undefined) return false;
    this.failures.delete(spare);
    return true;
  }

  get size(): number {
    return this.failures.size;
  }
}

export function loginLimiter(limits: LoginLimits = DEFAULT_LOGIN_LIMITS): LoginLimiter & { readonly sizes: () => readonly number[] } {
  const pair = new FailureTable(limits.perNameAndAddress, limits.windowMs, limits.capacity);
  const byAddress = new FailureTable(limits.perAddress, limits.windowMs, limits.capacity);
  const byName = new FailureTable(limits.perName, limits.windowMs, limits.capacity);
  const keys = (a: LoginAttempt) => {
    const address = addressKey(a.address);
    return { pair: `${address}|${a.username}`, address, name: a.username };
  };
  return {
    retryAfter(attempt, now = Date.now()) {
      const k = keys(attempt);
      return Math.max(pair.retryAfter(k.pair, now), byAddress.retryAfter(k.address, now), byName.retryAfter(k.name, now));
    },
    recordFailure(attempt, now = Date.now()) {
      const k = keys(attempt);
      pair.recordFailure(k.pair, now);
      byAddress.recordFailure(k.address, now);
      byName.recordFailure(k.name, now);
    },
    recordSuccess(attempt) {
      // The name and the pair start over; the address keeps its count (one good password does not license a sweep).
      const k = keys(attempt);
      pair.forget(k.pair);
      byName.forget(k.name);
    },
    sizes: () => [pair.size, byAddress.size, byName.size],
  };
}
