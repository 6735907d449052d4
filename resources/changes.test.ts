import { describe, expect, it } from 'vitest';
import { TABLES } from '../sis/model.js';
import { MAPPERS } from './index.js';
/** The SIS tables a query names after FROM or JOIN. */
function tablesRead(sql: string): string[] {
  const names = new Set(TABLES.map((t) => t.name));
  return [...new Set([...sql.matchAll(/\b(?:FROM|JOIN)\s+([a-z_]+)/gi)].map((m) => m[1].toLowerCase()).filter((t) => names.has(t)))].sort();
}

/** Traced record by record; the others are read whole on any change in their tables, and not at all without one. */
const TRACED = ['ed-fi/calendarDates', 'ed-fi/courseOfferings', 'ed-fi/locations', 'ed-fi/sections'];

describe('change tracing of the mappers', () => {
  const mappers = [...MAPPERS.values()];

  it('covers every resource mapper', () => {
    expect(mappers.map((m) => m.resource).sort()).toEqual([...MAPPERS.keys()].sort());
  });

  it('traces the large resources record by record', () => {
    const byRecord = mappers.filter((m) => Object.values(m.changes.tables).some((f) => f !== 'everything')).map((m) => m.resource);
    expect(byRecord.sort()).toEqual(TRACED);
  });

  for (const mapper of mappers) {
    it(`${mapper.resource} says how every SIS table its extract reads leads to its records`, () => {
      expect(Object.keys(mapper.changes.tables).sort()).toEqual(tablesRead(mapper.sql));
    });
    it(`${mapper.resource} traces each table by a query from the changed keys to objects`, () => {
      for (const follow of Object.values(mapper.changes.tables)) {
        if (typeof follow === 'string') continue;
        expect(follow.sql).toMatch(/ AS object FROM /);
        expect(follow.sql).toContain('= ANY($1)');
      }
    });
  }
});
