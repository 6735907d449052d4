import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { migrateAppDatabase } from './orm.js';
import { createScratchDatabase } from '../test/stack.js';
import { writeOutcomes, type CatalogWrite } from './catalog.js';
import { catalogSizes, dependencyBacklog } from './metrics.js';

let pool: pg.Pool;
const Y = 2025;

const write = (sourceKey: string, status: CatalogWrite['status']): CatalogWrite => ({
  sourceKey,
  schoolId: null,
  naturalKey: `nk-${sourceKey}`,
  payloadHash: '0'.repeat(32),
  sentJson: { k: sourceKey },
  edfiId: null,
  status,
  statusDescription: null,
  httpStatus: status === 'published' ? 201 : null,
  dependencySource: status === 'dependency' ? 'computed' : null,
  dependsOn: status === 'dependency' ? 'schools|nk-s1' : null,
  attempted: status !== 'dependency',
});

/** Moves a record's waiting start into the past, as if it had waited that long. */
const waitedSince = (key: string, secondsAgo: number) =>
  pool.query(`UPDATE catalog SET dependency_since = now() - make_interval(secs => $2) WHERE source_key = $1`, [key, secondsAgo]);

beforeAll(async () => {
  const url = await createScratchDatabase('metrics');
  await migrateAppDatabase(url);
  pool = new pg.Pool({ connectionString: url, max: 2 });
});

afterAll(async () => {
  await pool.end();
});

describe('what the metrics endpoint reads of the catalog', () => {
  it("counts each profile's records by year, resource and status, from the trigger-kept counts", async () => {
    await writeOutcomes(pool, 'p1', Y, 'calendars', [write('c1', 'published'), write('c2', 'published'), write('c3', 'error')]);
    await writeOutcomes(pool, 'p2', Y, 'schools', [write('s9', 'published')]);
    const sizes = await catalogSizes(pool);
    expect(sizes).toEqual(
      expect.arrayContaining([
        { profile: 'p1', schoolYear: Y, resource: 'calendars', status: 'published', records: 2 },
        { profile: 'p1', schoolYear: Y, resource: 'calendars', status: 'error', records: 1 },
        { profile: 'p2', schoolYear: Y, resource: 'schools', status: 'published', records: 1 },
      ]),
    );
  });

  it('says how long the oldest record has waited in dependency: from when it began waiting, not from its latest retry', async () => {
    await writeOutcomes(pool, 'p1', Y, 'sessions', [write('w1', 'dependency'), write('w2', 'dependency')]);
    await waitedSince('w1', 3_600);
    // A retry that leaves it waiting keeps its start.
    await writeOutcomes(pool, 'p1', Y, 'sessions', [write('w1', 'dependency')]);
    let p1 = (await dependencyBacklog(pool)).find((b) => b.profile === 'p1');
    expect(p1?.waiting).toBe(2);
    expect(p1?.oldestSeconds).toBeGreaterThanOrEqual(3_600);
    expect(p1?.oldestSeconds).toBeLessThan(3_660);
    // Published, it waits no more; one that waits again starts afresh.
    await writeOutcomes(pool, 'p1', Y, 'sessions', [write('w1', 'published')]);
    await writeOutcomes(pool, 'p1', Y, 'sessions', [write('w1', 'dependency')]);
    p1 = (await dependencyBacklog(pool)).find((b) => b.profile === 'p1');
    expect(p1?.waiting).toBe(2);
    expect(p1?.oldestSeconds).toBeLessThan(60);
    expect((await dependencyBacklog(pool)).find((b) => b.profile === 'p2')).toBeUndefined();
  });
});
