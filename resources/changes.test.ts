import { describe, expect, it } from 'vitest';
import { TABLES } from '../sis/model.js';
import { MAPPERS } from './index.js';
import { LOCATIONS_SQL } from './locations.js';
import { CALENDAR_DATES_SQL } from './calendarDates.js';
import { OFFERINGS_SQL, SECTIONS_SQL } from './schedules.js';

/** The SIS tables a query names after FROM or JOIN. */
function tablesRead(sql: string): string[] {
  const names = new Set(TABLES.map((t) => t.name));
  return [...new Set([...sql.matchAll(/\b(?:FROM|JOIN)\s+([a-z_]+)/gi)].map((m) => m[1].toLowerCase()).filter((t) => names.has(t)))].sort();
}

const EXTRACTS: Record<string, string> = {
  'ed-fi/locations': LOCATIONS_SQL,
  'ed-fi/calendarDates': CALENDAR_DATES_SQL,
  'ed-fi/courseOfferings': OFFERINGS_SQL,
  'ed-fi/sections': SECTIONS_SQL,
};

describe('change tracing of the mappers', () => {
  const traced = [...MAPPERS.values()].filter((m) => m.changes !== undefined);

  it('covers the large resources of the Organization group', () => {
    expect(traced.map((m) => m.resource).sort()).toEqual(Object.keys(EXTRACTS).sort());
  });

  for (const mapper of traced) {
    it(`${mapper.resource} says how every SIS table its extract reads leads to its records`, () => {
      expect(Object.keys(mapper.changes!.tables).sort()).toEqual(tablesRead(EXTRACTS[mapper.resource]));
    });
    it(`${mapper.resource} traces each table by a query from the changed keys to objects`, () => {
      for (const follow of Object.values(mapper.changes!.tables)) {
        if (typeof follow === 'string') continue;
        expect(follow.sql).toMatch(/ AS object FROM /);
        expect(follow.sql).toContain('= ANY($1)');
      }
    });
  }
});
