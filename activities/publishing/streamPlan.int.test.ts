import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { migrateAppDatabase } from '../../db/orm.js';
import { createScratchDatabase } from '../../test/stack.js';
import { planBatch, planGone, planResource, stageChangeScope, type ExtractedRecord, type PlanScope } from '../../db/catalogPlan.js';
import type { ChangeSources } from '../../publishing/changeSet.js';
import { sourceKeysCompareBytewise } from '../../db/collation.js';
import { FIRST_STREAMED_BATCH, nothingPublishedPlanner, streamPlan, tracedPlanner } from './streamPlan.js';
import type { MappedRecord } from '../../resources/mapper.js';

let pool: pg.Pool;
const P = 'stream-test';
const Y = 2025;
const R = 'sections';
const hash = (s: string): string => s.padEnd(32, '0').slice(0, 32);
// Keyed sectionId-termId and traced by section, as sections are.
const sections: ChangeSources = { objectOfKey: 'beforeDash', tables: {} };

const extract = (key: string, h: string): ExtractedRecord => ({ sourceKey: key, schoolId: '001', naturalKey: `nk-${key}`, payloadHash: hash(h) });

async function seedCatalog(rows: ReadonlyArray<{ key: string; h: string; edfiId?: string | null }>): Promise<void> {
  await pool.query('DELETE FROM catalog');
  for (const r of rows)
    await pool.query(
      `INSERT INTO catalog (profile_id, school_year, resource, source_key, school_id, natural_key, payload_hash, status, edfi_id)
       VALUES ($1, $2, $3, $4, '001', $5, $6, 'published', $7)`,
      [P, Y, R, r.key, `nk-${r.key}`, hash(r.h), r.edfiId === undefined ? `id-${r.key}` : r.edfiId],
    );
}

/** Connections a test's streams hold, released after it. */
const held: pg.PoolClient[] = [];

/** A traced stream over these objects, on one connection; `planned` lists every batch's actions afterwards. */
async function tracedStream(runId: string, objects: readonly string[]) {
  const client = await pool.connect();
  held.push(client);
  const scope: PlanScope & { changed: ChangeSources } = { runId, profileId: P, schoolYear: Y, resource: R, changed: sections };
  await client.query('DELETE FROM extract_stage WHERE run_id = $1', [runId]);
  await client.query('DELETE FROM publish_plan WHERE run_id = $1', [runId]);
  await stageChangeScope(client, runId, objects);
  const ends: string[] = [];
  const planner = tracedPlanner(client, scope, {
    rest: (from) => {
      ends.push('rest');
      return planResource(client, scope, 'changes', 100, from);
    },
    gone: (from) => {
      ends.push('gone');
      return planGone(client, scope, 100, from);
    },
  });
  const planned = async (batches: number): Promise<Array<Array<{ sourceKey: string; action: string }>>> => {
    const out = [];
    for (let b = 0; b < batches; b++) out.push(await planBatch(client, runId, R, b));
    return out;
  };
  return { client, planner, ends, planned };
}

// The same plans whichever way the traced sections' records are found: as one key range per
// section where keys compare byte by byte, by testing every record under a linguistic collation.
describe.each([
  { collation: 'bytewise (C)', options: "TEMPLATE template0 LOCALE 'C'", ranges: true },
  { collation: 'linguistic (ICU en-US)', options: "TEMPLATE template0 LOCALE 'C' LOCALE_PROVIDER icu ICU_LOCALE 'en-US'", ranges: false },
])("the end of a traced Now – Changes' stream, source keys $collation", ({ options, ranges }) => {
  beforeAll(async () => {
    const url = await createScratchDatabase('stream', options);
    await migrateAppDatabase(url);
    pool = new pg.Pool({ connectionString: url, max: 2 });
  });

  afterEach(() => {
    for (const client of held.splice(0)) client.release();
  });

  afterAll(async () => {
    await pool?.end();
  });

  it(`reads a traced object's records as a key range: ${String(ranges)}`, async () => {
    expect(await sourceKeysCompareBytewise(pool)).toBe(ranges);
  });

  it('when every chunk streamed: plans the last records like a chunk, then only what the traced sections no longer give, without comparing the streamed records again', async () => {
    await seedCatalog([
      { key: '7-1', h: 'a' },
      { key: '7-2', h: 'b' },
      { key: '8-1', h: 'c' },
      { key: '8-2', h: 'd', edfiId: null },
      { key: '9-1', h: 'e' },
      // Section 7 met in no term any more: its record keyed '7-' is gone. Section 70 was not traced.
      { key: '7-', h: 'f' },
      { key: '70-1', h: 'g' },
    ]);
    const { client, planner, ends, planned } = await tracedStream('run-streamed', ['7', '8']);
    expect(await planner.chunk(0, [extract('7-1', 'a2'), extract('7-2', 'b')])).toEqual({ posts: 1 });
    // A change to 7-2's catalog row after its chunk was compared: a second comparison would post it.
    await client.query(`UPDATE catalog SET payload_hash = $1 WHERE source_key = '7-2'`, [hash('changed meanwhile')]);
    const counts = await planner.end(1, [extract('8-1', 'c'), extract('8-3', 'f')], { posts: 1, staged: 4 });
    expect(ends).toEqual(['gone']);
    // 8-2 never reached the ODS: forgotten, not deleted; 9 and 70 were not traced: not looked at.
    expect(counts).toEqual({ post: 2, rekey: 0, delete: 1, forget: 1, batches: 3 });
    expect(await planned(3)).toEqual([
      [{ sourceKey: '7-1', action: 'post' }],
      [{ sourceKey: '8-3', action: 'post' }],
      [
        { sourceKey: '7-', action: 'delete' },
        { sourceKey: '8-2', action: 'forget' },
      ],
    ]);
  });

  it('when the last records must wait for the whole plan: plans everything not streamed, then what is gone', async () => {
    await seedCatalog([
      { key: '7-1', h: 'a' },
      { key: '7-2', h: 'b' },
      { key: '8-1', h: 'c' },
    ]);
    const { planner, ends, planned } = await tracedStream('run-last-waits', ['7', '8']);
    expect(await planner.chunk(0, [extract('7-1', 'a2')])).toEqual({ posts: 1 });
    // 8-9 takes 8-1's identity while 8-1 is still live: 8-1 must go first.
    const taken: ExtractedRecord = { ...extract('8-9', 'g'), naturalKey: 'nk-8-1' };
    const counts = await planner.end(1, [taken], { posts: 1, staged: 2 });
    expect(ends).toEqual(['rest']);
    expect(await planned(counts.batches)).toEqual([
      [{ sourceKey: '7-1', action: 'post' }],
      [
        { sourceKey: '7-2', action: 'delete' },
        { sourceKey: '8-1', action: 'delete' },
        { sourceKey: '8-9', action: 'post' },
      ],
    ]);
  });

  it('after a chunk that waited: stages the last records and plans all that is left after the streamed batches', async () => {
    await seedCatalog([
      { key: '7-1', h: 'a' },
      { key: '8-1', h: 'c' },
    ]);
    const { planner, ends, planned } = await tracedStream('run-waited', ['7', '8']);
    expect(await planner.chunk(0, [{ ...extract('7-1', 'a'), naturalKey: 'nk-moved' }])).toBe('whole-plan');
    const counts = await planner.end(0, [extract('8-1', 'c2')], { posts: 0, staged: 2 });
    expect(ends).toEqual(['rest']);
    expect(counts).toEqual({ post: 1, rekey: 1, delete: 0, forget: 0, batches: 1 });
    expect(await planned(1)).toEqual([
      [
        { sourceKey: '7-1', action: 'rekey' },
        { sourceKey: '8-1', action: 'post' },
      ],
    ]);
  });
});

describe('streamPlan: when a batch is reported', () => {
  let own: pg.Pool;
  beforeAll(async () => {
    const url = await createScratchDatabase('stream_report');
    await migrateAppDatabase(url);
    own = new pg.Pool({ connectionString: url, max: 2 });
  });

  afterAll(async () => {
    await own?.end();
  });

  it('reports a full first batch once its last record is read, without waiting for the SIS to answer the next records', async () => {
    const client = await own.connect();
    try {
      let reported: () => void = () => undefined;
      const firstReported = new Promise<void>((resolve) => (reported = resolve));
      const record = (i: number): MappedRecord => ({ sourceKey: `k${String(i).padStart(5, '0')}`, schoolId: 1, doc: { k: i } });
      // The SIS answers the records after the first batch only once that batch was reported (or
      // after 5 s, when the test fails): the first batch must not wait for them.
      const records = async function* (): AsyncGenerator<MappedRecord> {
        for (let i = 0; i < FIRST_STREAMED_BATCH; i++) yield record(i);
        const late = await Promise.race([firstReported.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 5_000))]);
        if (late) throw new Error('the first batch was not reported before the next records were read');
        for (let i = FIRST_STREAMED_BATCH; i < FIRST_STREAMED_BATCH + 10; i++) yield record(i);
      };
      const readies: number[] = [];
      const out = await streamPlan(client, 'report-run', R, records(), {
        planner: nothingPublishedPlanner(client, 'report-run', R),
        staging: (m) => ({ sourceKey: m.sourceKey, schoolId: '001', naturalKey: `nk-${m.sourceKey}`, payloadHash: hash(m.sourceKey) }),
        localDescriptorsMet: () => 0,
        ready: (batches) => {
          readies.push(batches);
          reported();
          return Promise.resolve();
        },
      });
      expect(readies).toEqual([1]);
      expect(out.counts).toMatchObject({ post: FIRST_STREAMED_BATCH + 10, batches: 2 });
    } finally {
      client.release();
    }
  });
});
