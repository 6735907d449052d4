/**
 * The HTTP API and the web UI's host. Every route is described by zod schemas, validated on the
 * way in, and listed in the OpenAPI document at /docs.
 */

import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import type { TemporalConfig } from '../temporal.config.js';
import type { SecretBox } from '../db/secrets.js';
import { replicaSource } from '../db/replicas.js';
import { replicaRoutes } from './routes/replicas.js';
import { configurationRoutes } from './routes/configuration.js';
import { authRoutes } from './routes/auth.js';
import { metricsRoutes } from './routes/metrics.js';
import { installTracing } from './tracing.js';
import { previewRoutes } from './routes/preview.js';
import { installAuth, routeAccess, SESSION_COOKIE } from './auth/plugin.js';
import { loggableError } from './logSafe.js';
import { unreachableBecause } from '../db/pool.js';
import { diagnosticsRoutes } from './routes/diagnostics.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { rootCauseRoutes } from './routes/rootCauses.js';
import { downloadRoutes } from './routes/downloads.js';
import { mappingRoutes } from './routes/mapping.js';
import { setupRoutes } from './routes/setup.js';
import { resourcePreferenceRoutes } from './routes/resourcePreferences.js';
import { recordActionRoutes } from './routes/recordActions.js';
import { healthRoutes } from './routes/health.js';
import { publishQueueRoutes } from './routes/publishQueue.js';
import { initialSyncRoutes } from './routes/initialSync.js';
import { infoRoutes } from './routes/info.js';
import { webRoutes } from './routes/web.js';
import type pg from 'pg';

export interface ServerDeps {
  readonly orm: MikroORM;
  /** The app database's pool: the db/ modules' statements run on it. */
  readonly db: pg.Pool;
  readonly temporal: Client;
  readonly temporalConfig: TemporalConfig;
  readonly edfiBaseUrl?: string | undefined;
  /** Base URL of the Temporal web UI, for links to workflow histories. */
  readonly temporalUiUrl?: string | undefined;
  /** Where a first admin's password is kept (npm start): shown on the sign-in page. */
  readonly signInHint?: string | undefined;
  /** Fastify's request log: on (stdout), or into a stream (tests read what would be logged). */
  readonly logger?: boolean | { readonly level?: string; readonly stream: { write(line: string): void } };
  /** Seals the secrets districts enter (LEA connections). */
  readonly secrets: SecretBox;
  /** The district's SIS replica (read only): local codes for mapping. */
  readonly sis?: pg.Pool | undefined;
  /** The district's HR system replica: the local codes HR-only profiles map. */
  readonly hr?: pg.Pool | undefined;
}

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
    // A database that does not answer is a 503 saying so (and to try again), not an unexpected error.
    const unreachable = err.statusCode === undefined ? unreachableBecause(err) : undefined;
    if (unreachable !== undefined)
      return reply.code(503).send({
        error: 'Service Unavailable',
        message: `a database this request reads did not answer (${unreachable}); try again shortly — if it persists, check that the app database and the SIS (or HR) replica are up`,
      });
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

  installTracing(app);
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
  await app.register(replicaRoutes({ orm: deps.orm, secrets: deps.secrets }));
  await app.register(diagnosticsRoutes({ orm: deps.orm, temporal: deps.temporal }));
  await app.register(dashboardRoutes({ orm: deps.orm, db: deps.db, temporal: deps.temporal }));
  await app.register(rootCauseRoutes(deps.db));
  await app.register(previewRoutes(deps.db));
  await app.register(downloadRoutes({ orm: deps.orm, db: deps.db, temporal: deps.temporal, temporalConfig: deps.temporalConfig }));
  // Each district's own replica, else the deployment's (db/replicas.ts); its pools end with the server.
  const replicas = replicaSource({ orm: deps.orm, secrets: deps.secrets, sis: deps.sis, hr: deps.hr, max: 4 });
  app.addHook('onClose', () => replicas.close());
  await app.register(mappingRoutes({ orm: deps.orm, db: deps.db, replicas }));
  await app.register(setupRoutes({ orm: deps.orm, db: deps.db, replicas }));
  await app.register(resourcePreferenceRoutes(deps.db));
  await app.register(recordActionRoutes({ orm: deps.orm, temporal: deps.temporal, temporalConfig: deps.temporalConfig }));

  await app.register(metricsRoutes({ orm: deps.orm, db: deps.db, temporal: deps.temporal, temporalConfig: deps.temporalConfig, replicas }));
  await app.register(healthRoutes({ orm: deps.orm, temporal: deps.temporal, temporalConfig: deps.temporalConfig, edfiBaseUrl: deps.edfiBaseUrl }));
  await app.register(publishQueueRoutes({ orm: deps.orm, temporal: deps.temporal, temporalConfig: deps.temporalConfig, temporalUiUrl: deps.temporalUiUrl }));
  await app.register(initialSyncRoutes({ temporal: deps.temporal, temporalConfig: deps.temporalConfig, temporalUiUrl: deps.temporalUiUrl }));
  await app.register(
    infoRoutes({ temporalConfig: deps.temporalConfig, edfiBaseUrl: deps.edfiBaseUrl, temporalUiUrl: deps.temporalUiUrl, signInHint: deps.signInHint }),
  );
  await app.register(webRoutes());

  return app;
}
