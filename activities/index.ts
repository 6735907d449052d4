/**
 * Every activity the worker registers, built over the services they need. Activities are thin,
 * idempotent and take ids: the workflow never carries records or secrets.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import type { TemporalConfig } from '../temporal.config.js';
import { scheduleActivities } from './schedules.js';

export interface ActivityDeps {
  readonly orm: MikroORM;
  readonly temporal: Client;
  readonly temporalConfig: TemporalConfig;
}

export function createActivities(deps: ActivityDeps) {
  return { ...scheduleActivities(deps) };
}

export type Activities = ReturnType<typeof createActivities>;
