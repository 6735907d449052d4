/** The guide's Download page over HTTP: request downloads, watch their progress, look at what came. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problem } from '../schemas.js';
import { liveFeeds, streamFeed } from '../live/feeds.js';
import type { MikroORM } from '@mikro-orm/postgresql';
import type pg from 'pg';
import type { Client } from '@temporalio/client';
import type { TemporalConfig } from '../../temporal.config.js';
import { categoriesFor, DOWNLOAD_CATEGORIES, type DownloadCategory } from '../../publishing/downloads.js';
import { CODE_SETS, descriptorTypeName } from '../../publishing/codeSets.js';
import { requestDownloads, stopDownloads } from '../../temporal/client/downloads.js';
import { downloadedDescriptorCounts, downloadedRecordsPage, readDownloadStates } from '../../db/downloads.js';
import { routeProfile } from '../auth/plugin.js';

export interface DownloadDeps {
  readonly orm: MikroORM;
  /** The app database's pool: the db/ modules' statements run on it. */
  readonly db: pg.Pool;
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
          description:
            "Download from the profile's Ed-Fi API for a school year: Descriptors, Organization Catalog and (SIS profiles) Course Catalog, or the categories named. Categories asked for while another runs wait their turn.",
          params,
          body: z.object({ schoolYear: z.number().int().min(1991).max(2100), categories: z.array(z.enum(DOWNLOAD_CATEGORIES)).min(1).optional() }),
          response: { 202: z.object({ workflowId: z.string(), categories: z.array(z.string()) }), 400: problem, 404: problem },
        },
      },
      async (req, reply) => {
        const profile = routeProfile(req);
        if (!profile.publishDownload)
          return reply.code(400).send({
            error: 'Bad Request',
            message: `Download is switched off for "${profile.name}": turn it on in the profile first`,
            field: 'publishDownload',
          });
        const offered = categoriesFor(profile.profileType);
        const categories: DownloadCategory[] = req.body.categories ?? offered;
        const refused = categories.filter((c) => !offered.includes(c));
        if (refused.length > 0)
          return reply
            .code(400)
            .send({ error: 'Bad Request', message: `${refused.join(', ')} cannot be downloaded for ${profile.profileType} profiles`, field: 'categories' });
        const [first, ...rest] = categories;
        if (first === undefined) return reply.code(400).send({ error: 'Bad Request', message: 'name at least one category to download', field: 'categories' });
        const workflowId = await requestDownloads(deps.temporal, deps.temporalConfig, { profileId: profile.id, schoolYear: req.body.schoolYear }, [
          first,
          ...rest,
        ]);
        return reply.code(202).send({ workflowId, categories });
      },
    );

    app.delete(
      '/api/profiles/:profileId/downloads',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['downloads'],
          description:
            'Stop the download of a school year: the running category ends "stopped" (what it downloaded stays, nothing is marked gone) and waiting ones are dropped. Ask again to download them.',
          params,
          querystring: z.object({ schoolYear: z.coerce.number().int().min(1991).max(2100) }),
          response: { 202: z.object({ workflowId: z.string() }), 404: problem, 409: problem },
        },
      },
      async (req, reply) => {
        const profile = routeProfile(req);
        const workflowId = await stopDownloads(deps.temporal, { profileId: profile.id, schoolYear: req.query.schoolYear });
        if (workflowId === undefined)
          return reply
            .code(409)
            .send({ error: 'Conflict', message: `no download of ${req.query.schoolYear - 1}-${req.query.schoolYear} is running for "${profile.name}"` });
        return reply.code(202).send({ workflowId });
      },
    );

    const statusRow = z.object({ category: z.string(), status: z.string(), downloaded: z.number(), message: z.string().nullable(), lastActivity: z.string() });
    const readStatus = (profileId: string, schoolYear: number): Promise<Array<z.infer<typeof statusRow>>> =>
      readDownloadStates(deps.db, { profileId, schoolYear });
    const yearQuery = z.object({ schoolYear: z.coerce.number().int().min(1991).max(2100) });

    app.get(
      '/api/profiles/:profileId/downloads',
      {
        schema: {
          tags: ['downloads'],
          description: 'Each download category: waiting / running / done / failed / stopped, the running count, last activity, and why it failed.',
          params,
          querystring: yearQuery,
          response: { 200: z.array(statusRow), 404: problem },
        },
      },
      async (req) => {
        return readStatus(req.params.profileId, req.query.schoolYear);
      },
    );

    // One poller per profile and year, however many Download pages watch it.
    const feeds = liveFeeds((key) => {
      const [profileId, year] = JSON.parse(key) as [string, number];
      return readStatus(profileId, year);
    });
    root.addHook('onClose', (_instance, closed) => {
      feeds.close();
      closed();
    });
    app.get(
      '/api/profiles/:profileId/downloads/events',
      {
        schema: {
          tags: ['downloads'],
          description: "Server-sent events: a `downloads` event with every category's status (as GET …/downloads returns it) whenever one changes.",
          params,
          querystring: yearQuery,
          produces: ['text/event-stream'],
        },
      },
      async (req, reply) => {
        const profile = routeProfile(req);
        streamFeed(req, reply, feeds, JSON.stringify([profile.id, req.query.schoolYear]), 'downloads');
      },
    );

    app.get(
      '/api/profiles/:profileId/downloads/descriptors',
      {
        schema: {
          tags: ['downloads'],
          description:
            'The downloaded descriptors by code set: each descriptor resource with its name, what the clerk maps to it (when a code set does), and how many values came (and how many are gone).',
          params,
          querystring: z.object({ schoolYear: z.coerce.number().int().min(1991).max(2100) }),
          response: {
            200: z.array(z.object({ resource: z.string(), name: z.string(), description: z.string().nullable(), count: z.number(), gone: z.number() })),
          },
        },
      },
      async (req) => {
        const rows = await downloadedDescriptorCounts(deps.db, { profileId: req.params.profileId, schoolYear: req.query.schoolYear });
        return rows.map((r) => {
          const name = r.resource.slice(r.resource.indexOf('/') + 1);
          const sets = CODE_SETS.filter((c) => `ed-fi/${c.descriptor}` === r.resource).map((c) => c.label);
          return {
            resource: r.resource,
            name: descriptorTypeName(name),
            description: sets.length > 0 ? `Mapping: ${sets.join(', ')}` : null,
            count: r.count,
            gone: r.gone,
          };
        });
      },
    );

    app.get(
      '/api/profiles/:profileId/downloads/records',
      {
        schema: {
          tags: ['downloads'],
          description:
            'Downloaded values of one resource (e.g. ed-fi/behaviorDescriptors, ed-fi/schools), paged — for ed-fi/courses also the courses the district published (`origin: district`, listed first); gone = no longer in the API. `contains` finds text anywhere; `filter` (repeatable, stacking) is `field:text` on one field, dotted for nested ones — e.g. `namespace:tea.texas.gov`, `codeValue:01`, `nameOfInstitution:Lamar`, `localEducationAgencyReference.localEducationAgencyId:149913`, `schoolId:149913`, `courseCode:0322`, `courseTitle:English`, `educationOrganizationReference.educationOrganizationId:149913`.',
          params,
          querystring: z.object({
            schoolYear: z.coerce.number().int().min(1991).max(2100),
            resource: z.string().min(1),
            contains: z.string().optional(),
            filter: z.union([z.string(), z.array(z.string())]).optional(),
            page: z.coerce.number().int().min(1).default(1),
            pageSize: z.coerce.number().int().min(1).max(500).default(50),
          }),
          response: {
            200: z.object({
              total: z.number(),
              rows: z.array(
                z.object({
                  key: z.string(),
                  gone: z.boolean(),
                  doc: z.record(z.string(), z.unknown()),
                  updatedAt: z.string(),
                  origin: z.enum(['state', 'district']).describe("Downloaded from the state's API, or (ed-fi/courses) a course the district published"),
                }),
              ),
            }),
            400: problem,
          },
        },
      },
      async (req, reply) => {
        const q = req.query;
        const fields: Array<{ path: string[]; text: string }> = [];
        for (const f of q.filter === undefined ? [] : Array.isArray(q.filter) ? q.filter : [q.filter]) {
          const i = f.indexOf(':');
          const field = i > 0 ? f.slice(0, i) : '';
          if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(field))
            return reply.code(400).send({
              error: 'Bad Request',
              message: `filter "${f}": use field:text, e.g. nameOfInstitution:Lamar or localEducationAgencyReference.localEducationAgencyId:149913`,
              field: 'filter',
            });
          fields.push({ path: field.split('.'), text: f.slice(i + 1) });
        }
        return downloadedRecordsPage(
          deps.db,
          { profileId: req.params.profileId, schoolYear: q.schoolYear },
          { resource: q.resource, contains: q.contains, fields, page: q.page, pageSize: q.pageSize },
        );
      },
    );
    done();
  };
}
