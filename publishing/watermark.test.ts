import { describe, expect, it } from 'vitest';
import { mustCheckEvent, OWN_MARK_OPTIONS, ownMarkOf, READ_WHOLE, readWholeBecause } from './watermark.js';

describe("a resource's watermark", () => {
  it('is a starting point only after a complete run, under the same inputs', () => {
    expect(readWholeBecause(undefined, 'f1')).toBe(READ_WHOLE.noCompleteRun);
    expect(readWholeBecause({ eventId: 10, fingerprint: 'f0' }, 'f1')).toBe(READ_WHOLE.inputsChanged);
    expect(readWholeBecause({ eventId: 10, fingerprint: 'f1' }, 'f1')).toBeUndefined();
  });

  it('reads a window whole when it starts before the window its mark covered, not when it starts later or the mark covered everything', () => {
    const mark = { eventId: 10, fingerprint: 'f1', windowSince: '2025-03-02' };
    expect(readWholeBecause(mark, 'f1', '2025-03-01')).toBe(READ_WHOLE.windowMovedBack);
    expect(readWholeBecause(mark, 'f1', '2025-03-02')).toBeUndefined();
    expect(readWholeBecause(mark, 'f1', '2025-03-03')).toBeUndefined();
    expect(readWholeBecause({ ...mark, windowSince: null }, 'f1', '2025-01-01')).toBeUndefined();
  });
  it("keeps each nightly mode's mark apart from the resource's and from each other's", () => {
    const keys = [...OWN_MARK_OPTIONS.map((o) => ownMarkOf('grades', o)), 'grades'];
    expect(new Set(keys).size).toBe(OWN_MARK_OPTIONS.length + 1);
  });
  it('needs its event still in the queue, unless it stands before any event', () => {
    expect(mustCheckEvent({ eventId: 10, fingerprint: 'f' })).toBe(true);
    expect(mustCheckEvent({ eventId: 0, fingerprint: 'f' })).toBe(false);
  });
});
