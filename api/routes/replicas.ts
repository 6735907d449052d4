/**
 * A district's own SIS and HR replicas, on a deployment of many districts (db/replicas.ts): entered
 * by the deployment's IT, read once to check they hold the district, and kept sealed — the URL holds
 * the replica's password and is never answered back.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { MikroORM } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { problem } from '../schemas.js';
import { LeaSchema, type Lea } from '../../db/entities/configuration.js';
import { districtsInReplica } from '../../db/replicas.js';
import type { SecretBox } from '../../db/secrets.js';
import { replicaDistrictRefusal } from '../../publishing/profileVisibility.js';
import { routeLea } from '../auth/plugin.js';

export interface ReplicaRouteDeps {
  readonly orm: MikroORM;
  readonly secrets: SecretBox;
}

const KINDS = [
  { kind: 'sis', label: 'SIS replica', field: 'sisReplicaSealed' },
  { kind: 'hr', label: 'HR system replica', field: 'hrReplicaSealed' },
] as const;

const replicaUrl = z
  .string()
  .max(1000)
  .regex(/^postgres(ql)?:\/\/\S+$/, 'a PostgreSQL URL, e.g. postgres://reader:…@sis-replica.district.org:5432/sis')
  .nullable()
  .optional();

const replicasView = z.object({
  leaId: z.string(),
  sis: z.boolean().describe("The district has its own SIS replica; false: its profiles read the deployment's (SIS_DATABASE_URL)"),
  hr: z.boolean().describe("The district has its own HR system replica; false: the deployment's (HR_DATABASE_URL)"),
});

const view = (lea: Lea): z.infer<typeof replicasView> => ({
  leaId: lea.id,
  sis: lea.sisReplicaSealed !== null && lea.sisReplicaSealed !== undefined,
  hr: lea.hrReplicaSealed !== null && lea.hrReplicaSealed !== undefined,
});

export function replicaRoutes(deps: ReplicaRouteDeps) {
  return (root: FastifyInstance, _opts: unknown, done: (err?: Error) => void): void => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    const params = z.object({ leaId: z.string().min(1).max(64) });
    const load = (leaId: string) => deps.orm.em.fork().findOneOrFail(LeaSchema, { id: leaId }, { populate: ['sisReplicaSealed', 'hrReplicaSealed'] });

    app.get(
      '/api/leas/:leaId/replicas',
      {
        config: { access: 'deployment' },
        schema: {
          tags: ['configuration'],
          description: 'Whether the district has its own SIS and HR replicas (the URLs are never answered).',
          params,
          response: { 200: replicasView, 404: problem },
        },
      },
      async (req) => view(await load(routeLea(req).id)),
    );

    app.put(
      '/api/leas/:leaId/replicas',
      {
        config: { access: 'deployment' },
        schema: {
          tags: ['configuration'],
          description:
            "Give the district its own SIS and/or HR replica (null: back to the deployment's). Each URL is read once before it is kept: it must answer within 5 s and hold this district (its `district` table has the LEA's state number), else 400 says why.",
          params,
          body: z.object({ sis: replicaUrl, hr: replicaUrl }),
          response: { 200: replicasView, 400: problem, 404: problem },
        },
      },
      async (req, reply) => {
        const em = deps.orm.em.fork();
        const lea = await em.findOneOrFail(LeaSchema, { id: routeLea(req).id }, { populate: ['sisReplicaSealed', 'hrReplicaSealed'] });
        for (const { kind, label, field } of KINDS) {
          const url = req.body[kind];
          if (url === undefined) continue;
          if (url === null) {
            lea[field] = null;
            continue;
          }
          const read = await districtsInReplica(url);
          const why = 'unreadable' in read ? `could not be read (${read.unreadable})` : replicaDistrictRefusal(read.numbers, lea.stateNumber);
          if (why !== undefined) return reply.code(400).send({ error: 'Bad Request', message: `${label}: ${why}`, field: kind });
          lea[field] = deps.secrets.seal(url);
        }
        await em.flush();
        return view(lea);
      },
    );
    done();
  };
}
