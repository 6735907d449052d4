import { describe, expect, it } from 'vitest';
import { calendarDoc, calendars, model } from './testing.js';
import { classifyResponse } from './outcome.js';
import { apiBlocker, blockersReleased, notSent, outcomeWrite, precheck, referenceDependency } from './recordFate.js';

const calendar = calendarDoc;
const base = { sourceKey: '1', schoolId: '1', naturalKey: '{}', payloadHash: 'h', sentJson: null };

describe('a record withheld before any request', () => {
  it("keeps the mapper's computed error or dependency as it is", () => {
    expect(precheck(calendars, model, { error: 'The School ID being sent is non-numeric.', dependency: null }, undefined)).toMatchObject({
      status: 'error',
      statusDescription: 'The School ID being sent is non-numeric.',
    });
    expect(precheck(calendars, model, { error: null, dependency: 'Grade Levels: none yet' }, undefined)).toMatchObject({
      status: 'dependency',
      dependencySource: 'computed',
    });
  });
  it('refuses a document the model refuses, naming the field and the fix, without a round trip', () => {
    const fate = precheck(calendars, model, { error: null, dependency: null, doc: { ...calendar, calendarTypeDescriptor: undefined } }, undefined);
    expect(fate?.status).toBe('error');
    expect(fate?.statusDescription).toMatch(/^Not sent: .*calendarTypeDescriptor.*\. Correct it in the SIS, then run Now – Errors\.$/);
    expect(notSent('x is required')).toBe('Not sent: x is required. Correct it in the SIS, then run Now – Errors.');
  });
  it("waits for an unpublished reference in the guide's words, remembering what it waits for", () => {
    const fate = precheck(
      calendars,
      model,
      { error: null, dependency: null, doc: calendar },
      { property: 'schoolReference', target: 'ed-fi/schools', key: '149913001' },
    );
    expect(fate).toMatchObject({ status: 'dependency', dependencySource: 'computed', dependsOn: 'schools|149913001' });
    expect(fate?.statusDescription).toBe(referenceDependency(model, { property: 'schoolReference', target: 'ed-fi/schools' }));
    expect(fate?.statusDescription).toMatch(/^School Record: the referenced School \(schoolReference\) has not been published yet\./);
  });
  it('sends a clean record', () => {
    expect(precheck(calendars, model, { error: null, dependency: null, doc: calendar }, undefined)).toBeUndefined();
  });
});

describe('the catalog row an answer makes', () => {
  it('is published without a description, an error with the message and its hint, a dependency with its source', () => {
    expect(outcomeWrite(base, 'abc', classifyResponse('POST', 201, undefined), 201)).toMatchObject({
      status: 'published',
      statusDescription: null,
      httpStatus: 201,
      edfiId: 'abc',
      attempted: true,
    });
    const refused = outcomeWrite(base, null, classifyResponse('POST', 400, { message: 'Validation failed' }), 400);
    expect(refused).toMatchObject({ status: 'error', httpStatus: 400 });
    expect(refused.statusDescription).toMatch(/^Validation failed — The data was refused as sent/);
    expect(
      outcomeWrite(
        base,
        null,
        classifyResponse('POST', 403, {
          message:
            "Authorization denied. No relationships have been established between the caller's education organization id claim (1) and the resource item's 'StudentUniqueId' value.",
        }),
        403,
      ),
    ).toMatchObject({ status: 'dependency', dependencySource: 'api' });
  });
});

describe('a person the ODS has no relationship with (the Student ID ↔ School Enrollment interplay)', () => {
  const refusal = classifyResponse('POST', 403, {
    message:
      "Authorization denied. No relationships have been established between the caller's education organization id claim (1) and the resource item's 'StudentUniqueId' value.",
  });

  it("waits on that student, with the guide's Student School Association resolution", () => {
    const doc = JSON.stringify({ studentUniqueId: 'S-77', firstName: 'A' });
    const write = outcomeWrite(base, null, refusal, 403, apiBlocker(refusal, doc));
    expect(write).toMatchObject({ status: 'dependency', dependsOn: 'relationship|student|s-77' });
    expect(write.statusDescription).toMatch(/Student School Association: .*retried automatically as soon as the student's enrollment publishes/);
  });

  it('records about the student wait on the same student as the Student ID does', () => {
    const demographics = { studentReference: { studentUniqueId: 'S-77' }, educationOrganizationReference: { educationOrganizationId: 1 } };
    expect(apiBlocker(refusal, demographics)).toBe('relationship|student|s-77');
  });

  it('a published School Enrollment releases its own key and its student; a Student ID releases only itself', () => {
    const ssa = model.resource('ed-fi/studentSchoolAssociations')!;
    const doc = { studentReference: { studentUniqueId: 'S-77' }, schoolReference: { schoolId: 1 }, entryDate: '2024-08-14' };
    expect(blockersReleased(ssa, 'k', JSON.stringify(doc))).toEqual(['studentSchoolAssociations|k', 'relationship|student|s-77']);
    expect(blockersReleased(model.resource('ed-fi/students')!, 'k', { studentUniqueId: 'S-77' })).toEqual(['students|k']);
  });

  it('only a dependency waits on someone: other answers block nothing', () => {
    expect(apiBlocker(classifyResponse('POST', 201, undefined), { studentUniqueId: 'S-77' })).toBeNull();
  });
});
