/**
 * The `large` district is pure generation (no database), but takes ~15 s and ~650 MB per district, so it runs
 * in the integration project, one file at a time, rather than beside the fast unit tests.
 */
import { describe, expect, it } from 'vitest';
import { generateDistrict } from './generate.js';
import { dirtyCountText, documentedDirtyCounts, documentedRowCounts, generatedRowCounts } from './documentedCounts.js';

describe('the large district', () => {
  it('holds exactly the rows sis/README.md documents for a clean seed-1 district', () => {
    const documented = documentedRowCounts('large');
    expect(generatedRowCounts(generateDistrict({ size: 'large', seed: 1 }), Object.keys(documented))).toEqual(documented);
  }, 180_000);

  it('holds exactly the dirty situations sis/README.md documents for seed 1 with every profile', () => {
    expect(dirtyCountText(generateDistrict({ size: 'large', seed: 1, dirty: ['all'] }))).toEqual(documentedDirtyCounts('large'));
  }, 180_000);
});
