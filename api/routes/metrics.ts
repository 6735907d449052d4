/**
 * `GET /metrics`: the API's Prometheus endpoint — the state of every profile read when scraped
 * (catalog sizes, dependency backlog, queues, Data Changes) and whether Postgres, Temporal and a
 * worker answer. It covers every profile, so it needs an admin key of the deployment's IT (no
 * vendor, no district); Prometheus sends it as `authorization: Bearer edx_…`.
 */
import type { ReplicaSource } from '../../db/replicas.js';
import type { FastifyInstance } from 'fastify';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import type pg from 'pg';
import type { TemporalConfig } from '../../temporal.config.js';
import { ProfileSchema, type Profile } from '../../db/entities/profile.js';
import { catalogSizes, dependencyBacklog } from '../../db/metrics.js';
import { apiMetrics, METRICS_CONTENT_TYPE, type ScrapedState } from '../../observability/metrics.js';
import { readQueue } from '../../temporal/client/publishQueue.js';
import { readDataChanges } from '../../temporal/client/dataChanges.js';
import { oldestEventAfter } from '../../sis/events.js';
import { databaseCheck, runChecks, temporalCheck, workerCheck } from '../readiness.js';

export interface MetricsDeps {
  readonly orm: MikroORM;
  readonly db: pg.Pool;
  readonly temporal: Client;
  readonly temporalConfig: TemporalConfig;
  /** Each profile's replica (its district's, else the deployment's): how far Data Changes lags. */
  readonly replicas?: ReplicaSource | undefined;
}

const secondsSince = (iso: string | undefined, now: number): number => (iso === undefined ? 0 : Math.max(0, (now - Date.parse(iso)) / 1000));

/** One read of everything the gauges show; a part that cannot be read is left out (and `up` says why). */
export async function scrapeState(deps: MetricsDeps): Promise<ScrapedState> {
  const checks = await runChecks({
    database: databaseCheck(deps.orm),
    temporal: temporalCheck(deps.temporal, deps.temporalConfig.namespace),
    worker: workerCheck(deps.temporal, deps.temporalConfig.namespace, deps.temporalConfig.taskQueues.publishing),
  });
  const up = { database: checks.checks.database?.ok === true, temporal: checks.checks.temporal?.ok === true, worker: checks.checks.worker?.ok === true };
  const none = { catalog: [], dependency: [], queues: [], dataChanges: [] };
  if (!up.database) return { ...none, up };
  let read: [Profile[], ScrapedState['catalog'], ScrapedState['dependency']];
  try {
    read = await Promise.all([deps.orm.em.fork().find(ProfileSchema, { removedAt: null }), catalogSizes(deps.db), dependencyBacklog(deps.db)]);
  } catch {
    // Gone between the check and the reads: the scrape still answers, saying so.
    return { ...none, up: { ...up, database: false } };
  }
  const [profiles, catalog, dependency] = read;
  const now = Date.now();
  const queues: Array<ScrapedState['queues'][number]> = [];
  const dataChanges: Array<ScrapedState['dataChanges'][number]> = [];
  if (up.temporal) {
    await Promise.all(
      profiles.map(async (p) => {
        const queue = await readQueue(deps.temporal, p.id).catch(() => undefined);
        if (queue !== undefined) {
          const oldest = queue.waiting.reduce<string | undefined>((min, w) => (min === undefined || w.enqueuedAt < min ? w.enqueuedAt : min), undefined);
          queues.push({
            profile: p.id,
            waiting: queue.waiting.length,
            oldestWaitSeconds: secondsSince(oldest, now),
            runningSeconds: secondsSince(queue.running?.startedAt, now),
            paused: queue.paused,
          });
        }
        const changes = await readDataChanges(deps.temporal, p.id).catch(() => undefined);
        const replica = await deps.replicas?.forProfile(p).catch(() => undefined);
        if (changes === undefined || replica === undefined) return;
        const oldestEvent = await oldestEventAfter(replica, changes.afterEventId ?? 0).catch(() => undefined);
        dataChanges.push({ profile: p.id, pendingSeconds: oldestEvent === undefined ? 0 : Math.max(0, (now - oldestEvent.getTime()) / 1000) });
      }),
    );
  }
  return { catalog, dependency, queues, dataChanges, up };
}

export function metricsRoutes(deps: MetricsDeps) {
  const registry = apiMetrics(() => scrapeState(deps));
  return (app: FastifyInstance, _opts: unknown, done: (err?: Error) => void): void => {
    app.get(
      '/metrics',
      {
        // Every district's profiles: for the deployment's IT.
        config: { access: 'deployment' },
        // Text for Prometheus, not JSON: kept out of the OpenAPI document (README shows how to scrape it).
        schema: { hide: true },
      },
      async (request, reply) => {
        if (request.principal?.vendor !== null && request.principal?.vendor !== undefined)
          return reply
            .code(403)
            .send({ error: 'Forbidden', message: 'the metrics cover every profile: scrape with an admin API key that has no vendor and no district' });
        return reply.type(METRICS_CONTENT_TYPE).send(await registry.metrics());
      },
    );
    done();
  };
}
