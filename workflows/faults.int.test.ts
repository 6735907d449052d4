/**
 * The fault suite: the real stack — a worker process, a Postgres and a Temporal dev server of this
 * file's own (so they can be killed without harming other tests), the sandbox and a generated SIS
 * replica — meets a worker killed outright mid-send and mid-extract, Postgres killed outright
 * mid-run, the Temporal server stopped and restarted mid-run, and the sandbox's fault matrix
 * followed by Retry – Errors until nothing changes. After each, every record is in the ODS exactly
 * once, the catalog agrees with the ODS record for record and the run completed (none dropped).
 * The times and counts are printed; README records them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EdfiClient } from '../edfi/client/api.js';
import { DEFAULT_CLIENT, startSandbox, type Sandbox } from '../sandbox/server.js';
import { generateDistrict, loadDistrict } from '../sis/index.js';
import { startApiHarness, type ApiHarness } from '../test/apiHarness.js';
import { apiKeyHeader, asClient } from '../test/auth.js';
import { mapRegularCalendars, mapSixWeeks, profileWithDescriptors } from '../test/downloads.js';
import { catalogRecords, type FinishedRun, odsRecords } from '../test/publishing.js';
import { createScratchDatabase, testStack } from '../test/stack.js';
import { freePort } from '../scripts/stack/ports.js';
import { startLocalPostgres } from '../scripts/stack/postgres.js';
import { startStack, type Stack } from '../scripts/stack/stack.js';
import { startTemporal, type RunningTemporal } from '../scripts/stack/temporalServer.js';
import type { ManagedChild } from '../scripts/stack/children.js';
import { LOGGING_OPTIONS_REFRESH_MS } from '../worker/logger.js';
import { readDataChanges } from '../temporal/client/dataChanges.js';
import { workerNodeArgs } from '../worker/launch.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const YEAR = 2025;
const PROFILE = 'faults';
const key = randomBytes(32);
const quiet = (): void => undefined;
let own: Stack;
let dataDir: string;
let ports: { postgres: number; temporal: number; temporalUi: number };
let postgres: ManagedChild;
let temporal: RunningTemporal;
let h: ApiHarness;
let sandbox: Sandbox;
let state: EdfiClient;
let sisUrl: string;
let call: ReturnType<typeof asClient>;
const workers: ChildProcess[] = [];
/** What each worker process has written (stdout and stderr), as it goes. */
const workerOutput = new Map<ChildProcess, { text: string }>();
const CALENDAR_RESOURCES = ['calendars', 'calendarDates', 'sessions', 'gradingPeriods'] as const;

/** worker/main.ts in its own process, as npm start runs it; resolves once it polls. */
async function startWorker(): Promise<ChildProcess> {
  const q = h.config.taskQueues;
  const env = {
    ...process.env,
    DATABASE_URL: own.databaseUrl,
    SIS_DATABASE_URL: sisUrl,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: own.temporalConfig.namespace,
    TEMPORAL_TASK_QUEUE_PUBLISHING: q.publishing,
    TEMPORAL_TASK_QUEUE_DOWNLOADS: q.downloads,
    TEMPORAL_TASK_QUEUE_DEPENDENCY_RETRIES: q.dependencyRetries,
    EDX_SECRET_KEY: key.toString('base64'),
  };
  const child = spawn(process.execPath, workerNodeArgs(env), { env, stdio: ['ignore', 'pipe', 'pipe'] });
  workers.push(child);
  const out = { text: '' };
  workerOutput.set(child, out);
  await new Promise<void>((resolve, reject) => {
    const read = (d: Buffer): void => {
      out.text += d.toString();
      if (out.text.includes('polling')) resolve();
    };
    child.stdout.on('data', read);
    child.stderr.on('data', (d: Buffer) => (out.text += d.toString()));
    child.once('exit', (code) => reject(new Error(`the worker ended (${code}) before polling:\n${out.text}`)));
  });
  return child;
}

const currentWorker = (): ChildProcess => workers[workers.length - 1];

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Queues a publish and answers its ticket. */
async function queue(category: string, option: string): Promise<number> {
  const res = await call({ method: 'POST', url: `/api/profiles/${PROFILE}/publish`, payload: { category, option, schoolYear: YEAR } });
  expect(res.statusCode, res.body).toBe(202);
  return res.json<{ ticket: number }>().ticket;
}

/** Waits for a ticket to finish; while a server is down the API may fail, so a failed look is looked at again. */
async function finished(ticket: number, timeoutMs: number): Promise<FinishedRun> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await call(`/api/profiles/${PROFILE}/publish-queue`).catch(() => undefined);
    const done = res?.statusCode === 200 ? res.json<{ recent: FinishedRun[] }>().recent.find((r) => r.ticket === ticket) : undefined;
    if (done !== undefined) return done;
    if (Date.now() > deadline) throw new Error(`ticket ${ticket} did not finish within ${timeoutMs / 1000} s`);
    await sleep(250);
  }
}

/** Waits until the sandbox has taken `n` more writes: the sends are under way. */
async function sendsUnderWay(n: number): Promise<void> {
  const from = sandbox.writeRequests();
  const deadline = Date.now() + 90_000;
  while (sandbox.writeRequests() - from < n) {
    if (Date.now() > deadline) throw new Error('the sends did not start within 90 s');
    await sleep(50);
  }
}

/** Waits until the sandbox has taken no write for two seconds: the batch in flight has sent all it had. */
async function sendsDone(): Promise<void> {
  for (let last = -1, quietSince = Date.now(); Date.now() - quietSince < 2_000; await sleep(100)) {
    if (sandbox.writeRequests() !== last) [last, quietSince] = [sandbox.writeRequests(), Date.now()];
  }
}

/** Slow sends (150 ms each, 20 at a time) so a fault lands while calendar dates are going out. */
function slowCalendarDates(): void {
  sandbox.setFaults({ rules: [{ route: 'POST /data/v3/ed-fi/calendarDates', latencyMs: 150 }] });
}

beforeAll(async () => {
  ports = { postgres: await freePort(), temporal: await freePort(), temporalUi: await freePort() };
  dataDir = path.join(testStack().dataDir, `faults-${randomBytes(3).toString('hex')}`);
  own = await startStack({
    root: ROOT,
    dataDir,
    postgresPort: ports.postgres,
    temporalPort: ports.temporal,
    temporalUiPort: ports.temporalUi,
    env: { PATH: process.env.PATH ?? '' },
    log: quiet,
    sinkFor: () => quiet,
  });
  [postgres] = own.servers;
  temporal = own.temporal;
  sisUrl = await createScratchDatabase('faultsis');
  await loadDistrict(sisUrl, generateDistrict({ size: 'small', seed: 1 }));
  h = await startApiHarness(PROFILE, {
    sisDatabaseUrl: sisUrl,
    secretKey: key,
    databaseUrl: own.databaseUrl,
    temporal: { address: temporal.address, namespace: own.temporalConfig.namespace },
  });
  sandbox = await startSandbox({ texasExtension: '2025.2.1' });
  state = new EdfiClient({ apiUrl: sandbox.baseUrl, key: DEFAULT_CLIENT.key, secret: DEFAULT_CLIENT.secret });
  call = asClient(h.app, await apiKeyHeader(h.orm, 'admin'));
  await startWorker();
  const sis = new pg.Client({ connectionString: sisUrl });
  await sis.connect();
  const lea = (await sis.query<{ number: string; name: string }>('SELECT number, name FROM district')).rows[0];
  await sis.end();
  await profileWithDescriptors(call, {
    profileId: PROFILE,
    name: 'Faults ISD',
    apiUrl: sandbox.baseUrl,
    schoolYear: YEAR,
    lea,
    key: DEFAULT_CLIENT.key,
    secret: DEFAULT_CLIENT.secret,
  });
  await mapRegularCalendars(call, PROFILE);
  await mapSixWeeks(call, PROFILE);
  expect((await finished(await queue('organization-catalog', 'all'), 120_000)).outcome).toBe('completed');
  expect((await call({ method: 'PUT', url: '/api/settings', payload: { simultaneousConnections: 20 } })).statusCode).toBe(200);
}, 240_000);

afterAll(async () => {
  for (const w of workers) w.kill('SIGKILL');
  await state?.close();
  await sandbox?.close();
  for (const id of [`nightly/${PROFILE}`, `weekend/${PROFILE}`])
    await h?.client.schedule
      .getHandle(id)
      .delete()
      .catch(() => undefined);
  await h?.close();
  await temporal?.stop();
  await postgres?.stop();
});

/** Every record of a resource in the ODS. */
const inOds = (resource: string): Promise<Array<Record<string, unknown>>> => odsRecords(state, `ed-fi/${resource}`);

/** Every calendar record in the ODS exactly once, all published, and the catalog's ids are the ODS's. */
async function everyRecordOnceAndAgreed(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const resource of CALENDAR_RESOURCES) {
    const ods = await inOds(resource);
    const catalog = [...(await catalogRecords(call, PROFILE, resource, YEAR)).values()];
    const naturalKeys = ods.map((d) => JSON.stringify({ ...d, id: undefined, _etag: undefined, _lastModifiedDate: undefined }));
    expect(new Set(naturalKeys).size, `${resource}: a record sent twice`).toBe(ods.length);
    expect(
      catalog.filter((r) => r.status !== 'published').map((r) => `${r.sourceKey} ${r.status}`),
      `${resource}: not all published`,
    ).toEqual([]);
    expect(new Set(catalog.map((r) => r.edfiId))).toEqual(new Set(ods.map((d) => d.id)));
    counts[resource] = ods.length;
  }
  return counts;
}

/** Waits for the run, prints how long it took from the fault, and checks the ODS and catalog. */
async function recovers(what: string, ticket: number, since: number, withinSeconds: number): Promise<FinishedRun> {
  const done = await finished(ticket, withinSeconds * 1000 + 60_000);
  const seconds = (Date.now() - since) / 1000;
  const counts = await everyRecordOnceAndAgreed();
  console.log(`fault suite: ${what}: run ${done.outcome} ${seconds.toFixed(1)} s after the fault; in the ODS once each and agreed: ${JSON.stringify(counts)}`);
  expect(done.outcome, done.detail).toBe('completed');
  expect(seconds).toBeLessThan(withinSeconds);
  return done;
}

describe('the fault suite', () => {
  it('a worker killed outright mid-send is replaced, and the run completes within a minute with every record in the ODS exactly once', async () => {
    slowCalendarDates();
    const ticket = await queue('organization-calendars', 'all');
    // Calendar dates are recorded as each batch ends: wait for them to arrive in the ODS.
    const deadline = Date.now() + 90_000;
    while (sandbox.count('ed-fi/calendarDates') < 40 && Date.now() < deadline) await sleep(50);
    currentWorker().kill('SIGKILL');
    const killedAt = Date.now();
    await startWorker();
    await recovers('worker kill -9 mid-send', ticket, killedAt, 60);
    sandbox.setFaults({});
  }, 240_000);

  it('a worker killed outright mid-extract is replaced, and a new worker extracts and sends everything within a minute', async () => {
    // Hold the SIS's school days under a lock so the kill lands while the extract reads them.
    const sis = new pg.Client({ connectionString: sisUrl });
    const watcher = new pg.Client({ connectionString: sisUrl });
    await sis.connect();
    await watcher.connect();
    let ticket = 0;
    let killedAt = 0;
    try {
      await sis.query('BEGIN');
      await sis.query('LOCK TABLE day IN ACCESS EXCLUSIVE MODE');
      ticket = await queue('organization-calendars', 'all');
      // Another session: pg_stat_activity stands still inside the lock holder's transaction.
      const waiting = async (): Promise<number> =>
        Number(
          (await watcher.query<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"))
            .rows[0].n,
        );
      const deadline = Date.now() + 60_000;
      while ((await waiting()) === 0 && Date.now() < deadline) await sleep(100);
      expect(await waiting(), 'the extract is reading the SIS').toBeGreaterThan(0);
      currentWorker().kill('SIGKILL');
      killedAt = Date.now();
      await startWorker();
    } finally {
      await sis.query('COMMIT');
      await sis.end();
      await watcher.end();
    }
    await recovers('worker kill -9 mid-extract', ticket, killedAt, 60);
  }, 240_000);

  it('Postgres killed outright mid-send (its unlogged plan emptied by crash recovery) is restarted, and the run re-plans and completes with nothing dropped', async () => {
    slowCalendarDates();
    const ticket = await queue('organization-calendars', 'all');
    await sendsUnderWay(40);
    // The whole server at once, as a crash or an OOM kill does: crash recovery empties unlogged tables.
    process.kill(-postgres.process.pid!, 'SIGKILL');
    await postgres.exited;
    const killedAt = Date.now();
    // Down until the batch has sent everything: its outcomes cannot be written, and its retry finds the plan gone.
    await sendsDone();
    postgres = (
      await startLocalPostgres({ dataDir: path.join(dataDir, 'postgres'), port: ports.postgres, portEnvVar: 'POSTGRES_PORT', log: quiet, sink: quiet })
    ).child;
    const done = await recovers('Postgres kill -9 mid-send', ticket, killedAt, 120);
    // The plan went with the crash: the run found it gone and planned again as a new run.
    const runs: string[] = [];
    for await (const w of h.client.workflow.list({ query: `WorkflowId = '${done.workflowId}'` })) runs.push(w.status.name);
    console.log(`fault suite: the category run after the Postgres crash: ${runs.join(', ')}`);
    expect(runs).toContain('CONTINUED_AS_NEW');
    sandbox.setFaults({});
  }, 300_000);

  it('the Temporal server stopped mid-send and started again: the workers reconnect and the run completes with nothing sent twice', async () => {
    slowCalendarDates();
    const ticket = await queue('organization-calendars', 'all');
    await sendsUnderWay(40);
    await temporal.stop();
    const stoppedAt = Date.now();
    // Down until the batch has sent everything: its completion cannot be reported.
    await sendsDone();
    temporal = await startTemporal({
      root: ROOT,
      config: own.temporalConfig,
      port: ports.temporal,
      uiPort: ports.temporalUi,
      dbFile: path.join(dataDir, 'temporal', 'temporal.db'),
      log: quiet,
      sink: quiet,
    });
    await recovers('Temporal stopped mid-send and restarted', ticket, stoppedAt, 120);
    sandbox.setFaults({});
  }, 300_000);

  it("the sandbox's fault matrix (500, 503, 429 with Retry-After, resets, short-lived tokens, latency), then Retry – Errors until nothing changes: every record published once", async () => {
    sandbox.setFaults({
      seed: 7,
      tokenLifetimeSeconds: 3,
      rules: [{ route: '/data/v3/', error500: 0.04, error503: 0.04, error429: 0.04, reset: 0.03, latencyMs: 5, jitterMs: 20 }],
    });
    const firstAt = Date.now();
    const first = await finished(await queue('organization-calendars', 'all'), 180_000);
    const rounds: string[] = [`Now – All ${first.outcome}: ${JSON.stringify(await errorsLeft())}`];
    // Retry – Errors (faults still on) until a round changes nothing.
    for (let round = 1, before = -1; round <= 8; round++) {
      const left = await errorsLeft();
      const total = Object.values(left).reduce((a, b) => a + b, 0);
      if (total === 0 || total === before) break;
      before = total;
      const run = await finished(await queue('organization-calendars', 'retry-errors'), 180_000);
      rounds.push(`Retry – Errors ${round} ${run.outcome}: ${JSON.stringify(await errorsLeft())}`);
    }
    sandbox.setFaults({});
    // Records withheld for a dependency that a round published are sent by the profile's dependency
    // sweeper, woken by that round but running beside the next: wait for it (its first timer is a
    // minute), then retry what it left in error, faults off.
    const settleFrom = Date.now();
    while ((await statusCount('dependency')) > 0 && Date.now() - settleFrom < 150_000) await sleep(1_000);
    rounds.push(`dependency sweeper settled in ${((Date.now() - settleFrom) / 1000).toFixed(1)} s`);
    if ((await statusCount('error')) > 0) {
      const run = await finished(await queue('organization-calendars', 'retry-errors'), 180_000);
      rounds.push(`Retry – Errors, faults off, ${run.outcome}: ${JSON.stringify(await errorsLeft())}`);
    }
    console.log(`fault suite: fault matrix in ${((Date.now() - firstAt) / 1000).toFixed(1)} s — ${rounds.join('; ')}`);
    const counts = await everyRecordOnceAndAgreed();
    console.log(`fault suite: after the fault matrix, in the ODS once each and agreed: ${JSON.stringify(counts)}`);
  }, 780_000);

  it('near-real-time Data Changes through a worker kill -9 and a Postgres kill -9: every SIS change reaches the ODS, none lost, none twice', async () => {
    expect((await finished(await queue('course-catalog', 'all'), 120_000)).outcome).toBe('completed');
    const sis = new pg.Client({ connectionString: sisUrl });
    await sis.connect();
    try {
      expect((await call({ method: 'PATCH', url: `/api/profiles/${PROFILE}`, payload: { publishDataChanges: true } })).statusCode).toBe(200);
      const listening = Date.now() + 30_000;
      while ((await readDataChanges(h.client, PROFILE))?.state !== 'listening' && Date.now() < listening) await sleep(200);
      const codes = (
        await sis.query<{ code: string }>(
          `SELECT DISTINCT co.stateCode AS code FROM course co JOIN calendar c USING (calendarID)
            WHERE c.endYear = $1 AND co.stateCode IS NOT NULL AND co.active ORDER BY 1 LIMIT 24`,
          [YEAR],
        )
      ).rows.map((r) => r.code);
      const startedAt = Date.now();
      // One change every 250 ms; the worker dies after the 6th, Postgres after the 14th.
      for (const [i, code] of codes.entries()) {
        await sis.query('UPDATE course SET name = $1 WHERE stateCode = $2', [`Changed ${i}`, code]);
        if (i === 6) {
          currentWorker().kill('SIGKILL');
          await startWorker();
        }
        if (i === 14) {
          process.kill(-postgres.process.pid!, 'SIGKILL');
          await postgres.exited;
          await sleep(1_000);
          postgres = (
            await startLocalPostgres({ dataDir: path.join(dataDir, 'postgres'), port: ports.postgres, portEnvVar: 'POSTGRES_PORT', log: quiet, sink: quiet })
          ).child;
        }
        await sleep(250);
      }
      const titles = async (): Promise<Map<string, string[]>> => {
        const out = new Map<string, string[]>();
        for (const c of (await odsRecords(state, 'ed-fi/courses')) as Array<{ courseCode: string; courseTitle: string }>)
          out.set(c.courseCode, [...(out.get(c.courseCode) ?? []), c.courseTitle]);
        return out;
      };
      const deadline = Date.now() + 120_000;
      for (;;) {
        const t = await titles();
        if (codes.every((code, i) => t.get(code)?.[0] === `Changed ${i}`) || Date.now() > deadline) break;
        await sleep(500);
      }
      const t = await titles();
      console.log(
        `fault suite: Data Changes through a worker kill and a Postgres kill: all ${codes.length} changes in the ODS ${((Date.now() - startedAt) / 1000).toFixed(1)} s after the first`,
      );
      expect(codes.map((code) => t.get(code))).toEqual(codes.map((_, i) => [`Changed ${i}`]));
      // The catalog agrees with the ODS, one record each.
      const catalog = [...(await catalogRecords(call, PROFILE, 'courses', YEAR)).values()];
      expect(new Set(catalog.filter((r) => r.status === 'published').map((r) => r.edfiId)).size).toBe([...t.values()].flat().length);
    } finally {
      await call({ method: 'PATCH', url: `/api/profiles/${PROFILE}`, payload: { publishDataChanges: false } }).catch(() => undefined);
      await sis.end();
    }
  }, 300_000);
});

describe('Logging Options', () => {
  /** Saves the options and waits for the worker to read them (it looks every 5 s). */
  async function logging(loggingOptions: string[]): Promise<void> {
    expect((await call({ method: 'PUT', url: '/api/settings', payload: { loggingOptions } })).statusCode).toBe(200);
    await sleep(LOGGING_OPTIONS_REFRESH_MS + 1_000);
  }
  /** What the worker logs while a publish of the calendars runs. */
  async function loggedDuring(option: string): Promise<string> {
    const out = workerOutput.get(currentWorker())!;
    const from = out.text.length;
    await finished(await queue('organization-calendars', option), 180_000);
    return out.text.slice(from);
  }

  it("decide what the worker logs: errors always, a run's summaries with Info, each request with Diagnostics — counts and statuses, never the ODS's messages", async () => {
    await logging([]);
    sandbox.setFaults({ rules: [{ route: 'POST /data/v3/ed-fi/sessions', error500: 1 }] });
    const errorsOnly = await loggedDuring('all');
    sandbox.setFaults({});
    expect(errorsOnly).toMatch(/\[ERROR\] batch sent .*sessions.*500×6/s);
    expect(errorsOnly).not.toContain('[INFO]');
    expect(errorsOnly).not.toContain('[DEBUG]');
    // What the ODS answered, and the records' names, stay in the catalog, not in the log.
    const failed = [...(await catalogRecords(call, PROFILE, 'sessions', YEAR)).values()].filter((r) => r.status === 'error');
    expect(failed).toHaveLength(6);
    for (const r of failed) {
      expect(errorsOnly).not.toContain(r.statusDescription!.slice(0, 40));
      expect(typeof r.naturalKey.sessionName).toBe('string');
      expect(errorsOnly).not.toContain(String(r.naturalKey.sessionName));
    }

    await logging(['info', 'diagnostics']);
    const everything = await loggedDuring('retry-errors');
    expect(everything).toMatch(/\[INFO\] planned .*sessions/s);
    expect(everything).toMatch(/\[INFO\] batch sent .*sessions/s);
    expect(everything).toMatch(/\[DEBUG\] POST answered .*sessions/s);
    expect(everything).not.toContain('[WARN]');
    await logging([]);
  }, 240_000);
});

/** How many calendar records are in one status. */
async function statusCount(status: string): Promise<number> {
  let n = 0;
  for (const resource of CALENDAR_RESOURCES) n += [...(await catalogRecords(call, PROFILE, resource, YEAR)).values()].filter((r) => r.status === status).length;
  return n;
}

/** Records not published, per calendar resource. */
async function errorsLeft(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const resource of CALENDAR_RESOURCES)
    out[resource] = [...(await catalogRecords(call, PROFILE, resource, YEAR)).values()].filter((r) => r.status !== 'published').length;
  return out;
}
