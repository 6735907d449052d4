/**
 * Resource preferences per profile (the Calendars seed's "Resource Preferences" and toggle): a
 * resource switched off keeps what it sent but sends nothing new; beyond the toggle, each resource
 * offers the options its mapper declares (calendars: report grade levels).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type pg from 'pg';
import { problem } from '../schemas.js';
import { routeProfile } from '../auth/plugin.js';
import { CATEGORIES } from '../../publishing/categories.js';
import { mapperNamed } from '../../resources/index.js';
import { DEFAULT_PREFERENCES, optionOn, type ResourcePreferences } from '../../resources/mapper.js';
import { readResourcePreferences, saveResourcePreference } from '../../db/resourcePreferences.js';

const ENTITIES = new Map(CATEGORIES.flatMap((c) => c.entities.map((e) => [e.resource, { label: e.label, category: c.label }] as const)));

const option = z.object({ key: z.string(), label: z.string(), help: z.string(), value: z.boolean() });
const view = z.object({ resource: z.string(), label: z.string(), category: z.string(), enabled: z.boolean(), options: z.array(option) });

function viewOf(resource: string, stored: ResourcePreferences | undefined): z.infer<typeof view> {
  const e = ENTITIES.get(resource)!;
  const preferences = stored ?? DEFAULT_PREFERENCES;
  const options = (mapperNamed(resource)?.preferenceOptions ?? []).map((o) => ({ key: o.key, label: o.label, help: o.help, value: optionOn(preferences, o) }));
  return { resource, label: e.label, category: e.category, enabled: preferences.enabled, options };
}

export function resourcePreferenceRoutes(db: pg.Pool) {
  return (root: FastifyInstance, _opts: unknown, done: (err?: Error) => void): void => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    const params = z.object({ profileId: z.string().min(1).max(64) });

    app.get(
      '/api/profiles/:profileId/resources',
      {
        schema: {
          tags: ['configuration'],
          description:
            "Every entity's resource preferences for the profile: on/off, and the options its mapper offers (calendars: report grade levels, off by default as Texas asks).",
          params,
          response: { 200: z.array(view), 404: problem },
        },
      },
      async (req) => {
        const stored = await readResourcePreferences(db, routeProfile(req).id);
        return [...ENTITIES.keys()].map((r) => viewOf(r, stored.get(r)));
      },
    );

    app.put(
      '/api/profiles/:profileId/resources/:resource/preferences',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['configuration'],
          description:
            "Changes a resource's preferences: `enabled`, and any of the `options` it offers by key. Off: data already sent stays in the ODS, nothing new is sent (an excluded calendar is still deleted on resync). A changed option makes the next Now – Changes read the resource whole.",
          params: params.extend({ resource: z.string().min(1).max(100) }),
          body: z.object({ enabled: z.boolean().optional(), options: z.record(z.string().max(64), z.boolean()).optional() }),
          response: { 200: view, 400: problem, 404: problem },
        },
      },
      async (req, reply) => {
        const profile = routeProfile(req);
        const { resource } = req.params;
        if (!ENTITIES.has(resource))
          return reply
            .code(404)
            .send({ error: 'Not Found', message: `no resource "${resource}"; use an Ed-Fi resource name of the dashboard, e.g. calendars or calendarDates` });
        const offered = (mapperNamed(resource)?.preferenceOptions ?? []).map((o) => o.key);
        const unknown = Object.keys(req.body.options ?? {}).filter((k) => !offered.includes(k));
        if (unknown.length > 0)
          return reply.code(400).send({
            error: 'Bad Request',
            message: `${resource} has no option ${unknown.map((k) => `"${k}"`).join(', ')}; it offers ${offered.length === 0 ? 'none beyond enabled' : offered.join(', ')}`,
            field: 'options',
          });
        const conn = db;
        await saveResourcePreference(conn, profile.id, resource, req.body);
        return viewOf(resource, (await readResourcePreferences(conn, profile.id)).get(resource));
      },
    );
    done();
  };
}
