/**
 * The HTTP API and the web UI's host. Every route is described by zod schemas, validated on the
 * way in, and listed in the OpenAPI document at /docs.
 */
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problem } from './schemas.js';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TemporalConfig } from '../temporal.config.js';
import { CATEGORIES, GROUPS, PUBLISH_OPTION_IDS, PUBLISH_OPTIONS, optionsFor } from '../publishing/categories.js';
import { checkPublishRequest, type PublishRequest } from '../publishing/publishRequest.js';
import { publishQueueWorkflowId } from '../workflows/publishQueue.js';
import type { SecretBox } from '../db/secrets.js';
import { configurationRoutes } from './routes/configuration.js';
import { authRoutes } from './routes/auth.js';
import { installAuth, routeAccess, SESSION_COOKIE } from './auth/plugin.js';
import { loggableError } from './logSafe.js';
import { diagnosticsRoutes } from './routes/diagnostics.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { downloadRoutes } from './routes/downloads.js';
import { mappingRoutes } from './routes/mapping.js';
import { resourcePreferenceRoutes } from './routes/resourcePreferences.js';
import { recordActionRoutes } from './routes/recordActions.js';
import type pg from 'pg';
import { BasicSettingsSchema } from '../db/entities/configuration.js';
import { enqueuePublish, readQueue } from './temporal/publishQueue.js';
import { queueFeeds } from './live/queueFeed.js';
import { streamFeed } from './live/feeds.js';
import { databaseCheck, edfiCheck, runChecks, temporalCheck, workerCheck } from './readiness.js';

export interface ServerDeps {
  readonly orm: MikroORM;
  readonly temporal: Client;
  readonly temporalConfig: TemporalConfig;
  readonly edfiBaseUrl?: string | undefined;
  /** Base URL of the Temporal web UI, for links to workflow histories. */
  readonly temporalUiUrl?: string | undefined;
  /** Fastify's request log: on (stdout), or into a stream (tests read what would be logged). */
  readonly logger?: boolean | { readonly level?: string; readonly stream: { write(line: string): void } };
  /** Seals the secrets districts enter (LEA connections). */
  readonly secrets: SecretBox;
  /** The district's SIS replica (read only): local codes for mapping. */
  readonly sis?: pg.Pool | undefined;
}

const WEB_DIR = path.resolve(import.meta.dirname, '../web');
const STATIC: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
};

const checkResult = z.object({ ok: z.boolean(), detail: z.string(), ms: z.number() });
const scopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('district') }),
  z.object({ kind: z.literal('school'), schoolId: z.string().min(1).max(20) }),
]);
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
  request: z.object({ category: z.string(), option: z.string(), schoolYear: z.number(), requestedBy: z.string(), scope: scopeSchema }),
});

export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const app = Fastify({ logger: deps.logger ?? false, bodyLimit: 1_048_576 }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err.validation !== undefined) {
      // Zod issues carry their path in params.issue; fastify's own body/JSON errors in instancePath.
      const first = err.validation[0];
      const issuePath = (first?.params as { issue?: { path?: Array<string | number> } } | undefined)?.issue?.path;
      const fromPath = first?.instancePath.replace(/^\//, '').replace(/\//g, '.');
      const field = fromPath !== undefined && fromPath !== '' ? fromPath : issuePath?.join('.');
      return reply.code(400).send({
        error: 'Bad Request',
        message: `${field ?? err.validationContext ?? 'request'}: ${first?.message ?? err.message}`,
        ...(field ? { field } : {}),
      });
    }
    const status = err.statusCode ?? 500;
    // Unexpected errors always reach a log: fastify's own when enabled, stderr otherwise.
    // Redacted: a database error's message holds its SQL with the values (secrets, hashes, student data).
    if (status >= 500) {
      if (deps.logger !== undefined && deps.logger !== false) request.log.error({ err: loggableError(err) }, 'unexpected error');
      else console.error(`${request.method} ${request.routeOptions.url ?? '(no route)'}:`, loggableError(err));
    }
    return reply
      .code(status)
      .send({ error: status >= 500 ? 'Internal Server Error' : 'Bad Request', message: status >= 500 ? 'unexpected error; see the server log' : err.message });
  });

  installAuth(app, deps.orm);
  await app.register(swagger, {
    openapi: {
      info: { title: 'edfi-exchange API', version: '0.1.0', description: 'Publish SIS data to an Ed-Fi ODS/API, durably, with Temporal.' },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'An API key from POST /api/api-keys: Authorization: Bearer edx_…' },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: SESSION_COOKIE,
            description: 'The web UI: a session from POST /api/session; every change also sends its x-csrf-token header.',
          },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
    // Each operation says the role it needs (x-access), and public ones need no credentials, so clients and fuzzers know.
    transform: (arg) => {
      const out = jsonSchemaTransform(arg);
      const access = routeAccess(arg.url, arg.route.config?.access);
      const response = out.schema.response as Record<string, unknown> | undefined;
      // A 204 has no body: documented without content, not as JSON null.
      const noContent = response?.['204'] !== undefined ? { response: { ...response, 204: { type: 'null', description: 'No content' } } } : {};
      return { ...out, schema: { ...out.schema, ...noContent, 'x-access': access, ...(access === 'public' ? { security: [] } : {}) } };
    },
  });
  // The docs page gets a content security policy with hashes of its inline scripts and styles
  // (without upgrade-insecure-requests, which would break the page on a plain-http local install).
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    transformStaticCSP: (header) => header.replace(/\s*upgrade-insecure-requests;?/, ''),
  });
  await app.register(authRoutes(deps.orm));
  await app.register(configurationRoutes({ orm: deps.orm, secrets: deps.secrets, temporal: deps.temporal, temporalConfig: deps.temporalConfig }));
  await app.register(diagnosticsRoutes({ orm: deps.orm, temporal: deps.temporal }));
  await app.register(dashboardRoutes({ orm: deps.orm, temporal: deps.temporal }));
  await app.register(downloadRoutes({ orm: deps.orm, temporal: deps.temporal, temporalConfig: deps.temporalConfig }));
  await app.register(mappingRoutes({ orm: deps.orm, sis: deps.sis }));
  await app.register(resourcePreferenceRoutes(deps.orm));
  await app.register(recordActionRoutes({ orm: deps.orm, temporal: deps.temporal, temporalConfig: deps.temporalConfig }));

  app.get(
    '/healthz',
    { config: { access: 'public' }, schema: { description: 'The process is alive.', response: { 200: z.object({ status: z.literal('ok') }) } } },
    () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      config: { access: 'public' },
      schema: {
        description: 'Every dependency answers: app database, Temporal, a worker on the publishing queue, the configured Ed-Fi API.',
        response: {
          200: z.object({ ready: z.boolean(), checks: z.record(z.string(), checkResult) }),
          503: z.object({ ready: z.boolean(), checks: z.record(z.string(), checkResult) }),
        },
      },
    },
    async (_req, reply) => {
      const result = await runChecks({
        database: databaseCheck(deps.orm),
        temporal: temporalCheck(deps.temporal, deps.temporalConfig.namespace),
        worker: workerCheck(deps.temporal, deps.temporalConfig.namespace, deps.temporalConfig.taskQueues.publishing),
        edfi: edfiCheck(deps.edfiBaseUrl),
      });
      return reply.code(result.ready ? 200 : 503).send(result);
    },
  );

  const temporalLink = (workflowId: string): string | undefined =>
    deps.temporalUiUrl === undefined
      ? undefined
      : `${deps.temporalUiUrl}/namespaces/${encodeURIComponent(deps.temporalConfig.namespace)}/workflows/${encodeURIComponent(workflowId)}`;

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
            waiting: z.array(queueItem),
            recent: z.array(
              z.object({
                ticket: z.number(),
                workflowId: z.string(),
                category: z.string(),
                outcome: z.enum(['completed', 'failed']),
                detail: z.string().optional(),
                finishedAt: z.string(),
                option: z.string().optional(),
                schoolYear: z.number().optional(),
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
      const url = temporalLink(id);
      return {
        queueWorkflowId: id,
        ...(url ? { temporalUrl: url } : {}),
        running: view?.running ?? null,
        waiting: [...(view?.waiting ?? [])],
        recent: [...(view?.recent ?? [])],
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
      };
      const check = checkPublishRequest(request);
      if (!check.ok) return reply.code(400).send({ error: 'Bad Request', message: `${check.field}: ${check.reason}`, field: check.field });
      try {
        const processing = await deps.orm.em.fork().findOneOrFail(BasicSettingsSchema, { id: 1 });
        const result = await enqueuePublish(deps.temporal, deps.temporalConfig, profileId, request, { paused: !processing.systemProcessingEnabled });
        const url = temporalLink(result.workflowId);
        return reply.code(202).send({ ...result, queueWorkflowId: publishQueueWorkflowId(profileId), ...(url ? { temporalUrl: url } : {}) });
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError) return reply.code(400).send({ error: 'Bad Request', message: err.cause?.message ?? err.message });
        throw err;
      }
    },
  );

  app.get(
    '/api/categories',
    {
      schema: {
        description: 'The dashboard: groups, categories (in the recommended publishing order), their entities and publish options.',
        response: {
          200: z.array(
            z.object({
              id: z.string(),
              label: z.string(),
              categories: z.array(
                z.object({
                  id: z.string(),
                  label: z.string(),
                  districtOnly: z.boolean(),
                  entities: z.array(z.object({ label: z.string(), resource: z.string() })),
                  options: z.array(z.object({ id: z.string(), label: z.string() })),
                }),
              ),
            }),
          ),
        },
      },
    },
    () =>
      GROUPS.map((g) => ({
        id: g.id,
        label: g.label,
        categories: CATEGORIES.filter((c) => c.group === g.id).map((c) => ({
          id: c.id,
          label: c.label,
          districtOnly: c.districtOnly === true,
          entities: [...c.entities],
          options: optionsFor(c).map((o) => ({ id: o, label: PUBLISH_OPTIONS[o] })),
        })),
      })),
  );

  app.get(
    '/api/info',
    {
      config: { access: 'public' },
      schema: {
        description: 'Links the web UI shows.',
        response: { 200: z.object({ temporalUiUrl: z.string().nullable(), namespace: z.string(), edfiBaseUrl: z.string().nullable() }) },
      },
    },
    () => ({
      temporalUiUrl: deps.temporalUiUrl ?? null,
      namespace: deps.temporalConfig.namespace,
      edfiBaseUrl: deps.edfiBaseUrl ?? null,
    }),
  );

  // The web UI: a few static files, served with a strict content security policy.
  const serveStatic = async (file: string, reply: FastifyReply) => {
    // Own keys only: `constructor` and friends are not files.
    const type = Object.hasOwn(STATIC, file) ? STATIC[file] : undefined;
    if (type === undefined) return reply.code(404).send({ error: 'Not Found', message: 'no such page' });
    const body = await readFile(path.join(WEB_DIR, file));
    return reply
      .header('content-type', type)
      .header('content-security-policy', "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'")
      .header('x-content-type-options', 'nosniff')
      .send(body);
  };
  app.get('/', { config: { access: 'public' }, schema: { hide: true } }, (_req, reply) => serveStatic('index.html', reply));
  app.get('/ui/:file', { config: { access: 'public' }, schema: { hide: true, params: z.object({ file: z.string() }) } }, (req, reply) =>
    serveStatic(req.params.file, reply),
  );

  return app;
}
