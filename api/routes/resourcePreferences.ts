/**
 * Resource preferences per profile (the Calendars seed's "Resource Preferences" and toggle): a
 * resource switched off keeps what it sent but sends nothing new; calendars may report grade levels.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { MikroORM } from '@mikro-orm/postgresql';
import { problem } from '../schemas.js';
import { ProfileSchema } from '../../db/entities/profile.js';
import { routeProfile } from '../auth/plugin.js';
import { CATEGORIES } from '../../publishing/categories.js';

const ENTITIES = new Map(CATEGORIES.flatMap((c) => c.entities.map((e) => [e.resource, { label: e.label, category: c.label }] as const)));
/** Preferences beyond the toggle, and the one resource each belongs to. */
const GRADE_LEVELS_RESOURCE = 'calendars';

const view = z.object({ resource: z.string(), label: z.string(), category: z.string(), enabled: z.boolean(), reportGradeLevels: z.boolean().optional() });

export function resourcePreferenceRoutes(orm: MikroORM) {
  return (root: FastifyInstance, _opts: unknown, done: (err?: Error) => void): void => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    const params = z.object({ profileId: z.string().min(1).max(64) });
    const rowsOf = async (profileId: string): Promise<Map<string, { enabled: boolean; report_grade_levels: boolean }>> => {
      const rows = await orm.em
        .getConnection()
        .execute<Array<{ resource: string; enabled: boolean; report_grade_levels: boolean }>>(
          'SELECT resource, enabled, report_grade_levels FROM resource_preference WHERE profile_id = ?',
          [profileId],
        );
      return new Map(rows.map((r) => [r.resource, r]));
    };
    const viewOf = (resource: string, row: { enabled: boolean; report_grade_levels: boolean } | undefined): z.infer<typeof view> => {
      const e = ENTITIES.get(resource)!;
      return {
        resource,
        label: e.label,
        category: e.category,
        enabled: row?.enabled ?? true,
        ...(resource === GRADE_LEVELS_RESOURCE ? { reportGradeLevels: row?.report_grade_levels ?? false } : {}),
      };
    };

    app.get(
      '/api/profiles/:profileId/resources',
      {
        schema: {
          tags: ['configuration'],
          description: "Every entity's resource preferences for the profile: on/off, and calendars' grade levels (not reported by default, as Texas asks).",
          params,
          response: { 200: z.array(view), 404: problem },
        },
      },
      async (req) => {
        const profile = routeProfile(req);
        const rows = await rowsOf(profile.id);
        return [...ENTITIES.keys()].map((r) => viewOf(r, rows.get(r)));
      },
    );

    app.put(
      '/api/profiles/:profileId/resources/:resource/preferences',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['configuration'],
          description:
            'Changes a resource preference. Off: data already sent stays in the ODS, nothing new is sent (an excluded calendar is still deleted on resync). A changed mapping or preference needs a resync (Now – All) to reach what was sent.',
          params: params.extend({ resource: z.string().min(1).max(100) }),
          body: z.object({ enabled: z.boolean().optional(), reportGradeLevels: z.boolean().optional() }),
          response: { 200: view, 400: problem, 404: problem },
        },
      },
      async (req, reply) => {
        const profile = await orm.em.fork().findOne(ProfileSchema, { id: req.params.profileId });
        if (profile === null) return reply.code(404).send({ error: 'Not Found', message: `no profile "${req.params.profileId}"` });
        const { resource } = req.params;
        if (!ENTITIES.has(resource))
          return reply
            .code(404)
            .send({ error: 'Not Found', message: `no resource "${resource}"; use an Ed-Fi resource name of the dashboard, e.g. calendars or calendarDates` });
        if (req.body.reportGradeLevels !== undefined && resource !== GRADE_LEVELS_RESOURCE)
          return reply
            .code(400)
            .send({ error: 'Bad Request', message: `reportGradeLevels is a preference of ${GRADE_LEVELS_RESOURCE} only`, field: 'reportGradeLevels' });
        await orm.em.getConnection().execute(
          `INSERT INTO resource_preference (profile_id, resource, enabled, report_grade_levels, updated_at) VALUES (?, ?, coalesce(?, true), coalesce(?, false), now())
           ON CONFLICT (profile_id, resource) DO UPDATE SET enabled = coalesce(?, resource_preference.enabled), report_grade_levels = coalesce(?, resource_preference.report_grade_levels), updated_at = now()`,
          [profile.id, resource, req.body.enabled ?? null, req.body.reportGradeLevels ?? null, req.body.enabled ?? null, req.body.reportGradeLevels ?? null],
        );
        return viewOf(resource, (await rowsOf(profile.id)).get(resource));
      },
    );
    done();
  };
}
