import { describe, expect, it } from 'vitest';
import { generateDistrict } from './generate.js';
import { dirtyCountText, documentedDirtyCounts, documentedRowCounts, generatedRowCounts } from './documentedCounts.js';

describe('sis/README.md counts', () => {
  for (const size of ['tiny', 'small'] as const) {
    it(`are exactly what a seed-1 ${size} district holds, clean and with every dirty profile`, () => {
      const documented = documentedRowCounts(size);
      expect(generatedRowCounts(generateDistrict({ size, seed: 1 }), Object.keys(documented))).toEqual(documented);
      expect(dirtyCountText(generateDistrict({ size, seed: 1, dirty: ['all'] }))).toEqual(documentedDirtyCounts(size));
    });
  }
});
