/**
 * The guide's Mapping page over HTTP: each code set's local codes from the SIS replica, what they
 * map to (pre-mapped automatically where a downloaded code value matches), the downloaded
 * descriptors to choose from, and the code sets whose unmapped codes block state reporting.
 */
import type { ReplicaSource } from '../../db/replicas.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type pg from 'pg';
import { z } from 'zod';
import type { MikroORM } from '@mikro-orm/postgresql';
import { problem } from '../schemas.js';
import type { Profile } from '../../db/entities/profile.js';
import { CODE_SETS, findCodeSet, groupChoices, unmappedCodes, type CodeSet, type DescriptorValue } from '../../publishing/codeSets.js';
import { clearMapping, downloadedDescriptors, saveMapping } from '../../db/codeMappings.js';
import { readLocalCodes } from '../../sis/localCodes.js';
import { routeProfile } from '../auth/plugin.js';
import { codeSetStates, codeView, STATE_NAMESPACE_PREFIX, type CodeSetState } from '../codeSetStates.js';
import { REPLICA_OF } from '../../publishing/profileSettings.js';

/** SIS school ids are Postgres integers: a larger one is refused with 400 rather than failing in the database. */
const INT4_MAX = 2_147_483_647;

export interface MappingDeps {
  readonly orm: MikroORM;
  /** The app database's pool: the db/ modules' statements run on it. */
  readonly db: pg.Pool;
  /** The replica each profile maps the local codes of: its district's, else the deployment's. */
  readonly replicas: ReplicaSource;
}

const params = z.object({ profileId: z.string().min(1).max(64) });
const setParams = params.extend({ codeSet: z.string().min(1).max(64) });
const codeSetSummary = z.object({
  id: z.string(),
  label: z.string(),
  descriptor: z.string(),
  requiredForState: z.boolean(),
  perSchool: z.boolean(),
  note: z.string().optional(),
  localCodes: z.number(),
  mapped: z.number(),
  autoMapped: z.number(),
  unmapped: z.number(),
});

export function mappingRoutes(deps: MappingDeps) {
  return (root: FastifyInstance, _opts: unknown, done: (err?: Error) => void): void => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    const conn = deps.db;

    const { codeSetState, blockingCodeSets } = codeSetStates(conn);

    /** The profile, the code set and the SIS, or the refusal already sent. */
    const resolve = async (
      req: FastifyRequest,
      reply: FastifyReply,
      codeSetId: string | undefined,
    ): Promise<{ profile: Profile; set: CodeSet | undefined; sis: pg.Pool } | undefined> => {
      const profile = routeProfile(req);
      const set = codeSetId === undefined ? undefined : findCodeSet(codeSetId);
      if (codeSetId !== undefined && set === undefined) {
        await reply.code(404).send({ error: 'Not Found', message: `no code set "${codeSetId}"; code sets: ${CODE_SETS.map((c) => c.id).join(', ')}` });
        return undefined;
      }
      // A profile maps the local codes of the replica it publishes from.
      const hr = REPLICA_OF[profile.profileType] === 'hr';
      const sis = await deps.replicas.forProfile(profile);
      if (sis === undefined) {
        const orDistrict = profile.leaId === null ? '' : `, or the replica of its district (PUT /api/leas/${profile.leaId}/replicas)`;
        await reply.code(503).send({
          error: 'Service Unavailable',
          message: hr
            ? `profile "${profile.name}" is HR-only and maps the HR system's codes, but no HR replica is configured: set HR_DATABASE_URL for the API${orDistrict}`
            : `no SIS replica is configured: set SIS_DATABASE_URL for the API${orDistrict}`,
        });
        return undefined;
      }
      return { profile, set, sis };
    };

    const summary = (set: CodeSet, state: CodeSetState): z.infer<typeof codeSetSummary> => ({
      id: set.id,
      label: set.label,
      descriptor: set.descriptor,
      requiredForState: set.requiredForState,
      perSchool: set.perSchool,
      ...(set.note !== undefined ? { note: set.note } : {}),
      localCodes: state.codes.length,
      mapped: state.codes.filter((c) => c.mapping !== null).length,
      autoMapped: state.codes.filter((c) => c.mapping?.auto === true).length,
      unmapped: unmappedCodes(state.codes).length,
    });

    app.get(
      '/api/profiles/:profileId/code-sets',
      {
        schema: {
          tags: ['mapping'],
          description:
            "Every mappable code set with its local codes counted: mapped (by the clerk or pre-mapped), pre-mapped, and unmapped (published as local descriptors). Reading pre-maps codes whose value matches a downloaded descriptor code value, the state's namespace preferred.",
          params,
          response: { 200: z.array(codeSetSummary), 404: problem, 503: problem },
        },
      },
      async (req, reply) => {
        const ok = await resolve(req, reply, undefined);
        if (ok === undefined) return reply;
        const out = [];
        for (const set of CODE_SETS) out.push(summary(set, await codeSetState(ok.profile, set, ok.sis)));
        return out;
      },
    );

    app.get(
      '/api/profiles/:profileId/code-sets/unmapped',
      {
        schema: {
          tags: ['mapping'],
          description: 'The code sets state reporting needs that still have unmapped local codes, with those codes: what blocks state reporting.',
          params,
          response: { 200: z.array(z.object({ id: z.string(), label: z.string(), unmapped: z.array(codeView) })), 404: problem, 503: problem },
        },
      },
      async (req, reply) => {
        const ok = await resolve(req, reply, undefined);
        if (ok === undefined) return reply;
        return blockingCodeSets(ok.profile, ok.sis);
      },
    );

    app.get(
      '/api/profiles/:profileId/code-sets/:codeSet/codes',
      {
        schema: {
          tags: ['mapping'],
          description:
            'The local codes of one code set from the SIS replica (per school where the SIS keeps the table per school), each with its mapping or the local descriptor it is published as.',
          params: setParams,
          querystring: z.object({
            schoolId: z.coerce.number().int().min(0).max(INT4_MAX).optional().describe('only this school (per-school code sets)'),
            unmappedOnly: z.enum(['true', 'false']).optional(),
          }),
          response: { 200: z.array(codeView), 404: problem, 503: problem },
        },
      },
      async (req, reply) => {
        const ok = await resolve(req, reply, req.params.codeSet);
        if (ok?.set === undefined) return reply;
        const { codes } = await codeSetState(ok.profile, ok.set, ok.sis);
        return codes.filter(
          (c) => (req.query.schoolId === undefined || c.schoolId === req.query.schoolId) && (req.query.unmappedOnly !== 'true' || c.mapping === null),
        );
      },
    );

    app.get(
      '/api/profiles/:profileId/code-sets/:codeSet/choices',
      {
        schema: {
          tags: ['mapping'],
          description:
            "The downloaded descriptor values a code can map to, grouped by namespace (core Ed-Fi first, then the state's), filtered by namespace and by text in the code value or description, paged.",
          params: setParams,
          querystring: z.object({
            namespace: z.string().max(255).optional(),
            q: z.string().max(100).optional().describe('text in the code value or short description, any case'),
            limit: z.coerce.number().int().min(1).max(500).default(100),
            offset: z.coerce.number().int().min(0).default(0),
          }),
          response: {
            200: z.object({
              total: z.number(),
              groups: z.array(
                z.object({ namespace: z.string(), values: z.array(z.object({ namespace: z.string(), codeValue: z.string(), shortDescription: z.string() })) }),
              ),
            }),
            404: problem,
            503: problem,
          },
        },
      },
      async (req, reply) => {
        const ok = await resolve(req, reply, req.params.codeSet);
        if (ok?.set === undefined) return reply;
        const q = req.query.q?.toLowerCase();
        const values = (await downloadedDescriptors(conn, ok.profile.id, ok.set.descriptor)).filter(
          (v) =>
            (req.query.namespace === undefined || v.namespace === req.query.namespace) &&
            (q === undefined || v.codeValue.toLowerCase().includes(q) || v.shortDescription.toLowerCase().includes(q)),
        );
        // Page over the grouped order so page 2 continues where page 1 stopped.
        const ordered = groupChoices(values, STATE_NAMESPACE_PREFIX).flatMap((g) => g.values);
        const page = ordered.slice(req.query.offset, req.query.offset + req.query.limit);
        return { total: ordered.length, groups: groupChoices(page, STATE_NAMESPACE_PREFIX) };
      },
    );

    const target = z.object({ namespace: z.string().min(1).max(255), codeValue: z.string().min(1).max(50) });
    app.put(
      '/api/profiles/:profileId/code-sets/:codeSet/mappings',
      {
        schema: {
          tags: ['mapping'],
          description:
            'Maps one local code to a downloaded descriptor value, or (`target: null`) keeps it as a local descriptor. Stored at once; replaces a pre-mapping. Per-school code sets need the school id.',
          params: setParams,
          body: z.object({
            code: z.string().min(1).max(100),
            schoolId: z.number().int().min(0).max(INT4_MAX).nullable().default(null),
            target: target.nullable(),
          }),
          response: { 200: codeView, 400: problem, 404: problem, 503: problem },
        },
      },
      async (req, reply) => {
        const ok = await resolve(req, reply, req.params.codeSet);
        if (ok?.set === undefined) return reply;
        const { code, schoolId, target: chosen } = req.body;
        const refusal = await checkMapping(ok.set, ok.sis, code, schoolId, chosen, await downloadedDescriptors(conn, ok.profile.id, ok.set.descriptor));
        if (refusal !== undefined) return reply.code(400).send({ error: 'Bad Request', ...refusal });
        await saveMapping(conn, { profileId: ok.profile.id, codeSet: ok.set.id, schoolId, code, target: chosen, by: req.principal?.name ?? 'unknown' });
        const row = (await codeSetState(ok.profile, ok.set, ok.sis, { code, schoolId })).codes.find((c) => c.code === code && c.schoolId === schoolId);
        return row!;
      },
    );

    app.delete(
      '/api/profiles/:profileId/code-sets/:codeSet/mappings',
      {
        schema: {
          tags: ['mapping'],
          description: 'Forgets the decision for one local code; the next read pre-maps it again if a downloaded value matches.',
          params: setParams,
          querystring: z.object({ code: z.string().min(1).max(100), schoolId: z.coerce.number().int().min(0).max(INT4_MAX).optional() }),
          response: { 204: z.null(), 404: problem, 503: problem },
        },
      },
      async (req, reply) => {
        const ok = await resolve(req, reply, req.params.codeSet);
        if (ok?.set === undefined) return reply;
        const cleared = await clearMapping(conn, ok.profile.id, ok.set.id, req.query.schoolId ?? null, req.query.code);
        return cleared
          ? reply.code(204).send(null)
          : reply.code(404).send({ error: 'Not Found', message: `no mapping stored for code "${req.query.code}" in ${ok.set.label}` });
      },
    );

    done();
  };
}

/** Why a mapping cannot be stored (the code is not the SIS's, or the value was never downloaded), or undefined. */
async function checkMapping(
  set: CodeSet,
  sis: pg.Pool,
  code: string,
  schoolId: number | null,
  chosen: { namespace: string; codeValue: string } | null,
  values: readonly DescriptorValue[],
): Promise<{ message: string; field: string } | undefined> {
  if (set.perSchool && schoolId === null) return { message: `${set.label} are kept per school: say which school (schoolId)`, field: 'schoolId' };
  if (!set.perSchool && schoolId !== null) return { message: `${set.label} are district-wide: leave schoolId out`, field: 'schoolId' };
  const local = set.localCategory === null ? [] : await readLocalCodes(sis, set.localCategory, { code, schoolId });
  if (!local.some((c) => c.code === code && c.schoolId === schoolId)) {
    return { message: `"${code}" is not a local code of ${set.label}${schoolId !== null ? ` at school ${schoolId}` : ''} in the SIS`, field: 'code' };
  }
  if (chosen !== null && !values.some((v) => v.namespace === chosen.namespace && v.codeValue === chosen.codeValue)) {
    return {
      message: `${chosen.namespace}#${chosen.codeValue} is not a downloaded ${set.descriptor} value: download descriptors for this profile, then choose one of them`,
      field: 'target',
    };
  }
  return undefined;
}
