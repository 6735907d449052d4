/**
 * A never-published resource's extract, planned batch by batch as it is read: each full batch is
 * staged, planned (all posts) and reported to the category run, which sends it while the next is
 * read. A large initial publish then keeps the ODS busy from its first seconds instead of after the
 * whole extract and plan.
 */
import { markPlanned, planStreamedBatch, startStreamedPlan, type ExtractedRecord, type PlanCounts } from '../../db/catalogPlan.js';
import { FIRST_FETCH_ROWS, type MappedRecord } from '../../resources/mapper.js';
import type pg from 'pg';
import { BATCH_SIZE } from './shared.js';

/**
 * The first batch is small: the ODS gets its first POSTs once the SIS's first rows are mapped and
 * planned, not after a whole batch's (measured: ~1 s from a category's start to its first POST
 * with 2,000, while the other extracts of the run compete). The rest are BATCH_SIZE.
 */
export const FIRST_STREAMED_BATCH = FIRST_FETCH_ROWS;
export const streamedBatchSize = (batchNo: number): number => (batchNo === 0 ? FIRST_STREAMED_BATCH : BATCH_SIZE);

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

export async function streamPlan(
  client: pg.ClientBase,
  runId: string,
  resource: string,
  records: AsyncIterable<MappedRecord>,
  how: {
    readonly staging: (r: MappedRecord) => ExtractedRecord;
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
  let batches = 0;
  let staged = 0;
  let descriptorsMet = false;
  /** Local descriptors met and published by `publishDescriptors`. */
  let published = 0;
  const plan = async (): Promise<void> => {
    await planStreamedBatch(client, runId, resource, batches, chunk);
    batches++;
    chunk = [];
    // A record naming a local descriptor may not go before the descriptor is published: an
    // unmapped code in a district's first publish of attendance stopped the stream at its first
    // batch (on `xl`, 324 s of extract before the first POST).
    if (descriptorsMet) return;
    const met = how.localDescriptorsMet();
    if (met === published) return;
    if (how.publishDescriptors === undefined || !(await how.publishDescriptors())) descriptorsMet = true;
    else published = met;
  };
  for await (const r of records) {
    if (chunk.length === streamedBatchSize(batches)) {
      await plan();
      // Durable note that batches exist (a lost plan is then noticed), once.
      if (batches === 1) await markPlanned(client, runId, 1);
      // Reported only when more follows: the last batch comes with the activity's result.
      if (!descriptorsMet) await how.ready(batches);
    }
    chunk.push(how.staging(r));
    staged++;
  }
  if (chunk.length > 0) await plan();
  await markPlanned(client, runId, batches);
  return { counts: { post: staged, rekey: 0, delete: 0, forget: 0, batches }, staged, descriptorsMet };
}
