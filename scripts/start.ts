/**
 * `npm start`: the whole local stack in one command — Postgres, Temporal (with its web UI), the
 * worker and the API + web UI — with prefixed logs, the URLs printed once everything is ready,
 * and a clean stop of every child on Ctrl-C.
 */
import path from 'node:path';
import { request } from 'undici';
import { MikroORM } from '@mikro-orm/postgresql';
import { ormOptions } from '../db/orm.js';
import { Client, Connection } from '@temporalio/client';
import { connectionOptions, type TemporalConfig } from '../temporal.config.js';
import { BasicSettingsSchema } from '../db/entities/configuration.js';
import { syncSchedules } from '../temporal/client/schedules.js';
import { syncDataChanges } from '../temporal/client/dataChanges.js';
import { ProfileSchema } from '../db/entities/profile.js';
import { createProfile } from '../db/profiles.js';
import { AppUserSchema } from '../db/entities/auth.js';
import { createUser } from '../db/users.js';
import { generatePassword } from '../api/auth/credentials.js';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadSecretKey, secretBox, type SecretBox } from '../db/secrets.js';
import { connectDemo, DEMO_PROBLEMS, DEMO_PROFILE_ID, downloadAndMapDemo, ensureCliKey, labelDemoProblems } from './demo.js';
import { ensureDistrict, SCHOOL_YEAR } from '../sis/index.js';
import { prefixedSink, startChild, type ManagedChild } from './stack/children.js';
import { SetupError } from './stack/errors.js';
import { assertPortFree } from './stack/ports.js';
import { startStack, type Stack } from './stack/stack.js';
import { loadLocalSettings } from './settings.js';
import { DEFAULT_CLIENT, startSandbox, type Sandbox } from '../sandbox/server.js';
import { loadOrCreateAdminToken } from '../sandbox/adminToken.js';
import { workerHeapMb, workerNodeArgs } from '../worker/launch.js';

const root = path.resolve(import.meta.dirname, '..');
const began = performance.now();
const log = prefixedSink('setup');
const children: ManagedChild[] = [];
let stack: Stack | undefined;
let sandbox: Sandbox | undefined;
let stopping = false;

/** Thrown at the next start-up step once a stop was asked for. */
class Interrupted extends Error {}
const checkpoint = (): void => {
  if (stopping) throw new Interrupted('stopped during start-up');
};
let startup: Promise<void> = Promise.resolve();

async function stopAll(code: number): Promise<void> {
  // npm forwards the terminal's Ctrl-C a second time: one stop at a time, and it always finishes.
  if (stopping) return;
  stopping = true;
  log('stopping …');
  // A start-up step in flight (e.g. Postgres coming up) finishes first, so whatever it started is known and stopped.
  await startup.catch(() => undefined);
  // API first (no new requests), then the worker, then the servers they use.
  for (const child of [...children].reverse()) await child.stop();
  await sandbox?.close();
  await stack?.stop();
  log('stopped; data kept for the next npm start');
  process.exit(code);
}

process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));
process.on('SIGHUP', () => void stopAll(0));

/**
 * First start only: the demo district's profile (for the school year the generated demo district
 * holds), so there is something to publish, and the first
 * admin (password from EDX_ADMIN_PASSWORD, or generated into the data dir, readable by its owner only).
 */
async function seedFirstStart(
  databaseUrl: string,
  dataDir: string,
  temporal: TemporalConfig,
  edfiBaseUrl: string,
  demo: DemoSeed,
): Promise<{ demoCreated: boolean }> {
  const orm = await MikroORM.init(ormOptions(databaseUrl));
  const connection = await Connection.connect(connectionOptions(temporal));
  let demoCreated = false;
  try {
    const em = orm.em.fork();
    if ((await em.count(ProfileSchema, {})) === 0) {
      createProfile(em, { id: DEMO_PROFILE_ID, name: 'Demo ISD – SIS', profileType: 'SIS', schoolYears: [SCHOOL_YEAR], apiUrl: edfiBaseUrl });
      await em.flush();
      log(`created the demo profile "${DEMO_PROFILE_ID}"`);
      demoCreated = true;
      // Only against our own sandbox: its demo client's key and secret are known; a real ODS's are the district's to enter.
      if (demo.sandboxCredentials !== undefined) log(await connectDemo(orm, demo.secrets, demo.sisDatabaseUrl, demo.sandboxCredentials));
    }
    if ((await em.count(AppUserSchema, {})) === 0) {
      const password = process.env.EDX_ADMIN_PASSWORD ?? generatePassword();
      await createUser(em, { username: 'admin', password, role: 'admin' });
      if (process.env.EDX_ADMIN_PASSWORD === undefined) writeFileSync(path.join(dataDir, 'admin-password'), `${password}\n`, { mode: 0o600 });
      log('created the user "admin"');
    }
    // Every start re-applies the schedule specs of temporal.config.ts to each profile's schedules,
    // and starts near-real-time Data Changes where it is on (and not running).
    const client = new Client({ connection, namespace: temporal.namespace });
    const processing = await em.findOneOrFail(BasicSettingsSchema, { id: 1 });
    for (const profile of await em.find(ProfileSchema, {})) {
      await syncSchedules(client, temporal, profile, { processingEnabled: processing.systemProcessingEnabled });
      await syncDataChanges(client, temporal, profile);
    }
    if ((await ensureCliKey(orm, path.join(dataDir, 'api-key'))) !== undefined) log('created an admin API key for npm run cli (in the data dir)');
  } finally {
    await connection.close();
    await orm.close();
  }
  return { demoCreated };
}

interface DemoSeed {
  readonly secrets: SecretBox;
  readonly sisDatabaseUrl: string;
  readonly sandboxCredentials: { key: string; secret: string } | undefined;
}

/**
 * The small demo district in our own SIS replica, generated once (seed 1, every dirty-data
 * situation, so the clerk sees what each rule does). A replica named by SIS_DATABASE_URL is the
 * district's own: never written to.
 */
async function seedDemoDistrict(sisDatabaseUrl: string, hrDatabaseUrl: string | undefined): Promise<void> {
  // Its HR system holds the same district's staff and finance (sis/hrReplica.ts), for an HR-only profile.
  if (hrDatabaseUrl !== undefined && process.env.HR_DATABASE_URL === undefined) {
    const hr = await ensureDistrict(hrDatabaseUrl, { size: 'small', seed: 1, dirty: DEMO_PROBLEMS }, 'hr');
    if (hr.loaded) log(`seeded the demo district's HR system replica (${hr.rows.toLocaleString('en-US')} rows: staff, employment, finance)`);
  }
  if (process.env.SIS_DATABASE_URL !== undefined) return;
  const seeded = await ensureDistrict(sisDatabaseUrl, { size: 'small', seed: 1, dirty: DEMO_PROBLEMS });
  if (!seeded.loaded) return;
  const labelled = await labelDemoProblems(sisDatabaseUrl);
  log(
    `seeded the demo district into the SIS replica (${seeded.rows.toLocaleString('en-US')} rows; its instructive problems: ${DEMO_PROBLEMS.join(', ')}; ${labelled} courses labelled "(demo: …)")`,
  );
}

async function waitReady(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    checkpoint();
    const dead = children.find((c) => c.exitReason() !== undefined);
    if (dead !== undefined) throw new SetupError(dead.exitReason() ?? `${dead.name} exited`, 'see its log lines above');
    try {
      const res = await request(url, { headersTimeout: 5_000 });
      last = await res.body.text();
      if (res.statusCode === 200) return;
    } catch (err) {
      last = (err as Error).message;
    }
    if (Date.now() > deadline)
      throw new SetupError(`The API did not become ready within ${timeoutMs / 1000} s (last /readyz: ${last})`, 'see the log lines above for the failing part');
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function main(): Promise<void> {
  const settings = loadLocalSettings(root);
  // A bad WORKER_HEAP_MB says so before anything starts.
  workerHeapMb(process.env);
  await assertPortFree(settings.apiPort, 'the API and web UI', 'API_PORT', settings.apiHost);
  await assertPortFree(settings.workerMetricsPort, "the worker's metrics", 'WORKER_METRICS_PORT');
  await assertPortFree(settings.workerSdkMetricsPort, "the Temporal SDK's worker metrics", 'WORKER_SDK_METRICS_PORT');
  stack = await startStack({
    root,
    dataDir: settings.dataDir,
    postgresPort: settings.postgresPort,
    temporalPort: settings.temporalPort,
    temporalUiPort: settings.temporalUiPort,
    env: process.env,
    log,
  });
  checkpoint();
  let edfiBaseUrl = settings.edfiBaseUrl;
  if (edfiBaseUrl === undefined) {
    await assertPortFree(settings.sandboxPort, 'the Ed-Fi sandbox', 'SANDBOX_PORT');
    // The sandbox keeps what was published across restarts, beside the other local data.
    // Its /admin endpoints mint API clients: only with the token kept in the data dir (or SANDBOX_ADMIN_TOKEN).
    const adminToken = process.env.SANDBOX_ADMIN_TOKEN || loadOrCreateAdminToken(path.join(settings.dataDir, 'sandbox-admin-token'));
    sandbox = await startSandbox({
      port: settings.sandboxPort,
      texasExtension: '2025.2.1',
      snapshotFile: path.join(settings.dataDir, 'sandbox.ndjson'),
      adminToken,
    });
    edfiBaseUrl = sandbox.baseUrl;
  }
  await seedDemoDistrict(stack.sisDatabaseUrl, stack.hrDatabaseUrl);
  const secrets = secretBox(loadSecretKey(process.env, { createIfMissing: path.join(settings.dataDir, 'secret.key') }));
  const first = await seedFirstStart(stack.databaseUrl, settings.dataDir, stack.temporalConfig, edfiBaseUrl, {
    secrets,
    sisDatabaseUrl: stack.sisDatabaseUrl,
    sandboxCredentials: sandbox !== undefined ? DEFAULT_CLIENT : undefined,
  });
  checkpoint();
  const childEnv = {
    ...process.env,
    DATABASE_URL: stack.databaseUrl,
    SIS_DATABASE_URL: stack.sisDatabaseUrl,
    ...(stack.hrDatabaseUrl !== undefined ? { HR_DATABASE_URL: stack.hrDatabaseUrl } : {}),
    TEMPORAL_ADDRESS: stack.temporal.address,
    TEMPORAL_NAMESPACE: stack.temporalConfig.namespace,
    API_HOST: settings.apiHost,
    API_PORT: String(settings.apiPort),
    EDFI_BASE_URL: edfiBaseUrl,
    EDX_PARENT_PID: String(process.pid),
    WORKER_METRICS_ADDRESS: `127.0.0.1:${settings.workerMetricsPort}`,
    WORKER_SDK_METRICS_ADDRESS: `127.0.0.1:${settings.workerSdkMetricsPort}`,
    // The key that seals stored secrets: made once, kept beside the data it protects (0600).
    EDX_SECRET_KEY_FILE: process.env.EDX_SECRET_KEY_FILE ?? path.join(settings.dataDir, 'secret.key'),
    ...(stack.temporal.uiUrl !== undefined ? { TEMPORAL_UI_URL: stack.temporal.uiUrl } : {}),
    // The sign-in page says where the first admin's password is (the file, never the password).
    ...(existsSync(path.join(settings.dataDir, 'admin-password'))
      ? { SIGN_IN_HINT: `First sign-in: admin, with the password npm start kept in ${path.join(settings.dataDir, 'admin-password')}.` }
      : {}),
  };
  const tsx = (file: string): string[] => ['--import', 'tsx', path.join(root, file)];
  children.push(startChild('worker', process.execPath, workerNodeArgs(childEnv), { cwd: root, env: childEnv }));
  children.push(startChild('api', process.execPath, tsx('api/main.ts'), { cwd: root, env: childEnv }));
  // Every process the stack needs: when any dies unasked, say which and why, and stop the rest.
  for (const child of [...stack.servers, ...children]) {
    void child.exited.then(() => {
      if (!stopping) {
        log(`${child.exitReason() ?? `${child.name} exited`}; stopping everything`);
        void stopAll(1);
      }
    });
  }
  const apiUrl = `http://${settings.apiHost}:${settings.apiPort}`;
  await waitReady(`${apiUrl}/readyz`, 180_000);
  // The clerk's next steps on a new demo (download, mapping), over the API now that it runs.
  if (first.demoCreated && sandbox !== undefined) {
    const token = readFileSync(path.join(settings.dataDir, 'api-key'), 'utf8').trim();
    log(await downloadAndMapDemo(apiUrl, token, SCHOOL_YEAR).catch((err: unknown) => `the demo's download and mapping failed: ${(err as Error).message}`));
  }
  const seconds = ((performance.now() - began) / 1000).toFixed(1);
  console.log(
    [
      '',
      `edfi-exchange is ready (${seconds} s)`,
      `  Web UI        ${apiUrl}/`,
      `  API docs      ${apiUrl}/docs`,
      `  Sign in       admin — password in ${path.relative(root, path.join(settings.dataDir, 'admin-password')) || 'admin-password'} (or EDX_ADMIN_PASSWORD)`,
      `  CLI           npm run cli -- publish --profile ${DEMO_PROFILE_ID} --category organization-catalog --wait  (admin API key in ${path.relative(root, path.join(settings.dataDir, 'api-key'))})`,
      `  Readiness     ${apiUrl}/readyz`,
      `  Metrics       ${apiUrl}/metrics (admin API key) · worker http://127.0.0.1:${settings.workerMetricsPort}/metrics`,
      `  Temporal UI   ${stack.temporal.uiUrl ?? `(external cluster ${stack.temporal.address})`}`,
      `  Ed-Fi API     ${edfiBaseUrl}${sandbox !== undefined ? ` — local sandbox (key ${DEFAULT_CLIENT.key}, secret ${DEFAULT_CLIENT.secret})` : ''}`,
      `  Temporal      ${stack.temporal.address} — ${stack.temporal.how}`,
      `  Postgres      ${stack.postgresHow}`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
}

startup = main();
try {
  await startup;
} catch (err) {
  if (!(err instanceof Interrupted)) {
    const message = err instanceof SetupError ? err.message : ((err as Error).stack ?? String(err));
    console.error(`\n✖ ${message}`);
  }
  await stopAll(1);
}
