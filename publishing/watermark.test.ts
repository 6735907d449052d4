import { describe, expect, it } from 'vitest';
import { mustCheckEvent, READ_WHOLE, readWholeBecause, ownMarkOf } from './watermark.js';

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
    expect(new Set(['recent', 'missing'].map((o) => ownMarkOf('grades', o as 'recent' | 'missing'))).size).toBe(2);
    expect(ownMarkOf('grades', 'missing')).not.toBe('grades');
  });
  it('needs its event still in the queue, unless it stands before any event', () => {
    expect(mustCheckEvent({ eventId: 10, fingerprint: 'f' })).toBe(true);
    expect(mustCheckEvent({ eventId: 0, fingerprint: 'f' })).toBe(false);
  });
});
