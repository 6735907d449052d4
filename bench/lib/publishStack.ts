/**
 * What the publishing benchmarks share: the sandbox and the worker as child processes (as
 * `npm start` runs them), peak memory from /proc, and a profile set up as a clerk would (LEA
 * connection, descriptors downloaded, calendar types, races and reporting terms mapped).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import { startStack } from '../../scripts/stack/stack.js';
import { freePort, waitForPort } from '../../scripts/stack/ports.js';
import { loadTemporalConfig } from '../../temporal.config.js';
import { ormOptions } from '../../db/orm.js';
import { secretBox } from '../../db/secrets.js';
import { buildServer } from '../../api/server.js';
import { apiKeyHeader, asClient } from '../../test/auth.js';
import { CATEGORIES } from '../../publishing/categories.js';
import { untilDownloaded, enableConnection } from '../../test/downloads.js';
import { publishAndWait, queuePublish, untilFinished } from '../../test/publishing.js';
import { workerNodeArgs } from '../../worker/launch.js';
import { runSpans, timeByType, type RunSpans } from './timeline.js';

type Call = ReturnType<typeof asClient>;

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const KEY = 'sandbox-key';
export const SECRET = 'sandbox-secret';
export const YEAR = 2025;
export const ORGANIZATION = CATEGORIES.filter((c) => c.group === 'organization').map((c) => c.id);
export const seconds = (t0: number): number => (performance.now() - t0) / 1000;

/** The district a size-scaled bench generates: `BENCH_SIZE` (`large` or `xl`), else `fallback`. */
export function benchSize(fallback: 'large' | 'xl'): 'large' | 'xl' {
  const size = process.env.BENCH_SIZE ?? fallback;
  if (size !== 'large' && size !== 'xl') throw new Error(`BENCH_SIZE must be large or xl, not ${size}`);
  return size;
}

/** A fresh sandbox in its own process; `args` adds options (`--faults file`, …). */
export async function sandboxChild(args: readonly string[] = []): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'sandbox/main.ts'), '--port', String(port), '--texas', '2025.2.1', ...args], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitForPort(port, '127.0.0.1', 60_000);
  return { url: `http://127.0.0.1:${port}`, child };
}

/** An ODS's latency, as a loaded ODS/API answers: each POST after 30 ms plus up to 40 ms. */
export const ODS_LATENCY = { latencyMs: 30, jitterMs: 40 } as const;
export const ODS_LATENCY_TEXT = `${ODS_LATENCY.latencyMs}–${ODS_LATENCY.latencyMs + ODS_LATENCY.jitterMs} ms per POST`;

/** The sandbox's faults that make it answer like a loaded ODS (a faults file, or POST /admin/faults). */
const ODS_LATENCY_FAULTS = { seed: 1, rules: [{ route: 'POST /data/v3/', ...ODS_LATENCY }] };

/** A fresh sandbox in its own process answering each POST with an ODS's latency (ODS_LATENCY). */
export async function loadedOdsSandbox(): Promise<{ url: string; child: ChildProcess }> {
  const faults = path.join(tmpdir(), `ods-latency-${process.pid}.json`);
  writeFileSync(faults, JSON.stringify(ODS_LATENCY_FAULTS));
  return sandboxChild(['--faults', faults]);
}

/**
 * Turns a sandbox's ODS latency on or off while it runs (POST /admin/faults): a benchmark loads
 * what its timed part needs unhurried, then times that part with the latency.
 */
export async function odsLatency(sandboxUrl: string, on: boolean): Promise<void> {
  const res = await fetch(`${sandboxUrl}/admin/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(on ? ODS_LATENCY_FAULTS : {}),
  });
  if (!res.ok) throw new Error(`the sandbox refused its faults: ${res.status} ${await res.text()}`);
}

/** worker/main.ts as a child process; resolves once it polls its task queues. */
export async function workerChild(env: Record<string, string>): Promise<ChildProcess> {
  // BENCH_PROFILE_DIR=dir writes the worker's CPU profile there when it ends (node --cpu-prof).
  const profile = process.env.BENCH_PROFILE_DIR !== undefined ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
  const child = spawn(process.execPath, workerNodeArgs({ ...process.env, ...env }, profile), {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('polling')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the worker ended (${code}) before polling:\n${out}`)));
  });
  return child;
}

/** Peak resident memory of a process while `work` runs, read from /proc every 100 ms (MB). */
export async function peakRss<T>(pid: number | undefined, work: () => Promise<T>): Promise<{ result: T; peakMb: number }> {
  let peak = 0;
  const read = (): void => {
    if (pid === undefined) return;
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    peak = Math.max(peak, kb / 1024);
  };
  read();
  const timer = setInterval(read, 100);
  try {
    const result = await work();
    read();
    return { result, peakMb: peak };
  } finally {
    clearInterval(timer);
  }
}

/**
 * A profile against the sandbox (`bench`, a SIS profile, unless told otherwise), with what the
 * Organization group needs mapped and the people groups' races.
 */
export async function benchProfile(
  call: Call,
  sisDb: pg.ClientBase,
  sandboxUrl: string,
  profile: { id: string; profileType: string } = { id: 'bench', profileType: 'SIS' },
  /** A profile of its own district, reading the district's own replica with the key the state issued for it. */
  district?: { readonly replicaUrl: string; readonly key: string; readonly secret: string },
): Promise<void> {
  const { id } = profile;
  const lea = (await sisDb.query<{ number: string; name: string }>('SELECT number, name FROM district')).rows[0];
  await call({ method: 'POST', url: '/api/leas', payload: { name: lea.name, stateNumber: lea.number } });
  const created = await call({
    method: 'POST',
    url: '/api/profiles',
    payload: {
      id,
      name: `${district === undefined ? 'Bench ISD' : lea.name} ${profile.profileType}`,
      profileType: profile.profileType,
      schoolYears: [YEAR],
      apiUrl: sandboxUrl,
      ...(district !== undefined ? { leaId: lea.number } : {}),
    },
  });
  if (created.statusCode !== 201) throw new Error(`creating profile ${id} failed: ${created.body}`);
  if (district !== undefined) {
    const kept = await call({ method: 'PUT', url: `/api/leas/${lea.number}/replicas`, payload: { sis: district.replicaUrl } });
    if (kept.statusCode !== 200) throw new Error(`district ${lea.number}'s replica was refused: ${kept.body}`);
  }
  await enableConnection(call, lea.number, id, district?.key ?? KEY, district?.secret ?? SECRET);
  const since = Date.now();
  await call({ method: 'POST', url: `/api/profiles/${id}/downloads`, payload: { schoolYear: YEAR, categories: ['descriptors'] } });
  await untilDownloaded(call, id, YEAR, since, 1);
  await call(`/api/profiles/${id}/code-sets`);
  // The clerk's mappings the Organization group needs: calendar types and reporting terms (per school).
  await call({
    method: 'PUT',
    url: `/api/profiles/${id}/code-sets/calendar-types/mappings`,
    payload: { code: 'REG', target: { namespace: 'uri://tea.texas.gov/CalendarTypeDescriptor', codeValue: '01' } },
  });
  // The Students and Staff groups': the generated race codes to TEA's values (C304), which share no code value to pre-map by.
  for (const [code, codeValue] of Object.entries({ I: '01', A: '02', B: '03', P: '04', W: '05' }))
    await call({
      method: 'PUT',
      url: `/api/profiles/${id}/code-sets/races/mappings`,
      payload: { code, target: { namespace: 'uri://tea.texas.gov/RaceDescriptor', codeValue } },
    });
  const SIX_WEEKS = ['First', 'Second', 'Third', 'Fourth', 'Fifth', 'Sixth'];
  for (const t of (await call(`/api/profiles/${id}/code-sets/reporting-terms/codes`)).json<Array<{ code: string; schoolId: number }>>()) {
    const n = Number(t.code.replace('SW', ''));
    if (n >= 1 && n <= 6)
      await call({
        method: 'PUT',
        url: `/api/profiles/${id}/code-sets/reporting-terms/mappings`,
        payload: {
          code: t.code,
          schoolId: t.schoolId,
          target: { namespace: 'uri://ed-fi.org/GradingPeriodDescriptor', codeValue: `${SIX_WEEKS[n - 1]} Six Weeks` },
        },
      });
  }
}

/** Every Organization category in the guide's order with one option, looking often so the wait adds little. */
export async function publishOrganization(
  call: Call,
  option: 'all' | 'changes' | 'preview',
  each?: (category: string, seconds: number) => Promise<void> | void,
): Promise<void> {
  for (const category of ORGANIZATION) {
    const t = performance.now();
    await publishAndWait(call, 'bench', { category, option, schoolYear: YEAR }, 3_600_000, 25);
    await each?.(category, seconds(t));
  }
}

/**
 * The Organization group queued at once, as the weekend schedule and Data Changes queue categories:
 * the queue runs them back to back without a clerk's (or a benchmark's) round trip between them.
 * Answers each category's time, from the previous one's end (the first: from the first request).
 */
export async function publishOrganizationQueued(
  call: Call,
  option: 'all' | 'changes',
  profileId = 'bench',
  pollMs = 25,
): Promise<Array<{ category: string; seconds: number }>> {
  const asked = Date.now();
  const tickets: number[] = [];
  for (const category of ORGANIZATION) tickets.push(await queuePublish(call, profileId, { category, option, schoolYear: YEAR }));
  const done = await untilFinished(call, profileId, tickets, 3_600_000, pollMs);
  const failed = done.find((d) => d.outcome !== 'completed');
  if (failed !== undefined) throw new Error(`${failed.category} ${failed.outcome}`);
  let previous = asked;
  return done.map((d) => {
    const end = Date.parse(d.finishedAt);
    const took = { category: d.category, seconds: (end - previous) / 1000 };
    previous = end;
    return took;
  });
}

/**
 * 1 % of each large Organization resource changed so its JSON changes: courses renamed, sections
 * moved to another room of their school, offerings' planned minutes, rooms' seats, and school days
 * turned into (or back from) early-release days (other operational minutes).
 */
export async function changeOnePercent(sisDb: pg.ClientBase): Promise<void> {
  await sisDb.query("UPDATE course SET name = name || ' (revised)' WHERE courseID % 100 = 0");
  await sisDb.query(
    `UPDATE section x SET roomID = (SELECT r2.roomID FROM room r JOIN room r2 ON r2.schoolID = r.schoolID AND r2.roomID <> r.roomID WHERE r.roomID = x.roomID ORDER BY r2.roomID LIMIT 1)
      WHERE x.sectionID % 100 = 0 AND x.roomID IS NOT NULL`,
  );
  await sisDb.query('UPDATE courseoffering SET instructionalMinutes = coalesce(instructionalMinutes, 240) + 5 WHERE offeringID % 100 = 0');
  await sisDb.query('UPDATE room SET maxStudents = coalesce(maxStudents, 30) + 1 WHERE roomID % 100 = 0');
  await sisDb.query("UPDATE day SET eventCode = CASE WHEN eventCode = 'ER' THEN 'ID' ELSE 'ER' END WHERE dayID % 100 = 0 AND instruction");
}

/**
 * Where a run's time went: activity time by type, summed over the histories of the profile's last
 * `runs` category runs, oldest first — from the activity's start to its completion (parallel ones
 * overlap), or with `from: 'scheduled'` from when the run scheduled it (waits for a slot included).
 */
export async function activityTimes(
  temporal: Client,
  call: Call,
  runs: number,
  from: 'started' | 'scheduled' = 'started',
): Promise<Array<{ category: string; seconds: Map<string, number> }>> {
  return (await recentRuns(temporal, call, runs)).map((run) => ({ category: run.category, seconds: timeByType(run, from) }));
}

/** The profile's last `runs` category runs, oldest first, step by step (bench/lib/timeline.ts). */
export async function recentRuns(temporal: Client, call: Call, runs: number, profileId = 'bench'): Promise<RunSpans[]> {
  const queue = (await call(`/api/profiles/${profileId}/publish-queue`)).json<{ recent: Array<{ workflowId: string; category: string }> }>();
  // The queue keeps its recent runs oldest first.
  return runSpans(temporal, queue.recent.slice(-runs));
}

/** `type 1.2 s, …` */
export const formatTimes = (spent: ReadonlyMap<string, number>): string => [...spent].map(([t, sec]) => `${t} ${sec.toFixed(1)} s`).join(', ');

/** What a publishing benchmark runs against. */
export interface BenchStack {
  readonly sandboxUrl: string;
  readonly pids: { sandbox: number | undefined; worker: number | undefined };
  readonly orm: MikroORM;
  readonly temporal: Client;
  readonly call: Call;
  /** A SIS connection of the benchmark's own (to change data). */
  readonly sisDb: pg.Client;
  /** The deployment's SIS replica (SIS_DATABASE_URL): its server holds any other district's database too. */
  readonly sisUrl: string;
  /** The scratch directory, removed at the end. */
  readonly dir: string;
  /** Starts one more child process that ends with the benchmark (a second sandbox, …). */
  readonly adopt: (child: ChildProcess) => void;
}

/**
 * Postgres and a Temporal dev server in a scratch dir, the sandbox and the worker as child
 * processes, the API in this one, the profile `bench` set up; `load` fills the SIS first. Stops
 * and removes everything afterwards, however `body` ends.
 */
export async function withBenchStack(
  name: string,
  load: (sisUrl: string, hrUrl: string | undefined) => Promise<void>,
  body: (b: BenchStack) => Promise<void>,
): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), `bench-${name}-`));
  chmodSync(dir, 0o755);
  const sandbox = await sandboxChild();
  const children: ChildProcess[] = [sandbox.child];
  try {
    const stack = await startStack({
      root: ROOT,
      dataDir: dir,
      postgresPort: await freePort(),
      temporalPort: await freePort(),
      temporalUiPort: await freePort(),
      env: { PATH: process.env.PATH ?? '' },
      log: () => undefined,
      sinkFor: () => () => undefined,
    });
    try {
      await load(stack.sisDatabaseUrl, stack.hrDatabaseUrl);
      const orm = await MikroORM.init(ormOptions(stack.databaseUrl));
      const sis = new pg.Pool({ connectionString: stack.sisDatabaseUrl, max: 8 });
      const hr = stack.hrDatabaseUrl !== undefined ? new pg.Pool({ connectionString: stack.hrDatabaseUrl, max: 2 }) : undefined;
      const config = loadTemporalConfig({ TEMPORAL_ADDRESS: stack.temporal.address });
      const connection = await Connection.connect({ address: stack.temporal.address });
      const temporal = new Client({ connection, namespace: config.namespace });
      const key = randomBytes(32);
      // The worker in its own process, as `npm start` and production run it: its CPU and memory are its own.
      const worker = await workerChild({
        DATABASE_URL: stack.databaseUrl,
        SIS_DATABASE_URL: stack.sisDatabaseUrl,
        ...(stack.hrDatabaseUrl !== undefined ? { HR_DATABASE_URL: stack.hrDatabaseUrl } : {}),
        TEMPORAL_ADDRESS: stack.temporal.address,
        EDX_SECRET_KEY: key.toString('base64'),
      });
      children.push(worker);
      const db = new pg.Pool({ connectionString: stack.databaseUrl, max: 6 });
      const app = await buildServer({ orm, db, temporal, temporalConfig: config, secrets: secretBox(key), sis, hr });
      const sisDb = new pg.Client({ connectionString: stack.sisDatabaseUrl });
      await sisDb.connect();
      try {
        const call = asClient(app, await apiKeyHeader(orm, 'admin'));
        await body({
          sandboxUrl: sandbox.url,
          pids: { sandbox: sandbox.child.pid, worker: worker.pid },
          orm,
          temporal,
          call,
          sisDb,
          sisUrl: stack.sisDatabaseUrl,
          dir,
          adopt: (c) => void children.push(c),
        });
      } finally {
        await sisDb.end();
        await app.close();
        await db.end();
        // Let it finish its graceful shutdown (and write a profile) before Temporal goes away.
        const ended = new Promise((resolve) => worker.once('exit', resolve));
        worker.kill('SIGTERM');
        await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 15_000))]);
        await connection.close();
        await sis.end();
        await hr?.end();
        await orm.close();
      }
    } finally {
      await stack.stop();
    }
  } finally {
    for (const c of children) c.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}
