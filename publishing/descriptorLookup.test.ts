import { describe, expect, it } from 'vitest';
import { MappingLookup } from './descriptorLookup.js';

const lookup = (): MappingLookup =>
  new MappingLookup(
    [
      {
        codeSet: 'behavior-categories',
        schoolId: null,
        code: '41',
        mapping: { namespace: 'uri://tea.texas.gov/BehaviorDescriptor', codeValue: '41', auto: true },
      },
      { codeSet: 'behavior-categories', schoolId: null, code: 'CELL', mapping: null },
      {
        codeSet: 'reporting-terms',
        schoolId: 7,
        code: 'SW1',
        mapping: { namespace: 'uri://ed-fi.org/GradingPeriodDescriptor', codeValue: 'First Six Weeks', auto: false },
      },
    ],
    'uri://local.texas.gov',
  );

describe('MappingLookup', () => {
  it('gives the mapped URI of a code', () => {
    expect(lookup().uri('behavior-categories', '41')).toBe('uri://tea.texas.gov/BehaviorDescriptor#41');
  });

  it('publishes an unmapped (or kept-local) code as a local descriptor in the profile namespace, and remembers it', () => {
    const l = lookup();
    expect(l.uri('behavior-categories', 'CELL')).toBe('uri://local.texas.gov/BehaviorDescriptor#CELL');
    expect(l.uri('behavior-categories', 'CELL')).toBe('uri://local.texas.gov/BehaviorDescriptor#CELL');
    expect(l.localDescriptorsMet()).toEqual([
      {
        resource: 'ed-fi/behaviorDescriptors',
        namespace: 'uri://local.texas.gov/BehaviorDescriptor',
        codeValue: 'CELL',
        uri: 'uri://local.texas.gov/BehaviorDescriptor#CELL',
      },
    ]);
  });

  it('answers only real mappings where the state needs its own code', () => {
    expect(lookup().mapped('behavior-categories', 'CELL')).toBeUndefined();
    expect(lookup().mapped('behavior-categories', '41')).toBe('uri://tea.texas.gov/BehaviorDescriptor#41');
  });

  it('maps per-school code sets per school only', () => {
    expect(lookup().mapped('reporting-terms', 'SW1', 7)).toBe('uri://ed-fi.org/GradingPeriodDescriptor#First Six Weeks');
    expect(lookup().mapped('reporting-terms', 'SW1', 8)).toBeUndefined();
  });

  it('gives nothing for an empty code', () => {
    expect(lookup().uri('behavior-categories', null)).toBeUndefined();
    expect(lookup().uri('behavior-categories', '  ')).toBeUndefined();
  });
});
