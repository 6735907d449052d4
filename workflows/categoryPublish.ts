/**
 * `publish/{profileId}/{year}/{category}/{n}`: one category with one publish option. Every entity
 * is extracted and planned against the catalog, all at once; posts go out in dependency order,
 * independent entities side by side, each level as soon as it and the levels before it are
 * extracted — and a resource nothing was published of yet (all posts) sends each batch as its
 * extract reports it planned, while the rest is still read. When anything is to be deleted,
 * deletes go out first, dependents first (so a parent whose natural key changed can be deleted).
 * Local descriptors are published before the records that use them. Activities get ids and batch
 * numbers only: the history holds a few events per batch, never a record.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { runOutcome } from '../publishing/runOutcome.js';
import { triggerOf } from '../publishing/publishRequest.js';
import { DependencyCountKey, ErrorCountKey, OutcomeKey } from '../temporal/searchAttributes.js';
import { PLAN_LOST } from '../publishing/failureTypes.js';
import type { Activities } from '../activities/index.js';
import type { Extraction } from '../publishing/extraction.js';
import type { PreviewCounts } from '../publishing/preview.js';
import { batchesPlannedSignal, categoryProgressQuery, type CategoryPublishInput } from '../temporal/contract.js';
import { addProgressSample, type ProgressSample } from '../publishing/progress.js';
import { levelSteps, SCHEDULE_START, waitsForEveryExtract, type ExtractedResource } from '../publishing/runSchedule.js';

// The run's short bookkeeping steps (preparation and finish): a few database reads and writes each.
const shortSteps = { startToCloseTimeout: '2 minutes', retry: { maximumAttempts: 5 } } as const;
const { prepareCategory, finishRun } = proxyActivities<Activities>(shortSteps);
// The preparation as a local activity: it runs in the run's first workflow task, sparing the
// activity task's round trips through the server (a quiet Now – Changes is nothing else).
const { prepareCategory: prepareCategoryHere } = proxyLocalActivities<Activities>(shortSteps);
// The long activities heartbeat: a worker killed mid-batch is noticed in 30 s, not at the start-to-close timeout.
const { extractAndPlan } = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumAttempts: 5 },
});
const { sendBatch, publishLocalDescriptors } = proxyActivities<Activities>({
  startToCloseTimeout: '20 minutes',
  heartbeatTimeout: '30 seconds',
  // A batch is idempotent: what it already did is in the catalog.
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: 8 },
});

/** Batches of one resource sent at the same time. */
const BATCHES_IN_FLIGHT = 6;

export interface CategoryResult {
  readonly published: number;
  readonly dependency: number;
  readonly error: number;
  readonly deleted: number;
  readonly forgotten: number;
  readonly skipped: ReadonlyArray<{ resource: string; why: string; inactive?: boolean }>;
  /** How each resource was read: only what the SIS event queue says changed, or whole (and why). */
  readonly extractions?: ReadonlyArray<Extraction>;
  /** Preview – Changes: what each resource would send (counts only; the records are in publish_preview). */
  readonly previews?: ReadonlyArray<{ resource: string; counts: PreviewCounts }>;
}

/** How often one category run plans again after losing its plan, before it fails. */
const REPLANS = 3;

export async function categoryPublish(input: CategoryPublishInput & { replans?: number }): Promise<CategoryResult> {
  try {
    return await publishOnce(input);
  } catch (err) {
    // The plan lives in unlogged tables that a Postgres crash empties: plan again in a fresh run
    // (new run id, new plan; what was already sent is in the catalog and is not sent twice).
    const replans = input.replans ?? 0;
    if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === PLAN_LOST && replans < REPLANS) {
      await continueAsNew<typeof categoryPublish>({ ...input, replans: replans + 1 });
    }
    throw err;
  }
}

async function publishOnce(input: CategoryPublishInput): Promise<CategoryResult> {
  const { profileId, schoolYear, option, category } = input;
  let phase: 'processing' | 'publishing' = 'processing';
  let samples: ProgressSample[] = [];
  let batchesDone = 0;
  let batchesTotal = 0;
  setHandler(categoryProgressQuery, () => ({ phase, batchesDone, batchesTotal, samples }));
  const prepare = patched('prepare-category-as-local-activity') ? prepareCategoryHere : prepareCategory;
  const plan = await prepare({ profileId, schoolYear, category, option, scope: input.scope });
  if (plan.refused !== undefined) throw ApplicationFailure.nonRetryable(plan.refused);
  const totals = { published: 0, dependency: 0, error: 0, deleted: 0, forgotten: 0 };
  /** The ODS's requests at once as the latest batch ended (adaptive connections move it). */
  let connections: number | undefined;
  // Date.now() is workflow time here: replay-safe.
  const sample = (): void => {
    samples = addProgressSample(samples, {
      at: Date.now(),
      published: totals.published,
      dependency: totals.dependency,
      error: totals.error,
      ...(connections !== undefined ? { connections } : {}),
    });
  };
  const add = (s: Omit<CategoryResult, 'skipped'> & { readonly connections?: number }): void => {
    for (const k of Object.keys(totals) as Array<keyof typeof totals>) totals[k] += s[k];
    if (s.connections !== undefined) connections = s.connections;
    sample();
  };
  if (plan.descriptors) {
    add(await publishLocalDescriptors({ profileId, schoolYear, all: option === 'all', errorsOnly: option === 'retry-errors' }));
    return { ...totals, skipped: plan.skipped };
  }
  // Nothing changed for any resource since its last complete run: each read nothing, as a traced run would say.
  if (plan.quiet !== undefined) {
    if (patched('outcome-search-attributes')) upsertSearchAttributes([{ key: OutcomeKey, value: runOutcome(totals) }]);
    return { ...totals, skipped: plan.skipped, extractions: plan.quiet.map((resource) => ({ resource, mode: 'changes', staged: 0 })) };
  }
  const base = `${workflowInfo().workflowId}/${workflowInfo().runId}`;
  const schoolId = input.scope.kind === 'school' ? input.scope.schoolId : undefined;
  // The sweeper's bulk wake retries only what is ready; a clerk's Now – Dependencies retries every record waiting.
  const readyOnly = option === 'dependencies' && triggerOf(input) === 'dependencies' ? ({ readyOnly: true } as const) : {};
  const runOf = (resource: string) => ({ runId: `${base}:${resource}`, profileId, schoolYear, resource, option, schoolId, ...readyOnly });
  const resources = plan.levels.flat();
  type Streamed = { attempt: number; descriptorsMet: boolean };
  const batches = new Map<string, { total: number; deletes: number[]; newLocalDescriptors: number | undefined; streamed?: Streamed | undefined }>();
  // Resources nothing changed for were not extracted: each read nothing, as a traced extract would say.
  const extractions: Extraction[] = (plan.unchanged ?? []).map((resource) => ({ resource, mode: 'changes', staged: 0 }));
  const previews: Array<{ resource: string; counts: PreviewCounts }> = [];
  /** Resources whose extract has ended, well or not. */
  const settled = new Set<string>();
  /** Batches a streaming extract has reported ready (its latest attempt's), by resource. */
  const feeds = new Map<string, { attempt: number; planned: number }>();
  setHandler(batchesPlannedSignal, ({ resource, attempt, batches: planned }) => {
    const feed = feeds.get(resource);
    if (feed === undefined || attempt > feed.attempt) feeds.set(resource, { attempt, planned });
    else if (attempt === feed.attempt) feed.planned = Math.max(feed.planned, planned);
  });
  // Runs started before this change waited for every extract before sending (replay keeps that).
  // Retiring this and the patches below is README's "Retiring a patched() branch": deprecatePatch once
  // no run started before it is open, remove it after closed histories leave retention.
  const postsFollowExtracts = patched('posts-start-as-their-levels-are-extracted');
  // Runs started before this change sent a resource only once its whole extract was planned.
  const streaming = patched('posts-stream-while-extracting');
  // Runs started before this change read a Now – Changes' traced records whole before sending any;
  // streamed, a traced resource may find deletes at its end, which go before the rest of its posts.
  const tracedStreams = streaming && patched('traced-records-stream-as-planned');
  // Runs started before this change published local descriptors before their first level whether
  // or not any waited, and before a level whose streaming resources had not ended.
  const descriptorsWhenWaiting = streaming && patched('descriptors-step-only-when-waiting');
  // Runs started before this change sent a streamed resource's last batches only once every batch
  // streamed before them had been sent.
  const restAsLanesFree = streaming && patched('streamed-rest-sends-as-lanes-free');
  const extract = async (resource: string): Promise<void> => {
    try {
      const {
        batches: total,
        deleteBatches,
        newLocalDescriptors,
        mode,
        staged,
        why,
        streamed,
        preview,
      } = await extractAndPlan({
        ...runOf(resource),
        ...(streaming ? { stream: true } : {}),
        ...(tracedStreams ? { streamTraced: true } : {}),
      });
      batches.set(resource, { total, deletes: deleteBatches, newLocalDescriptors, streamed });
      extractions.push({ resource, mode, staged, ...(why !== undefined ? { why } : {}) });
      if (preview !== undefined) previews.push({ resource, counts: preview });
    } finally {
      settled.add(resource);
    }
  };
  const extracted = new Map(resources.map((r) => [r, extract(r)]));
  // Awaited later (a failed extract fails the run there); handled now, so it is not an unhandled rejection meanwhile.
  for (const done of extracted.values()) done.catch(() => undefined);
  if (option === 'preview') {
    // Planned as Now – Changes would be, and kept (publish_preview): nothing is sent.
    await Promise.all(extracted.values());
    await finishRun({ runIds: resources.map((r) => runOf(r).runId) });
    return { ...totals, skipped: plan.skipped, extractions, previews };
  }
  if (!postsFollowExtracts) await Promise.all(extracted.values());
  // Runs started before this change sent every batch through the delete pass (replay keeps that).
  const onlyDeleteBatches = patched('delete-pass-only-for-batches-with-deletes');
  /** The batch numbers of one pass: the post pass sends all; the delete pass those that delete. */
  const passOf = (resource: string, step: 'delete' | 'post'): number[] => {
    const b = batches.get(resource) ?? { total: 0, deletes: [] };
    return step === 'delete' && onlyDeleteBatches ? b.deletes : Array.from({ length: b.total }, (_, i) => i);
  };
  const batchesOf = (resource: string): number => passOf(resource, 'delete').length + (option === 'remove-unpublished' ? 0 : passOf(resource, 'post').length);
  if (!postsFollowExtracts) batchesTotal = resources.reduce((sum, r) => sum + batchesOf(r), 0);
  /** Batches counted into the run's total, by resource: a streaming resource's grow as they are reported. */
  const countedBatches = new Map<string, number>();
  const countBatches = (resource: string, n: number): void => {
    const before = countedBatches.get(resource) ?? 0;
    if (n > before) {
      batchesTotal += n - before;
      countedBatches.set(resource, n);
    }
  };

  // A few batches of a resource in flight at once keep the connections busy while a batch reads
  // and writes the catalog; the per-profile connection limit still holds across all of them.
  const sendAll = async (resource: string, step: 'delete' | 'post'): Promise<void> => {
    const numbers = passOf(resource, step);
    let next = 0;
    const lane = async (): Promise<void> => {
      for (let i = next++; i < numbers.length; i = next++) {
        add(await sendBatch({ ...runOf(resource), batchNo: numbers[i], phase: step }));
        batchesDone++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(BATCHES_IN_FLIGHT, numbers.length) }, lane));
  };
  /**
   * A streaming resource's posts: the batches its extract reports, as it reports them, then the
   * rest once it has ended. A retried extract plans afresh: what an earlier attempt's batches sent
   * is in the catalog, and the rest of the new plan goes.
   */
  const sendStreamed = async (resource: string): Promise<void> => {
    let attempt = feeds.get(resource)?.attempt ?? 0;
    let next = 0;
    let sent = new Set<number>();
    const send = async (batchNo: number, into: Set<number>): Promise<void> => {
      into.add(batchNo);
      add(await sendBatch({ ...runOf(resource), batchNo, phase: 'post' }));
      batchesDone++;
    };
    const feed = (): { attempt: number; planned: number } => feeds.get(resource) ?? { attempt, planned: 0 };
    const whileExtracting = async (): Promise<void> => {
      for (;;) {
        await condition(() => settled.has(resource) || feed().attempt !== attempt || feed().planned > next);
        if (settled.has(resource)) return;
        if (feed().attempt !== attempt) {
          attempt = feed().attempt;
          next = 0;
          sent = new Set();
        }
        // Every lane wakes on the same signal: only those with a batch left to take go on.
        if (feed().planned <= next) continue;
        countBatches(resource, feed().planned);
        await send(next++, sent);
      }
    };
    /** The batches left once the extract ended (planned at its end, or by a retried attempt), ready to go. */
    const restOnceExtracted = async (streamedSent: Promise<unknown>): Promise<{ rest: number[]; done: Set<number> }> => {
      try {
        await extracted.get(resource);
      } catch (err) {
        // A failed extract fails the run once the batches already going have ended, as before.
        await Promise.allSettled([streamedSent]);
        throw err;
      }
      const final = batches.get(resource);
      if (final === undefined) return { rest: [], done: sent };
      // Deletes and local descriptors wait for the streamed posts, as they always did (both are rare).
      const first = (tracedStreams && final.deletes.length > 0) || final.streamed?.descriptorsMet === true;
      if (first || !restAsLanesFree) await streamedSent;
      // Once the extract has ended no lane takes a streamed batch, so `sent` is final here.
      const done = final.streamed?.attempt === attempt ? sent : new Set<number>();
      // A streamed traced plan ends with what had to wait for it: records gone from the SIS, re-keyed ones.
      if (tracedStreams && final.deletes.length > 0) await deletePass();
      // Batches stopped being reported where the extract met local descriptors: they go first.
      if (final.streamed?.descriptorsMet === true) add(await publishLocalDescriptors({ profileId, schoolYear }));
      countBatches(resource, final.total + (done === sent ? 0 : sent.size));
      return { rest: Array.from({ length: final.total }, (_, i) => i).filter((b) => !done.has(b)), done };
    };
    if (!restAsLanesFree) {
      const { rest, done } = await restOnceExtracted(Promise.all(Array.from({ length: BATCHES_IN_FLIGHT }, whileExtracting)));
      let i = 0;
      const lane = async (): Promise<void> => {
        for (let k = i++; k < rest.length; k = i++) await send(rest[k], done);
      };
      await Promise.all(Array.from({ length: Math.min(BATCHES_IN_FLIGHT, rest.length) }, lane));
      return;
    }
    // Each lane takes the batches left as soon as it is free: the end's last batch does not wait for
    // the streamed batches still in flight (the connections emptied meanwhile: ~0.1 s of a burst).
    const streamedLanes = Array.from({ length: BATCHES_IN_FLIGHT }, whileExtracting);
    let left: Promise<{ rest: number[]; done: Set<number> }> | undefined;
    let i = 0;
    await Promise.all(
      streamedLanes.map(async (streamedLane) => {
        await streamedLane;
        const { rest, done } = await (left ??= restOnceExtracted(Promise.all(streamedLanes)));
        for (let k = i++; k < rest.length; k = i++) await send(rest[k], done);
      }),
    );
  };
  const sendPosts = (resource: string): Promise<void> => (streaming && feeds.has(resource) ? sendStreamed(resource) : sendAll(resource, 'post'));
  /**
   * Deletes go out dependents first, every level's before any post that could meet them — once, when
   * every extract is known (a streamed resource's deletes may call for it before its level's turn).
   */
  let deleting: Promise<void> | undefined;
  const deletePass = (): Promise<void> =>
    (deleting ??= (async () => {
      await Promise.all(extracted.values());
      // Counted here when a streamed resource's deletes call the pass (runs from before levels counted all at the start).
      if (postsFollowExtracts) for (const r of resources) countBatches(r, batchesOf(r));
      for (const level of [...plan.levels].reverse()) await Promise.all(level.map((r) => sendAll(r, 'delete')));
    })());
  if (!postsFollowExtracts) {
    phase = 'publishing';
    sample();
    await deletePass();
    if (option !== 'remove-unpublished') {
      add(await publishLocalDescriptors({ profileId, schoolYear }));
      for (const level of plan.levels) await Promise.all(level.map((r) => sendAll(r, 'post')));
    }
  } else {
    // The schedule (publishing/runSchedule.ts) decides each level's steps; this follows them.
    const extractedAs = (r: string): ExtractedResource => ({
      deletes: passOf(r, 'delete').length > 0,
      // A resource still streaming publishes what it meets before reporting the batches that use it.
      newLocalDescriptors: descriptorsWhenWaiting && !settled.has(r) && feeds.has(r) ? 0 : batches.get(r)?.newLocalDescriptors,
    });
    let state = descriptorsWhenWaiting && plan.descriptorsWaiting === false ? { ...SCHEDULE_START, descriptorsWaiting: false } : SCHEDULE_START;
    for (const n of plan.levels.keys()) {
      const level = plan.levels[n] ?? [];
      const upTo = plan.levels.slice(0, n + 1).flat();
      if (streaming) {
        // This level's streaming resources need only have reported their first batches.
        await Promise.all(upTo.filter((r) => !level.includes(r)).map((r) => extracted.get(r) ?? Promise.resolve()));
        await condition(() => level.every((r) => settled.has(r) || feeds.has(r)));
        await Promise.all(level.filter((r) => !feeds.has(r)).map((r) => extracted.get(r) ?? Promise.resolve()));
      } else await Promise.all(upTo.map((r) => extracted.get(r) ?? Promise.resolve()));
      const everyExtract = waitsForEveryExtract(state, upTo, extractedAs);
      if (everyExtract) await Promise.all(extracted.values());
      const { count, steps, next } = levelSteps(state, { level: n, upTo, all: resources, everyExtract, option, extracted: extractedAs });
      state = next;
      for (const r of count) countBatches(r, batchesOf(r));
      phase = 'publishing';
      sample();
      for (const step of steps) {
        if (step.kind === 'delete-pass') await deletePass();
        // Local descriptors met by the extracts so far, before the records that use them.
        else if (step.kind === 'local-descriptors') add(await publishLocalDescriptors({ profileId, schoolYear }));
        else await Promise.all((plan.levels[step.level] ?? []).map(sendPosts));
      }
    }
  }
  await finishRun({ runIds: resources.map((r) => runOf(r).runId) });
  // Support engineers filter runs by how they ended: one that left every record in error is not clean.
  if (patched('outcome-search-attributes'))
    upsertSearchAttributes([
      { key: OutcomeKey, value: runOutcome(totals) },
      { key: ErrorCountKey, value: totals.error },
      { key: DependencyCountKey, value: totals.dependency },
    ]);
  return { ...totals, skipped: plan.skipped, extractions };
}
