import { describe, expect, it } from 'vitest';
import { calendarDoc, calendars, model } from './testing.js';
import { localDescriptorStatuses, stagedRecord } from './staging.js';

const doc = calendarDoc;

describe('a record as a run stages it', () => {
  it('keeps only what the plan compares on a first pass, the same key and hash as a whole one', () => {
    const light = stagedRecord(model, calendars, { sourceKey: '1', schoolId: 7, doc }, 'hash-only');
    const whole = stagedRecord(model, calendars, { sourceKey: '1', schoolId: 7, doc }, 'whole');
    expect(light).toEqual({ sourceKey: '1', schoolId: '7', naturalKey: whole.naturalKey, payloadHash: whole.payloadHash });
    expect(JSON.parse(whole.doc!)).toEqual(doc);
    expect(JSON.parse(whole.refs!)).toEqual(expect.arrayContaining([expect.objectContaining({ property: 'schoolReference' })]));
  });
  it('turns a document the model refuses into a computed error, once, and keeps a computed one as it is', () => {
    const { calendarTypeDescriptor: _t, ...untyped } = doc;
    expect(stagedRecord(model, calendars, { sourceKey: '2', schoolId: 7, doc: untyped }, 'whole').error).toMatch(/^Not sent: /);
    expect(stagedRecord(model, calendars, { sourceKey: '3', schoolId: null, doc, error: 'The School ID being sent is non-numeric.' }, 'whole')).toMatchObject({
      schoolId: null,
      error: 'The School ID being sent is non-numeric.',
    });
  });
});

describe('which local descriptors a run sends', () => {
  it('Retry – Errors the failed ones, Now – All every one again, otherwise the waiting and the failed', () => {
    expect(localDescriptorStatuses({ errorsOnly: true, all: true })).toEqual(['error']);
    expect(localDescriptorStatuses({ all: true })).toEqual(['pending', 'error', 'published']);
    expect(localDescriptorStatuses({})).toEqual(['pending', 'error']);
  });
});
