/**
 * Every activity the worker registers, built over the services they need. Activities are thin,
 * idempotent and take ids: the workflow never carries records or secrets.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import type { TemporalConfig } from '../temporal.config.js';
import type { SecretBox } from '../db/secrets.js';
import { downloadActivities } from './downloads.js';
import { scheduleActivities } from './schedules.js';
import { publishingActivities } from './publishing.js';
import type pg from 'pg';

export interface ActivityDeps {
  readonly orm: MikroORM;
  readonly temporal: Client;
  readonly temporalConfig: TemporalConfig;
  /** Opens stored secrets inside activities only. */
  readonly secrets: SecretBox;
  /** The district's SIS replica (read only): what the mappers extract from. */
  readonly sis?: pg.Pool | undefined;
}

export function createActivities(deps: ActivityDeps) {
  return { ...scheduleActivities(deps), ...downloadActivities(deps), ...publishingActivities(deps) };
}

export type Activities = ReturnType<typeof createActivities>;
