/**
 * Downloads from the profile's Ed-Fi API: one activity per resource pages through it (heartbeating
 * its offset, so a retry resumes where it stopped), upserting what it reads; records the API no
 * longer has are marked gone, never deleted. The secret is opened here, never in a workflow.
 */
import { runLog } from './runLog.js';
import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { BasicSettingsSchema } from '../db/entities/configuration.js';
import { enabledConnectionOf } from '../db/profiles.js';
import { holdReason } from '../publishing/holds.js';
import { ProfileSchema } from '../db/entities/profile.js';
import { EdfiClient } from '../edfi/client/api.js';
import { descriptorResourcesOf, downloadResources, type DownloadCategory } from '../publishing/downloads.js';
import { downloadKey } from '../publishing/downloadKey.js';
import { fetchDependencies } from '../edfi/client/dependencies.js';
import { modelOf } from '../publishing/profileModel.js';
import { countDownloaded, markDownloadsGone, saveDownloadedPage, setDownloadState } from '../db/downloads.js';
import type { ActivityDeps } from './deps.js';

const PAGE = 500;

/** A download category's state on the Download page; stopped = an admin stopped it. */
export type DownloadState = 'waiting' | 'running' | 'done' | 'failed' | 'stopped';

export interface DownloadStep {
  readonly profileId: string;
  readonly schoolYear: number;
  readonly category: DownloadCategory;
  readonly runId: string;
}

export function downloadActivities(deps: ActivityDeps) {
  return {
    async setDownloadStatus(input: Omit<DownloadStep, 'runId'> & { status: DownloadState; message?: string }): Promise<void> {
      await setDownloadState(deps.db, input, input.status, input.message ?? null, input.status === 'running');
    },

    /**
     * What a category downloads from this profile's API: for Descriptors, every descriptor resource
     * the API lists in its dependencies (all namespaces and extensions); the product's own list
     * when the API does not publish one.
     */
    async downloadResourceList(input: { profileId: string; category: DownloadCategory }): Promise<{ resources: string[]; note?: string }> {
      if (input.category !== 'descriptors') return { resources: downloadResources(input.category) };
      const profile = await deps.orm.em.fork().findOne(ProfileSchema, { id: input.profileId });
      if (profile?.apiUrl == null) throw ApplicationFailure.nonRetryable(`profile ${input.profileId} has no API URL: set the Data Exchange URL first`);
      try {
        const listed = descriptorResourcesOf(await fetchDependencies(profile.apiUrl));
        if (listed.length > 0) return { resources: listed };
        return {
          resources: downloadResources('descriptors'),
          note: "the API's dependency list names no descriptors; downloaded the descriptors this product uses",
        };
      } catch (err) {
        return {
          resources: downloadResources('descriptors'),
          note: `the API's dependency list could not be read (${(err as Error).message}); downloaded the descriptors this product uses`,
        };
      }
    },

    async downloadResource(input: DownloadStep & { resource: string }): Promise<{ downloaded: number }> {
      const em = deps.orm.em.fork();
      const profile = await em.findOne(ProfileSchema, { id: input.profileId });
      if (profile?.apiUrl == null) throw ApplicationFailure.nonRetryable(`profile ${input.profileId} has no API URL: set the Data Exchange URL first`);
      const held = holdReason(await em.findOneOrFail(BasicSettingsSchema, { id: 1 }), profile, 'download');
      if (held !== undefined) throw ApplicationFailure.nonRetryable(`not downloaded: ${held}`);
      const connection = await enabledConnectionOf(em, profile);
      if (connection === null)
        throw ApplicationFailure.nonRetryable(`profile "${profile.name}" has no enabled LEA connection: enter the key and secret, Test, then Enable`);
      const client = new EdfiClient({
        apiUrl: profile.apiUrl,
        ...(profile.authUrl !== null ? { authUrl: profile.authUrl } : {}),
        key: connection.key,
        secret: deps.secrets.open(connection.secretEncrypted),
        connections: 4,
        ...(deps.metrics !== undefined ? { observe: deps.metrics.odsRequest.bind(undefined, profile.id) } : {}),
      });
      const model = modelOf(profile);
      const ctx = Context.current();
      let offset = (ctx.info.heartbeatDetails as { offset?: number } | undefined)?.offset ?? 0;
      let downloaded = 0;
      const conn = deps.db;
      try {
        for (;;) {
          const page = (await client.page(input.resource, offset, PAGE)) as Array<Record<string, unknown>>;
          const records = page.flatMap((doc) => {
            const key = downloadKey(model, input.resource, doc);
            if (key === undefined) return [];
            const { id, _etag: _e, _lastModifiedDate: _l, ...rest } = doc;
            return [{ key, edfiId: typeof id === 'string' ? id : null, doc: rest }];
          });
          await saveDownloadedPage(conn, input, records);
          downloaded += page.length;
          offset += page.length;
          await countDownloaded(conn, input, page.length);
          deps.metrics?.downloaded(input.profileId, input.resource, page.length);
          ctx.heartbeat({ offset });
          // A stop reaches a running activity through its heartbeats: end between pages.
          if (ctx.cancellationSignal.aborted) throw new CancelledFailure('download stopped on request');
          runLog('DEBUG', 'page downloaded', { resource: input.resource, offset, records: page.length });
          if (page.length < PAGE) {
            runLog('INFO', 'downloaded', { resource: input.resource, schoolYear: input.schoolYear, downloaded });
            return { downloaded };
          }
        }
      } finally {
        await client.close();
      }
    },

    /** Values the state removed stay visible, marked gone: mappings that point at them can be fixed. */
    async markGone(input: DownloadStep & { resources: string[] }): Promise<{ gone: number }> {
      const gone = await markDownloadsGone(deps.db, input, input.resources);
      if (gone > 0) runLog('WARN', 'values the state removed, marked gone', { resources: input.resources.length, gone });
      return { gone };
    },
  };
}
