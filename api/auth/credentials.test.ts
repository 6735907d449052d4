import { describe, expect, it } from 'vitest';
import { hashPassword, newApiKey, parseApiKey, sha256, verifyPassword } from './credentials.js';
import { addressKey, DEFAULT_LOGIN_LIMITS, loginLimiter } from './loginLimiter.js';

describe('credentials', () => {
  it('verify a password against its salted hash only', async () => {
    const stored = await hashPassword('correct horse');
    expect(stored).not.toContain('correct horse');
    expect(await verifyPassword('correct horse', stored)).toBe(true);
    expect(await verifyPassword('correct hors', stored)).toBe(false);
    expect(await hashPassword('correct horse')).not.toBe(stored);
  });
  it('make API keys whose id can be read back and whose secret is only hashed', () => {
    const k = newApiKey();
    expect(parseApiKey(k.token)).toEqual({ id: k.id });
    expect(k.hash).toBe(sha256(k.token));
    expect(parseApiKey('edx_short_x')).toBeUndefined();
  });
});

describe('sign-in rate limit', () => {
  const clerkFrom = (address: string) => ({ address, username: 'clerk' });
  it('refuses the sixth failure for a name from one address in 15 minutes, then lets attempts through after the window', () => {
    const limiter = loginLimiter();
    const t0 = 1_000_000;
    for (let i = 0; i < 5; i++) {
      expect(limiter.retryAfter(clerkFrom('1.2.3.4'), t0 + i)).toBe(0);
      limiter.recordFailure(clerkFrom('1.2.3.4'), t0 + i);
    }
    expect(limiter.retryAfter(clerkFrom('1.2.3.4'), t0 + 10)).toBe(900);
    expect(limiter.retryAfter(clerkFrom('5.6.7.8'), t0 + 10)).toBe(0);
    expect(limiter.retryAfter(clerkFrom('1.2.3.4'), t0 + 15 * 60_000 + 5)).toBe(0);
  });
  it('forgets failures for the name after a successful sign-in', () => {
    const limiter = loginLimiter({ ...DEFAULT_LOGIN_LIMITS, perNameAndAddress: 2 });
    limiter.recordFailure(clerkFrom('k'), 0);
    limiter.recordFailure(clerkFrom('k'), 1);
    limiter.recordSuccess(clerkFrom('k'));
    expect(limiter.retryAfter(clerkFrom('k'), 2)).toBe(0);
  });
  it('locks an address that tries many names, and a name tried from many addresses', () => {
    const limiter = loginLimiter();
    for (let i = 0; i < 30; i++) limiter.recordFailure({ address: '9.9.9.9', username: `guess${i}` }, i);
    expect(limiter.retryAfter({ address: '9.9.9.9', username: 'someone-new' }, 100)).toBeGreaterThan(0);
    for (let i = 0; i < 50; i++) limiter.recordFailure({ address: `10.0.${i}.1`, username: 'admin' }, i);
    expect(limiter.retryAfter({ address: '10.1.1.1', username: 'admin' }, 100)).toBeGreaterThan(0);
  });
  it('keeps a lock when a flood of made-up names from other addresses fills its table (memory stays bounded)', () => {
    const limiter = loginLimiter({ ...DEFAULT_LOGIN_LIMITS, capacity: 100 });
    for (let i = 0; i < 5; i++) limiter.recordFailure(clerkFrom('1.2.3.4'), i);
    // The attack of the finding: 10,050 failed sign-ins with made-up names, here from many addresses so no address lock stops them first.
    for (let i = 0; i < 10_050; i++) {
      const attempt = { address: `172.16.${i % 250}.${Math.floor(i / 250)}`, username: `made-up-${i}` };
      if (limiter.retryAfter(attempt, 10 + i) === 0) limiter.recordFailure(attempt, 10 + i);
    }
    expect(limiter.retryAfter(clerkFrom('1.2.3.4'), 20_000)).toBeGreaterThan(0);
    expect(Math.max(...limiter.sizes())).toBeLessThanOrEqual(100);
  });
  it('makes a caller wait rather than go uncounted when its table is full of locks', () => {
    const limiter = loginLimiter({ ...DEFAULT_LOGIN_LIMITS, perNameAndAddress: 1, capacity: 3 });
    for (const a of ['1.1.1.1', '2.2.2.2', '3.3.3.3']) limiter.recordFailure(clerkFrom(a), 0);
    expect(limiter.retryAfter(clerkFrom('4.4.4.4'), 1)).toBeGreaterThan(0);
  });
  it('counts an IPv6 /64 as one address', () => {
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(addressKey('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
  });
});
