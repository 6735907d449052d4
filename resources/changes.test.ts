import { describe, expect, it } from 'vitest';
import { TABLES, tableDef } from '../sis/model.js';
import { MAPPERS } from './index.js';
/** The SIS tables a query names after FROM or JOIN. */
function tablesRead(sql: string): string[] {
  const names = new Set(TABLES.map((t) => t.name));
  return [...new Set([...sql.matchAll(/\b(?:FROM|JOIN)\s+([a-z_]+)/gi)].map((m) => m[1].toLowerCase()).filter((t) => names.has(t)))].sort();
}

/**
 * The small resources (a few hundred records a district at most), read whole on any change in their
 * tables and not at all without one. Every other resource — students, enrollments, sections, … — is
 * traced record by record: a new resource is held to that unless it is added here on purpose.
 */
const READ_WHOLE = [
  'ed-fi/bellSchedules',
  'ed-fi/calendars',
  'ed-fi/classPeriods',
  'ed-fi/courses',
  'ed-fi/localEducationAgencies',
  'ed-fi/programs',
  'ed-fi/schools',
  'tx/actualExts',
  'tx/budgetExts',
  'tx/contractedInstructionalStaffFTEExts',
  'tx/priorYearActualExts',
  'tx/ssaOrgAssociationExts',
];

describe('change tracing of the mappers', () => {
  const mappers = [...MAPPERS.values()];

  it('covers every resource mapper', () => {
    expect(mappers.map((m) => m.resource).sort()).toEqual([...MAPPERS.keys()].sort());
  });

  it('traces every resource but the small ones record by record', () => {
    const readWhole = mappers.filter((m) => Object.values(m.changes.tables).every((f) => f === 'everything')).map((m) => m.resource);
    expect(readWhole.sort()).toEqual(READ_WHOLE);
  });

  for (const mapper of mappers) {
    it(`${mapper.resource} says how every SIS table its extract reads leads to its records`, () => {
      expect(Object.keys(mapper.changes.tables).sort()).toEqual(tablesRead(mapper.sql));
    });
    it(`${mapper.resource} names only real columns of a table as what it reads or what moves a row`, () => {
      for (const [table, reads] of Object.entries(mapper.changes.wholeReads ?? {})) {
        expect(mapper.changes.tables[table], `${table} is read whole`).toBe('everything');
        const columns = tableDef(table).columns.map((c) => c.name.toLowerCase());
        for (const c of reads) expect(columns, `${table}.${c}`).toContain(c.toLowerCase());
        // What it says it reads is in its SQL (a column left out would make a real change look like none).
        for (const c of reads) expect(mapper.sql.toLowerCase(), `${table}.${c}`).toContain(c.toLowerCase());
      }
      for (const [table, follow] of Object.entries(mapper.changes.tables)) {
        if (typeof follow === 'string') continue;
        const columns = tableDef(table).columns.map((c) => c.name.toLowerCase());
        for (const c of [...(follow.reads ?? []), ...(follow.movesWith ?? [])]) expect(columns, `${table}.${c}`).toContain(c.toLowerCase());
        for (const c of follow.reads ?? []) expect(mapper.sql.toLowerCase(), `${table}.${c} is in its SQL`).toContain(c.toLowerCase());
        // A column that moves a row is read.
        if (follow.reads !== undefined) for (const c of follow.movesWith ?? []) expect(follow.reads).toContain(c);
      }
    });
    it(`${mapper.resource} traces each table by a query from the changed keys to objects`, () => {
      for (const follow of Object.values(mapper.changes.tables)) {
        if (typeof follow === 'string') continue;
        expect(follow.sql).toMatch(/ AS object FROM /);
        // The changed keys as given, or as integer ids (the id column's index then finds them).
        expect(follow.sql).toMatch(/= ANY\(\$1\)|unnest\(\$1::text\[\]\)/);
      }
    });
  }
});
