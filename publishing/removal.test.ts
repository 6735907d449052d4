import { describe, expect, it } from 'vitest';
import { leaRemovalRefusal, profileRemovalRefusal, stateNumberChangeVoidsTests } from './removal.js';

const item = (category: string) => ({ request: { category } });

describe('removing a profile', () => {
  it('is allowed when its queue never ran or holds nothing', () => {
    expect(profileRemovalRefusal(undefined)).toBeUndefined();
    expect(profileRemovalRefusal({ running: undefined, waiting: [] })).toBeUndefined();
  });
  it('waits for a running publish, named by its category', () => {
    expect(profileRemovalRefusal({ running: item('organization-catalog'), waiting: [] })).toBe(
      'Organization Catalog is publishing for this profile: remove the profile once it has finished',
    );
  });
  it('names the queued publishes it waits for', () => {
    expect(profileRemovalRefusal({ running: undefined, waiting: [item('organization-catalog'), item('course-catalog')] })).toBe(
      '2 publishes are queued for this profile (Organization Catalog, Course Catalog): remove the profile once the queue is empty',
    );
  });
});

describe('removing an LEA', () => {
  it('is refused while profiles connect to it, naming them', () => {
    expect(leaRemovalRefusal({ connected: [], publishingFor: [] })).toBeUndefined();
    expect(leaRemovalRefusal({ connected: ['TX 24-25 SIS'], publishingFor: ['TX 24-25 SIS'] })).toBe('remove its connection to TX 24-25 SIS first');
    expect(leaRemovalRefusal({ connected: ['A', 'B'], publishingFor: [] })).toBe('remove its connections to A, B first');
  });

  it('tells a profile that publishes for it without a connection to move to another district or go, not to remove a connection it does not have', () => {
    expect(leaRemovalRefusal({ connected: [], publishingFor: ['HISD SIS'] })).toBe(
      'move HISD SIS to another district or remove it (it publishes for this one) first',
    );
    expect(leaRemovalRefusal({ connected: ['A'], publishingFor: ['A', 'B', 'C'] })).toBe(
      'remove its connection to A, and move B, C to another district or remove them (they publish for this one) first',
    );
  });
});

describe("editing an LEA's state number", () => {
  it('voids the tests that proved the keys serve the old number', () => {
    expect(stateNumberChangeVoidsTests('101912', '101913')).toBe(true);
    expect(stateNumberChangeVoidsTests('101912', '101912')).toBe(false);
    expect(stateNumberChangeVoidsTests('101912', undefined)).toBe(false);
  });
});
