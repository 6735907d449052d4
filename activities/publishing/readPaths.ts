/**
 * The ways extractAndPlan reads a resource into the run's stage, cheapest first: the records its
 * SIS events trace to (Now – Changes), the records in a status (Now – Errors / – Dependencies), a
 * never-published resource streamed batch by batch, and the whole resource.
 */
import { Context } from '@temporalio/activity';
import type pg from 'pg';
import {
  markPlanned,
  nothingPublished,
  noPlan,
  planGone,
  stageChangeScope,
  plannedPosts,
  restage,
  stageExtract,
  type ExtractedRecord,
  type PlanCounts,
  type PlanScope,
} from '../../db/catalogPlan.js';
import { keysToRetry } from '../../db/dependencyQueue.js';
import { WAKE_RUN_MOST } from '../../publishing/dependencyTimetable.js';
import { queueBulkWake } from './dependencies.js';
import { publishLocalDescriptors, stageLocalDescriptors } from './localDescriptors.js';
import type { ChangeSources } from '../../publishing/changeSet.js';
import type { MappingLookup } from '../../publishing/descriptorLookup.js';
import type { PublishOption } from '../../publishing/categories.js';
import { plansAs, statusesActedOn, streamsWhenNothingPublished } from '../../publishing/publishOptions.js';
import { rampedRows, type MappedRecord, type PublishContext, type ResourceMapper } from '../../resources/mapper.js';
import type { Staging } from '../../publishing/staging.js';
import { reportBatchesPlanned } from '../../temporal/client/categoryPublish.js';
import { traceChanges } from './changeTracing.js';
import type { OwnMarkOption } from '../../publishing/watermark.js';
import { nothingPublishedPlanner, streamPlan, tracedPlanner, type ChunkPlanner, type Streamed } from './streamPlan.js';
import { BATCH_SIZE, MOST_EVENTS, msSince, RESTAGE_CHUNK, type EntityRun, type Extraction } from './shared.js';
import type { Engine } from './engine.js';

/** One extractAndPlan's connections and choices, as every read path needs them. */
export interface Reading {
  readonly e: Engine;
  readonly run: EntityRun & { readonly stream?: boolean; readonly streamTraced?: boolean };
  readonly scope: PlanScope;
  readonly option: PublishOption;
  readonly mapper: ResourceMapper;
  readonly ctx: PublishContext;
  readonly lookup: MappingLookup;
  readonly client: pg.ClientBase;
  readonly sis: pg.ClientBase;
  readonly staging: (r: MappedRecord, how: Staging) => ExtractedRecord;
  /**
   * Plans what is staged; `changed` limits the plan's deletes to the traced scope; `from`: after so
   * many streamed batches, leaving their records as planned.
   */
  readonly plan: (changed?: ChangeSources, fewStaged?: boolean, from?: number) => Promise<PlanCounts>;
}

/** What a read path staged and planned. */
export interface Read {
  readonly counts: PlanCounts;
  readonly staged: number;
  readonly mode: Extraction['mode'];
  readonly why?: string;
  readonly streamed?: Streamed;
  readonly oldestChangeAt?: Date;
  /** Milliseconds of its steps (the run's log shows where an extract's time went). */
  readonly took?: Readonly<Record<string, number>>;
}

/** Stages these records read whole, RESTAGE_CHUNK keys to a SIS query; answers how many were staged. */
async function stageByKey(r: Reading, keys: readonly string[]): Promise<number> {
  let staged = 0;
  const records = async function* (): AsyncGenerator<ExtractedRecord> {
    for (let i = 0; i < keys.length; i += RESTAGE_CHUNK)
      for await (const m of r.mapper.extract(r.sis, r.ctx, keys.slice(i, i + RESTAGE_CHUNK))) {
        staged++;
        yield r.staging(m, 'whole');
      }
  };
  await stageExtract(r.client, r.run.runId, records());
  return staged;
}

/**
 * Now – Changes: the records the SIS events since the watermark trace to; or why the resource is read
 * whole. The nightly modes the same from marks of their own (`own`): Now – Last 14 Days keeps those
 * dated in its window, Now – Missing adds what the ODS never got.
 */
async function traced(
  r: Reading,
  fingerprint: string,
  latest: number,
  own?: { readonly option: OwnMarkOption; readonly since?: string },
): Promise<Read | { why: string }> {
  if (r.run.schoolId !== undefined) return { why: 'one school: read whole' };
  const began = performance.now();
  const t = await traceChanges(r.e, r.sis, r.client, { ...r.scope, changed: r.mapper.changes }, fingerprint, latest, own);
  if ('why' in t) return t;
  const at = t.oldestChangeAt !== undefined ? { oldestChangeAt: t.oldestChangeAt } : {};
  if (t.objects.length === 0) {
    // Its tables had events, none of them one of its records: nothing to stage, gather statistics on or compare.
    await markPlanned(r.client, r.run.runId, 0);
    return { counts: noPlan(), staged: 0, mode: 'changes', ...at };
  }
  const traceMs = msSince(began);
  if (r.run.streamTraced === true && r.option === 'changes') {
    const read = await streamedTraced(r, t.objects);
    return { ...read, ...at, took: { trace: traceMs, ...read.took } };
  }
  const stagedAt = performance.now();
  await stageChangeScope(r.client, r.run.runId, t.objects);
  // The extract keeps the window's records (its context's `since`); the plan compares only those (PlanScope.window).
  const staged = await stageByKey(r, t.objects);
  const stageMs = msSince(stagedAt);
  const plannedAt = performance.now();
  const counts = await r.plan(r.mapper.changes, staged < BATCH_SIZE);
  return { counts, staged, mode: 'changes', ...at, took: { trace: traceMs, stage: stageMs, plan: msSince(plannedAt) } };
}

/** Now – Errors / Now – Dependencies: the records in that status, read by key, not the whole resource. */
async function byStatus(r: Reading, statuses: readonly string[]): Promise<Read | { why: string }> {
  const wake = r.run.readyOnly === true ? { most: r.e.deps.wakeRunMost ?? WAKE_RUN_MOST } : undefined;
  const keys = await keysToRetry(r.client, r.scope, statuses, wake);
  // A bounded wake that is full leaves ready records behind: the next wake run is queued now, and
  // the lane starts it when this one ends (a wake already waiting is not queued twice).
  if (wake !== undefined && keys.length === wake.most)
    await queueBulkWake(r.e, r.scope.profileId, [{ schoolYear: r.scope.schoolYear, resource: r.scope.resource, count: keys.length }]);
  if (keys.length > MOST_EVENTS) return { why: `more than ${MOST_EVENTS.toLocaleString('en-US')} records to retry` };
  const staged = await stageByKey(r, keys);
  return { counts: await r.plan(undefined, staged < BATCH_SIZE), staged, mode: 'status' };
}

/**
 * Now – Changes' traced records, read by key and planned chunk by chunk: a chunk of new and changed
 * records is sent while the next is read (a burst of 5,000 students reaches the ODS from its first
 * 128, not after all are read and compared); deletes, re-keys and what follows them wait for the end.
 */
async function streamedTraced(r: Reading, traced: readonly string[]): Promise<Read> {
  // In key order: which records share a chunk does not depend on the order the events came in.
  const objects = [...traced].sort();
  // The first keys alone, then growing reads (the streamed batches' sizes): each read's records are
  // mapped and planned while the SIS reads the next keys.
  const records = async function* (): AsyncGenerator<MappedRecord> {
    for (let n = 0, i = 0; i < objects.length; n++) {
      const size = rampedRows(n, RESTAGE_CHUNK);
      yield* r.mapper.extract(r.sis, r.ctx, objects.slice(i, i + size));
      i += size;
    }
  };
  const took = { chunks: 0, end: 0 };
  // Only the end plan reads the change scope: staged then, not before the first chunk (~20 ms of 5,000 keys).
  const scoped = (): Promise<void> => stageChangeScope(r.client, r.run.runId, objects);
  const planner = timed(
    tracedPlanner(r.client, r.scope, {
      rest: async (from, staged) => {
        await scoped();
        return r.plan(r.mapper.changes, staged < BATCH_SIZE, from);
      },
      gone: async (from) => {
        await scoped();
        return planGone(r.client, { ...r.scope, changed: r.mapper.changes }, BATCH_SIZE, from);
      },
    }),
    took,
  );
  const read = await streamBatches(r, records(), planner);
  return { ...read, mode: 'changes', took: { chunks: Math.round(took.chunks), end: Math.round(took.end) } };
}

/** The planner, adding the milliseconds of its chunks (staged and planned as they are read) and of its end plan to `took`. */
function timed(planner: ChunkPlanner, took: { chunks: number; end: number }): ChunkPlanner {
  const clock = async <T>(step: 'chunks' | 'end', work: Promise<T>): Promise<T> => {
    const at = performance.now();
    try {
      return await work;
    } finally {
      took[step] += performance.now() - at;
    }
  };
  return {
    chunk: (batchNo, records) => clock('chunks', planner.chunk(batchNo, records)),
    stage: (records) => clock('chunks', planner.stage(records)),
    end: (batches, last, read) => clock('end', planner.end(batches, last, read)),
  };
}

/** Nothing published yet: every record is a post, so batches go out while the rest is read. */
async function streamed(r: Reading): Promise<Read> {
  return { ...(await streamBatches(r, r.mapper.extract(r.sis, r.ctx), nothingPublishedPlanner(r.client, r.run.runId, r.scope.resource))), mode: 'full' };
}

/** Plans the records chunk by chunk, reporting each batch to the category run, which sends it while the rest is read. */
async function streamBatches(r: Reading, records: AsyncIterable<MappedRecord>, planner: ChunkPlanner): Promise<Omit<Read, 'mode'>> {
  const info = Context.current().info;
  const out = await streamPlan(r.client, r.run.runId, r.scope.resource, records, {
    planner,
    staging: (m) => r.staging(m, 'whole'),
    localDescriptorsMet: () => r.lookup.localDescriptorsMet().length,
    // Published as they are met, so the stream goes on (a district's unmapped codes are no reason to wait for the whole extract).
    publishDescriptors: async () => {
      await stageLocalDescriptors(r.e, r.run.profileId, r.run.schoolYear, r.lookup.localDescriptorsMet());
      const done = await publishLocalDescriptors(r.e, { profileId: r.run.profileId, schoolYear: r.run.schoolYear });
      return done.error === 0 && done.dependency === 0;
    },
    ready: async (batches) => {
      // The first batch's hand-over to its sendBatch goes on a quiet worker (firstSends.ts).
      const firstSent = batches === 1 ? r.e.firstSends.waitFor(r.run.runId, 0) : undefined;
      if (info.workflowExecution !== undefined)
        await reportBatchesPlanned(r.e.deps.temporal, info.workflowExecution, { resource: r.run.resource, attempt: info.attempt, batches });
      await firstSent;
      // Between batches, the extract gives way to the profile's dependency lane as its batches do (laneFirst.ts).
      await r.e.laneFirst.giveWay(r.run.profileId);
    },
  });
  return { counts: out.counts, staged: out.staged, streamed: { attempt: info.attempt, descriptorsMet: out.descriptorsMet } };
}

/**
 * The whole resource. Now – Changes usually sends a few records of many: the first pass stages only
 * what the plan compares; the records it will post are then extracted again whole and planned once more.
 */
async function whole(r: Reading): Promise<Read> {
  const lazy = plansAs(r.option) === 'changes' || r.option === 'missing' || r.option === 'recent';
  let staged = 0;
  const records = async function* (): AsyncGenerator<ExtractedRecord> {
    for await (const m of r.mapper.extract(r.sis, r.ctx)) {
      staged++;
      yield r.staging(m, lazy ? 'hash-only' : 'whole');
    }
  };
  const stagedAt = performance.now();
  await stageExtract(r.client, r.run.runId, records());
  const took: Record<string, number> = { stage: msSince(stagedAt) };
  let plannedAt = performance.now();
  let counts = await r.plan();
  took.plan = msSince(plannedAt);
  if (lazy) {
    const restagedAt = performance.now();
    const posts = await plannedPosts(r.client, r.run.runId, r.scope.resource);
    const planned = new Map(posts.map((p) => [p.sourceKey, p]));
    let unmoved = 0;
    for (let i = 0; i < posts.length; i += RESTAGE_CHUNK) {
      const keys = posts.slice(i, i + RESTAGE_CHUNK).map((p) => p.sourceKey);
      const again = async function* (): AsyncGenerator<ExtractedRecord> {
        for await (const m of r.mapper.extract(r.sis, r.ctx, keys)) {
          const record = r.staging(m, 'whole');
          const was = planned.get(record.sourceKey);
          if (was !== undefined && was.naturalKey === record.naturalKey && was.payloadHash === record.payloadHash) unmoved++;
          yield record;
        }
      };
      await restage(r.client, r.run.runId, keys, again());
    }
    took.restage = msSince(restagedAt);
    // The plan stands unless a record left the SIS or changed between the passes (then it is
    // planned again: one gone is deleted, one re-identified re-keyed) — planning scans the catalog.
    if (unmoved < posts.length) {
      plannedAt = performance.now();
      counts = await r.plan();
      took.replan = msSince(plannedAt);
    }
  }
  return { counts, staged, mode: 'full', took };
}

/** The nightly mode's own mark, when the run is one (Now – Last 14 Days only for a dated resource, which has a window). */
function ownMarkFor(r: Reading): { readonly option: OwnMarkOption; readonly since?: string } | undefined {
  if (r.option === 'missing') return { option: 'missing' };
  if (r.option === 'recent' && r.ctx.since !== undefined) return { option: 'recent', since: r.ctx.since };
  return undefined;
}

/** Reads and plans the resource the cheapest way its option and state allow; says why when a narrower way was refused. */
export async function readAndPlan(r: Reading, at: { readonly fingerprint: string; readonly latest: number }): Promise<Read> {
  let why: string | undefined;
  const own = ownMarkFor(r);
  if (plansAs(r.option) === 'changes' || own !== undefined) {
    const read = await traced(r, at.fingerprint, at.latest, own);
    if ('counts' in read) return read;
    why = read.why;
  }
  const statuses = statusesActedOn(r.option);
  if (statuses !== undefined) {
    const read = await byStatus(r, statuses);
    if ('counts' in read) return read;
    why = read.why;
  }
  const because = why !== undefined ? { why } : {};
  if (r.run.stream === true && streamsWhenNothingPublished(r.option) && (await nothingPublished(r.client, r.run.profileId, r.run.schoolYear, r.scope.resource)))
    return { ...(await streamed(r)), ...because };
  return { ...(await whole(r)), ...because };
}
