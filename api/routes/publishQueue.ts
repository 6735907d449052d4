/** The profile's publish queue: what runs and waits (and its live feed), and queuing a category publish. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { MikroORM } from '@mikro-orm/postgresql';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { TemporalConfig } from '../../temporal.config.js';
import { problem, publishScopeSchema, temporalLinkOf } from '../schemas.js';
import { PUBLISH_OPTION_IDS } from '../../publishing/categories.js';
import { checkPublishRequest, type PublishRequest } from '../../publishing/publishRequest.js';
import { publishQueueWorkflowId } from '../../temporal/ids.js';
import { BasicSettingsSchema } from '../../db/entities/configuration.js';
import { dismissQueueEntry, enqueuePublish, readQueue } from '../../temporal/client/publishQueue.js';
import { queueFeeds } from '../live/queueFeed.js';
import { tracedRequest } from '../../observability/tracing.js';
import { streamFeed } from '../live/feeds.js';

export interface PublishQueueDeps {
  readonly orm: MikroORM;
  readonly temporal: Client;
  readonly temporalConfig: TemporalConfig;
  /** Base URL of the Temporal web UI, for links to workflow histories. */
  readonly temporalUiUrl?: string | undefined;
}

const scopeSchema = publishScopeSchema;
const publishBody = z.object({
  category: z.string().min(1).describe('Category id, e.g. organization-calendars'),
  option: z.enum(PUBLISH_OPTION_IDS as [string, ...string[]]).default('changes'),
  scope: scopeSchema.default({ kind: 'district' }),
  schoolYear: z.number().int().describe('Ending year: 2025 = 2024-2025'),
});
const queueItem = z.object({
  ticket: z.number(),
  workflowId: z.string(),
  enqueuedAt: z.string(),
  request: z.object({
    category: z.string(),
    option: z.string(),
    schoolYear: z.number(),
    requestedBy: z.string(),
    scope: scopeSchema,
    traceparent: z
      .string()
      .optional()
      .describe('The W3C trace context of the request that queued it (tracing on): its trace id finds the run in the tracing backend'),
  }),
});

export function publishQueueRoutes(deps: PublishQueueDeps) {
  return (root: FastifyInstance, _opts: unknown, done: (err?: Error) => void): void => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    const linked = temporalLinkOf(deps.temporalUiUrl, deps.temporalConfig.namespace);

    app.get(
      '/api/profiles/:profileId/publish-queue',
      {
        schema: {
          description: "The profile's publish queue: the category running now and those waiting (the dashboard's Waiting status).",
          params: z.object({ profileId: z.string().min(1).max(64) }),
          response: {
            200: z.object({
              queueWorkflowId: z.string(),
              temporalUrl: z.string().optional(),
              running: queueItem.extend({ startedAt: z.string(), childStarted: z.boolean() }).nullable(),
              beside: queueItem
                .extend({ startedAt: z.string(), childStarted: z.boolean() })
                .nullable()
                .describe('The dependency lane: records the sweeper found ready, of another category, publishing beside the running one'),
              waiting: z.array(queueItem),
              recent: z.array(
                z.object({
                  ticket: z.number(),
                  workflowId: z.string(),
                  category: z.string(),
                  outcome: z.enum(['completed', 'failed']),
                  detail: z.string().optional(),
                  skipped: z.array(z.object({ resource: z.string(), why: z.string() })).optional(),
                  finishedAt: z.string(),
                  option: z.string().optional(),
                  schoolYear: z.number().optional(),
                  traceId: z.string().optional().describe('The OpenTelemetry trace of the request that queued it, when traced'),
                }),
              ),
            }),
            404: problem,
          },
        },
      },
      async (req) => {
        const { profileId } = req.params;
        const view = await readQueue(deps.temporal, profileId);
        const id = publishQueueWorkflowId(profileId);
        return {
          queueWorkflowId: id,
          ...linked(id),
          running: view?.running ?? null,
          beside: view?.beside ?? null,
          waiting: [...(view?.waiting ?? [])],
          recent: (view?.recent ?? []).map(({ skipped, ...r }) => ({ ...r, ...(skipped !== undefined ? { skipped: [...skipped] } : {}) })),
        };
      },
    );

    const feeds = queueFeeds(deps.temporal);
    app.addHook('onClose', (_instance, done) => {
      feeds.close();
      done();
    });

    app.get(
      '/api/profiles/:profileId/publish-queue/events',
      {
        schema: {
          description:
            "Server-sent events: a `queue` event with the profile's publish queue (as GET …/publish-queue returns it, or null before its first use) whenever it changes; while a category publishes, its `progress` (phase, batches done of all, counts over time) rides along, so each batch sent is an event.",
          params: z.object({ profileId: z.string().min(1).max(64) }),
          produces: ['text/event-stream'],
        },
      },
      async (req, reply) => {
        const { profileId } = req.params;
        streamFeed(req, reply, feeds, profileId, 'queue');
      },
    );

    app.post(
      '/api/profiles/:profileId/publish',
      {
        schema: {
          description: "Queue a category publish (a category's ⋮ menu). Answers with the queue position and the workflow id of the run.",
          params: z.object({ profileId: z.string().min(1).max(64) }),
          body: publishBody,
          response: {
            202: z.object({
              ticket: z.number(),
              workflowId: z.string(),
              position: z.number(),
              duplicate: z.boolean(),
              queueWorkflowId: z.string(),
              temporalUrl: z.string().optional(),
            }),
            400: problem,
            404: problem,
          },
        },
      },
      async (req, reply) => {
        const { profileId } = req.params;
        const request: PublishRequest = {
          ...req.body,
          option: req.body.option as PublishRequest['option'],
          requestedBy: `${req.principal?.kind === 'key' ? 'api key' : 'user'} ${req.principal?.name ?? 'unknown'}`,
          trigger: req.principal?.kind === 'key' ? 'api' : 'clerk',
          ...tracedRequest(),
        };
        const check = checkPublishRequest(request);
        if (!check.ok) return reply.code(400).send({ error: 'Bad Request', message: `${check.field}: ${check.reason}`, field: check.field });
        try {
          const processing = await deps.orm.em.fork().findOneOrFail(BasicSettingsSchema, { id: 1 });
          const result = await enqueuePublish(deps.temporal, deps.temporalConfig, profileId, request, { paused: !processing.systemProcessingEnabled });
          return reply.code(202).send({ ...result, queueWorkflowId: publishQueueWorkflowId(profileId), ...linked(result.workflowId) });
        } catch (err) {
          if (err instanceof WorkflowUpdateFailedError) return reply.code(400).send({ error: 'Bad Request', message: err.cause?.message ?? err.message });
          throw err;
        }
      },
    );
    app.delete(
      '/api/profiles/:profileId/publish-queue/:ticket',
      {
        schema: {
          description:
            'Take a waiting publish off the queue, or dismiss a failed run from the list (its history stays in Temporal). Refused (409) for the publish running now and for runs that did not fail.',
          params: z.object({ profileId: z.string().min(1).max(64), ticket: z.coerce.number().int().min(1) }),
          response: { 200: z.object({ dismissed: z.enum(['waiting', 'failed']) }), 404: problem, 409: problem },
        },
      },
      async (req, reply) => {
        const { profileId, ticket } = req.params;
        try {
          return { dismissed: await dismissQueueEntry(deps.temporal, profileId, ticket) };
        } catch (err) {
          if (err instanceof WorkflowNotFoundError) return reply.code(404).send({ error: 'Not Found', message: `the queue has no entry #${ticket}` });
          if (err instanceof WorkflowUpdateFailedError) {
            const message = err.cause?.message ?? err.message;
            return reply
              .code(message.startsWith('the queue has no entry') ? 404 : 409)
              .send({ error: message.startsWith('the queue') ? 'Not Found' : 'Conflict', message });
          }
          throw err;
        }
      },
    );
    done();
  };
}
