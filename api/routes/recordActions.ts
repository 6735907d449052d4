/**
 * Single-record actions (the record details' Publish and Delete) and category resync over HTTP.
 * Each runs as its own small Temporal workflow, so it shows in the Temporal UI with its outcome.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { MikroORM } from '@mikro-orm/postgresql';
import { WorkflowExecutionAlreadyStartedError, WorkflowFailedError, type Client } from '@temporalio/client';
import type { TemporalConfig } from '../../temporal.config.js';
import { problem } from '../schemas.js';
import { findCategory } from '../../publishing/categories.js';
import { resourcePathIn } from '../../publishing/resourceNames.js';
import { modelOf } from '../../publishing/profileModel.js';
import { runRecordAction, startResync } from '../../temporal/client/recordActions.js';
import { routeProfile } from '../auth/plugin.js';

export interface RecordActionDeps {
  readonly orm: MikroORM;
  readonly temporal: Client;
  readonly temporalConfig: TemporalConfig;
}

export function recordActionRoutes(deps: RecordActionDeps) {
  return (root: FastifyInstance, _opts: unknown, done: (err?: Error) => void): void => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    const recordParams = z.object({ profileId: z.string().min(1).max(64), resource: z.string().min(1).max(100), sourceKey: z.string().min(1).max(200) });
    const outcome = z.object({ workflowId: z.string(), outcome: z.string() });

    for (const action of ['publish', 'delete'] as const) {
      app.post(
        `/api/profiles/:profileId/records/:resource/:sourceKey/${action}`,
        {
          config: { access: action === 'delete' ? 'admin' : 'clerk' },
          schema: {
            tags: ['dashboard'],
            description:
              action === 'publish'
                ? 'Publishes this one record now: re-extracted from the SIS, checked, sent; answers with what became of it.'
                : 'Deletes this one record from the ODS, without validation (as the guide says); the catalog keeps it as deleted.',
            params: recordParams,
            body: z.object({ schoolYear: z.number().int().min(1991).max(2100) }),
            response: { 200: outcome, 404: problem, 409: problem, 422: problem },
          },
        },
        async (req, reply) => {
          const profile = routeProfile(req);
          const resource = resourcePathIn(modelOf(profile), req.params.resource);
          if (resource === undefined)
            return reply.code(404).send({ error: 'Not Found', message: `no resource "${req.params.resource}" in this profile's Ed-Fi model` });
          const input = { profileId: profile.id, schoolYear: req.body.schoolYear, resource, sourceKey: req.params.sourceKey, action };
          try {
            return await runRecordAction(deps.temporal, deps.temporalConfig, input);
          } catch (err) {
            if (err instanceof WorkflowExecutionAlreadyStartedError)
              return reply.code(409).send({ error: 'Conflict', message: 'an action on this record is already running: wait for it to finish' });
            if (err instanceof WorkflowFailedError) return reply.code(422).send({ error: 'Unprocessable Entity', message: err.cause?.message ?? err.message });
            throw err;
          }
        },
      );
    }

    app.post(
      '/api/profiles/:profileId/resync',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['dashboard'],
          description:
            "Resync a category with the ODS (seed 001): catalog records the ODS no longer has leave the catalog (the next Now – Changes sends them again); the district's ODS records that match nothing in the catalog are deleted from the ODS. Runs as `resync/{profileId}/{year}/{category}`.",
          params: z.object({ profileId: z.string().min(1).max(64) }),
          body: z.object({ category: z.string().min(1), schoolYear: z.number().int().min(1991).max(2100) }),
          response: { 202: z.object({ workflowId: z.string() }), 400: problem, 404: problem, 409: problem },
        },
      },
      async (req, reply) => {
        const profile = routeProfile(req);
        if (findCategory(req.body.category) === undefined)
          return reply.code(400).send({ error: 'Bad Request', message: `unknown category "${req.body.category}"`, field: 'category' });
        const input = { profileId: profile.id, schoolYear: req.body.schoolYear, category: req.body.category };
        let workflowId: string;
        try {
          workflowId = await startResync(deps.temporal, deps.temporalConfig, input);
        } catch (err) {
          if (err instanceof WorkflowExecutionAlreadyStartedError)
            return reply.code(409).send({ error: 'Conflict', message: `a resync of ${req.body.category} is already running` });
          throw err;
        }
        return reply.code(202).send({ workflowId });
      },
    );
    done();
  };
}
