/** What the web UI draws from: the categories with their entities and publish options, and the links it shows. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { TemporalConfig } from '../../temporal.config.js';
import { CATEGORIES, GROUPS, PUBLISH_OPTIONS, optionsFor } from '../../publishing/categories.js';

export interface InfoDeps {
  readonly temporalConfig: TemporalConfig;
  readonly edfiBaseUrl?: string | undefined;
  readonly temporalUiUrl?: string | undefined;
  /** Where a first admin's password is kept, for the sign-in page. */
  readonly signInHint?: string | undefined;
}

export function infoRoutes(deps: InfoDeps) {
  return (root: FastifyInstance, _opts: unknown, done: (err?: Error) => void): void => {
    const app = root.withTypeProvider<ZodTypeProvider>();
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
          response: {
            200: z.object({
              temporalUiUrl: z.string().nullable(),
              namespace: z.string(),
              edfiBaseUrl: z.string().nullable(),
              signInHint: z.string().nullable().describe("Where a first admin's password is kept (set by npm start), for the sign-in page"),
            }),
          },
        },
      },
      () => ({
        temporalUiUrl: deps.temporalUiUrl ?? null,
        namespace: deps.temporalConfig.namespace,
        edfiBaseUrl: deps.edfiBaseUrl ?? null,
        signInHint: deps.signInHint ?? null,
      }),
    );
    done();
  };
}
