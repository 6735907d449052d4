/** A Preview – Changes run's findings: per entity what it would post, update, re-key and delete, with a few records of each. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type pg from 'pg';
import { z } from 'zod';
import { problem } from '../schemas.js';
import { routeProfile } from '../auth/plugin.js';
import { entityLabel } from '../../publishing/categories.js';
import { readPreview } from '../../db/preview.js';
import { PREVIEW_KINDS } from '../../publishing/preview.js';

const counts = z.object({ post: z.number(), update: z.number(), rekey: z.number(), delete: z.number() });

export function previewRoutes(db: pg.Pool) {
  return (root: FastifyInstance, _opts: unknown, done: (err?: Error) => void): void => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/api/profiles/:profileId/preview',
      {
        config: { access: 'clerk' },
        schema: {
          tags: ['dashboard'],
          description:
            'What a Preview – Changes run (workflowId=, as the publish queue lists it) found: per entity, how many records a Now – Changes would post (new to the ODS), update (changed JSON), re-key (identity changed: delete + post) and delete, with up to five records of each and, for an update, the JSON fields that changed. Nothing was sent.',
          params: z.object({ profileId: z.string().min(1).max(64) }),
          querystring: z.object({ workflowId: z.string().min(1).max(200) }),
          response: {
            200: z.object({
              workflowId: z.string(),
              total: counts,
              entities: z.array(
                z.object({
                  resource: z.string(),
                  label: z.string(),
                  schoolYear: z.number(),
                  at: z.string(),
                  counts,
                  samples: z.array(
                    z.object({
                      kind: z.enum(PREVIEW_KINDS as [string, ...string[]]),
                      sourceKey: z.string(),
                      naturalKey: z.record(z.string(), z.unknown()),
                      changed: z.array(z.string()).optional(),
                    }),
                  ),
                }),
              ),
            }),
            404: problem,
          },
        },
      },
      async (req, reply) => {
        const profile = routeProfile(req);
        const found = await readPreview(db, profile.id, req.query.workflowId);
        if (found.length === 0)
          return reply.code(404).send({
            error: 'Not Found',
            message: `no preview of run "${req.query.workflowId}" for this profile: it may still run, have planned nothing, or be older than 30 days`,
          });
        const total = { post: 0, update: 0, rekey: 0, delete: 0 };
        for (const p of found) for (const k of PREVIEW_KINDS) total[k] += p.counts[k];
        return {
          workflowId: req.query.workflowId,
          total,
          entities: found.map((p) => ({
            resource: p.resource,
            label: entityLabel(p.resource),
            schoolYear: p.schoolYear,
            at: p.createdAt,
            counts: p.counts,
            samples: p.samples,
          })),
        };
      },
    );
    done();
  };
}
