import { describe, expect, it } from 'vitest';
import { encodeRow, escapeCopyText, arrayLiteral } from './copyText.js';
import { tableDef } from './model.js';

describe('COPY text encoding', () => {
  it('escapes backslash, tab and line breaks', () => {
    expect(escapeCopyText('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
  });

  it('quotes array elements so commas and quotes survive', () => {
    expect(arrayLiteral(['W', 'a,b', 'q"x'])).toBe('{"W","a,b","q\\"x"}');
  });

  it('writes NULL for missing optional columns and day numbers as ISO dates', () => {
    const line = encodeRow('roster', tableDef('roster').columns, { rosterID: 1, personID: 2, sectionID: 3, startDate: 20_000 });
    expect(line).toBe('1\t2\t3\t2024-10-04\t\\N\n');
  });

  it('refuses a column the table does not have, and NULL in a NOT NULL column', () => {
    expect(() => encodeRow('roster', tableDef('roster').columns, { rosterID: 1, personID: 2, sectionID: 3, startDate: '2024-01-01', typo: 1 })).toThrow(
      /no column\(s\) typo/,
    );
    expect(() => encodeRow('roster', tableDef('roster').columns, { rosterID: 1, sectionID: 3, startDate: '2024-01-01' })).toThrow(/personID may not be NULL/);
  });
});
