import { describe, expect, it } from 'vitest';
import { comparesBytewise } from './collation.js';

describe('which collations compare source keys byte by byte', () => {
  it('the builtin provider, and libc under C, POSIX or C.UTF-8', () => {
    expect(comparesBytewise({ provider: 'b', collate: 'en_US.UTF-8' })).toBe(true);
    for (const collate of ['C', 'POSIX', 'C.UTF-8', 'C.utf8']) expect(comparesBytewise({ provider: 'c', collate })).toBe(true);
  });

  it('not a linguistic libc locale, nor ICU whatever its locale', () => {
    for (const collate of ['en_US.UTF-8', 'de_DE.utf8', 'C.UTF-8x', '', null]) expect(comparesBytewise({ provider: 'c', collate })).toBe(false);
    expect(comparesBytewise({ provider: 'i', collate: 'C' })).toBe(false);
  });
});
