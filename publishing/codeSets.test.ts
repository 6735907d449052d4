import { describe, expect, it } from 'vitest';
import { autoMap, CODE_SETS, descriptorUri, groupChoices, localDescriptor, type DescriptorValue } from './codeSets.js';

const TEA = 'uri://tea.texas.gov';
const values: DescriptorValue[] = [
  { namespace: 'uri://ed-fi.org/BehaviorDescriptor', codeValue: 'Other', shortDescription: 'Other' },
  { namespace: 'uri://ed-fi.org/BehaviorDescriptor', codeValue: 'School Violation', shortDescription: 'School Violation' },
  { namespace: 'uri://tea.texas.gov/BehaviorDescriptor', codeValue: '28', shortDescription: 'Assault Under Penal Code 22.01(a)(1) Against Non S' },
  { namespace: 'uri://tea.texas.gov/BehaviorDescriptor', codeValue: '01', shortDescription: 'Permanent Removal By A Teacher From Class' },
  { namespace: 'uri://tea.texas.gov/BehaviorDescriptor', codeValue: 'Other', shortDescription: 'Other (state)' },
];

describe('code-set mapping', () => {
  it('lists the code sets the guide names, the seven TEA needs marked required, plus calendar types, races, sex and staff classifications (TEA codes C304, C013, C021)', () => {
    expect(CODE_SETS.filter((c) => c.requiredForState).map((c) => c.label)).toEqual([
      'Behavior Categories',
      'Calendar Types',
      'Disabilities',
      'Discipline Action Length Difference Reasons',
      'Disciplines',
      'Entry Codes',
      'Exit Withdraw Codes',
      'Languages',
      'Races',
      'Sex',
      'Staff Classifications',
    ]);
  });

  it('pre-maps local codes that match a downloaded value, preferring the state namespace, and marks them automatic', () => {
    const mapped = autoMap(['01', ' 28 ', 'other', 'ZZ'], values, new Map(), TEA);
    expect(mapped.get('01')).toEqual({ namespace: 'uri://tea.texas.gov/BehaviorDescriptor', codeValue: '01', auto: true });
    expect(mapped.get(' 28 ')).toMatchObject({ codeValue: '28', auto: true });
    expect(mapped.get('other')).toEqual({ namespace: 'uri://tea.texas.gov/BehaviorDescriptor', codeValue: 'Other', auto: true });
    expect(mapped.has('ZZ')).toBe(false);
  });

  it('never overrides a mapping a clerk made', () => {
    const mine = new Map([['01', { namespace: 'uri://ed-fi.org/BehaviorDescriptor', codeValue: 'Other', auto: false }]]);
    expect(autoMap(['01'], values, mine, TEA).get('01')).toEqual({ namespace: 'uri://ed-fi.org/BehaviorDescriptor', codeValue: 'Other', auto: false });
  });

  it('offers choices grouped by namespace: core Ed-Fi first, then the state, values in natural order', () => {
    const groups = groupChoices(values, TEA);
    expect(groups.map((g) => g.namespace)).toEqual(['uri://ed-fi.org/BehaviorDescriptor', 'uri://tea.texas.gov/BehaviorDescriptor']);
    expect(groups[1]?.values.map((v) => v.codeValue)).toEqual(['01', '28', 'Other']);
  });

  it("publishes an unmapped code as a local descriptor in the profile's namespace prefix", () => {
    expect(localDescriptor('uri://local.texas.gov', 'behaviorDescriptors', 'Z9')).toEqual({
      namespace: 'uri://local.texas.gov/BehaviorDescriptor',
      codeValue: 'Z9',
      uri: 'uri://local.texas.gov/BehaviorDescriptor#Z9',
    });
    expect(descriptorUri(undefined, 'uri://local.texas.gov/', 'calendarTypeDescriptors', 'IS')).toBe('uri://local.texas.gov/CalendarTypeDescriptor#IS');
    expect(
      descriptorUri(
        { namespace: 'uri://tea.texas.gov/CalendarTypeDescriptor', codeValue: '1', auto: true },
        'uri://local.texas.gov',
        'calendarTypeDescriptors',
        'IS',
      ),
    ).toBe('uri://tea.texas.gov/CalendarTypeDescriptor#1');
  });
});
