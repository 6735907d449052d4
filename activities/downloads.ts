/**
 * Downloads from the profile's Ed-Fi API: one activity per resource pages through it (heartbeating
 * its offset, so a retry resumes where it stopped), upserting what it reads; records the API no
 * longer has are marked gone, never deleted. The secret is opened here, never in a workflow.
 */
import { runLog } from './runLog.js';
import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { BasicSettingsSchema, LeaConnectionSchema } from '../db/entities/configuration.js';
import { holdReason } from '../publishing/holds.js';
import { ProfileSchema } from '../db/entities/profile.js';
import { EdfiClient } from '../edfi/client/api.js';
import { descriptorResourcesOf, downloadKey, downloadResources, type DownloadCategory } from '../publishing/downloads.js';
import { fetchDependencies } from '../edfi/client/dependencies.js';
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
  const status = async (step: Omit<DownloadStep, 'runId'>, state: DownloadState, message: string | null, resetCount = false): Promise<void> => {
    await deps.orm.em.getConnection().execute(
      `INSERT INTO download_status (profile_id, school_year, category, status, downloaded, message, last_activity) VALUES (?, ?, ?, ?, 0, ?, now())
       ON CONFLICT (profile_id, school_year, category) DO UPDATE SET status = excluded.status, message = excluded.message, last_activity = now()${resetCount ? ', downloaded = 0' : ''}`,
      [step.profileId, step.schoolYear, step.category, state, message],
    );
  };

  return {
    async setDownloadStatus(input: Omit<DownloadStep, 'runId'> & { status: DownloadState; message?: string }): Promise<void> {
      await status(input, input.status, input.message ?? null, input.status === 'running');
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
      const connection = await em.findOne(LeaConnectionSchema, { profileId: profile.id, enabled: true });
      if (connection === null)
        throw ApplicationFailure.nonRetryable(`profile "${profile.name}" has no enabled LEA connection: enter the key and secret, Test, then Enable`);
      const client = new EdfiClient({
        apiUrl: profile.apiUrl,
        ...(profile.authUrl !== null ? { authUrl: profile.authUrl } : {}),
        key: connection.key,
        secret: deps.secrets.open(connection.secretEncrypted),
        connections: 4,
      });
      const ctx = Context.current();
      let offset = (ctx.info.heartbeatDetails as { offset?: number } | undefined)?.offset ?? 0;
      let downloaded = 0;
      const conn = deps.orm.em.getConnection();
      try {
        for (;;) {
          const page = (await client.page(input.resource, offset, PAGE)) as Array<Record<string, unknown>>;
          for (const doc of page) {
            const key = downloadKey(input.resource, doc);
            if (key === undefined) continue;
            const { id, _etag: _e, _lastModifiedDate: _l, ...rest } = doc;
            await conn.execute(
              `INSERT INTO downloaded_record (profile_id, school_year, resource, natural_key, edfi_id, doc, run_id, gone, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, false, now())
               ON CONFLICT (profile_id, school_year, resource, natural_key) DO UPDATE SET edfi_id = excluded.edfi_id, doc = excluded.doc, run_id = excluded.run_id, gone = false, updated_at = now()`,
              [input.profileId, input.schoolYear, input.resource, key, typeof id === 'string' ? id : null, JSON.stringify(rest), input.runId],
            );
          }
          downloaded += page.length;
          offset += page.length;
          await conn.execute(
            'UPDATE download_status SET downloaded = downloaded + ?, last_activity = now() WHERE profile_id = ? AND school_year = ? AND category = ?',
            [page.length, input.profileId, input.schoolYear, input.category],
          );
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
      const res = await deps.orm.em
        .getConnection()
        .execute<{ affectedRows?: number }>(
          `UPDATE downloaded_record SET gone = true, updated_at = now() WHERE profile_id = ? AND school_year = ? AND resource IN (${input.resources.map(() => '?').join(', ')}) AND run_id <> ? AND NOT gone`,
          [input.profileId, input.schoolYear, ...input.resources, input.runId],
          'run',
        );
      const gone = res.affectedRows ?? 0;
      if (gone > 0) runLog('WARN', 'values the state removed, marked gone', { resources: input.resources.length, gone });
      return { gone };
    },
  };
}
