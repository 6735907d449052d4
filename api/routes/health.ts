/** Liveness and readiness: the process is alive; every dependency answers. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import type { TemporalConfig } from '../../temporal.config.js';
import { databaseCheck, edfiCheck, runChecks, temporalCheck, workerCheck } from '../readiness.js';

export interface HealthDeps {
  readonly orm: MikroORM;
  readonly temporal: Client;
  readonly temporalConfig: TemporalConfig;
  readonly edfiBaseUrl?: string | undefined;
}

const checkResult = z.object({ ok: z.boolean(), detail: z.string(), ms: z.number() });

export function healthRoutes(deps: HealthDeps) {
  return (root: FastifyInstance, _opts: unknown, done: (err?: Error) => void): void => {
    const app = root.withTypeProvider<ZodTypeProvider>();
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
    done();
  };
}
