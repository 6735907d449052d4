import { describe, expect, it } from 'vitest';
import { hashPassword, newApiKey, parseApiKey, sha256, verifyPassword } from './credentials.js';
import { loginLimiter } from './loginLimiter.js';

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
  it('refuses the sixth failure in 15 minutes, then lets attempts through after the window', () => {
    const limiter = loginLimiter(5, 15 * 60_000);
    const t0 = 1_000_000;
    for (let i = 0; i < 5; i++) {
      expect(limiter.retryAfter('1.2.3.4|clerk', t0 + i)).toBe(0);
      limiter.recordFailure('1.2.3.4|clerk', t0 + i);
    }
    expect(limiter.retryAfter('1.2.3.4|clerk', t0 + 10)).toBe(900);
    expect(limiter.retryAfter('5.6.7.8|clerk', t0 + 10)).toBe(0);
    expect(limiter.retryAfter('1.2.3.4|clerk', t0 + 15 * 60_000 + 5)).toBe(0);
  });
  it('forgets failures after a successful sign-in', () => {
    const limiter = loginLimiter(2, 60_000);
    limiter.recordFailure('k', 0);
    limiter.recordFailure('k', 1);
    limiter.recordSuccess('k');
    expect(limiter.retryAfter('k', 2)).toBe(0);
  });
});
