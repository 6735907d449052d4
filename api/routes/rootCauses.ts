/** Root causes over HTTP: an entity's or category's dependency and error records grouped by what holds them back. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type pg from 'pg';
import { z } from 'zod';
import { problem } from '../schemas.js';
import { routeProfile } from '../auth/plugin.js';
import { entityLabel, findCategory } from '../../publishing/categories.js';
import { groupCauses, type CauseGroup } from '../../publishing/rootCauses.js';
import { blockerRecords, causeCounts } from '../../db/rootCauses.js';
import { mapperNamed } from '../../resources/index.js';

/** A clerk reads the first screenful; the rest are counted. */
const MAX_GROUPS = 25;

const recordLink = z.object({ resource: z.string(), sourceKey: z.string() });
const groupView = z.object({
  status: z.enum(['dependency', 'error']),
  count: z.number(),
  byResource: z.array(z.object({ resource: z.string(), label: z.string(), count: z.number() })),
  blocker: z
    .object({
      resource: z.string(),
      label: z.string().describe('The blocking record as a clerk knows it, e.g. "School Adams High School (255901001)"'),
      state: z.enum(['error', 'dependency', 'excluded', 'not-sent', 'published', 'deleted', 'missing']),
      description: z.string().nullable(),
      records: z.number().describe('How many distinct records block the group'),
      open: recordLink.nullable().describe('One of them, to open; null when the catalog does not hold it'),
    })
    .nullable(),
  description: z.string().nullable(),
  codeSet: z.string().nullable().describe('The code set to map, when the ODS did not know a descriptor'),
  fix: z.string(),
  sample: recordLink,
});

export function rootCauseRoutes(db: pg.Pool) {
  return (root: FastifyInstance, _opts: unknown, done: (err?: Error) => void): void => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/api/profiles/:profileId/root-causes',
      {
        config: { access: 'clerk' },
        schema: {
          tags: ['dashboard'],
          description:
            "Why an entity's (resource=) or a category's (category=) records are in dependency or error: grouped by the record they wait on — the end of the wait chain, with records of one kind in the same state together — or, waiting on nothing, by their shared status description; each group with its counts per entity, what to fix, and the record or code set to open. Largest first, at most 25 (`more` counts the rest).",
          params: z.object({ profileId: z.string().min(1).max(64) }),
          querystring: z
            .object({
              schoolYear: z.coerce.number().int().min(1991).max(2100).optional(),
              school: z.string().min(1).max(20).optional(),
              category: z.string().min(1).max(100).optional(),
              resource: z.string().min(1).max(100).optional(),
            })
            .refine((q) => (q.category === undefined) !== (q.resource === undefined), {
              message: 'give either category= or resource=, not both',
              path: ['category'],
            }),
          response: {
            200: z.object({ total: z.number(), groups: z.array(groupView), more: z.number() }),
            400: problem,
            404: problem,
          },
        },
      },
      async (req, reply) => {
        const profile = routeProfile(req);
        const q = req.query;
        const year = q.schoolYear ?? Math.max(...profile.schoolYears);
        let resources: readonly string[];
        if (q.category !== undefined) {
          const category = findCategory(q.category);
          if (category === undefined) return reply.code(404).send({ error: 'Not Found', message: `no category "${q.category}"` });
          resources = category.entities.map((e) => e.resource);
        } else resources = [q.resource!];
        const scope = { profileId: profile.id, schoolYear: year, school: q.school };
        const counts = await causeCounts(db, scope, resources);
        const deps = [...new Set(counts.flatMap((c) => (c.rootDep === null ? [] : [c.rootDep])))];
        const blockers = await blockerRecords(db, scope, deps);
        const groups = groupCauses(counts, new Map(blockers.map((b) => [b.dep, b])));
        return {
          total: groups.reduce((n, g) => n + g.count, 0),
          groups: groups.slice(0, MAX_GROUPS).map(view),
          more: Math.max(0, groups.length - MAX_GROUPS),
        };
      },
    );
    done();
  };
}

/** "School Adams High School (255901001)"; else the entity and its natural key's values. */
function blockerLabel(resource: string, naturalKey: Record<string, unknown>, display: Readonly<Record<string, unknown>> | null): string {
  // In the order of the mapper's list columns (a jsonb object keeps its own key order).
  const columns = mapperNamed(resource)?.listColumns?.map((c) => c.id) ?? Object.keys(display ?? {});
  const shown = columns.map((id) => display?.[id]).filter((v) => v !== null && v !== undefined && v !== '');
  const values =
    shown.length > 0
      ? `${String(shown[0])}${shown.length > 1 ? ` (${shown.slice(1).map(String).join(', ')})` : ''}`
      : Object.values(naturalKey).map(String).join(' / ');
  return `${entityLabel(resource)} ${values}`;
}

function view(g: CauseGroup): z.infer<typeof groupView> {
  const b = g.blocker;
  return {
    status: g.status,
    count: g.count,
    byResource: g.byResource.map((r) => ({ ...r, label: entityLabel(r.resource) })),
    blocker:
      b === null
        ? null
        : {
            resource: b.resource,
            label: blockerLabel(b.resource, b.sample.naturalKey, b.sample.display),
            state: b.state,
            description: b.description,
            records: b.records,
            open: b.sample.sourceKey === null ? null : { resource: b.resource, sourceKey: b.sample.sourceKey },
          },
    description: g.description,
    codeSet: g.codeSet,
    fix: g.fix,
    sample: g.sample,
  };
}
