/**
 * The initial synchronization's activities: what to run (the profile's categories in the guide's
 * order), queuing one category on the profile's publish queue, waiting for its run, the records
 * the Student ID ↔ enrollment interplay still holds, and Data Changes at the end.
 */
import { Context } from '@temporalio/activity';
import { WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { ProfileSchema } from '../db/entities/profile.js';
import { BasicSettingsSchema } from '../db/entities/configuration.js';
import { catalogCounts } from '../db/catalogReads.js';
import { CATEGORIES } from '../publishing/categories.js';
import { failureDetail } from '../publishing/failureTypes.js';
import { INTERPLAY, initialSyncSteps, type InitialSyncSkip, type InitialSyncStep } from '../publishing/initialSync.js';
import { settingReader } from '../publishing/profileSettings.js';
import type { PublishRequest, PublishScope } from '../publishing/publishRequest.js';
import { enqueuePublish } from '../temporal/client/publishQueue.js';
import { syncSchedules } from '../temporal/client/schedules.js';
import { syncDataChanges } from '../temporal/client/dataChanges.js';
import type { EnqueueResult } from '../temporal/contract.js';
import type { ActivityDeps } from './deps.js';

/** How a category run ended, as the initial synchronization reports it. */
export interface CategoryRunOutcome {
  readonly outcome: 'completed' | 'failed';
  readonly published: number;
  readonly dependency: number;
  readonly error: number;
  readonly detail?: string;
}

export function initialSyncActivities(deps: ActivityDeps) {
  const profileOf = async (profileId: string) => {
    const profile = await deps.orm.em.fork().findOne(ProfileSchema, { id: profileId });
    if (profile === null) throw ApplicationFailure.nonRetryable(`no profile "${profileId}"`);
    return profile;
  };
  /** Records by category and status in the catalog, district-wide. */
  const countsByCategory = async (profileId: string, schoolYear: number): Promise<Map<string, Record<string, number>>> => {
    const rows = await catalogCounts(deps.db, { profileId, schoolYear });
    const out = new Map<string, Record<string, number>>();
    for (const c of CATEGORIES) {
      const resources = new Set(c.entities.map((e) => e.resource));
      const counts: Record<string, number> = {};
      for (const r of rows.filter((x) => resources.has(x.resource))) counts[r.status] = (counts[r.status] ?? 0) + Number(r.n);
      out.set(c.id, counts);
    }
    return out;
  };
  return {
    /** The categories this profile publishes, in order, and the ones it skips with why. */
    async planInitialSync(input: {
      profileId: string;
      schoolYear: number;
      scope: PublishScope;
    }): Promise<{ steps: InitialSyncStep[]; skipped: InitialSyncSkip[] }> {
      const profile = await profileOf(input.profileId);
      if (!profile.schoolYears.includes(input.schoolYear))
        throw ApplicationFailure.nonRetryable(`school year ${input.schoolYear} is not one of profile "${profile.name}"'s (${profile.schoolYears.join(', ')})`);
      const counts = await countsByCategory(input.profileId, input.schoolYear);
      return initialSyncSteps(profile, settingReader(profile, profile.settings), {
        schoolYear: input.schoolYear,
        scope: input.scope,
        today: new Date(),
        published: (category) => (counts.get(category)?.published ?? 0) > 0,
      });
    },

    /** Queues one category on the profile's publish queue (the same work already waiting is not queued twice). */
    async queueInitialSyncStep(input: { profileId: string; request: PublishRequest }): Promise<EnqueueResult> {
      const processing = await deps.orm.em.fork().findOneOrFail(BasicSettingsSchema, { id: 1 });
      return enqueuePublish(deps.temporal, deps.temporalConfig, input.profileId, input.request, { paused: !processing.systemProcessingEnabled });
    },

    /** Waits for a queued category run to end (it may wait in the queue first); heartbeats meanwhile, so cancelling reaches it. */
    async awaitCategoryRun(input: { workflowId: string }): Promise<CategoryRunOutcome> {
      const ctx = Context.current();
      for (;;) {
        try {
          const result = (await Promise.race([deps.temporal.workflow.getHandle(input.workflowId).result(), ctx.cancelled])) as {
            published: number;
            dependency: number;
            error: number;
          };
          return { outcome: 'completed', published: result.published, dependency: result.dependency, error: result.error };
        } catch (err) {
          // Still waiting in the queue: its run has not started yet.
          if (err instanceof WorkflowNotFoundError) {
            await ctx.sleep(1_000);
            continue;
          }
          if (err instanceof WorkflowFailedError) return { outcome: 'failed', published: 0, dependency: 0, error: 0, detail: failureDetail(err) };
          throw err;
        }
      }
    },

    /** Records of the interplay categories (Student Identification, Enrollment & Demographics) in dependency. */
    async interplayDependencies(input: { profileId: string; schoolYear: number }): Promise<Record<string, number>> {
      const counts = await countsByCategory(input.profileId, input.schoolYear);
      return Object.fromEntries(INTERPLAY.map((c) => [c, counts.get(c)?.dependency ?? 0]));
    },

    /** Turns the profile's Data Changes on, and its nightly schedule with it. */
    async turnOnDataChanges(input: { profileId: string }): Promise<void> {
      const em = deps.orm.em.fork();
      const profile = await em.findOneOrFail(ProfileSchema, { id: input.profileId });
      profile.publishDataChanges = true;
      await em.flush();
      const settings = await em.findOneOrFail(BasicSettingsSchema, { id: 1 });
      await syncSchedules(deps.temporal, deps.temporalConfig, profile, { processingEnabled: settings.systemProcessingEnabled });
      await syncDataChanges(deps.temporal, deps.temporalConfig, profile);
    },
  };
}
