/** The guide's Download page over HTTP: request downloads, watch their progress, look at what came. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problem } from '../schemas.js';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import type { TemporalConfig } from '../../temporal.config.js';
import { ProfileSchema } from '../../db/entities/profile.js';
import { categoriesFor, DOWNLOAD_CATEGORIES, type DownloadCategory } from '../../publishing/downloads.js';
import { download, downloadWorkflowId, requestDownloadSignal } from '../../workflows/download.js';
import { ProfileIdKey, SchoolYearKey } from '../../workflows/searchAttributes.js';

export interface DownloadDeps {
  readonly orm: MikroORM;
  readonly temporal: Client;
  readonly temporalConfig: TemporalConfig;
}

const params = z.object({ profileId: z.string().min(1).max(64) });

export function downloadRoutes(deps: DownloadDeps) {
  return (root: FastifyInstance, _opts: unknown, done: (err?: Error) => void): void => {
    const app = root.withTypeProvider<ZodTypeProvider>();

    app.post(
      '/api/profiles/:profileId/downloads',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['downloads'],
          description: "Download from the profile's Ed-Fi API for a school year: Descriptors, Organization Catalog and (SIS profiles) Course Catalog, or the categories named. Categories asked for while another runs wait their turn.",
          params,
          body: z.object({ schoolYear: z.number().int().min(1991).max(2100), categories: z.array(z.enum(DOWNLOAD_CATEGORIES)).min(1).optional() }),
          response: { 202: z.object({ workflowId: z.string(), categories: z.array(z.string()) }), 400: problem, 404: problem },
        },
      },
      async (req, reply) => {
        const profile = await deps.orm.em.fork().findOne(ProfileSchema, { id: req.params.profileId });
        if (profile === null) return reply.code(404).send({ error: 'Not Found', message: `no profile "${req.params.profileId}"` });
        if (!profile.publishDownload) return reply.code(400).send({ error: 'Bad Request', message: `Download is switched off for "${profile.name}": turn it on in the profile first`, field: 'publishDownload' });
        const offered = categoriesFor(profile.profileType);
        const categories: DownloadCategory[] = req.body.categories ?? offered;
        const refused = categories.filter((c) => !offered.includes(c));
        if (refused.length > 0) return reply.code(400).send({ error: 'Bad Request', message: `${refused.join(', ')} cannot be downloaded for ${profile.profileType} profiles`, field: 'categories' });
        const workflowId = downloadWorkflowId(profile.id, req.body.schoolYear);
        const [first, ...rest] = categories;
        const handle = await deps.temporal.workflow.signalWithStart(download, {
          workflowId,
          taskQueue: deps.temporalConfig.taskQueues.downloads,
          args: [{ profileId: profile.id, schoolYear: req.body.schoolYear, categories: rest }],
          signal: requestDownloadSignal,
          signalArgs: [first],
          typedSearchAttributes: [
            { key: ProfileIdKey, value: profile.id },
            { key: SchoolYearKey, value: req.body.schoolYear },
          ],
        });
        // A run already going gets the rest by signal too (the start arguments only reach a new run).
        for (const c of rest) await handle.signal(requestDownloadSignal, c);
        return reply.code(202).send({ workflowId, categories });
      },
    );

    app.get(
      '/api/profiles/:profileId/downloads',
      {
        schema: {
          tags: ['downloads'],
          description: 'Each download category: waiting / running / done / failed, the running count, last activity, and why it failed.',
          params,
          querystring: z.object({ schoolYear: z.coerce.number().int().min(1991).max(2100) }),
          response: { 200: z.array(z.object({ category: z.string(), status: z.string(), downloaded: z.number(), message: z.string().nullable(), lastActivity: z.string() })) },
        },
      },
      async (req) => {
        const rows = await deps.orm.em.getConnection().execute<Array<{ category: string; status: string; downloaded: number; message: string | null; last_activity: Date }>>(
          'SELECT category, status, downloaded, message, last_activity FROM download_status WHERE profile_id = ? AND school_year = ? ORDER BY category',
          [req.params.profileId, req.query.schoolYear],
        );
        return rows.map((r) => ({ category: r.category, status: r.status, downloaded: Number(r.downloaded), message: r.message, lastActivity: new Date(r.last_activity).toISOString() }));
      },
    );

    app.get(
      '/api/profiles/:profileId/downloads/records',
      {
        schema: {
          tags: ['downloads'],
          description: 'Downloaded values of one resource (e.g. ed-fi/behaviorDescriptors, ed-fi/schools), filterable by any text they contain, paged; gone = no longer in the API.',
          params,
          querystring: z.object({ schoolYear: z.coerce.number().int().min(1991).max(2100), resource: z.string().min(1), contains: z.string().optional(), page: z.coerce.number().int().min(1).default(1), pageSize: z.coerce.number().int().min(1).max(500).default(50) }),
          response: { 200: z.object({ total: z.number(), rows: z.array(z.object({ key: z.string(), gone: z.boolean(), doc: z.record(z.string(), z.unknown()), updatedAt: z.string() })) }) },
        },
      },
      async (req) => {
        const q = req.query;
        const where = 'profile_id = ? AND school_year = ? AND resource = ?' + (q.contains !== undefined ? ' AND doc::text ILIKE ?' : '');
        const args: unknown[] = [req.params.profileId, q.schoolYear, q.resource, ...(q.contains !== undefined ? [`%${q.contains.replace(/[\\%_]/g, (m) => `\\${m}`)}%`] : [])];
        const conn = deps.orm.em.getConnection();
        const [{ total }] = await conn.execute<[{ total: string }]>(`SELECT count(*) AS total FROM downloaded_record WHERE ${where}`, args);
        const rows = await conn.execute<Array<{ natural_key: string; gone: boolean; doc: Record<string, unknown>; updated_at: Date }>>(`SELECT natural_key, gone, doc, updated_at FROM downloaded_record WHERE ${where} ORDER BY natural_key LIMIT ? OFFSET ?`, [...args, q.pageSize, (q.page - 1) * q.pageSize]);
        return { total: Number(total), rows: rows.map((r) => ({ key: r.natural_key, gone: r.gone, doc: r.doc, updatedAt: new Date(r.updated_at).toISOString() })) };
      },
    );
    done();
  };
}
