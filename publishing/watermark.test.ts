import { describe, expect, it } from 'vitest';
import { mustCheckEvent, READ_WHOLE, readWholeBecause } from './watermark.js';

describe("a resource's watermark", () => {
  it('is a starting point only after a complete run, under the same inputs', () => {
    expect(readWholeBecause(undefined, 'f1')).toBe(READ_WHOLE.noCompleteRun);
    expect(readWholeBecause({ eventId: 10, fingerprint: 'f0' }, 'f1')).toBe(READ_WHOLE.inputsChanged);
    expect(readWholeBecause({ eventId: 10, fingerprint: 'f1' }, 'f1')).toBeUndefined();
  });
  it('needs its event still in the queue, unless it stands before any event', () => {
    expect(mustCheckEvent({ eventId: 10, fingerprint: 'f' })).toBe(true);
    expect(mustCheckEvent({ eventId: 0, fingerprint: 'f' })).toBe(false);
  });
});
