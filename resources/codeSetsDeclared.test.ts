import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResourceMapper } from './mapper.js';

/** The mappers a module exports (a file may build several, e.g. one per Data Standard name). */
function mappersIn(module: Record<string, unknown>): ResourceMapper[] {
  return Object.values(module).filter((v): v is ResourceMapper => typeof v === 'object' && v !== null && 'resource' in v && 'extract' in v && 'codeSets' in v);
}

/**
 * A mapper's `codeSets` decide when Now – Changes reads it whole after a mapping: one it uses but
 * does not declare would leave stale JSON in the ODS. Each file's mappers declare what it looks up.
 */
describe('the code sets a mapper declares', () => {
  const dir = import.meta.dirname;
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  for (const file of files) {
    const text = readFileSync(path.join(dir, file), 'utf8');
    if (!text.includes('sqlMapper') && !text.includes('extract(')) continue;
    it(`${file}: its mappers declare every code set it looks up`, async () => {
      const mappers = mappersIn((await import(`./${file.replace(/\.ts$/, '.js')}`)) as Record<string, unknown>);
      if (mappers.length === 0) return;
      // Lookups go through ctx.descriptors, or stateCode()/stateCodes() for the codes the state needs its own values for (races: raceList).
      const used = new Set([...text.matchAll(/(?:(?:descriptors|state)\.(?:mapped|uri)\(|stateCode\(ctx, )'([a-z-]+)'/g)].map((m) => m[1]));
      if (text.includes('raceList(')) used.add('races');
      expect([...new Set(mappers.flatMap((m) => m.codeSets))].sort()).toEqual([...used].sort());
    });
  }
});

describe('the TEA-required code sets', () => {
  it('each feed at least one mapper (issue 20: no code set a clerk must map goes unread)', async () => {
    const { MAPPERS } = await import('./index.js');
    const { CODE_SETS } = await import('../publishing/codeSets.js');
    const read = new Set([...MAPPERS.values()].flatMap((m) => m.codeSets));
    const unread = CODE_SETS.filter((c) => c.requiredForState && !read.has(c.id)).map((c) => c.id);
    expect(unread).toEqual([]);
  });
});
