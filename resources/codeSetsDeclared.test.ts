import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAPPERS } from './index.js';

/**
 * A mapper's `codeSets` decide when Now – Changes reads it whole after a mapping: one it uses but
 * does not declare would leave stale JSON in the ODS. Each file's mappers declare what it looks up.
 */
describe('the code sets a mapper declares', () => {
  const dir = import.meta.dirname;
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  for (const file of files) {
    const text = readFileSync(path.join(dir, file), 'utf8');
    const resources = [...text.matchAll(/^\s+resource: '(ed-fi\/\w+)',$/gm)].map((m) => m[1]);
    if (resources.length === 0) continue;
    it(`${file}: its mappers declare every code set it looks up`, () => {
      // Lookups go through ctx.descriptors, or stateCode() for the codes the state needs its own values for.
      const used = new Set([...text.matchAll(/(?:descriptors\.(?:mapped|uri)\(|stateCode\(ctx, )'([a-z-]+)'/g)].map((m) => m[1]));
      const declared = new Set(resources.flatMap((r) => MAPPERS.get(r)?.codeSets ?? []));
      expect([...declared].sort()).toEqual([...used].sort());
    });
  }
});
