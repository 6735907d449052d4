import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { migrateAppDatabase } from './orm.js';
import { createScratchDatabase } from '../test/stack.js';
import {
  markPlanned,
  planBatch,
  plannedPosts,
  planLost,
  planResource,
  planTracedChunk,
  restage,
  stageChangeScope,
  stageExtract,
  clearRun,
  clearRuns,
  type ExtractedRecord,
} from './catalogPlan.js';
import { unresolvedReferences, writeOutcomes } from './catalog.js';
import type { ChangeSources } from '../publishing/changeSet.js';

let pool: pg.Pool;
const P = 'plan-test';
const Y = 2025;
const R = 'calendars';
const hash = (s: string): string => s.padEnd(32, '0').slice(0, 32);

interface CatalogRow {
  key: string;
  nk?: string;
  h: string;
  status: string;
  edfiId?: string | null;
  school?: string;
  sent?: object | null;
}

async function seedCatalog(rows: CatalogRow[]): Promise<void> {
  await pool.query('DELETE FROM catalog');
  for (const r of rows) {
    await pool.query(
      `INSERT INTO catalog (profile_id, school_year, resource, source_key, school_id, natural_key, payload_hash, status, edfi_id, sent_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        P,
        Y,
        R,
        r.key,
        r.school ?? '001',
        r.nk ?? `nk-${r.key}`,
        hash(r.h),
        r.status,
        r.edfiId === undefined ? `id-${r.key}` : r.edfiId,
        r.sent === undefined ? '{}' : r.sent === null ? null : JSON.stringify(r.sent),
      ],
    );
  }
}

const extract = (key: string, h: string, nk = `nk-${key}`, school = '001'): ExtractedRecord => ({
  sourceKey: key,
  schoolId: school,
  naturalKey: nk,
  payloadHash: hash(h),
});

async function plan(
  runId: string,
  option: Parameters<typeof planResource>[2],
  records: ExtractedRecord[] | null,
  schoolId?: string,
  batchSize = 100,
  changed?: ChangeSources,
  window?: { naturalKeyDate: string; since: string },
) {
  const client = await pool.connect();
  try {
    if (records !== null) await stageExtract(client, runId, records);
    const counts = await planResource(
      client,
      {
        runId,
        profileId: P,
        schoolYear: Y,
        resource: R,
        ...(schoolId !== undefined ? { schoolId } : {}),
        ...(changed !== undefined ? { changed } : {}),
        ...(window !== undefined ? { window } : {}),
      },
      option,
      batchSize,
    );
    const actions: Record<string, string> = {};
    for (let b = 0; b < counts.batches; b++) for (const a of await planBatch(client, runId, R, b)) actions[a.sourceKey] = a.action;
    return { counts, actions };
  } finally {
    client.release();
  }
}

beforeAll(async () => {
  const url = await createScratchDatabase('plan');
  await migrateAppDatabase(url);
  pool = new pg.Pool({ connectionString: url, max: 2 });
});

afterAll(async () => {
  await pool?.end();
});

describe('planning a publish against the catalog', () => {
  it('posts everything on a first publish, in numbered batches', async () => {
    await seedCatalog([]);
    const { counts, actions } = await plan('run-1', 'changes', [extract('a', 'h1'), extract('b', 'h2'), extract('c', 'h3')], undefined, 2);
    expect(counts).toEqual({ post: 3, rekey: 0, delete: 0, forget: 0, batches: 2 });
    expect(actions).toEqual({ a: 'post', b: 'post', c: 'post' });
  });

  const prior: CatalogRow[] = [
    { key: 'same', h: 'h1', status: 'published' },
    { key: 'changed', h: 'h2', status: 'published' },
    { key: 'gone', h: 'h3', status: 'published' },
    { key: 'never', h: 'h4', status: 'error', edfiId: null },
    { key: 'rekeyed', h: 'h5', status: 'published' },
    { key: 'broken', h: 'h6', status: 'error' },
    { key: 'waiting', h: 'h7', status: 'dependency', edfiId: null },
  ];
  const now = [
    extract('same', 'h1'),
    extract('changed', 'h2b'),
    extract('new', 'h8'),
    extract('rekeyed', 'h5', 'nk-rekeyed-2'),
    extract('broken', 'h6'),
    extract('waiting', 'h7'),
  ];

  it('Now – Changes: sends new and changed records, re-keys a changed identity, deletes or forgets what is gone', async () => {
    await seedCatalog(prior);
    const { counts, actions } = await plan('run-2', 'changes', now);
    expect(actions).toEqual({ changed: 'post', new: 'post', rekeyed: 'rekey', gone: 'delete', never: 'forget' });
    expect(counts).toMatchObject({ post: 2, rekey: 1, delete: 1, forget: 1 });
  });

  it('Now – All: sends every extracted record whether changed or not, and still removes what is gone', async () => {
    await seedCatalog(prior);
    const { actions } = await plan('run-3', 'all', now);
    expect(actions).toEqual({ same: 'post', changed: 'post', new: 'post', rekeyed: 'rekey', broken: 'post', waiting: 'post', gone: 'delete', never: 'forget' });
  });

  it('Now – Errors and Now – Dependencies: only the records in that status, from fresh data', async () => {
    await seedCatalog(prior);
    expect((await plan('run-4', 'errors', now)).actions).toEqual({ broken: 'post' });
    expect((await plan('run-5', 'dependencies', now)).actions).toEqual({ waiting: 'post' });
  });

  it('Retry – Errors resends what was sent; Remove – Unpublished forgets what never reached the ODS', async () => {
    await seedCatalog([...prior, { key: 'unsent', h: 'h9', status: 'error', edfiId: null, sent: null }]);
    expect((await plan('run-6', 'retry-errors', null)).actions).toEqual({ never: 'post', broken: 'post' });
    expect((await plan('run-7', 'remove-unpublished', null)).actions).toEqual({ never: 'forget', waiting: 'forget', unsent: 'forget' });
  });

  it("in one school's context, only that school's records can be gone", async () => {
    await seedCatalog([
      { key: 's1-a', h: 'h', status: 'published', school: '001' },
      { key: 's1-b', h: 'h', status: 'published', school: '001' },
      { key: 's2-a', h: 'h', status: 'published', school: '002' },
    ]);
    expect((await plan('run-8', 'changes', [extract('s1-a', 'h')], '001')).actions).toEqual({ 's1-b': 'delete' });
  });

  it('keeps source keys with tabs, newlines and backslashes intact through COPY, and clears a run', async () => {
    await seedCatalog([]);
    const odd = 'cal\t1\\2\nx';
    expect((await plan('run-9', 'changes', [extract(odd, 'h')])).actions).toEqual({ [odd]: 'post' });
    const client = await pool.connect();
    await clearRun(client, 'run-9');
    client.release();
    expect((await pool.query("SELECT count(*)::int AS n FROM publish_plan WHERE run_id = 'run-9'")).rows[0]).toEqual({ n: 0 });
  });

  it('stages Now – Changes in two passes: keys and hashes for all, the whole JSON only for what it posts; a record gone meanwhile is deleted', async () => {
    await seedCatalog([
      { key: 'a', h: 'a1', status: 'published' },
      { key: 'b', h: 'b1', status: 'published' },
      { key: 'c', h: 'c1', status: 'published' },
    ]);
    const first = await plan('run-lazy', 'changes', [extract('a', 'a1'), extract('b', 'b2'), extract('c', 'c2'), extract('d', 'd1')]);
    expect(first.actions).toEqual({ b: 'post', c: 'post', d: 'post' });
    const client = await pool.connect();
    try {
      const planned = await plannedPosts(client, 'run-lazy', R);
      const posts = planned.map((p) => p.sourceKey).sort();
      expect(posts).toEqual(['b', 'c', 'd']);
      // Each as the first pass staged it: the second pass tells by these whether anything moved meanwhile.
      expect(planned.find((p) => p.sourceKey === 'b')).toEqual({ sourceKey: 'b', naturalKey: 'nk-b', payloadHash: hash('b2') });
      // The second pass finds b and d whole; c left the SIS in between.
      const whole = (key: string, h: string): ExtractedRecord => ({ ...extract(key, h), doc: `{"k":"${key}"}`, refs: '[]' });
      await restage(client, 'run-lazy', posts, [whole('b', 'b2'), whole('d', 'd1')]);
      const { rows } = await client.query<{ source_key: string; doc: unknown }>(
        `SELECT source_key, doc FROM extract_stage WHERE run_id = 'run-lazy' ORDER BY source_key`,
      );
      expect(rows.map((r) => [r.source_key, r.doc])).toEqual([
        ['a', null],
        ['b', { k: 'b' }],
        ['d', { k: 'd' }],
      ]);
    } finally {
      client.release();
    }
    const second = await plan('run-lazy', 'changes', null);
    expect(second.actions).toEqual({ b: 'post', c: 'delete', d: 'post' });
  });

  it('plans Now – Last 14 Days over the window: what left it in the SIS is gone, older records are not looked at, and one dated into it is re-keyed', async () => {
    const day = (key: string, d: string): string => `{"eventDate":"${d}","k":"${key}"}`;
    await seedCatalog([
      { key: 'kept', nk: day('kept', '2025-03-04'), h: 'k1', status: 'published' },
      { key: 'gone', nk: day('gone', '2025-03-05'), h: 'g1', status: 'published' },
      { key: 'old', nk: day('old', '2025-01-10'), h: 'o1', status: 'published' },
      { key: 'moved', nk: day('moved', '2025-01-11'), h: 'm1', status: 'published' },
    ]);
    const { actions } = await plan(
      'run-window',
      'recent',
      [extract('kept', 'k1', day('kept', '2025-03-04')), extract('moved', 'm1', day('moved', '2025-03-06')), extract('new', 'n1', day('new', '2025-03-07'))],
      undefined,
      100,
      undefined,
      { naturalKeyDate: 'eventDate', since: '2025-03-01' },
    );
    // The moved record's old identity is in the ODS: deleted first, not left behind by a post of the new one.
    expect(actions).toEqual({ gone: 'delete', moved: 'rekey', new: 'post' });
  });

  it('plans a traced Now – Changes over the changed objects only: what they no longer give is gone, the rest is not looked at', async () => {
    await seedCatalog([
      { key: 'a', h: 'a1', status: 'published' },
      { key: 'b', h: 'b1', status: 'published' },
      { key: 'c', h: 'c1', status: 'published' },
    ]);
    const whole: ChangeSources = { objectOfKey: 'whole', tables: {} };
    const client = await pool.connect();
    await stageChangeScope(client, 'run-traced', ['b', 'c']);
    client.release();
    // Only b is staged (its object changed); c's object gives nothing any more; a was not read.
    expect((await plan('run-traced', 'changes', [extract('b', 'b2')], undefined, 100, whole)).actions).toEqual({ b: 'post', c: 'delete' });
  });

  it('traces a record keyed sectionId-termId by its section: a term it no longer meets in is deleted', async () => {
    await seedCatalog([
      { key: '7-1', h: 'x', status: 'published' },
      { key: '7-2', h: 'y', status: 'published' },
      { key: '8-1', h: 'z', status: 'published' },
    ]);
    const client = await pool.connect();
    await stageChangeScope(client, 'run-sections', ['7']);
    client.release();
    const sections: ChangeSources = { objectOfKey: 'beforeDash', tables: {} };
    expect((await plan('run-sections', 'changes', [extract('7-1', 'x'), extract('7-3', 'w')], undefined, 100, sections)).actions).toEqual({
      '7-2': 'delete',
      '7-3': 'post',
    });
  });
});

describe('a traced Now – Changes planned chunk by chunk as it is read', () => {
  const whole: ChangeSources = { objectOfKey: 'whole', tables: {} };
  const scope = (runId: string) => ({ runId, profileId: P, schoolYear: Y, resource: R, changed: whole });
  const chunk = async (runId: string, batchNo: number, records: ExtractedRecord[]) => {
    const client = await pool.connect();
    try {
      return await planTracedChunk(client, scope(runId), batchNo, records);
    } finally {
      client.release();
    }
  };

  it('plans a chunk of new and changed records as one batch of posts; an unchanged chunk as no batch', async () => {
    await seedCatalog([
      { key: 'a', h: 'a1', status: 'published' },
      { key: 'b', h: 'b1', status: 'published' },
      { key: 'c', h: 'c1', status: 'published' },
    ]);
    await pool.query("DELETE FROM extract_stage WHERE run_id = 'run-chunks'");
    expect(await chunk('run-chunks', 0, [extract('a', 'a2'), extract('b', 'b1'), extract('n', 'n1')])).toEqual({ posts: 2 });
    expect(await chunk('run-chunks', 1, [extract('c', 'c1')])).toEqual({ posts: 0 });
    const client = await pool.connect();
    expect(await planBatch(client, 'run-chunks', R, 0)).toEqual([
      { sourceKey: 'a', action: 'post' },
      { sourceKey: 'n', action: 'post' },
    ]);
    client.release();
  });

  it('holds back a chunk with a changed identity, or an identity another live record still holds, for the whole plan', async () => {
    await seedCatalog([
      { key: 'a', h: 'a1', status: 'published' },
      { key: 'b', h: 'b1', status: 'published' },
      { key: 'x', h: 'x1', status: 'deleted' },
    ]);
    await pool.query("DELETE FROM extract_stage WHERE run_id LIKE 'run-held%'");
    // a's natural key changed: its old record is deleted before the new one goes.
    expect(await chunk('run-held-1', 0, [extract('a', 'a2', 'nk-a2')])).toBe('whole-plan');
    // n is new but takes b's identity: b must first be deleted or re-keyed.
    expect(await chunk('run-held-2', 0, [extract('n', 'n1', 'nk-b')])).toBe('whole-plan');
    // A deleted record's identity is free.
    expect(await chunk('run-held-3', 0, [extract('m', 'm1', 'nk-x')])).toEqual({ posts: 1 });
    const { rows } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM publish_plan WHERE run_id LIKE 'run-held-%' AND run_id <> 'run-held-3'");
    expect(rows[0].n).toBe(0);
  });

  it('plans the rest after the streamed batches: records held back, then what the changed objects no longer give', async () => {
    await seedCatalog([
      { key: 'a', h: 'a1', status: 'published' },
      { key: 'b', h: 'b1', status: 'published' },
      { key: 'c', h: 'c1', status: 'published' },
    ]);
    const runId = 'run-rest';
    await pool.query('DELETE FROM extract_stage WHERE run_id = $1', [runId]);
    await pool.query('DELETE FROM publish_plan WHERE run_id = $1', [runId]);
    const client = await pool.connect();
    await stageChangeScope(client, runId, ['a', 'b', 'c', 'n']);
    client.release();
    expect(await chunk(runId, 0, [extract('n', 'n1')])).toEqual({ posts: 1 });
    expect(await chunk(runId, 1, [extract('a', 'a2', 'nk-a2')])).toBe('whole-plan');
    const rest = await pool.connect();
    try {
      await rest.query(`INSERT INTO extract_stage (run_id, source_key, school_id, natural_key, payload_hash) VALUES ($1, 'b', '001', 'nk-b', $2)`, [
        runId,
        hash('b1'),
      ]);
      const counts = await planResource(rest, scope(runId), 'changes', 100, 1);
      // Batch 0 (streamed) stands; a is re-keyed and c deleted in batch 1; b is unchanged.
      expect(counts).toEqual({ post: 1, rekey: 1, delete: 1, forget: 0, batches: 2 });
      expect(await planBatch(rest, runId, R, 0)).toEqual([{ sourceKey: 'n', action: 'post' }]);
      expect(await planBatch(rest, runId, R, 1)).toEqual([
        { sourceKey: 'a', action: 'rekey' },
        { sourceKey: 'c', action: 'delete' },
      ]);
    } finally {
      rest.release();
    }
  });
});

describe('clearing the work rows of runs that ended', () => {
  const stageRows = async (runId: string, n: number): Promise<void> => {
    await pool.query(
      `INSERT INTO extract_stage (run_id, source_key, natural_key, payload_hash) SELECT $1, 'k' || i, 'nk' || i, $2 FROM generate_series(1, $3) AS i`,
      [runId, hash('h'), n],
    );
    await pool.query(
      `INSERT INTO publish_plan (run_id, resource, batch_no, source_key, action) SELECT $1, $2, 0, 'k' || i, 'post' FROM generate_series(1, $3) AS i`,
      [runId, R, n],
    );
  };
  const rowsOf = async (runId: string): Promise<number> =>
    (
      await pool.query<{ n: number }>(
        'SELECT (SELECT count(*) FROM extract_stage WHERE run_id = $1)::int + (SELECT count(*) FROM publish_plan WHERE run_id = $1)::int AS n',
        [runId],
      )
    ).rows[0].n;
  /** The stage's file: TRUNCATE gives the table a new one, DELETE keeps it. */
  const stageFile = async (): Promise<number> =>
    (await pool.query<{ f: number }>("SELECT relfilenode::int AS f FROM pg_class WHERE relname = 'extract_stage'")).rows[0].f;
  /** `small`: the tables are under the size from which emptying them pays. */
  const clear = async (runIds: string[], small = false): Promise<void> => {
    const client = await pool.connect();
    try {
      await clearRuns(client, runIds, small ? Number.MAX_SAFE_INTEGER : 0);
    } finally {
      client.release();
    }
  };

  it('empties big work tables at once when the runs ending are alone in them', async () => {
    await pool.query('TRUNCATE extract_stage, publish_plan, change_scope, plan_marker');
    await stageRows('big-a', 20);
    await stageRows('big-b', 5);
    const before = await stageFile();
    await clear(['big-a', 'big-b']);
    expect(await rowsOf('big-a')).toBe(0);
    expect(await rowsOf('big-b')).toBe(0);
    expect(await stageFile()).not.toBe(before);
  });

  it("deletes only its own rows when another run has rows, when the tables are small, or when another session holds one — the other run's rows stay", async () => {
    await pool.query('TRUNCATE extract_stage, publish_plan, change_scope, plan_marker');
    const before = await stageFile();
    await stageRows('big-a', 20);
    await stageRows('other', 3);
    await clear(['big-a']);
    expect([await rowsOf('big-a'), await rowsOf('other')]).toEqual([0, 6]);
    await stageRows('small', 5);
    await pool.query("DELETE FROM extract_stage WHERE run_id = 'other'");
    await pool.query("DELETE FROM publish_plan WHERE run_id = 'other'");
    await clear(['small'], true);
    expect(await rowsOf('small')).toBe(0);
    // A run copying its stage in, not committed yet: its rows are not seen, but its lock is.
    await stageRows('big-a', 20);
    const writer = await pool.connect();
    try {
      await writer.query('BEGIN');
      await writer.query(`INSERT INTO extract_stage (run_id, source_key, natural_key, payload_hash) VALUES ('writing', 'w', 'nkw', $1)`, [hash('w')]);
      await clear(['big-a']);
      await writer.query('COMMIT');
    } finally {
      writer.release();
    }
    expect([await rowsOf('big-a'), await rowsOf('writing')]).toEqual([0, 1]);
    expect(await stageFile()).toBe(before);
  });
});

describe('outcomes written to the catalog', () => {
  it('show the last attempt truthfully: a failed re-send without an HTTP answer leaves no earlier 201 behind, and keeps the ODS id', async () => {
    await seedCatalog([{ key: 'k1', h: 'x', status: 'published', edfiId: 'ods-1' }]);
    await pool.query("UPDATE catalog SET http_status = 201 WHERE source_key = 'k1'");
    const base = { sourceKey: 'k1', schoolId: '001', naturalKey: 'nk-k1', payloadHash: hash('x'), sentJson: null, dependencySource: null, dependsOn: null };
    await writeOutcomes(pool, P, Y, R, [
      { ...base, edfiId: 'ods-1', status: 'error', statusDescription: 'connection reset', httpStatus: null, attempted: true },
    ]);
    const row = (
      await pool.query<{ status: string; http_status: number | null; edfi_id: string | null }>(
        "SELECT status, http_status, edfi_id FROM catalog WHERE source_key = 'k1'",
      )
    ).rows[0];
    expect(row).toEqual({ status: 'error', http_status: null, edfi_id: 'ods-1' });
    // An outcome decided without a request (withheld before sending) keeps the last answer.
    await pool.query("UPDATE catalog SET http_status = 400 WHERE source_key = 'k1'");
    await writeOutcomes(pool, P, Y, R, [{ ...base, edfiId: 'ods-1', status: 'dependency', statusDescription: 'waits', httpStatus: null, attempted: false }]);
    expect((await pool.query<{ http_status: number }>("SELECT http_status FROM catalog WHERE source_key = 'k1'")).rows[0]?.http_status).toBe(400);
  });
});

describe('a plan lost in a database crash', () => {
  it('is told apart from a plan with nothing left to send, by the durable marker its planning wrote', async () => {
    await seedCatalog([]);
    const client = await pool.connect();
    try {
      await stageExtract(client, 'run-lost', [extract('a', 'x'), extract('b', 'y')]);
      const counts = await planResource(client, { runId: 'run-lost', profileId: P, schoolYear: Y, resource: R }, 'changes', 100);
      await markPlanned(client, 'run-lost', counts.batches);
      expect(await planLost(client, 'run-lost')).toBe(false);
      // What crash recovery (or a failover) does to unlogged tables.
      await client.query('TRUNCATE publish_plan, extract_stage');
      expect(await planLost(client, 'run-lost')).toBe(true);
      // A run that planned nothing, and one never planned, have lost nothing.
      await markPlanned(client, 'run-empty', 0);
      expect(await planLost(client, 'run-empty')).toBe(false);
      expect(await planLost(client, 'run-never')).toBe(false);
      await clearRun(client, 'run-lost');
      expect((await client.query("SELECT 1 FROM plan_marker WHERE run_id = 'run-lost'")).rowCount).toBe(0);
    } finally {
      client.release();
    }
  });
});

describe('references not published yet', () => {
  it('names, per record, its first reference with no published candidate; each element of an array on its own', async () => {
    const put = (resource: string, nk: string, status: string) =>
      pool.query(
        `INSERT INTO catalog (profile_id, school_year, resource, source_key, school_id, natural_key, payload_hash, status) VALUES ($1, $2, $3, $4, NULL, $4, $5, $6)`,
        [P, Y, resource, nk, hash('h'), status],
      );
    const period = (key: string) => ({ property: 'classPeriods[].classPeriodReference', candidates: [{ target: 'ed-fi/classPeriods', key }] });
    const school = {
      property: 'schoolReference',
      candidates: [
        { target: 'ed-fi/schools', key: 's0' },
        { target: 'ed-fi/schools', key: 's1' },
      ],
    };
    const staged = (key: string, refs: object[]): ExtractedRecord => ({ ...extract(key, key), doc: '{}', refs: JSON.stringify(refs) });
    await seedCatalog([]);
    await put('classPeriods', 'p1', 'published');
    await put('classPeriods', 'p2', 'pending');
    await put('schools', 's1', 'published');
    await plan('run-refs', 'all', [staged('A', [period('p1'), period('p2')]), staged('B', [period('p1'), school]), staged('C', [period('p9')])]);
    const found = await unresolvedReferences(pool, 'run-refs', R, 0, [P], Y);
    expect([...found.values()].sort((a, b) => a.sourceKey.localeCompare(b.sourceKey))).toEqual([
      { sourceKey: 'A', property: 'classPeriods[].classPeriodReference', target: 'ed-fi/classPeriods', key: 'p2' },
      { sourceKey: 'C', property: 'classPeriods[].classPeriodReference', target: 'ed-fi/classPeriods', key: 'p9' },
    ]);
  });
});
