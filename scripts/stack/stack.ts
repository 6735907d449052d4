/**
 * The shared bootstrap of `npm start` and `npm test`: Postgres (embedded, or external by URL),
 * the app and SIS-replica databases, migrations, and Temporal (local dev server, or external).
 * Each part either comes up or fails with one SetupError saying what to do; a failure stops
 * whatever already started and deletes nothing.
 */
import path from 'node:path';
import { loadTemporalConfig, type TemporalConfig } from '../../temporal.config.js';
import { migrateAppDatabase } from '../../db/orm.js';
import type { LineSink, ManagedChild } from './children.js';
import { SetupError } from './errors.js';
import { assertReachable, ensureDatabase, redactUrl, startLocalPostgres, type LocalPostgres } from './postgres.js';
import { startTemporal, type RunningTemporal } from './temporalServer.js';

export const APP_DB = 'edfi_exchange';
export const SIS_DB = 'sis_replica';
/** The district's HR system replica (HR-only profiles' source). */
export const HR_DB = 'hr_replica';

export interface StackOptions {
  readonly root: string;
  readonly dataDir: string;
  readonly postgresPort: number;
  readonly temporalPort: number;
  readonly temporalUiPort: number;
  readonly env: NodeJS.ProcessEnv;
  /** Set-up messages. */
  readonly log: LineSink;
  /** Where each child's own output goes; prefixed stdout when absent. */
  readonly sinkFor?: (name: string) => LineSink;
}

export interface Stack {
  readonly databaseUrl: string;
  readonly sisDatabaseUrl: string;
  /** The HR system replica: HR_DATABASE_URL, else a database of the local Postgres; none when every other database is external. */
  readonly hrDatabaseUrl: string | undefined;
  /** Superuser URL on the local server; undefined with external databases. */
  readonly adminDatabaseUrl: string | undefined;
  readonly temporal: RunningTemporal;
  readonly temporalConfig: TemporalConfig;
  readonly postgresHow: string;
  /** The servers this stack runs as child processes (local Postgres, the Temporal dev server). */
  readonly servers: readonly ManagedChild[];
  stop(): Promise<void>;
}

function databaseNameOf(url: string, envVar: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (name === '')
    throw new SetupError(
      `${envVar}=${redactUrl(url)} names no database`,
      `add the database name to the URL, e.g. postgres://user:pass@host:5432/${envVar === 'DATABASE_URL' ? APP_DB : SIS_DB}`,
    );
  return name;
}

export async function startStack(opts: StackOptions): Promise<Stack> {
  const temporalConfig = loadTemporalConfig({ ...opts.env, TEMPORAL_PORT: String(opts.temporalPort) });
  const externalApp = opts.env.DATABASE_URL;
  const externalSis = opts.env.SIS_DATABASE_URL;
  const externalHr = opts.env.HR_DATABASE_URL;
  const sink = (name: string): { sink?: LineSink } => (opts.sinkFor ? { sink: opts.sinkFor(name) } : {});

  const postgres = (async (): Promise<{ local: LocalPostgres | undefined; app: string; sis: string; hr: string | undefined }> => {
    if (externalApp !== undefined) databaseNameOf(externalApp, 'DATABASE_URL');
    if (externalSis !== undefined) databaseNameOf(externalSis, 'SIS_DATABASE_URL');
    if (externalHr !== undefined) databaseNameOf(externalHr, 'HR_DATABASE_URL');
    const local =
      externalApp !== undefined && externalSis !== undefined
        ? undefined
        : await startLocalPostgres({
            dataDir: path.join(opts.dataDir, 'postgres'),
            port: opts.postgresPort,
            portEnvVar: 'POSTGRES_PORT',
            log: opts.log,
            ...sink('postgres'),
          });
    if (local !== undefined) {
      if (externalApp === undefined) await ensureDatabase(local.url('postgres'), APP_DB);
      if (externalSis === undefined) await ensureDatabase(local.url('postgres'), SIS_DB);
      if (externalHr === undefined) await ensureDatabase(local.url('postgres'), HR_DB);
    }
    const app = externalApp ?? local!.url(APP_DB);
    const sis = externalSis ?? local!.url(SIS_DB);
    const hr = externalHr ?? local?.url(HR_DB);
    if (externalApp !== undefined) await assertReachable(externalApp, 'DATABASE_URL');
    if (externalSis !== undefined) await assertReachable(externalSis, 'SIS_DATABASE_URL');
    if (externalHr !== undefined) await assertReachable(externalHr, 'HR_DATABASE_URL');
    return { local, app, sis, hr };
  })();
  const temporal = startTemporal({
    root: opts.root,
    config: temporalConfig,
    port: opts.temporalPort,
    uiPort: opts.temporalUiPort,
    dbFile: path.join(opts.dataDir, 'temporal', 'temporal.db'),
    log: opts.log,
    ...sink('temporal'),
  });
  // Start both at once (they are independent); if either fails, stop the other before reporting.
  const [pgResult, temporalResult] = await Promise.allSettled([postgres, temporal]);
  const stopStarted = async (): Promise<void> => {
    if (temporalResult.status === 'fulfilled') await temporalResult.value.stop();
    if (pgResult.status === 'fulfilled') await pgResult.value.local?.child.stop();
  };
  const failed = [pgResult, temporalResult].find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed !== undefined || pgResult.status !== 'fulfilled' || temporalResult.status !== 'fulfilled') {
    await stopStarted();
    throw failed?.reason ?? new Error('stack start failed');
  }
  const pgInfo = pgResult.value;
  try {
    const applied = await migrateAppDatabase(pgInfo.app);
    if (applied.length > 0) opts.log(`app database migrated: ${applied.join(', ')}`);
  } catch (err) {
    await stopStarted();
    throw new SetupError(
      `Migrating the app database ${redactUrl(pgInfo.app)} failed: ${(err as Error).message}`,
      'nothing was dropped; fix the reported problem (permissions, a manually changed table) and start again',
    );
  }
  return {
    databaseUrl: pgInfo.app,
    sisDatabaseUrl: pgInfo.sis,
    hrDatabaseUrl: pgInfo.hr,
    adminDatabaseUrl: pgInfo.local?.url('postgres'),
    temporal: temporalResult.value,
    temporalConfig: { ...temporalConfig, address: temporalResult.value.address },
    servers: [pgInfo.local?.child, temporalResult.value.child].filter((c): c is ManagedChild => c !== undefined),
    postgresHow:
      pgInfo.local !== undefined
        ? `embedded Postgres on 127.0.0.1:${pgInfo.local.port} (data in ${path.relative(opts.root, path.join(opts.dataDir, 'postgres')) || '.'})`
        : 'external Postgres',
    stop: stopStarted,
  };
}
