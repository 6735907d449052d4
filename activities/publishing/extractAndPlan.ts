/** Extracts a resource into the run's stage and plans it against the catalog. */
import { stagedRecord, type Staging } from '../../publishing/staging.js';
import { ApplicationFailure } from '@temporalio/common';
import { Context } from '@temporalio/activity';
import type pg from 'pg';
import { reportBatchesPlanned } from '../../temporal/client/categoryPublish.js';
import { streamPlan, type Streamed } from './streamPlan.js';
import { runLog } from '../runLog.js';
import {
  batchesWithDeletes,
  markPlanned,
  nothingPublished,
  noPlan,
  plannedPosts,
  planResource,
  restage,
  stageExtract,
  usesExtract,
  type ExtractedRecord,
  type PlanCounts,
} from '../../db/catalogPlan.js';
import { forgetWatermarks, setPendingWatermark } from '../../db/changeWatermark.js';
import { latestEventId, replicaLoad } from '../../sis/events.js';
import { type ChangeSources } from '../../publishing/changeSet.js';
import { plansAs, previewOnly, recentSince, statusesActedOn, streamsWhenNothingPublished } from '../../publishing/publishOptions.js';
import { keysToRetry } from '../../db/dependencyQueue.js';
import { savePreview } from '../../db/preview.js';
import type { PreviewCounts } from '../../publishing/preview.js';
import { analyzeKeys } from '../../db/catalog.js';
import { mapperFor } from '../../resources/index.js';
import { type MappedRecord } from '../../resources/mapper.js';
import { publishContext } from './context.js';
import { traceChanges } from './changeTracing.js';
import { stageLocalDescriptors } from './localDescriptors.js';
import { BATCH_SIZE, MOST_EVENTS, RESTAGE_CHUNK, type EntityRun, type Extraction } from './shared.js';
import { catalogName } from '../../publishing/resourceNames.js';
import type { Engine } from './engine.js';

/** A preview's findings, kept under its run's workflow id (the API reads them from there). */
async function keepPreview(
  client: pg.PoolClient,
  scope: { runId: string; profileId: string; schoolYear: number; resource: string },
): Promise<PreviewCounts | undefined> {
  const workflowId = Context.current().info.workflowExecution?.workflowId;
  return workflowId !== undefined ? savePreview(client, { ...scope, workflowId }) : undefined;
}

export function extractAndPlanActivities(e: Engine) {
  return {
    /** Extracts a resource into this run's stage and plans it against the catalog; answers with the plan's size. */
    async extractAndPlan(
      run: EntityRun & { readonly stream?: boolean },
    ): Promise<PlanCounts & Extraction & { deleteBatches: number[]; newLocalDescriptors: number; streamed?: Streamed; preview?: PreviewCounts }> {
      const { profile, model } = await e.runtime(run.profileId);
      const resourceModel = model.resource(run.resource);
      if (resourceModel === undefined)
        throw ApplicationFailure.nonRetryable(
          `${run.resource} is not part of the Ed-Fi model of profile "${profile.name}" (Data Standard ${profile.dataStandard}, ${profile.stateExtension})`,
        );
      const mapper = mapperFor(run.resource);
      if (mapper === undefined) throw ApplicationFailure.nonRetryable(`${run.resource} has no mapper yet`);
      // Now – Last 14 Days is for dated resources (attendance); any other compares like Now – Changes.
      const option = run.option === 'recent' && mapper.recent === undefined ? 'changes' : run.option;
      // Preview – Changes plans exactly as Now – Changes, then keeps what it found instead of sending.
      const preview = previewOnly(option);
      const client = await e.db.connect();
      let staged = 0;
      try {
        const scope = {
          runId: run.runId,
          profileId: run.profileId,
          schoolYear: run.schoolYear,
          resource: catalogName(run.resource),
          ...(run.schoolId !== undefined ? { schoolId: run.schoolId } : {}),
        };
        let window: { naturalKeyDate: string; since: string } | undefined;
        const plan = async (changed?: ChangeSources, fewStaged = false): Promise<PlanCounts> => {
          // The stage grows by thousands of rows in a run: fresh statistics keep the plan and the
          // reference checks on their indexes instead of scanning (the catalog's are fresh from
          // the category's start). A run that staged less than a batch (a wake of a few records,
          // or none) plans on the key index whatever the statistics say: no ANALYZE to wait for.
          if (!fewStaged) await analyzeKeys(client, 'extract_stage');
          const counts = await planResource(
            client,
            { ...scope, ...(changed !== undefined ? { changed } : {}), ...(window !== undefined ? { window } : {}) },
            option,
            BATCH_SIZE,
          );
          await markPlanned(client, run.runId, counts.batches);
          return counts;
        };
        if (!usesExtract(option)) {
          // Remove – Unpublished forgets records no SIS event will bring back: the next Now – Changes reads everything.
          if (option === 'remove-unpublished') await forgetWatermarks(client, run.profileId, run.schoolYear, [scope.resource]);
          const counts = await plan();
          runLog('INFO', 'planned', { resource: run.resource, option, mode: 'from the catalog', ...counts });
          return {
            ...counts,
            deleteBatches: await batchesWithDeletes(client, run.runId, scope.resource),
            newLocalDescriptors: 0,
            resource: run.resource,
            mode: 'full',
            staged,
          };
        }
        const { ctx: profileCtx, lookup, fingerprint: fingerprintOf } = await publishContext(e, profile, run.schoolYear, run.schoolId);
        const staging = (r: MappedRecord, how: Staging): ExtractedRecord => stagedRecord(model, resourceModel, r, how);
        const sisClient = await e.source(profile).connect();
        try {
          let ctx = profileCtx;
          if (option === 'recent' && mapper.recent !== undefined) {
            // The window ends at the latest day the SIS has records for: its "today" (a past year's last school day).
            const latest = (await sisClient.query<{ latest: string | null }>(mapper.recent.latestSql, [run.schoolYear])).rows[0]?.latest ?? null;
            window = { naturalKeyDate: mapper.recent.naturalKeyDate, since: latest === null ? '9999-12-31' : recentSince(latest) };
            ctx = { ...profileCtx, since: window.since };
          }
          const extractWhole = async function* (keys: readonly string[]): AsyncGenerator<ExtractedRecord> {
            for await (const r of mapper.extract(sisClient, ctx, keys)) yield staging(r, 'whole');
          };
          // Read before extracting: a change committed while this run extracts is read again next time.
          const latest = await latestEventId(sisClient);
          const fingerprint = fingerprintOf(await replicaLoad(sisClient), mapper);
          const districtWide = run.schoolId === undefined;
          let mode: Extraction['mode'] = 'full';
          let why: string | undefined;
          let counts: PlanCounts | undefined;
          let streamed: Streamed | undefined;
          let oldestChangeAt: Date | undefined;
          if (plansAs(option) === 'changes') {
            if (!districtWide) why = 'one school: read whole';
            else {
              const traced = await traceChanges(e, sisClient, client, { ...scope, changed: mapper.changes }, fingerprint, latest);
              if ('why' in traced) why = traced.why;
              else {
                if (traced.objects.length === 0) {
                  // Its tables had events, none of them one of its records: nothing to stage, gather statistics on or compare.
                  await markPlanned(client, run.runId, 0);
                  counts = noPlan();
                } else {
                  const records = async function* (): AsyncGenerator<ExtractedRecord> {
                    for (let i = 0; i < traced.objects.length; i += RESTAGE_CHUNK) {
                      for await (const r of extractWhole(traced.objects.slice(i, i + RESTAGE_CHUNK))) {
                        staged++;
                        yield r;
                      }
                    }
                  };
                  await stageExtract(client, run.runId, records());
                  counts = await plan(mapper.changes, staged < BATCH_SIZE);
                }
                mode = 'changes';
                oldestChangeAt = traced.oldestChangeAt;
              }
            }
          }
          // Now – Errors / Now – Dependencies: the records in that status, read by key, not the whole resource.
          const statuses = statusesActedOn(option);
          if (counts === undefined && statuses !== undefined) {
            const keys = await keysToRetry(client, scope, statuses, run.readyOnly === true);
            if (keys.length > MOST_EVENTS) why = `more than ${MOST_EVENTS.toLocaleString('en-US')} records to retry`;
            else {
              const records = async function* (): AsyncGenerator<ExtractedRecord> {
                for (let i = 0; i < keys.length; i += RESTAGE_CHUNK)
                  for await (const r of extractWhole(keys.slice(i, i + RESTAGE_CHUNK))) {
                    staged++;
                    yield r;
                  }
              };
              await stageExtract(client, run.runId, records());
              counts = await plan(undefined, staged < BATCH_SIZE);
              mode = 'status';
            }
          }
          // Nothing published yet: every record is a post, so batches go out while the rest is read.
          if (
            counts === undefined &&
            run.stream === true &&
            streamsWhenNothingPublished(option) &&
            (await nothingPublished(client, run.profileId, run.schoolYear, scope.resource))
          ) {
            const info = Context.current().info;
            const out = await streamPlan(client, run.runId, scope.resource, mapper.extract(sisClient, ctx), {
              staging: (r) => staging(r, 'whole'),
              localDescriptorsMet: () => lookup.localDescriptorsMet().length > 0,
              ready: async (batches) => {
                if (info.workflowExecution !== undefined)
                  await reportBatchesPlanned(e.deps.temporal, info.workflowExecution, { resource: run.resource, attempt: info.attempt, batches });
              },
            });
            staged = out.staged;
            counts = out.counts;
            streamed = { attempt: info.attempt, descriptorsMet: out.descriptorsMet };
          }
          if (counts === undefined) {
            // Now – Changes usually sends a few records of many: the first pass stages only what the plan
            // compares; the records it will post are then extracted again whole and planned once more.
            const lazy = plansAs(option) === 'changes' || option === 'missing' || option === 'recent';
            const records = async function* (): AsyncGenerator<ExtractedRecord> {
              for await (const r of mapper.extract(sisClient, ctx)) {
                staged++;
                yield staging(r, lazy ? 'hash-only' : 'whole');
              }
            };
            await stageExtract(client, run.runId, records());
            counts = await plan();
            if (lazy) {
              const posts = await plannedPosts(client, run.runId, scope.resource);
              // A record gone from the SIS meanwhile is not staged again: the second plan deletes it.
              for (let i = 0; i < posts.length; i += RESTAGE_CHUNK) {
                const keys = posts.slice(i, i + RESTAGE_CHUNK);
                await restage(client, run.runId, keys, extractWhole(keys));
              }
              if (posts.length > 0) counts = await plan();
            }
          }
          // Only a district-wide Now – Changes or Now – All leaves the whole resource as the SIS has it.
          if (districtWide && (option === 'changes' || option === 'all'))
            await setPendingWatermark(client, run.runId, run.profileId, run.schoolYear, scope.resource, { eventId: latest, fingerprint }, oldestChangeAt);
          const newLocalDescriptors = preview ? 0 : await stageLocalDescriptors(e, run.profileId, run.schoolYear, lookup.localDescriptorsMet());
          const previewed = preview ? await keepPreview(client, scope) : undefined;
          // Most batches only post: the workflow runs the delete pass for these alone.
          const deleteBatches = await batchesWithDeletes(client, run.runId, scope.resource);
          runLog('INFO', 'planned', {
            resource: run.resource,
            option,
            mode,
            ...(why !== undefined ? { why } : {}),
            staged,
            ...counts,
            newLocalDescriptors,
          });
          return {
            ...counts,
            deleteBatches,
            newLocalDescriptors,
            resource: run.resource,
            mode,
            staged,
            ...(why !== undefined ? { why } : {}),
            ...(streamed !== undefined ? { streamed } : {}),
            ...(previewed !== undefined ? { preview: previewed } : {}),
          };
        } finally {
          sisClient.release();
        }
      } finally {
        client.release();
      }
    },
  };
}
