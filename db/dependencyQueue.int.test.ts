import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { migrateAppDatabase } from './orm.js';
import { createScratchDatabase } from '../test/stack.js';
import { writeOutcomes } from './catalog.js';
import {
  dueRetries,
  keysToRetry,
  nextRetryAt,
  queueRetries,
  rescheduleStillBlocked,
  RETRY_DELAY_SQL,
  scheduleRetries,
  setDependsOn,
  stillUnresolved,
  wakeRetries,
} from './dependencyQueue.js';
import { dependencyRetryDelayMinutes } from '../publishing/outcome.js';

let pool: pg.Pool;
const P = 'deps';
const Y = 2025;
const T0 = Date.parse('2025-01-06T08:00:00Z');
const MIN = 60_000;

async function row(
  resource: string,
  key: string,
  status: string,
  dependsOn: string | null = null,
  source: string | null = 'computed',
  naturalKey = `nk-${key}`,
): Promise<void> {
  await pool.query(
    `INSERT INTO catalog (profile_id, school_year, resource, source_key, natural_key, payload_hash, status, depends_on, dependency_source) VALUES ($1, $2, $3, $4, $5, 'h', $6, $7, $8)`,
    [P, Y, resource, key, naturalKey, status, dependsOn, source],
  );
}

const retryOf = async (key: string): Promise<{ at: number | null; attempts: number }> => {
  const r = (
    await pool.query<{ retry_at: Date | null; retry_attempts: number }>(
      'SELECT retry_at, retry_attempts FROM catalog WHERE profile_id = $1 AND source_key = $2',
      [P, key],
    )
  ).rows[0];
  return { at: r.retry_at === null ? null : r.retry_at.getTime(), attempts: r.retry_attempts };
};

beforeAll(async () => {
  const url = await createScratchDatabase('depqueue');
  await migrateAppDatabase(url);
  pool = new pg.Pool({ connectionString: url, max: 2 });
  await row('schools', 's1', 'dependency', null, 'api', 'school-1');
  await row('calendars', 'c1', 'dependency', 'schools|school-1');
  await row('calendars', 'c2', 'dependency', 'schools|school-2');
  await row('schools', 's2', 'published', null, null, 'school-2');
  await row('calendars', 'c3', 'published');
});

afterAll(async () => {
  await pool?.end();
});

describe('the dependency timetable in the catalog', () => {
  it('puts records that went into dependency on it, leaving one already on it in its place and count', async () => {
    await queueRetries(pool, P, Y, 'calendars', [
      { sourceKey: 'c1', retryAtMs: T0 + MIN },
      { sourceKey: 'c2', retryAtMs: T0 + MIN },
      { sourceKey: 'c3', retryAtMs: T0 + MIN },
    ]);
    await queueRetries(pool, P, Y, 'schools', [{ sourceKey: 's1', retryAtMs: T0 + 10 * MIN }]);
    expect(await retryOf('c1')).toEqual({ at: T0 + MIN, attempts: 0 });
    // Published: not on the timetable.
    expect(await retryOf('c3')).toEqual({ at: null, attempts: 0 });
    await scheduleRetries(pool, P, [{ schoolYear: Y, resource: 'calendars', sourceKey: 'c1', retryAtMs: T0 + 3 * MIN, attempts: 1 }]);
    await queueRetries(pool, P, Y, 'calendars', [{ sourceKey: 'c1', retryAtMs: T0 + 99 * MIN }]);
    expect(await retryOf('c1')).toEqual({ at: T0 + 3 * MIN, attempts: 1 });
    expect(await nextRetryAt(pool, P)).toBe(T0 + MIN);
  });

  it('answers what is due, oldest first, and whether its known blocker still blocks', async () => {
    expect(await dueRetries(pool, P, T0, 10)).toEqual([]);
    const due = await dueRetries(pool, P, T0 + 5 * MIN, 10);
    expect(due.map((d) => d.sourceKey)).toEqual(['c2', 'c1']);
    // c1 waits for school-1 (still in dependency); c2 for school-2, which is published: worth a try.
    expect(due.find((d) => d.sourceKey === 'c1')).toMatchObject({ stillBlocked: true, attempts: 1, source: 'computed', resource: 'calendars', schoolYear: Y });
    expect(due.find((d) => d.sourceKey === 'c2')?.stillBlocked).toBe(false);
    expect((await dueRetries(pool, P, T0 + 5 * MIN, 1)).map((d) => d.sourceKey)).toEqual(['c2']);
  });

  it('moves every due record whose blocker is still unpublished on in one statement, counting a try, and leaves the rest to be tried', async () => {
    expect(await rescheduleStillBlocked(pool, P, T0 + 5 * MIN)).toBe(1);
    // c1 (blocked, 1 try so far) is next due 3 minutes on; c2 (its school published) still due.
    expect(await retryOf('c1')).toEqual({ at: T0 + 5 * MIN + 3 * MIN, attempts: 2 });
    expect((await dueRetries(pool, P, T0 + 5 * MIN, 10)).map((d) => d.sourceKey)).toEqual(['c2']);
  });

  it("finds, from a record's references, what still has no published candidate — the first such in order — and records it as what it waits for", async () => {
    const ref = (property: string, ...keys: string[]) => ({ property, candidates: keys.map((key) => ({ target: 'ed-fi/schools', key })) });
    const found = await stillUnresolved(
      pool,
      [P],
      [
        { schoolYear: Y, sourceKey: 'c2', refs: [ref('schoolReference', 'school-2'), ref('otherReference', 'school-9'), ref('thirdReference', 'school-8')] },
        { schoolYear: Y, sourceKey: 'ready', refs: [ref('schoolReference', 'school-9', 'school-2')] },
      ],
    );
    expect(found).toEqual(new Map([[`${Y}|c2`, { target: 'ed-fi/schools', key: 'school-9' }]]));
    await setDependsOn(pool, P, [{ schoolYear: Y, resource: 'calendars', sourceKey: 'c2', dependsOn: 'schools|school-9' }]);
    expect((await pool.query<{ depends_on: string }>("SELECT depends_on FROM catalog WHERE source_key = 'c2'")).rows[0]?.depends_on).toBe('schools|school-9');
    await setDependsOn(pool, P, [{ schoolYear: Y, resource: 'calendars', sourceKey: 'c2', dependsOn: 'schools|school-2' }]);
  });

  it('does not take a blocker the catalog does not hold for a block (a reference another candidate may meet, e.g. the LEA)', async () => {
    await row('courses', 'k1', 'dependency', 'schools|lea-as-school');
    await queueRetries(pool, P, Y, 'courses', [{ sourceKey: 'k1', retryAtMs: T0 }]);
    expect(await rescheduleStillBlocked(pool, P, T0)).toBe(0);
    expect((await dueRetries(pool, P, T0, 10)).find((d) => d.sourceKey === 'k1')?.stillBlocked).toBe(false);
    await scheduleRetries(pool, P, [{ schoolYear: Y, resource: 'courses', sourceKey: 'k1', retryAtMs: null, attempts: 0 }]);
  });

  it('computes in SQL the same delays as the timetable rule', async () => {
    const cases = [0, 1, 5, 88, 89, 98, 200].flatMap((attempts) => (['computed', 'api'] as const).map((source) => ({ attempts, source })));
    for (const c of cases) {
      const sql = (await pool.query<{ m: number }>(`SELECT ${RETRY_DELAY_SQL('$1::int', '$2::text')} AS m`, [c.attempts, c.source])).rows[0].m;
      expect(sql, `${c.source} after ${c.attempts}`).toBe(dependencyRetryDelayMinutes(c.source, c.attempts));
    }
  });

  it('brings forward only the records waiting for a blocker that published, and says how many', async () => {
    expect(await wakeRetries(pool, P, Y, ['schools|school-1'], T0 + 2 * MIN)).toEqual({ woken: 1, bulk: [] });
    expect((await retryOf('c1')).at).toBe(T0 + 2 * MIN);
    expect((await retryOf('c2')).at).toBe(T0 + MIN);
    // Already due sooner: nothing to bring forward.
    expect(await wakeRetries(pool, P, Y, ['schools|school-2'], T0 + 2 * MIN)).toEqual({ woken: 0, bulk: [] });
  });

  it('takes a record off when it leaves dependency, by any way', async () => {
    await writeOutcomes(pool, P, Y, 'calendars', [
      {
        sourceKey: 'c2',
        schoolId: null,
        naturalKey: 'nk-c2',
        payloadHash: 'h',
        sentJson: null,
        edfiId: 'id-c2',
        status: 'published',
        statusDescription: null,
        httpStatus: 201,
        dependencySource: null,
        dependsOn: null,
        attempted: true,
      },
    ]);
    expect(await retryOf('c2')).toEqual({ at: null, attempts: 0 });
    await scheduleRetries(pool, P, [{ schoolYear: Y, resource: 'calendars', sourceKey: 'c1', retryAtMs: null, attempts: 0 }]);
    expect((await retryOf('c1')).at).toBeNull();
    expect(await nextRetryAt(pool, P)).toBe(T0 + 10 * MIN);
  });

  it("hands a bulk wake only the records the sweeper marked ready, and a record's next outcome unmarks it", async () => {
    await row('students', 'st1', 'dependency', 'relationship|student|1', 'api');
    await row('students', 'st2', 'dependency', 'relationship|student|2', 'api');
    await row('students', 'st3', 'dependency', 'relationship|student|3', 'api');
    await row('students', 'st4', 'published');
    const scope = { profileId: P, schoolYear: Y, resource: 'students' };
    // A clerk's Now – Dependencies: every record waiting.
    expect(await keysToRetry(pool, scope, ['dependency'])).toEqual(['st1', 'st2', 'st3']);
    await scheduleRetries(pool, P, [
      { schoolYear: Y, resource: 'students', sourceKey: 'st1', retryAtMs: T0 + 11 * MIN, attempts: 1, queued: true },
      { schoolYear: Y, resource: 'students', sourceKey: 'st3', retryAtMs: T0 + 11 * MIN, attempts: 1, queued: true },
      { schoolYear: Y, resource: 'students', sourceKey: 'st2', retryAtMs: T0 + 11 * MIN, attempts: 1 },
    ]);
    // The sweeper's bulk wake: only those it found ready (their enrollments published), not st2.
    expect(await keysToRetry(pool, scope, ['dependency'], { most: 100 })).toEqual(['st1', 'st3']);
    await writeOutcomes(pool, P, Y, 'students', [
      {
        sourceKey: 'st3',
        schoolId: null,
        naturalKey: 'nk-st3',
        payloadHash: 'h',
        sentJson: null,
        edfiId: null,
        status: 'dependency',
        statusDescription: 'Student School Association: still none',
        httpStatus: 403,
        dependencySource: 'api',
        dependsOn: 'relationship|student|3',
        attempted: true,
      },
    ]);
    // Tried and refused again: back on its timer, no longer handed to the next bulk wake.
    expect(await keysToRetry(pool, scope, ['dependency'], { most: 100 })).toEqual(['st1']);
  });

  it('hands a bulk wake at most its share of the ready records, the longest ready first', async () => {
    for (const k of ['s1', 's2', 's3', 's4']) await row('studentSectionAssociations', k, 'dependency', `relationship|student|${k}`, 'api');
    const mark = (keys: string[]) =>
      scheduleRetries(
        pool,
        P,
        keys.map((sourceKey) => ({ schoolYear: Y, resource: 'studentSectionAssociations', sourceKey, retryAtMs: T0 + 11 * MIN, attempts: 1, queued: true })),
      );
    // s4 and s3 became ready before s1 and s2 (their students were claimed first).
    await mark(['s4', 's3']);
    await pool.query(
      "UPDATE catalog SET retry_queued_at = retry_queued_at - interval '1 minute' WHERE resource = 'studentSectionAssociations' AND retry_queued_at IS NOT NULL",
    );
    await mark(['s1', 's2']);
    const scope = { profileId: P, schoolYear: Y, resource: 'studentSectionAssociations' };
    expect(await keysToRetry(pool, scope, ['dependency'], { most: 3 })).toEqual(['s3', 's4', 's1']);
    expect(await keysToRetry(pool, scope, ['dependency'], { most: 10 })).toEqual(['s3', 's4', 's1', 's2']);
  });

  it('marks the records a publish wakes for a bulk wake when they are many of one resource, and brings a few forward for the sweeper', async () => {
    for (const k of ['e1', 'e2', 'e3']) await row('studentEducationOrganizationAssociations', k, 'dependency', 'relationship|student|7', 'api');
    await row('studentSchoolAttendanceEvents', 'a1', 'dependency', 'relationship|student|7', 'api');
    await queueRetries(
      pool,
      P,
      Y,
      'studentEducationOrganizationAssociations',
      ['e1', 'e2', 'e3'].map((sourceKey) => ({ sourceKey, retryAtMs: T0 + 10 * MIN })),
    );
    await queueRetries(pool, P, Y, 'studentSchoolAttendanceEvents', [{ sourceKey: 'a1', retryAtMs: T0 + 10 * MIN }]);
    const woke = await wakeRetries(pool, P, Y, ['relationship|student|7'], T0 + 2 * MIN, 3);
    expect(woke).toEqual({ woken: 1, bulk: [{ resource: 'studentEducationOrganizationAssociations', count: 3 }] });
    const scope = { profileId: P, schoolYear: Y, resource: 'studentEducationOrganizationAssociations' };
    expect(await keysToRetry(pool, scope, ['dependency'], { most: 100 })).toEqual(['e1', 'e2', 'e3']);
    // Handed to the run, they keep their timer (a safety net); the lone one is due now for the sweeper.
    expect(await retryOf('e1')).toEqual({ at: T0 + 10 * MIN, attempts: 0 });
    expect(await retryOf('a1')).toEqual({ at: T0 + 2 * MIN, attempts: 0 });
  });
});
