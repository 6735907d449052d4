import { describe, expect, it, beforeAll } from 'vitest';
import pg from 'pg';
import { createScratchDatabase } from '../test/stack.js';
import {
  applySisSchema,
  generateDistrict,
  loadDistrict,
  ensureDistrict,
  mutateDay,
  readEvents,
  latestEventId,
  tablesWithRows,
  SisNotEmptyError,
  MutationRefused,
  TABLES,
  EVENT_CHANNEL,
  type District,
} from './index.js';
import { runCli } from './cli.js';

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function count(url: string, sql: string, params: unknown[] = []): Promise<number> {
  return withClient(url, async (c) => Number((await c.query<{ n: string }>(sql, params)).rows[0].n));
}

describe('SIS replica schema', () => {
  it('applies on a clean database and again without change', async () => {
    const url = await createScratchDatabase('sis_schema');
    await applySisSchema(url);
    await applySisSchema(url);
    const tables = await count(url, `SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public'`);
    expect(tables).toBe(TABLES.length + 3); // + event_queue, sis_generation, sis_mutation
    const triggers = await count(url, `SELECT count(*) AS n FROM pg_trigger WHERE tgname LIKE '%\\_capture' AND NOT tgisinternal`);
    expect(triggers).toBe(TABLES.length);
  });
});

describe('loadDistrict', () => {
  let url: string;
  let district: District;
  beforeAll(async () => {
    url = await createScratchDatabase('sis_load');
    district = generateDistrict({ size: 'tiny', seed: 11 });
  });

  it('loads every table with the generated row counts and queues no events for the load', async () => {
    const result = await loadDistrict(url, district);
    expect(result.rows).toBe(Object.values(district.counts).reduce((a, b) => a + b, 0));
    for (const t of TABLES) expect(await count(url, `SELECT count(*) AS n FROM ${t.name}`), t.name).toBe(district.counts[t.name]);
    expect(await count(url, 'SELECT count(*) AS n FROM event_queue')).toBe(0);
  });

  it('refuses a database that already holds a district unless told to replace it', async () => {
    await expect(loadDistrict(url, district)).rejects.toThrow(SisNotEmptyError);
    await expect(loadDistrict(url, district)).rejects.toThrow(/pass --replace/);
    const other = generateDistrict({ size: 'tiny', seed: 12 });
    await loadDistrict(url, other, { replace: true });
    expect(await count(url, 'SELECT count(*) AS n FROM student')).toBe(other.counts.student);
  });

  it('ensureDistrict seeds an empty replica once and leaves a loaded one alone', async () => {
    const fresh = await createScratchDatabase('sis_ensure');
    expect(await ensureDistrict(fresh, { size: 'tiny', seed: 2 })).toMatchObject({ loaded: true });
    expect(await ensureDistrict(fresh, { size: 'tiny', seed: 99 })).toEqual({ loaded: false, rows: 0 });
    expect(await count(fresh, 'SELECT seed AS n FROM sis_generation')).toBe(2);
  });

  it('leaves no half-loaded district when a table fails to load', async () => {
    const fresh = await createScratchDatabase('sis_fail');
    const broken: District = {
      ...district,
      tables: district.tables.map((t) => (t.name === 'roster' ? { ...t, chunks: [...t.chunks, 'not\ta\troster\n'] } : t)),
    };
    await expect(loadDistrict(fresh, broken)).rejects.toThrow(/invalid input syntax/);
    expect(await withClient(fresh, (c) => tablesWithRows(c))).toEqual([]);
  });
});

describe('event queue', () => {
  it('records inserts, updates (with changed columns) and deletes in order, and notifies', async () => {
    const url = await createScratchDatabase('sis_events');
    await applySisSchema(url);
    await withClient(url, async (listener) => {
      const notified: string[] = [];
      listener.on('notification', (n) => notified.push(n.payload ?? ''));
      await listener.query(`LISTEN ${EVENT_CHANNEL}`);
      await withClient(url, async (c) => {
        await c.query(`INSERT INTO room (roomID, schoolID, name, maxStudents) VALUES (1, 1, '101', 30), (2, 1, '102', 28)`);
        await c.query(`UPDATE room SET maxStudents = 32, description = 'Lab' WHERE roomID = 1`);
        await c.query(`UPDATE room SET name = '102' WHERE roomID = 2`); // no change: no event
        await c.query(`DELETE FROM room WHERE roomID = 2`);
        const events = await readEvents(c, 0, 100);
        expect(events.map((e) => [e.table, e.objectKey, e.action, e.changedColumns])).toEqual([
          ['room', '1', 'insert', null],
          ['room', '2', 'insert', null],
          ['room', '1', 'update', ['description', 'maxstudents']],
          ['room', '2', 'delete', null],
        ]);
        expect(events.map((e) => e.id)).toEqual([...events.map((e) => e.id)].sort((a, b) => a - b));
        // Paging by the last id read.
        const page = await readEvents(c, events[1].id, 1);
        expect(page.map((e) => e.action)).toEqual(['update']);
        expect(await latestEventId(c)).toBe(events[3].id);
        await expect(readEvents(c, -1, 10)).rejects.toThrow(/afterId must be a non-negative integer/);
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(notified).toContain('room');
    });
  });
});

describe('mutateDay', () => {
  it('applies one school day of changes that the event queue records, and the planned dirty changes on day 1', async () => {
    const url = await createScratchDatabase('sis_mutate');
    const district = generateDistrict({ size: 'tiny', seed: 5, dirty: ['second-schedule-structure', 'school-number-change', 'missing-student-unique-id'] });
    await loadDistrict(url, district);
    const day1 = await mutateDay(url, { day: 1 });

    expect(day1.date > district.asOfDate).toBe(true);
    expect(day1.plannedChanges).toEqual(['second-schedule-structure', 'school-number-change']);
    const [structurePlan, numberPlan] = district.plannedChanges;
    if (structurePlan?.kind !== 'second-schedule-structure' || numberPlan?.kind !== 'school-number-change') throw new Error('unexpected plan');
    expect(await count(url, 'SELECT count(*) AS n FROM schedulestructure WHERE calendarID = $1', [structurePlan.calendarID])).toBe(2);
    expect(await count(url, 'SELECT count(*) AS n FROM school WHERE schoolID = $1 AND number = $2', [numberPlan.schoolID, numberPlan.toNumber])).toBe(1);

    // What the summary says happened is in the tables.
    expect(await count(url, 'SELECT count(*) AS n FROM enrollment WHERE startDate = $1', [day1.date])).toBe(day1.newEnrollments);
    expect(await count(url, 'SELECT count(*) AS n FROM enrollment WHERE endDate = $1', [day1.date])).toBe(day1.withdrawals);
    expect(await count(url, 'SELECT count(*) AS n FROM behaviorincident WHERE date = $1', [day1.date])).toBe(day1.disciplineIncidents);
    expect(await count(url, 'SELECT count(*) AS n FROM gradingscore WHERE date = $1', [day1.date])).toBe(day1.gradePostings);
    expect(day1.newEnrollments).toBeGreaterThan(0);
    expect(day1.withdrawals).toBeGreaterThan(0);
    expect(day1.uniqueIdsAssigned).toBeGreaterThan(0);

    // …and in the event queue.
    const events = await withClient(url, (c) => readEvents(c, 0, 100_000));
    expect(events).toHaveLength(day1.events);
    const tables = new Set(events.map((e) => e.table));
    for (const t of ['school', 'schedulestructure', 'student', 'enrollment', 'roster', 'contact', 'relatedpair', 'gradingscore', 'behaviorincident'])
      expect(tables, t).toContain(t);
    const renumber = events.find((e) => e.table === 'school');
    expect(renumber?.changedColumns).toEqual(['number', 'stateschoolnumber']);

    // A day is applied once; planned changes only on the first day run.
    await expect(mutateDay(url, { day: 1 })).rejects.toThrow(MutationRefused);
    const day2 = await mutateDay(url, { day: 2 });
    expect(day2.plannedChanges).toEqual([]);
    expect(day2.date > day1.date).toBe(true);
    await expect(mutateDay(url, { day: 500 })).rejects.toThrow(/past the end of the school year/);
  });

  it('enrolls new students when person ids are past 271,183, as on the xl district (the SSN digits once overflowed a 4-byte integer)', async () => {
    const url = await createScratchDatabase('sis_mutate_high_ids');
    await loadDistrict(url, generateDistrict({ size: 'tiny', seed: 6 }));
    await withClient(url, (c) =>
      c.query(`INSERT INTO staff SELECT (jsonb_populate_record(NULL::staff, to_jsonb(s) || '{"personid": 300000}')).* FROM staff s ORDER BY personID LIMIT 1`),
    );
    const day = await mutateDay(url, { day: 1 });
    expect(day.newEnrollments).toBeGreaterThan(0);
    expect(await count(url, 'SELECT count(*) AS n FROM student WHERE personID > 300000', [])).toBe(day.newEnrollments);
  });

  it('refuses a database without a generated district', async () => {
    const url = await createScratchDatabase('sis_nomutate');
    await applySisSchema(url);
    await expect(mutateDay(url, { day: 1 })).rejects.toThrow(/run `npm run sis -- generate` first/);
  });
});

describe('sis CLI against a database', () => {
  it('generates, refuses to overwrite without --replace, and mutates', async () => {
    const url = await createScratchDatabase('sis_cli');
    const lines: string[] = [];
    const out = (l: string): void => void lines.push(l);
    expect(await runCli(['generate', '--size', 'tiny', '--seed', '3', '--dirty', 'calendar-without-type'], { SIS_DATABASE_URL: url }, out)).toBe(0);
    expect(lines.join('\n')).toMatch(/dirty calendar-without-type: 1 calendars/);
    expect(await runCli(['generate', '--size', 'tiny', '--database-url', url], {}, out)).toBe(1);
    expect(lines.at(-1)).toMatch(/already holds data.*pass --replace/);
    expect(await runCli(['mutate', '--day', '1', '--database-url', url], {}, out)).toBe(0);
    expect(lines.at(-1)).toMatch(/^day 1 \(2025-01-\d\d\): \d+ new enrollments/);
  });
});
