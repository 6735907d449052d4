/** The context an extract reads before its SIS rows: the profile's code mappings and preferences. */
import { describe, expect, it } from 'vitest';
import type pg from 'pg';
import { publishContext } from './context.js';
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
