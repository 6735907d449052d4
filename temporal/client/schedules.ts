/**
 * Keeps each profile's Temporal Schedules in step with its switches: `nightly/{id}` exists while
 * Data Changes and Publish are on, `weekend/{id}` while Publish is on; specs come from
 * temporal.config.ts. Called whenever a profile is saved. New schedules start paused while system
 * processing is off (Diagnostics).
 */
import { ScheduleNotFoundError, type Client } from '@temporalio/client';
import type { TemporalConfig } from '../../temporal.config.js';
import { SCHEDULE_KINDS, scheduleId, scheduleWanted, type ScheduledProfile, type ScheduleKind } from '../../publishing/schedules.js';
import { ProfileIdKey } from '../searchAttributes.js';
import type { ScheduledSyncInput, WorkflowName } from '../contract.js';

export async function syncSchedules(
  client: Client,
  config: TemporalConfig,
  profile: ScheduledProfile,
  opts: { processingEnabled: boolean },
): Promise<Record<ScheduleKind, boolean>> {
  const result = { nightly: false, weekend: false };
  for (const kind of SCHEDULE_KINDS) {
    const id = scheduleId(kind, profile.id);
    const spec = kind === 'nightly' ? config.schedules.weekdayNightly : config.schedules.weekend;
    const handle = client.schedule.getHandle(id);
    let exists = true;
    try {
      await handle.describe();
    } catch (err) {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
      exists = false;
    }
    if (!scheduleWanted(profile, kind)) {
      if (exists) await handle.delete();
      continue;
    }
    result[kind] = true;
    const wanted = { spec: { cronExpressions: [...spec.cron], timezone: spec.timeZone } };
    if (exists) {
      await handle.update((previous) => ({ ...previous, spec: wanted.spec }));
      continue;
    }
    await client.schedule.create({
      scheduleId: id,
      spec: wanted.spec,
      // A run still going when the next is due: let one wait rather than stack them up.
      policies: { overlap: 'BUFFER_ONE', catchupWindow: '1 hour' },
      state: { paused: !opts.processingEnabled, ...(opts.processingEnabled ? {} : { note: 'system processing disabled (Diagnostics)' }) },
      action: {
        type: 'startWorkflow',
        workflowType: 'scheduledSync' satisfies WorkflowName,
        workflowId: id,
        taskQueue: config.taskQueues.publishing,
        args: [{ profileId: profile.id, kind } satisfies ScheduledSyncInput],
        typedSearchAttributes: [{ key: ProfileIdKey, value: profile.id }],
      },
    });
  }
  return result;
}
