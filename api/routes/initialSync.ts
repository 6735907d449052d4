/** A profile's initial synchronization (the guide's "Initial Data Synchronization") as one run: start it, follow it, pause, resume or cancel it. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Client } from '@temporalio/client';
import type { TemporalConfig } from '../../temporal.config.js';
import { problem, publishScopeSchema, temporalLinkOf } from '../schemas.js';
import { routeProfile } from '../auth/plugin.js';
import { cancelInitialSync, pauseInitialSync, readInitialSync, startInitialSync } from '../../temporal/client/initialSync.js';
import { initialSyncWorkflowId } from '../../temporal/ids.js';

export interface InitialSyncDeps {
  readonly temporal: Client;
  readonly temporalConfig: TemporalConfig;
  readonly temporalUiUrl?: string | undefined;
}

const scopeSchema = publishScopeSchema;
const yearSchema = z.number().int().min(1991).max(2100).describe('Ending year: 2025 = 2024-2025');
const stepView = z.object({
  category: z.string(),
  option: z.string(),
  scope: scopeSchema,
  state: z.enum(['waiting', 'running', 'completed', 'failed']),
  workflowId: z.string().optional(),
  published: z.number().optional(),
  dependency: z.number().optional(),
  error: z.number().optional(),
  detail: z.string().optional(),
});
const view = z.object({
  workflowId: z.string(),
  temporalUrl: z.string().optional(),
  open: z.boolean().describe('Still running or paused: it can be paused, resumed or cancelled'),
  state: z.enum(['planning', 'running', 'paused', 'completed', 'stopped', 'cancelled']),
  current: z.number().describe('The category running or next (1-based) of steps'),
  steps: z.array(stepView),
  skipped: z.array(z.object({ category: z.string(), why: z.string() })),
  dataChanges: z.string().optional(),
  detail: z.string().optional(),
});

export function initialSyncRoutes(deps: InitialSyncDeps) {
  return (root: FastifyInstance, _opts: unknown, done: (err?: Error) => void): void => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    const linked = temporalLinkOf(deps.temporalUiUrl, deps.temporalConfig.namespace);
    const params = z.object({ profileId: z.string().min(1).max(64) });
    const notOneOfItsYears = (years: readonly number[], year: number): string => `school year ${year} is not one of this profile's (${years.join(', ')})`;

    app.post(
      '/api/profiles/:profileId/initial-sync',
      {
        schema: {
          description:
            "Start the profile's initial synchronization for a school year: every category it publishes, in the dashboard's order, each finishing before the next. Turning Data Changes on at the end needs the admin role.",
          params,
          body: z.object({
            schoolYear: yearSchema,
            scope: scopeSchema.default({ kind: 'district' }),
            turnOnDataChanges: z.boolean().default(false),
          }),
          response: { 202: z.object({ workflowId: z.string(), temporalUrl: z.string().optional() }), 400: problem, 403: problem, 404: problem, 409: problem },
        },
      },
      async (req, reply) => {
        const profile = routeProfile(req);
        const { schoolYear, scope, turnOnDataChanges } = req.body;
        if (!profile.schoolYears.includes(schoolYear))
          return reply.code(400).send({ error: 'Bad Request', message: notOneOfItsYears(profile.schoolYears, schoolYear), field: 'schoolYear' });
        if (turnOnDataChanges && req.principal?.role !== 'admin')
          return reply.code(403).send({
            error: 'Forbidden',
            message: 'turning Data Changes on changes the profile: it needs the admin role (leave it off and an admin turns it on)',
          });
        const workflowId = await startInitialSync(deps.temporal, deps.temporalConfig, {
          profileId: profile.id,
          schoolYear,
          scope,
          turnOnDataChanges,
          requestedBy: `${req.principal?.kind === 'key' ? 'api key' : 'user'} ${req.principal?.name ?? 'unknown'}`,
        });
        if (workflowId === undefined)
          return reply.code(409).send({
            error: 'Conflict',
            message: `an initial synchronization of ${schoolYear} is already running for this profile: follow, pause or cancel it`,
          });
        return reply.code(202).send({ workflowId, ...linked(workflowId) });
      },
    );

    app.get(
      '/api/profiles/:profileId/initial-sync',
      {
        schema: {
          description: "The profile's initial synchronization of a school year: category n of m, each category's outcome and counts, what it skipped and why.",
          params,
          querystring: z.object({ schoolYear: z.coerce.number().int().min(1991).max(2100) }),
          response: { 200: view, 404: problem },
        },
      },
      async (req, reply) => {
        const profile = routeProfile(req);
        const found = await readInitialSync(deps.temporal, profile.id, req.query.schoolYear);
        if (found === undefined)
          return reply.code(404).send({ error: 'Not Found', message: `no initial synchronization of ${req.query.schoolYear} has run for this profile` });
        return { ...found, ...linked(found.workflowId) };
      },
    );

    for (const action of ['pause', 'resume', 'cancel'] as const) {
      app.post(
        `/api/profiles/:profileId/initial-sync/${action}`,
        {
          schema: {
            description:
              action === 'cancel'
                ? 'Cancel the running initial synchronization: the category running finishes in the publish queue, nothing after it is queued.'
                : action === 'pause'
                  ? 'Pause the running initial synchronization before its next category (the one running finishes).'
                  : 'Resume a paused initial synchronization.',
            params,
            body: z.object({ schoolYear: yearSchema }),
            response: { 202: z.object({ workflowId: z.string() }), 404: problem },
          },
        },
        async (req, reply) => {
          const profile = routeProfile(req);
          const { schoolYear } = req.body;
          const done =
            action === 'cancel'
              ? await cancelInitialSync(deps.temporal, profile.id, schoolYear)
              : await pauseInitialSync(deps.temporal, profile.id, schoolYear, action === 'pause');
          if (!done) return reply.code(404).send({ error: 'Not Found', message: `no initial synchronization of ${schoolYear} is running for this profile` });
          return reply.code(202).send({ workflowId: initialSyncWorkflowId(profile.id, schoolYear) });
        },
      );
    }
    done();
  };
}
