/** The context an extract reads before its SIS rows: the profile's code mappings and preferences. */
import { describe, expect, it } from 'vitest';
import type pg from 'pg';
import { fingerprintsOf, publishContext } from './context.js';
import { CODE_SETS } from '../../publishing/codeSets.js';
import { MAPPERS } from '../../resources/index.js';
import type { Engine } from './engine.js';
import type { Profile } from '../../db/entities/profile.js';

const profile = {
  id: 'p',
  name: 'Prairie ISD',
  profileType: 'SIS',
  dataStandard: '4.0',
  stateExtension: 'TX-2025.2.1',
  settings: {},
} as unknown as Profile;

/** An app database that answers the mapping and preference reads, counting them; its mapping answer can change. */
function appDb(): { e: Engine; reads: () => number; map: (codeValue: string) => void } {
  let reads = 0;
  let codeValue = '01';
  const query = (sql: string): Promise<{ rows: unknown[] }> => {
    if (sql.includes('FROM code_mapping')) {
      reads++;
      const row = { codeSet: 'calendar-types', schoolId: 0, code: 'REG', namespace: 'uri://tea.texas.gov/CalendarTypeDescriptor', codeValue, auto: false };
      // Answered a turn later, as a database does: the extracts that start together meet while it is under way.
      return new Promise((resolve) => setImmediate(() => resolve({ rows: [row] })));
    }
    return Promise.resolve({ rows: [] });
  };
  const e = { db: { query } as unknown as pg.Pool } as unknown as Engine;
  return { e, reads: () => reads, map: (v) => void (codeValue = v) };
}

describe("an extract's publish context", () => {
  it('is read once for the extracts that start together, and afresh for the next run (a new mapping is seen)', async () => {
    const { e, reads, map } = appDb();
    const together = await Promise.all([1, 2, 3, 4].map(() => publishContext(e, profile, 2025, undefined)));
    expect(reads()).toBe(1);
    for (const { lookup } of together) expect(lookup.mapped('calendar-types', 'REG')).toBe('uri://tea.texas.gov/CalendarTypeDescriptor#01');
    // Each extract has a lookup of its own: the local descriptors one meets are its own.
    together[0].lookup.uri('grade-levels', 'ZZ');
    expect(together[1].lookup.localDescriptorsMet()).toEqual([]);
    map('02');
    const next = await publishContext(e, profile, 2025, undefined);
    expect(reads()).toBe(2);
    expect(next.lookup.mapped('calendar-types', 'REG')).toBe('uri://tea.texas.gov/CalendarTypeDescriptor#02');
  });
});

/*
 * A quiet Now – Changes decides from fingerprints read its own, cheaper way (only the code sets its
 * resources declare): they must equal the fingerprints an extract takes, or a quiet night would read
 * every resource whole (or, worse, a changed mapping would go unseen).
 */
/** Two decisions of every code set (one district-wide, one a school's), one of them still unmapped. */
const mappings = CODE_SETS.flatMap((set, i) => [
  { codeSet: set.id, schoolId: 0, code: `A${i}`, namespace: 'uri://ed-fi.org/X', codeValue: `Value ${i}`, auto: false },
  { codeSet: set.id, schoolId: 7, code: `b${i}`, namespace: null, codeValue: null, auto: true },
]);

/** An engine whose app database answers the two reads the fingerprints take, and counts the mapping rows it hands out. */
function mappingsDb(): Engine & { rowsRead: number } {
  const e = {
    rowsRead: 0,
    db: {
      query: (sql: string, params: unknown[]) => {
        if (sql.includes('FROM resource_preference'))
          return Promise.resolve({ rows: [{ resource: 'calendars', enabled: true, options: { reportGradeLevels: true } }] });
        if (!sql.includes('FROM code_mapping')) return Promise.reject(new Error(`unexpected query: ${sql}`));
        const sets = params[1] as string[] | undefined;
        const rows = sets === undefined ? mappings : mappings.filter((m) => sets.includes(m.codeSet));
        e.rowsRead += rows.length;
        return Promise.resolve({ rows });
      },
    },
  };
  return e as unknown as Engine & { rowsRead: number };
}

describe("a quiet check's fingerprints", () => {
  it('equal the extract’s for every resource, read from the mappings of the resources’ own code sets only', async () => {
    const mappers = [...MAPPERS.values()];
    const extract = (await publishContext(mappingsDb(), profile, 2025, undefined)).fingerprint;
    for (const mapper of mappers) {
      const e = mappingsDb();
      const quiet = await fingerprintsOf(e, profile, [mapper]);
      expect(quiet('load-1', mapper), mapper.resource).toBe(extract('load-1', mapper));
      expect(e.rowsRead, mapper.resource).toBe(2 * new Set(mapper.codeSets).size);
    }
    // And together, as a category asks them.
    const together = await fingerprintsOf(mappingsDb(), profile, mappers);
    for (const mapper of mappers) expect(together(null, mapper), mapper.resource).toBe(extract(null, mapper));
  });
});
