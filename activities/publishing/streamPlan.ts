/**
 * A never-published resource's extract, planned batch by batch as it is read: each full batch is
 * staged, planned (all posts) and reported to the category run, which sends it while the next is
 * read. A large initial publish then keeps the ODS busy from its first seconds instead of after the
 * whole extract and plan.
 */
import {
  markPlanned,
  planStreamedBatch,
  planTracedChunk,
  stageMore,
  startStreamedPlan,
  type ChunkPlan,
  type ExtractedRecord,
  type PlanCounts,
  type PlanScope,
} from '../../db/catalogPlan.js';
import { FIRST_FETCH_ROWS, rampedRows, type MappedRecord } from '../../resources/mapper.js';
import type pg from 'pg';
import { BATCH_SIZE } from './shared.js';

/**
 * The first batch is small: the ODS gets its first POSTs once the SIS's first rows are mapped and
 * planned, not after a whole batch's (measured: ~1 s from a category's start to its first POST
 * with 2,000, while the other extracts of the run compete). The next double up to BATCH_SIZE, each
 * planned while the one before is sent (the reads' own sizes, `rampedRows`).
 */
export const FIRST_STREAMED_BATCH = FIRST_FETCH_ROWS;
export const streamedBatchSize = (batchNo: number): number => rampedRows(batchNo, BATCH_SIZE);

/** A streamed extract, as its result tells the run. */
export interface Streamed {
  /** The activity attempt that planned the batches (a retry plans afresh). */
  readonly attempt: number;
  /**
   * The extract met local descriptors it could not publish as it went: batches stopped being
   * reported from there, and the rest must wait until they are published.
   */
  readonly descriptorsMet: boolean;
}

/**
 * How a stream's chunks become batches. A never-published resource plans every chunk (all posts);
 * a traced one (`tracedPlanner`) plans a chunk only while nothing in it must wait for the whole plan.
 */
export interface ChunkPlanner {
  /** Stages a full chunk and plans it as batch `batchNo`: its posts (0: no batch), or `whole-plan` to stop streaming. */
  chunk(batchNo: number, records: readonly ExtractedRecord[]): Promise<ChunkPlan>;
  /** Stages records after the stream stopped. */
  stage(records: readonly ExtractedRecord[]): Promise<void>;
  /**
   * Plans the rest (`last`: the records read since the last full chunk) after `batches` streamed
   * batches; `read`: the stream's posts so far and every record it read, `last` included.
   */
  end(batches: number, last: readonly ExtractedRecord[], read: { readonly posts: number; readonly staged: number }): Promise<PlanCounts>;
}

/** A never-published resource: every record is a post, every chunk a batch. */
export function nothingPublishedPlanner(client: pg.ClientBase, runId: string, resource: string): ChunkPlanner {
  return {
    chunk: async (batchNo, records) => {
      await planStreamedBatch(client, runId, resource, batchNo, records);
      return { posts: records.length };
    },
    stage: (records) => stageMore(client, runId, records),
    end: async (batches, last, read) => {
      if (last.length > 0) await planStreamedBatch(client, runId, resource, batches, last);
      const all = batches + (last.length > 0 ? 1 : 0);
      return { post: read.posts + last.length, rekey: 0, delete: 0, forget: 0, batches: all };
    },
  };
}

/**
 * Traced records (Now – Changes from the SIS event queue): a chunk streams while nothing in it has
 * to wait for the whole plan (`planTracedChunk`); from the first that has, the rest is only staged.
 * The end plans the last records read like a chunk, then only what the traced objects no longer
 * give (`planGone`); after a chunk that waited, it plans all that is left — the records not
 * streamed and those gone from the SIS (`planRest`) — after the streamed batches.
 */
export function tracedPlanner(
  client: pg.ClientBase,
  scope: PlanScope,
  plans: {
    readonly rest: (from: number, staged: number) => Promise<PlanCounts>;
    readonly gone: (from: number) => Promise<PlanCounts>;
  },
): ChunkPlanner {
  let waited = false;
  const chunk = async (batchNo: number, records: readonly ExtractedRecord[]): Promise<ChunkPlan> => {
    const got = await planTracedChunk(client, scope, batchNo, records);
    if (got === 'whole-plan') waited = true;
    return got;
  };
  return {
    chunk,
    stage: (records) => stageMore(client, scope.runId, records),
    end: async (batches, last, read) => {
      if (waited) await stageMore(client, scope.runId, last);
      else {
        const got = last.length > 0 ? await chunk(batches, last) : { posts: 0 };
        if (got !== 'whole-plan') return plans.gone(batches + (got.posts > 0 ? 1 : 0));
      }
      return plans.rest(batches, read.staged);
    },
  };
}

export async function streamPlan(
  client: pg.ClientBase,
  runId: string,
  resource: string,
  records: AsyncIterable<MappedRecord>,
  how: {
    readonly staging: (r: MappedRecord) => ExtractedRecord;
    readonly planner: ChunkPlanner;
    /** How many local descriptors have been met so far. */
    readonly localDescriptorsMet: () => number;
    /**
     * Publishes the local descriptors met so far, before the batches that use them are reported;
     * answers false when one could not be published (the rest of the batches then wait for the
     * run to publish them after the extract, as without it). Called again only when more are met.
     */
    readonly publishDescriptors?: () => Promise<boolean>;
    /** Batches 0..n-1 are planned and may be sent. */
    readonly ready: (batches: number) => Promise<void>;
  },
): Promise<{ counts: PlanCounts; staged: number; descriptorsMet: boolean }> {
  await startStreamedPlan(client, runId, resource);
  let chunk: ExtractedRecord[] = [];
  let chunks = 0;
  let batches = 0;
  let posts = 0;
  let staged = 0;
  /** The planner met a chunk that must wait for the whole plan: the rest is only staged. */
  let stopped = false;
  let descriptorsMet = false;
  /** Local descriptors met and published by `publishDescriptors`. */
  let published = 0;
  // A record naming a local descriptor may not go before the descriptor is published: an
  // unmapped code in a district's first publish of attendance stopped the stream at its first
  // batch (on `xl`, 324 s of extract before the first POST).
  const descriptorsFirst = async (): Promise<void> => {
    if (descriptorsMet) return;
    const met = how.localDescriptorsMet();
    if (met === published) return;
    if (how.publishDescriptors === undefined || !(await how.publishDescriptors())) descriptorsMet = true;
    else published = met;
  };
  /** Plans a full chunk; answers whether it became a batch to report. */
  const plan = async (): Promise<boolean> => {
    const records = chunk;
    chunk = [];
    chunks++;
    if (stopped) {
      await how.planner.stage(records);
      return false;
    }
    const got = await how.planner.chunk(batches, records);
    if (got === 'whole-plan') stopped = true;
    if (got === 'whole-plan' || got.posts === 0) return false;
    posts += got.posts;
    batches++;
    await descriptorsFirst();
    return true;
  };
  // A full chunk is planned and reported as soon as its last record is read, while the next
  // records are already being read (the first batch once waited for the SIS's answer to the next keys).
  for await (const r of readingAhead(records)) {
    chunk.push(how.staging(r));
    staged++;
    if (chunk.length === streamedBatchSize(chunks) && (await plan())) {
      // Durable note that batches exist (a lost plan is then noticed), once.
      if (batches === 1) await markPlanned(client, runId, 1);
      if (!descriptorsMet) await how.ready(batches);
    }
  }
  const counts = await how.planner.end(batches, chunk, { posts, staged });
  if (counts.batches > batches) await descriptorsFirst();
  await markPlanned(client, runId, counts.batches);
  return { counts, staged, descriptorsMet };
}

/**
 * The records, each next one asked for as soon as the one before is handed on: the source (the
 * SIS) works on the next while the consumer plans what it has.
 */
export async function* readingAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  let ahead = it.next();
  let done = false;
  try {
    for (;;) {
      const got = await ahead;
      if (got.done === true) {
        done = true;
        return;
      }
      ahead = it.next();
      // Its failure is met when it is awaited, after the consumer's turn, not as an unhandled rejection meanwhile.
      ahead.catch(() => undefined);
      yield got.value;
    }
  } finally {
    // The consumer stopped early (or failed): the source closes its query.
    if (!done) await it.return?.();
  }
}
