import { describe, expect, it } from 'vitest';
import { TABLES } from '../sis/model.js';
import { MAPPERS } from './index.js';
import { LOCATIONS_SQL } from './locations.js';
import { CALENDAR_DATES_SQL } from './calendarDates.js';
import { OFFERINGS_SQL, SECTIONS_SQL } from './schedules.js';
import { LEAS_SQL } from './localEducationAgencies.js';
import { SCHOOLS_SQL } from './schools.js';
import { COURSES_SQL } from './courses.js';
import { PROGRAMS_SQL } from './programs.js';
import { CLASS_PERIODS_SQL } from './classPeriods.js';
import { CALENDARS_SQL } from './calendars.js';
import { BELL_SCHEDULES_SQL } from './bellSchedules.js';
import { GRADING_PERIODS_SQL, SESSIONS_SQL } from './sessions.js';

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
  'ed-fi/localEducationAgencies': LEAS_SQL,
  'ed-fi/schools': SCHOOLS_SQL,
  'ed-fi/courses': COURSES_SQL,
  'ed-fi/programs': PROGRAMS_SQL,
  'ed-fi/classPeriods': CLASS_PERIODS_SQL,
  'ed-fi/calendars': CALENDARS_SQL,
  'ed-fi/bellSchedules': BELL_SCHEDULES_SQL,
  'ed-fi/gradingPeriods': GRADING_PERIODS_SQL,
  'ed-fi/sessions': SESSIONS_SQL,
};
/** Traced record by record; the others are read whole on any change in their tables, and not at all without one. */
const TRACED = ['ed-fi/calendarDates', 'ed-fi/courseOfferings', 'ed-fi/locations', 'ed-fi/sections'];

describe('change tracing of the mappers', () => {
  const mappers = [...MAPPERS.values()];

  it('covers every resource mapper', () => {
    expect(mappers.map((m) => m.resource).sort()).toEqual([...MAPPERS.keys()].sort());
    expect(Object.keys(EXTRACTS).sort()).toEqual([...MAPPERS.keys()].sort());
  });

  it('traces the large resources record by record', () => {
    const byRecord = mappers.filter((m) => Object.values(m.changes.tables).some((f) => f !== 'everything')).map((m) => m.resource);
    expect(byRecord.sort()).toEqual(TRACED);
  });

  for (const mapper of mappers) {
    it(`${mapper.resource} says how every SIS table its extract reads leads to its records`, () => {
      expect(Object.keys(mapper.changes.tables).sort()).toEqual(tablesRead(EXTRACTS[mapper.resource]));
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
