import { describe, expect, it } from 'vitest';
import { dismissRefusal } from './queueDismissal.js';

const recent = [
  { ticket: 1, outcome: 'completed' as const },
  { ticket: 2, outcome: 'failed' as const },
];

describe('dismissing a publish-queue entry', () => {
  it('takes a waiting publish or a failed entry', () => {
    expect(dismissRefusal(4, 3, [{ ticket: 4 }], recent)).toBeUndefined();
    expect(dismissRefusal(2, 3, [], recent)).toBeUndefined();
  });
  it('refuses the running publish, a finished one that did not fail, and an unknown ticket, saying why', () => {
    expect(dismissRefusal(3, 3, [], recent)).toBe('#3 is publishing now: it cannot be dismissed, only waited for');
    expect(dismissRefusal(1, 3, [], recent)).toBe('#1 finished without failing: only failed entries are dismissed');
    expect(dismissRefusal(9, 3, [], recent)).toBe('the queue has no entry #9');
  });
});
