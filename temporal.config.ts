/**
 * One place for everything Temporal: where the cluster is, which namespace, the task queues,
 * the schedule specs and how to authenticate to Temporal Cloud. Every field can be overridden
 * by an environment variable so the same build runs against the local dev server, a
 * self-hosted cluster or Temporal Cloud.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

export interface ScheduleSpecConfig {
  /** Cron expressions in the schedule's time zone. */
  readonly cron: readonly string[];
  readonly timeZone: string;
}

export interface TemporalConfig {
  /** host:port of the frontend. When TEMPORAL_ADDRESS is set, `npm start` starts no local server. */
  readonly address: string;
  /** True when the address came from the environment: an external cluster we must not manage. */
  readonly external: boolean;
  readonly namespace: string;
  readonly taskQueues: {
    /** Clerk- and API-initiated publishes, and the per-profile publish queue. */
    readonly publishing: string;
    /** Per-record dependency retries: their own queue so they never starve a clerk's publish. */
    readonly dependencyRetries: string;
    /** Downloads from the state ODS. */
    readonly downloads: string;
  };
  readonly schedules: {
    /** Weekday-nightly "Data Changes" sync. */
    readonly weekdayNightly: ScheduleSpecConfig;
    /** Weekend full synchronization, independent of "Data Changes". */
    readonly weekend: ScheduleSpecConfig;
  };
  /** mTLS for self-hosted clusters or Temporal Cloud; undefined means plaintext (dev server). */
  readonly tls?: {
    readonly serverNameOverride?: string;
    readonly serverRootCACertificatePath?: string;
    readonly clientCertPath?: string;
    readonly clientKeyPath?: string;
  };
  /** Temporal Cloud API key; implies TLS. */
  readonly apiKey?: string;
  /** Search attributes the dev server registers and workflows set, with their Temporal types. */
  readonly searchAttributes: Readonly<Record<SearchAttributeName, 'Keyword' | 'Int'>>;
}

export type SearchAttributeName =
  'ProfileId' | 'SchoolYear' | 'Category' | 'PublishOption' | 'Trigger' | 'SchoolId' | 'Outcome' | 'ErrorCount' | 'DependencyCount';

const cronList = z
  .string()
  .transform((s) =>
    s
      .split(';')
      .map((c) => c.trim())
      .filter((c) => c.length > 0),
  )
  .refine((list) => list.length > 0 && list.every((c) => c.split(/\s+/).length === 5), {
    message: 'expected one or more 5-field cron expressions separated by ";" (e.g. "0 22 * * 1-5")',
  });

const envSchema = z.object({
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^:\s]+:\d{1,5}$/, 'expected host:port, e.g. localhost:7233 or my-ns.tmprl.cloud:7233')
    .optional(),
  TEMPORAL_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).optional(),
  TEMPORAL_TASK_QUEUE_PUBLISHING: z.string().min(1).optional(),
  TEMPORAL_TASK_QUEUE_DEPENDENCY_RETRIES: z.string().min(1).optional(),
  TEMPORAL_TASK_QUEUE_DOWNLOADS: z.string().min(1).optional(),
  TEMPORAL_SCHEDULE_NIGHTLY_CRON: cronList.optional(),
  TEMPORAL_SCHEDULE_WEEKEND_CRON: cronList.optional(),
  TEMPORAL_SCHEDULE_TIME_ZONE: z.string().min(1).optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  TEMPORAL_TLS_CA_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_CERT_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_KEY_PATH: z.string().min(1).optional(),
  TEMPORAL_API_KEY: z.string().min(1).optional(),
});

/** Builds the config from an environment; throws one message naming every bad variable. */
export function loadTemporalConfig(env: NodeJS.ProcessEnv = process.env): TemporalConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid Temporal settings in the environment:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  if ((e.TEMPORAL_TLS_CERT_PATH === undefined) !== (e.TEMPORAL_TLS_KEY_PATH === undefined)) {
    throw new Error('Invalid Temporal settings: TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH must be set together.');
  }
  const tlsWanted = e.TEMPORAL_TLS_CERT_PATH !== undefined || e.TEMPORAL_TLS_CA_PATH !== undefined || e.TEMPORAL_TLS_SERVER_NAME !== undefined;
  const timeZone = e.TEMPORAL_SCHEDULE_TIME_ZONE ?? 'America/Chicago';
  return {
    address: e.TEMPORAL_ADDRESS ?? `127.0.0.1:${e.TEMPORAL_PORT ?? 7233}`,
    external: e.TEMPORAL_ADDRESS !== undefined,
    namespace: e.TEMPORAL_NAMESPACE ?? 'default',
    taskQueues: {
      publishing: e.TEMPORAL_TASK_QUEUE_PUBLISHING ?? 'edfi-publishing',
      dependencyRetries: e.TEMPORAL_TASK_QUEUE_DEPENDENCY_RETRIES ?? 'edfi-dependency-retries',
      downloads: e.TEMPORAL_TASK_QUEUE_DOWNLOADS ?? 'edfi-downloads',
    },
    schedules: {
      // 10 pm Monday–Friday: after the school day's changes, before the next morning.
      weekdayNightly: { cron: e.TEMPORAL_SCHEDULE_NIGHTLY_CRON ?? ['0 22 * * 1-5'], timeZone },
      // 6 am Saturday: the weekend full sync has the whole weekend to finish.
      weekend: { cron: e.TEMPORAL_SCHEDULE_WEEKEND_CRON ?? ['0 6 * * 6'], timeZone },
    },
    ...(tlsWanted
      ? {
          tls: {
            ...(e.TEMPORAL_TLS_SERVER_NAME !== undefined ? { serverNameOverride: e.TEMPORAL_TLS_SERVER_NAME } : {}),
            ...(e.TEMPORAL_TLS_CA_PATH !== undefined ? { serverRootCACertificatePath: e.TEMPORAL_TLS_CA_PATH } : {}),
            ...(e.TEMPORAL_TLS_CERT_PATH !== undefined ? { clientCertPath: e.TEMPORAL_TLS_CERT_PATH } : {}),
            ...(e.TEMPORAL_TLS_KEY_PATH !== undefined ? { clientKeyPath: e.TEMPORAL_TLS_KEY_PATH } : {}),
          },
        }
      : {}),
    ...(e.TEMPORAL_API_KEY !== undefined ? { apiKey: e.TEMPORAL_API_KEY } : {}),
    searchAttributes: {
      ProfileId: 'Keyword',
      SchoolYear: 'Int',
      Category: 'Keyword',
      PublishOption: 'Keyword',
      Trigger: 'Keyword',
      SchoolId: 'Keyword',
      Outcome: 'Keyword',
      ErrorCount: 'Int',
      DependencyCount: 'Int',
    },
  };
}

export const temporalConfig: TemporalConfig = loadTemporalConfig();
export default temporalConfig;

export interface TemporalConnectionOptions {
  address: string;
  tls?:
    | {
        serverNameOverride?: string;
        serverRootCACertificate?: Buffer;
        clientCertPair?: { crt: Buffer; key: Buffer };
      }
    | true;
  apiKey?: string;
}

/** Options for `Connection.connect` (client) and `NativeConnection.connect` (worker) alike. */
export function connectionOptions(config: TemporalConfig = temporalConfig): TemporalConnectionOptions {
  const options: TemporalConnectionOptions = { address: config.address };
  if (config.tls !== undefined) {
    const t = config.tls;
    options.tls = {
      ...(t.serverNameOverride !== undefined ? { serverNameOverride: t.serverNameOverride } : {}),
      ...(t.serverRootCACertificatePath !== undefined ? { serverRootCACertificate: readFileSync(t.serverRootCACertificatePath) } : {}),
      ...(t.clientCertPath !== undefined && t.clientKeyPath !== undefined
        ? { clientCertPair: { crt: readFileSync(t.clientCertPath), key: readFileSync(t.clientKeyPath) } }
        : {}),
    };
  }
  if (config.apiKey !== undefined) {
    options.apiKey = config.apiKey;
    options.tls ??= true;
  }
  return options;
}
