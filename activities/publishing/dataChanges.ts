/**
 * Near-real-time Data Changes: waiting for the SIS to commit a change (LISTEN on the replica's
 * event channel, with a poll in case a notification is missed), counting a batch of events per
 * category, and queuing Now – Changes of the categories it touches. What is sent, and the
 * per-resource watermarks that make sure nothing is lost or sent twice, are Now – Changes' own.
 */
import { Context } from '@temporalio/activity';
import { ProfileSchema, type Profile } from '../../db/entities/profile.js';
import { BasicSettingsSchema } from '../../db/entities/configuration.js';
import { enabledConnectionOf } from '../../db/profiles.js';
import { EVENT_CHANNEL } from '../../sis/schema.js';
import { countEventsByChange, latestEventId } from '../../sis/events.js';
import { tableDef } from '../../sis/model.js';
import { changesByCategory, dataChangeCategories, GATHER_QUIET_MS, gatherFor, synchronizedOnly } from '../../publishing/dataChanges.js';
import { catalogCounts } from '../../db/catalogReads.js';
import { settingReader } from '../../publishing/profileSettings.js';
import { scheduledSchoolYear } from '../../publishing/schedules.js';
import { mapperNamed } from '../../resources/index.js';
import { enqueuePublish } from '../../temporal/client/publishQueue.js';
import type { Engine } from './engine.js';
import { tracedRequest } from '../../observability/tracing.js';

/** How long one wait lasts before the workflow looks again (it heartbeats meanwhile). */
const WAIT_MS = 60_000;
/** Looking at the queue anyway this often, in case a notification was missed. */
const POLL_MS = 2_000;

/** The events after a watermark, counted per category this profile publishes in near-real time. */
export interface SisChanges {
  readonly byCategory: Record<string, number>;
  readonly threshold: number;
  readonly schoolYear: number | undefined;
}

/** What a wait saw: the newest event (with the changes after the watermark counted, when asked), or why nothing may go. */
export type SisWait = { readonly latest: number; readonly changes?: SisChanges } | { readonly paused: string } | { readonly stopped: string };

export function dataChangesActivities(e: Engine) {
  const profileOf = (profileId: string) => e.deps.orm.em.fork().findOne(ProfileSchema, { id: profileId });
  /** What counting needs besides the events: the categories followed (those already synchronized) and the threshold. */
  type CountBasis =
    | { readonly schoolYear: undefined }
    | { readonly schoolYear: number; readonly categories: ReturnType<typeof dataChangeCategories>; readonly threshold: number };
  const countBasis = async (profile: Profile): Promise<CountBasis> => {
    const setting = settingReader(profile, profile.settings);
    const schoolYear = scheduledSchoolYear(profile, new Date());
    if (schoolYear === undefined) return { schoolYear };
    const published = new Set(
      (await catalogCounts(e.db, { profileId: profile.id, schoolYear })).filter((r) => r.status === 'published' && Number(r.n) > 0).map((r) => r.resource),
    );
    const categories = synchronizedOnly(
      dataChangeCategories(profile, setting, (r) => mapperNamed(r)?.changes),
      published,
    );
    return { schoolYear, categories, threshold: setting('DataChangesSpikeThreshold') };
  };
  const countWith = async (profile: Profile, basis: CountBasis, afterEventId: number, upTo: number): Promise<SisChanges> => {
    if (basis.schoolYear === undefined) return { byCategory: {}, threshold: 0, schoolYear: undefined };
    const counted = await countEventsByChange(await e.source(profile), afterEventId, upTo);
    return { byCategory: changesByCategory(basis.categories, counted, (t) => tableDef(t).key), threshold: basis.threshold, schoolYear: basis.schoolYear };
  };
  const countChanges = async (profile: Profile, afterEventId: number, upTo: number): Promise<SisChanges> =>
    countWith(profile, await countBasis(profile), afterEventId, upTo);
  return {
    /**
     * Waits until the SIS has events after `afterEventId` (answers the newest), at most a minute;
     * without `afterEventId`, answers where the queue stands now. Paused while Diagnostics holds
     * processing or the LEA connection is disabled; stopped once Data Changes or Publish is off.
     * With `count`, the changes come counted per category in the same answer (one hand-over fewer
     * between a commit and its run: ~15 ms of a burst's drain).
     */
    async awaitSisChanges(input: { profileId: string; afterEventId?: number; count?: boolean }): Promise<SisWait> {
      /** Why nothing may go now, if anything: looked at before waiting and again when changes arrive. */
      const hold = async (): Promise<{ held: SisWait } | { profile: Profile }> => {
        const profile = await profileOf(input.profileId);
        if (profile === null) return { held: { stopped: `no profile "${input.profileId}"` } };
        if (!profile.publishPublish || !profile.publishDataChanges) return { held: { stopped: 'Data Changes (or Publish) is off for this profile' } };
        const em = e.deps.orm.em.fork();
        if (!(await em.findOneOrFail(BasicSettingsSchema, { id: 1 })).systemProcessingEnabled)
          return { held: { paused: 'system processing is off (Diagnostics)' } };
        if ((await enabledConnectionOf(em, profile)) === null) return { held: { paused: 'the LEA connection is not enabled (Configure)' } };
        return { profile };
      };
      const first = await hold();
      if ('held' in first) return first.held;
      const { profile } = first;
      const ctx = Context.current();
      const client = await (await e.source(profile)).connect();
      let wake: (() => void) | undefined;
      /** When the SIS last committed a change, as its notifications say. */
      let lastCommitAt = 0;
      const onNotice = (): void => {
        lastCommitAt = Date.now();
        wake?.();
      };
      try {
        client.on('notification', onNotice);
        await client.query(`LISTEN ${EVENT_CHANNEL}`);
        const deadline = Date.now() + WAIT_MS;
        for (;;) {
          const latest = await latestEventId(client);
          if (input.afterEventId === undefined || Date.now() > deadline) return { latest };
          if (latest > input.afterEventId) {
            // A burst is gathered into one pass (publishing/dataChanges.ts gatherFor).
            const firstSeenAt = Date.now();
            lastCommitAt = firstSeenAt;
            // Whether it may go (switched off meanwhile: the changes stay after the watermark until it is
            // back on) and what counting needs are read while it gathers: ~10–30 ms of a burst's way to its first POST.
            const now = hold().then(async (h) => ('held' in h ? h : { ...h, basis: input.count === true ? await countBasis(h.profile) : undefined }));
            now.catch(() => undefined);
            for (let ms = GATHER_QUIET_MS; ms > 0; ms = gatherFor(firstSeenAt, lastCommitAt, Date.now()))
              await Promise.race([new Promise<void>((r) => (wake = r)), new Promise((r) => setTimeout(r, ms))]);
            const upTo = await latestEventId(client);
            const go = await now;
            if ('held' in go) return go.held;
            if (go.basis === undefined) return { latest: upTo };
            return { latest: upTo, changes: await countWith(go.profile, go.basis, input.afterEventId, upTo) };
          }
          ctx.heartbeat();
          await Promise.race([new Promise<void>((r) => (wake = r)), new Promise((r) => setTimeout(r, POLL_MS)), ctx.cancelled]);
        }
      } finally {
        client.off('notification', onNotice);
        await client.query(`UNLISTEN ${EVENT_CHANNEL}`).catch(() => undefined);
        client.release();
      }
    },

    /** The events after `afterEventId` up to `upTo`, counted per category (Data Changes runs from before `awaitSisChanges` counted them). */
    async sisChangesByCategory(input: { profileId: string; afterEventId: number; upTo: number }): Promise<SisChanges> {
      const profile = await profileOf(input.profileId);
      if (profile === null) return { byCategory: {}, threshold: 0, schoolYear: undefined };
      return countChanges(profile, input.afterEventId, input.upTo);
    },

    /** Queues Now – Changes of each category (one already waiting is not queued twice). */
    async queueDataChanges(input: { profileId: string; schoolYear: number; categories: string[] }): Promise<void> {
      const processing = await e.deps.orm.em.fork().findOneOrFail(BasicSettingsSchema, { id: 1 });
      for (const category of input.categories)
        await enqueuePublish(
          e.deps.temporal,
          e.deps.temporalConfig,
          input.profileId,
          {
            category,
            option: 'changes',
            scope: { kind: 'district' },
            schoolYear: input.schoolYear,
            requestedBy: `data changes data-changes/${input.profileId}`,
            trigger: 'data-changes',
            // The runs continue this activity's trace: SIS changes → queue → run → ODS, one trace per pass.
            ...tracedRequest(),
          },
          { paused: !processing.systemProcessingEnabled },
        );
    },
  };
}
