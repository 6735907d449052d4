/** What the activities are built over: the app database, Temporal, the secret box and the SIS and HR replicas. */
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import type pg from 'pg';
import type { ReplicaSource } from '../db/replicas.js';
import type { TemporalConfig } from '../temporal.config.js';
import type { SecretBox } from '../db/secrets.js';
import type { WorkerMetrics } from '../observability/metrics.js';

export interface ActivityDeps {
  readonly orm: MikroORM;
  /** The app database as a plain pool: the publishing engine's bulk statements (db/ modules) run on it. Its owner closes it. */
  readonly db: pg.Pool;
  readonly temporal: Client;
  readonly temporalConfig: TemporalConfig;
  /** Opens stored secrets inside activities only. */
  readonly secrets: SecretBox;
  /** The district's SIS replica (read only): what the mappers extract from. */
  readonly sis?: pg.Pool | undefined;
  /** The district's HR system replica (read only): what HR-only profiles extract from. */
  readonly hr?: pg.Pool | undefined;
  /** Each district's own replicas (db/replicas.ts); built from the above when absent. Its owner closes it. */
  readonly replicas?: ReplicaSource | undefined;
  /** The most records one bulk wake run reads (publishing/dependencyTimetable.ts's WAKE_RUN_MOST when absent). */
  readonly wakeRunMost?: number | undefined;
  /** What the worker counts for Prometheus (worker/metricsServer.ts serves it). */
  readonly metrics?: WorkerMetrics | undefined;
}
