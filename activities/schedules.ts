/** What a weekday-nightly or weekend schedule does when it fires: queue its categories. */
import { ProfileSchema } from '../db/entities/profile.js';
import { BasicSettingsSchema } from '../db/entities/configuration.js';
import { scheduledRequests, withDeferred, type ScheduleKind } from '../publishing/schedules.js';
import { readDataChanges } from '../temporal/client/dataChanges.js';
import { signalPublish } from '../temporal/client/publishQueue.js';
import { tracedRequest } from '../observability/tracing.js';
import type { ActivityDeps } from './deps.js';

export function scheduleActivities(deps: ActivityDeps) {
  return {
    /**
     * Queues the scheduled categories on the profile's publish queue. Safe to retry: the queue
     * keeps one waiting request per piece of work.
     */
    async enqueueScheduledSync(input: { profileId: string; kind: ScheduleKind }): Promise<{ queued: string[] }> {
      const em = deps.orm.em.fork();
      const profile = await em.findOne(ProfileSchema, { id: input.profileId });
      if (profile === null) return { queued: [] };
      const processing = await em.findOneOrFail(BasicSettingsSchema, { id: 1 });
      const scheduled = scheduledRequests(profile, input.kind, new Date());
      // Categories deferred for a spike go with the nightly run.
      const deferred = input.kind === 'nightly' ? ((await readDataChanges(deps.temporal, profile.id))?.deferred ?? []).map((d) => d.category) : [];
      const requests = withDeferred(scheduled, deferred);
      // The schedule's runs continue this activity's trace: one trace per scheduled run, down to the ODS.
      for (const request of requests)
        await signalPublish(
          deps.temporal,
          deps.temporalConfig,
          profile.id,
          { ...request, ...tracedRequest() },
          { paused: !processing.systemProcessingEnabled },
        );
      return { queued: requests.map((r) => r.category) };
    },
  };
}
