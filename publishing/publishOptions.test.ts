import { describe, expect, it } from 'vitest';
import { plansAs, previewOnly, statusesActedOn, streamsWhenNothingPublished, usesExtract } from './publishOptions.js';

describe('publish options', () => {
  it('re-extract from the SIS except Retry – Errors (the JSON last sent) and Remove – Unpublished (the catalog alone)', () => {
    expect(['changes', 'all', 'errors', 'dependencies'].every((o) => usesExtract(o as never))).toBe(true);
    expect(usesExtract('retry-errors')).toBe(false);
    expect(usesExtract('remove-unpublished')).toBe(false);
  });
  it('act on the records in their status, or on whatever the extract gives', () => {
    expect(statusesActedOn('errors')).toEqual(['error']);
    expect(statusesActedOn('retry-errors')).toEqual(['error']);
    expect(statusesActedOn('dependencies')).toEqual(['dependency']);
    expect(statusesActedOn('remove-unpublished')).toEqual(['pending', 'dependency', 'error']);
    expect(statusesActedOn('changes')).toBeUndefined();
    expect(statusesActedOn('all')).toBeUndefined();
  });
  it('stream a never-published resource for the options that post whatever the extract gives, not for those acting on catalog records', () => {
    expect((['changes', 'all', 'missing', 'recent'] as const).filter(streamsWhenNothingPublished)).toEqual(['changes', 'all', 'missing', 'recent']);
    expect((['errors', 'dependencies', 'retry-errors', 'remove-unpublished'] as const).filter(streamsWhenNothingPublished)).toEqual([]);
  });
  it('Preview – Changes plans as Now – Changes, reads the SIS, and never streams (it sends nothing)', () => {
    expect(plansAs('preview')).toBe('changes');
    expect(plansAs('all')).toBe('all');
    expect(usesExtract('preview')).toBe(true);
    expect(streamsWhenNothingPublished('preview')).toBe(false);
    expect((['changes', 'preview', 'all'] as const).filter(previewOnly)).toEqual(['preview']);
  });
});
