import { describe, expect, it } from 'vitest';
import { changedFields, previewKind } from './preview.js';

describe('what a preview calls each planned record', () => {
  it('a post of a record the ODS has is an update; one it lacks is a post', () => {
    expect(previewKind('post', true)).toBe('update');
    expect(previewKind('post', false)).toBe('post');
  });

  it('re-keys and deletes are themselves; forgetting a never-published record changes nothing in the ODS', () => {
    expect(previewKind('rekey', true)).toBe('rekey');
    expect(previewKind('delete', true)).toBe('delete');
    expect(previewKind('forget', false)).toBeUndefined();
  });
});

describe("an update's changed JSON fields", () => {
  it('names changed, added and removed fields by dotted path, in order', () => {
    const before = { nameOfInstitution: 'Alamo HS', address: { city: 'Austin', zip: '78701' }, webSite: 'x' };
    const after = { nameOfInstitution: 'Alamo High School', address: { city: 'Austin', zip: '78702' }, phone: '512' };
    expect(changedFields(before, after)).toEqual(['address.zip', 'nameOfInstitution', 'phone', 'webSite']);
  });

  it('reports a changed list whole, and nothing for the same JSON in another key order', () => {
    expect(changedFields({ grades: [{ g: '09' }, { g: '10' }] }, { grades: [{ g: '09' }] })).toEqual(['grades']);
    expect(changedFields({ a: 1, b: { c: [1, { d: 2, e: 3 }] } }, { b: { c: [1, { e: 3, d: 2 }] }, a: 1 })).toEqual([]);
  });
});
