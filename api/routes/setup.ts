/** The guide's setup order for a profile, each step with its state: what the dashboard shows a new install first. */
import type { ReplicaSource } from '../../db/replicas.js';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { MikroORM } from '@mikro-orm/postgresql';
import type pg from 'pg';
import { unreachableBecause } from '../../db/pool.js';
import { z } from 'zod';
import { problem } from '../schemas.js';
import { routeProfile } from '../auth/plugin.js';
import { connectionFacts } from '../connections.js';
import { readDownloadStates } from '../../db/downloads.js';
import { catalogCounts } from '../../db/catalogReads.js';
import { categoriesFor } from '../../publishing/downloads.js';
import { defaultSchoolYear } from '../../publishing/schoolYear.js';
import { publishBlocker, setupSteps, SETUP_STEPS } from '../../publishing/setupSteps.js';
import { codeSetStates } from '../codeSetStates.js';

export interface SetupDeps {
  readonly orm: MikroORM;
  readonly db: pg.Pool;
  /** Each profile's replica: its district's, else the deployment's. */
  readonly replicas: ReplicaSource;
}

export function setupRoutes(deps: SetupDeps) {
  const { blockingCodeSets } = codeSetStates(deps.db);
  return (root: FastifyInstance, _opts: unknown, done: (err?: Error) => void): void => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/api/profiles/:profileId/setup',
      {
        schema: {
          tags: ['dashboard'],
          description:
            "The guide's setup order — connection, test, enable, download, mapping, publish — each step with its state (done, todo, problem, unknown), what it needs and the page to do it on; and why a publish cannot work yet, if it cannot.",
          params: z.object({ profileId: z.string().min(1).max(64) }),
          querystring: z.object({ schoolYear: z.coerce.number().int().min(1991).max(2100).optional() }),
          response: {
            200: z.object({
              schoolYear: z.number(),
              steps: z.array(
                z.object({
                  id: z.enum(SETUP_STEPS),
                  label: z.string(),
                  state: z.enum(['done', 'todo', 'problem', 'unknown']),
                  detail: z.string(),
                  page: z.enum(['configure', 'download', 'mapping', 'dashboard']),
                }),
              ),
              publishBlocked: z.string().nullable().describe('Why a publish would fail at once (no enabled LEA connection), or null'),
            }),
            404: problem,
          },
        },
      },
      async (req) => {
        const profile = routeProfile(req);
        const year = req.query.schoolYear ?? defaultSchoolYear(profile.schoolYears, new Date());
        const connections = await connectionFacts(deps.orm.em.fork(), profile.id);
        const replica = await deps.replicas.forProfile(profile);
        // A replica that does not answer leaves the mapping step unknown; the other steps still show.
        const blocking =
          replica === undefined
            ? undefined
            : await blockingCodeSets(profile, replica).catch((err: unknown) => {
                if (unreachableBecause(err) === undefined) throw err;
                return undefined;
              });
        const counts = await catalogCounts(deps.db, { profileId: profile.id, schoolYear: year, school: undefined });
        const steps = setupSteps({
          profileName: profile.name,
          connections,
          downloadOn: profile.publishDownload,
          downloadCategories: categoriesFor(profile.profileType),
          downloads: await readDownloadStates(deps.db, { profileId: profile.id, schoolYear: year }),
          blockingCodeSets: blocking?.map((b) => ({ label: b.label, unmapped: b.unmapped.length })),
          published: counts.filter((r) => r.status === 'published').reduce((n, r) => n + Number(r.n), 0),
        });
        return { schoolYear: year, steps, publishBlocked: publishBlocker(profile.name, connections) };
      },
    );
    done();
  };
}
