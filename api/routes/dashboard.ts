/**
 * The publishing dashboard over HTTP: counts and marks per group, category and entity with the
 * queue's Waiting / publishing state; record lists per entity (sort, stacked filters, status
 * filter with several statuses, paging); and record details with the JSON sent.
 */
import { readDataChanges } from '../../temporal/client/dataChanges.js';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problem } from '../schemas.js';
import type { MikroORM } from '@mikro-orm/postgresql';
import type pg from 'pg';
import type { Client } from '@temporalio/client';
import type { Profile } from '../../db/entities/profile.js';
import { CATEGORIES, GROUPS, entityLabel, findCategory } from '../../publishing/categories.js';
import { catalogName } from '../../publishing/resourceNames.js';
import { categoryScope } from '../../publishing/profileScope.js';
import { settingReader } from '../../publishing/profileSettings.js';
import { addCount, defaultListStatuses, emptyCounts, markOf, sumCounts, type StatusCounts } from '../../publishing/dashboard.js';
import type { CatalogStatus } from '../../publishing/outcome.js';
import { defaultSchoolYear } from '../../publishing/schoolYear.js';
import { readQueue, runningProgress } from '../../temporal/client/publishQueue.js';
import type { CategoryProgress } from '../../publishing/progress.js';
import { routeProfile } from '../auth/plugin.js';
import { mapperNamed } from '../../resources/index.js';
import { organizationIdOf } from '../../publishing/recordIds.js';
import { LeaConnectionSchema } from '../../db/entities/configuration.js';
import { publishBlocker } from '../../publishing/setupSteps.js';
import {
  catalogCounts,
  listColumn,
  LIST_COLUMNS,
  recordDetail,
  recordsPage,
  schoolNames as readSchoolNames,
  schoolsWithRecords,
  type CountRow,
  type ListColumn,
} from '../../db/catalogReads.js';

export interface DashboardDeps {
  readonly orm: MikroORM;
  /** The app database's pool: the db/ modules' statements run on it. */
  readonly db: pg.Pool;
  readonly temporal: Client;
}

const STATUSES = ['pending', 'processing', 'published', 'dependency', 'error', 'deleted', 'excluded'] as const;
const counts = z.object({ published: z.number(), dependency: z.number(), error: z.number(), pending: z.number(), excluded: z.number() });
const mark = z.enum(['published', 'dependency', 'error']).nullable();

export function dashboardRoutes(deps: DashboardDeps) {
  // DashboardCounterRefreshInterval: counts computed at most this often per profile, year and scope.
  const cache = new Map<string, { at: number; rows: CountRow[] }>();

  const countRows = async (profile: Profile, year: number, school: string | undefined): Promise<CountRow[]> => {
    const key = `${profile.id}|${year}|${school ?? '*'}`;
    const ttlMs = (profile.settings.DashboardCounterRefreshInterval ?? 0) * 1000;
    const hit = cache.get(key);
    if (hit !== undefined && ttlMs > 0 && Date.now() - hit.at < ttlMs) return hit.rows;
    const rows = await catalogCounts(deps.db, { profileId: profile.id, schoolYear: year, school });
    cache.set(key, { at: Date.now(), rows });
    return rows;
  };

  return (root: FastifyInstance, _opts: unknown, done: (err?: Error) => void): void => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    const params = z.object({ profileId: z.string().min(1).max(64) });
    const scopeQuery = z.object({ schoolYear: z.coerce.number().int().min(1991).max(2100).optional(), school: z.string().min(1).max(20).optional() });

    const progressView = z.object({
      phase: z.enum(['processing', 'publishing']),
      batchesDone: z.number(),
      batchesTotal: z.number(),
      samples: z.array(z.object({ at: z.number(), published: z.number(), dependency: z.number(), error: z.number(), connections: z.number().optional() })),
    });
    const entityView = z.object({ label: z.string(), resource: z.string(), counts, mark, lastActivity: z.string().nullable() });
    app.get(
      '/api/profiles/:profileId/dashboard',
      {
        schema: {
          tags: ['dashboard'],
          description:
            'Groups → categories → entities with published / dependency / error counts, marks, last activity, and each category’s place in the publish queue. District context by default; `school` for one school.',
          params,
          querystring: scopeQuery,
          response: {
            200: z.object({
              schoolYear: z.number(),
              school: z.string().nullable(),
              setupProblem: z
                .object({ at: z.string(), message: z.string() })
                .nullable()
                .describe("A set-up problem the last publish met (another LEA's key, a claim set without a resource): what to fix on Configure"),
              publishBlocked: z
                .string()
                .nullable()
                .describe('Why a publish would fail at once (no enabled LEA connection): the menus say this instead of queueing'),
              groups: z.array(
                z.object({
                  id: z.string(),
                  label: z.string(),
                  categories: z.array(
                    z.object({
                      id: z.string(),
                      label: z.string(),
                      state: z.enum(['waiting', 'processing', 'publishing']).nullable(),
                      progress: progressView.nullable(),
                      counts,
                      mark,
                      lastActivity: z.string().nullable(),
                      active: z
                        .enum(['yes', 'partly', 'no'])
                        .describe("Whether this profile's type and settings publish the category: partly when some of its entities or records only"),
                      inactiveWhy: z.array(z.string()).describe('Why it is inactive or partly active, with the setting to change'),
                      deferred: z
                        .object({ since: z.string(), why: z.string(), until: z.string() })
                        .nullable()
                        .describe('Near-real-time publishing deferred to the weekday nightly run for a spike of changes: since when, why, until when'),
                      skipped: z
                        .array(z.object({ resource: z.string(), label: z.string(), why: z.string() }))
                        .describe("The entities the category's last completed run in this school year did not publish, and why"),
                      failedRun: z
                        .object({ at: z.string(), message: z.string(), workflowId: z.string() })
                        .nullable()
                        .describe("The category's last run in this school year, when it failed: when, why, and its workflow"),
                      entities: z.array(entityView),
                    }),
                  ),
                }),
              ),
            }),
            404: problem,
          },
        },
      },
      async (req) => {
        const profile = routeProfile(req);
        const year = req.query.schoolYear ?? defaultSchoolYear(profile.schoolYears, new Date());
        const rows = await countRows(profile, year, req.query.school);
        const byResource = new Map<string, { counts: StatusCounts; last: number }>();
        for (const r of rows) {
          // Every descriptor resource counts under the Descriptors (Common Codes) entity.
          const entity = r.resource.endsWith('Descriptors') ? 'descriptors' : r.resource;
          const e = byResource.get(entity) ?? { counts: emptyCounts(), last: 0 };
          addCount(e.counts, r.status, Number(r.n));
          if (r.last !== null) e.last = Math.max(e.last, new Date(r.last).getTime());
          byResource.set(entity, e);
        }
        const queue = await readQueue(deps.temporal, profile.id).catch(() => undefined);
        // The running category says whether it is still processing (extract and plan) or publishing.
        const running = queue?.running?.request.schoolYear === year ? queue.running : undefined;
        const processing: CategoryProgress = { phase: 'processing', batchesDone: 0, batchesTotal: 0, samples: [] };
        // A started run that cannot answer its query shows as publishing.
        const progress =
          (await runningProgress(deps.temporal, running)) ?? (running?.childStarted === true ? { ...processing, phase: 'publishing' as const } : processing);
        // The dependency lane's category publishes beside it (its records' counts move; its phase is its own).
        const beside = queue?.beside?.request.schoolYear === year ? queue.beside : undefined;
        const besidePhase = beside === undefined ? undefined : ((await runningProgress(deps.temporal, beside))?.phase ?? 'processing');
        const stateOf = (categoryId: string): 'waiting' | 'processing' | 'publishing' | null => {
          if (running?.request.category === categoryId) return progress.phase;
          if (beside?.request.category === categoryId && besidePhase !== undefined) return besidePhase;
          return queue?.waiting.some((w) => w.request.category === categoryId && w.request.schoolYear === year) === true ? 'waiting' : null;
        };
        // Newest last in the queue's list: the last word on each category is its latest run.
        const lastRuns = new Map((queue?.recent ?? []).filter((r) => (r.schoolYear ?? year) === year).map((r) => [r.category, r]));
        const failedRun = (categoryId: string): { at: string; message: string; workflowId: string } | null => {
          const r = lastRuns.get(categoryId);
          return r?.outcome === 'failed' ? { at: r.finishedAt, message: r.detail ?? 'the run failed', workflowId: r.workflowId } : null;
        };
        const skippedIn = (categoryId: string): Array<{ resource: string; label: string; why: string }> => {
          const r = lastRuns.get(categoryId);
          return r?.outcome !== 'completed' ? [] : (r.skipped ?? []).map((s) => ({ ...s, label: entityLabel(catalogName(s.resource)) }));
        };
        const iso = (t: number): string | null => (t > 0 ? new Date(t).toISOString() : null);
        const setting = settingReader(profile, profile.settings);
        const deferred = profile.publishDataChanges ? ((await readDataChanges(deps.temporal, profile.id))?.deferred ?? []) : [];
        const deferralOf = (categoryId: string): { since: string; why: string; until: string } | null => {
          const d = deferred.find((x) => x.category === categoryId);
          return d === undefined ? null : { since: d.since, why: d.why, until: d.until };
        };
        // One read of the profile's connections gives both the latest set-up problem and whether a publish can run.
        const connections = await deps.orm.em.fork().find(LeaConnectionSchema, { profileId: profile.id });
        const setup = connections
          .filter((c) => c.setupProblem !== null)
          .sort((a, b) => (b.setupProblemAt?.getTime() ?? Infinity) - (a.setupProblemAt?.getTime() ?? Infinity))[0];
        return {
          schoolYear: year,
          school: req.query.school ?? null,
          setupProblem: setup?.setupProblem != null ? { at: (setup.setupProblemAt ?? setup.updatedAt).toISOString(), message: setup.setupProblem } : null,
          publishBlocked: publishBlocker(profile.name, connections),
          groups: GROUPS.map((g) => ({
            id: g.id,
            label: g.label,
            categories: CATEGORIES.filter((c) => c.group === g.id).map((c) => {
              const entities = c.entities.map((e) => {
                const found = byResource.get(e.resource);
                const ec = found?.counts ?? emptyCounts();
                return { label: e.label, resource: e.resource, counts: ec, mark: markOf(ec), lastActivity: iso(found?.last ?? 0) };
              });
              const total = sumCounts(entities.map((e) => e.counts));
              const last = Math.max(0, ...c.entities.map((e) => byResource.get(e.resource)?.last ?? 0));
              const scope = categoryScope(c, profile, setting);
              return {
                id: c.id,
                label: c.label,
                active: scope.active,
                inactiveWhy: [...scope.why],
                deferred: deferralOf(c.id),
                failedRun: failedRun(c.id),
                skipped: skippedIn(c.id),
                state: stateOf(c.id),
                progress: running?.request.category === c.id ? { ...progress, samples: [...progress.samples] } : null,
                counts: total,
                mark: markOf(total),
                lastActivity: iso(last),
                entities,
              };
            }),
          })),
        };
      },
    );

    /** Name and state number of these schools, by catalog id, from the school records sent (or attempted). */
    const schoolNames = async (
      profileId: string,
      year: number,
      ids: readonly string[],
    ): Promise<Map<string, { name: string | null; number: string | null }>> => {
      if (ids.length === 0) return new Map();
      return readSchoolNames(deps.db, { profileId, schoolYear: year }, ids);
    };

    app.get(
      '/api/profiles/:profileId/schools',
      {
        schema: {
          tags: ['dashboard'],
          description:
            'Schools with records in the catalog, for the dashboard’s context selector: the catalog id to filter by, with the name and state number once the school record was sent.',
          params,
          querystring: z.object({ schoolYear: z.coerce.number().int().min(1991).max(2100).optional() }),
          response: { 200: z.array(z.object({ id: z.string(), name: z.string().nullable(), number: z.string().nullable() })), 404: problem },
        },
      },
      async (req) => {
        const profile = routeProfile(req);
        const year = req.query.schoolYear ?? Math.max(...profile.schoolYears);
        const ids = await schoolsWithRecords(deps.db, { profileId: profile.id, schoolYear: year });
        const names = await schoolNames(profile.id, year, ids);
        return ids.map((id) => ({ id, name: names.get(id)?.name ?? null, number: names.get(id)?.number ?? null }));
      },
    );

    const recordRow = z.object({
      sourceKey: z.string(),
      schoolId: z.string().nullable(),
      schoolName: z.string().nullable(),
      schoolNumber: z.string().nullable(),
      naturalKey: z.record(z.string(), z.unknown()),
      status: z.enum(STATUSES),
      statusDescription: z.string().nullable(),
      lastActivity: z.string(),
      edfiId: z.string().nullable(),
      display: z.record(z.string(), z.unknown()).nullable(),
    });
    app.get(
      '/api/profiles/:profileId/records',
      {
        schema: {
          tags: ['dashboard'],
          description:
            "An entity's records. `status` takes several statuses (comma-separated). `filter` is repeatable, `column:text` (contains, case-insensitive), stacking with AND; columns: sourceKey, schoolId, status, statusDescription, edfiId, key.<field> of the natural key, or col.<id> of the entity's own `columns` (e.g. col.studentName). `sort` is any of those columns or lastActivity; `order` asc (first click) or desc. Without a status filter the profile's DashboardDetailFilterOption applies.",
          params,
          querystring: scopeQuery.extend({
            resource: z.string().min(1).max(100),
            status: z
              .string()
              .regex(/^[a-z]+(,[a-z]+)*$/)
              .optional(),
            filter: z.union([z.string(), z.array(z.string())]).optional(),
            sort: z.string().default('lastActivity'),
            order: z.enum(['asc', 'desc']).default('asc'),
            page: z.coerce.number().int().min(1).default(1),
            pageSize: z.coerce.number().int().min(1).max(500).default(50),
          }),
          response: {
            200: z.object({
              total: z.number(),
              page: z.number(),
              pageSize: z.number(),
              statuses: z.array(z.string()).nullable(),
              /** The entity's own columns (each row's `display` fills them); the natural key's fields when empty. */
              columns: z.array(z.object({ id: z.string(), label: z.string() })),
              rows: z.array(recordRow),
            }),
            400: problem,
            404: problem,
          },
        },
      },
      async (req, reply) => {
        const profile = routeProfile(req);
        const q = req.query;
        const year = q.schoolYear ?? Math.max(...profile.schoolYears);
        let statuses: string[] | undefined = q.status?.split(',');
        if (statuses?.some((s) => !(STATUSES as readonly string[]).includes(s)))
          return reply.code(400).send({ error: 'Bad Request', message: `status: use any of ${STATUSES.join(', ')}`, field: 'status' });
        if (statuses === undefined) {
          const all = await countRows(profile, year, q.school);
          const c = emptyCounts();
          for (const r of all) if (r.resource === q.resource) addCount(c, r.status, Number(r.n));
          statuses = defaultListStatuses(profile.settings.DashboardDetailFilterOption, c);
        }
        const filters: Array<{ column: ListColumn; text: string }> = [];
        for (const f of q.filter === undefined ? [] : Array.isArray(q.filter) ? q.filter : [q.filter]) {
          const i = f.indexOf(':');
          const column = i > 0 ? listColumn(f.slice(0, i)) : undefined;
          if (column === undefined)
            return reply.code(400).send({
              error: 'Bad Request',
              message: `filter "${f}": use column:text with a column of ${Object.keys(LIST_COLUMNS).join(', ')}, key.<field> or col.<id>`,
              field: 'filter',
            });
          filters.push({ column, text: f.slice(i + 1) });
        }
        const sort = listColumn(q.sort);
        if (sort === undefined)
          return reply
            .code(400)
            .send({ error: 'Bad Request', message: `sort: use one of ${Object.keys(LIST_COLUMNS).join(', ')}, key.<field> or col.<id>`, field: 'sort' });
        const { total, rows } = await recordsPage(
          deps.db,
          { profileId: profile.id, schoolYear: year, school: q.school },
          { resource: q.resource, statuses: statuses as CatalogStatus[] | undefined, filters, sort, order: q.order, page: q.page, pageSize: q.pageSize },
        );
        // In district context each row says which school by name and number, as the guide's lists do.
        const names = await schoolNames(
          profile.id,
          year,
          rows.flatMap((r) => (r.schoolId !== null ? [r.schoolId] : [])),
        );
        const schoolOf = (id: string | null) => (id === null ? undefined : names.get(id));
        return {
          total: Number(total),
          page: q.page,
          pageSize: q.pageSize,
          statuses: statuses ?? null,
          columns: [...(mapperNamed(q.resource)?.listColumns ?? [])],
          rows: rows.map((r) => ({
            sourceKey: r.sourceKey,
            schoolId: r.schoolId,
            schoolName: schoolOf(r.schoolId)?.name ?? null,
            schoolNumber: schoolOf(r.schoolId)?.number ?? null,
            naturalKey: JSON.parse(r.naturalKey) as Record<string, unknown>,
            status: r.status,
            statusDescription: r.statusDescription,
            lastActivity: new Date(r.updatedAt).toISOString(),
            edfiId: r.edfiId,
            display: r.display,
          })),
        };
      },
    );

    app.get(
      '/api/profiles/:profileId/records/:resource/:sourceKey',
      {
        schema: {
          tags: ['dashboard'],
          description:
            "A record's details, as the guide lists them: entity, Ed-Fi resource id, status, dates (created, last updated, first and last published, last attempt), internal ids, organization and school, school year, profile and its type, and the JSON last sent.",
          params: params.extend({ resource: z.string().min(1).max(100), sourceKey: z.string().min(1) }),
          querystring: z.object({ schoolYear: z.coerce.number().int().min(1991).max(2100).optional() }),
          response: {
            200: z.object({
              resource: z.string(),
              category: z.string().nullable(),
              sourceKey: z.string(),
              schoolId: z.string().nullable(),
              schoolName: z.string().nullable(),
              schoolNumber: z.string().nullable(),
              schoolYear: z.number(),
              profileType: z.string(),
              edfiId: z.string().nullable(),
              status: z.enum(STATUSES),
              statusDescription: z.string().nullable(),
              httpStatus: z.number().nullable(),
              attempts: z.number(),
              firstPublishedAt: z.string().nullable(),
              lastPublishedAt: z.string().nullable().describe('Date Last Published: the last time the ODS accepted it'),
              lastAttemptAt: z.string().nullable(),
              createdAt: z.string().describe('Date Created: when the catalog first held it'),
              updatedAt: z.string().describe('Date Last Updated: its last change of status, JSON or list values'),
              organizationId: z.string().nullable().describe('The state number of the school or district it belongs to, as published'),
              profileId: z.string(),
              profileName: z.string(),
              naturalKey: z.record(z.string(), z.unknown()),
              sentJson: z.unknown(),
            }),
            404: problem,
          },
        },
      },
      async (req, reply) => {
        const profile = routeProfile(req);
        const year = req.query.schoolYear ?? Math.max(...profile.schoolYears);
        const r = await recordDetail(deps.db, { profileId: profile.id, schoolYear: year }, req.params.resource, req.params.sourceKey);
        if (r === undefined)
          return reply.code(404).send({ error: 'Not Found', message: `no ${req.params.resource} record "${req.params.sourceKey}" for ${year}` });
        const when = (v: unknown): string | null => (v === null || v === undefined ? null : new Date(v as string).toISOString());
        const category = CATEGORIES.find((c) => c.entities.some((e) => e.resource === req.params.resource));
        const school = r.schoolId !== null ? (await schoolNames(profile.id, year, [r.schoolId])).get(r.schoolId) : undefined;
        return {
          resource: req.params.resource,
          category: category !== undefined ? (findCategory(category.id)?.label ?? null) : null,
          sourceKey: r.sourceKey,
          schoolId: r.schoolId,
          schoolName: school?.name ?? null,
          schoolNumber: school?.number ?? null,
          schoolYear: Number(r.schoolYear),
          profileType: profile.profileType,
          edfiId: r.edfiId,
          status: r.status,
          statusDescription: r.statusDescription,
          httpStatus: r.httpStatus === null ? null : Number(r.httpStatus),
          attempts: Number(r.attempts),
          firstPublishedAt: when(r.firstPublishedAt),
          lastPublishedAt: when(r.lastPublishedAt),
          lastAttemptAt: when(r.lastAttemptAt),
          createdAt: new Date(r.createdAt).toISOString(),
          updatedAt: new Date(r.updatedAt).toISOString(),
          organizationId: organizationIdOf(JSON.parse(r.naturalKey) as Record<string, unknown>, r.sentJson),
          profileId: profile.id,
          profileName: profile.name,
          naturalKey: JSON.parse(r.naturalKey) as Record<string, unknown>,
          sentJson: r.sentJson ?? null,
        };
      },
    );
    done();
  };
}
