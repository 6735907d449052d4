/** Extracts a resource into the run's stage and plans it against the catalog. */
import { stagedRecord, type Staging } from '../../publishing/staging.js';
import { ApplicationFailure } from '@temporalio/common';
import { Context } from '@temporalio/activity';
import type pg from 'pg';
import type { Streamed } from './streamPlan.js';
import { runLog } from '../runLog.js';
import { batchesWithDeletes, markPlanned, planResource, usesExtract, type ExtractedRecord, type PlanCounts } from '../../db/catalogPlan.js';
import { forgetWatermarks, setPendingWatermark } from '../../db/changeWatermark.js';
import { latestEventId, replicaLoad } from '../../sis/events.js';
import { type ChangeSources } from '../../publishing/changeSet.js';
import { previewOnly, recentSince } from '../../publishing/publishOptions.js';
import { OWN_MARK_OPTIONS, ownMarkOf } from '../../publishing/watermark.js';
import { categoryOfEntity, optionsFor } from '../../publishing/categories.js';
import { savePreview } from '../../db/preview.js';
import type { PreviewCounts } from '../../publishing/preview.js';
import { analyzeKeys } from '../../db/catalog.js';
import { mapperFor } from '../../resources/index.js';
import { type MappedRecord } from '../../resources/mapper.js';
import { publishContext } from './context.js';
import { readAndPlan } from './readPaths.js';
import { stageLocalDescriptors } from './localDescriptors.js';
import { BATCH_SIZE, msSince, type EntityRun, type Extraction } from './shared.js';
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
      run: EntityRun & { readonly stream?: boolean; readonly streamTraced?: boolean },
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
      return e.withHeldConnection(async (client) => {
        const scope = {
          runId: run.runId,
          profileId: run.profileId,
          schoolYear: run.schoolYear,
          resource: catalogName(run.resource),
          ...(run.schoolId !== undefined ? { schoolId: run.schoolId } : {}),
        };
        let window: { naturalKeyDate: string; since: string } | undefined;
        const plan = async (changed?: ChangeSources, fewStaged = false, from = 0): Promise<PlanCounts> => {
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
            from,
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
            staged: 0,
          };
        }
        const setupAt = performance.now();
        const { ctx: profileCtx, lookup, fingerprint: fingerprintOf } = await publishContext(e, profile, run.schoolYear, run.schoolId);
        const sis = await (await e.source(profile)).connect();
        try {
          let ctx = profileCtx;
          if (option === 'recent' && mapper.recent !== undefined) {
            // The window ends at the latest day the SIS has records for: its "today" (a past year's last school day).
            const latest = (await sis.query<{ latest: string | null }>(mapper.recent.latestSql, [run.schoolYear])).rows[0]?.latest ?? null;
            window = { naturalKeyDate: mapper.recent.naturalKeyDate, since: latest === null ? '9999-12-31' : recentSince(latest) };
            ctx = { ...profileCtx, since: window.since };
          }
          // Read before extracting: a change committed while this run extracts is read again next time.
          const latest = await latestEventId(sis);
          const fingerprint = fingerprintOf(await replicaLoad(sis), mapper);
          const staging = (r: MappedRecord, how: Staging): ExtractedRecord => stagedRecord(model, resourceModel, r, how);
          const setupMs = msSince(setupAt);
          const readAt = performance.now();
          const read = await readAndPlan({ e, run, scope, option, mapper, ctx, lookup, client, sis, staging, plan }, { fingerprint, latest });
          const { counts, mode, why, streamed, staged } = read;
          const readMs = msSince(readAt);
          // Only a district-wide Now – Changes or Now – All leaves the whole resource as the SIS has it
          // (and so what each nightly mode its category offers compares); a nightly mode only its part,
          // under a mark of its own.
          if (run.schoolId === undefined) {
            const mark = { eventId: latest, fingerprint };
            const whole = option === 'changes' || option === 'all';
            if (whole) await setPendingWatermark(client, run.runId, run.profileId, run.schoolYear, scope.resource, mark, read.oldestChangeAt);
            const category = categoryOfEntity(scope.resource);
            const offered = category !== undefined ? optionsFor(category) : [];
            for (const own of OWN_MARK_OPTIONS)
              if (option === own || (whole && offered.includes(own)))
                await setPendingWatermark(client, run.runId, run.profileId, run.schoolYear, ownMarkOf(scope.resource, own), {
                  ...mark,
                  ...(own === 'recent' ? { windowSince: window?.since ?? null } : {}),
                });
          }
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
            // Where the time went: reading the profile's context, then reading and planning, in ms.
            ms: { setup: setupMs, read: readMs, ...read.took },
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
          sis.release();
        }
      });
    },
  };
}
