/**
 * Faults on the real stack — a worker process, Temporal, Postgres, the sandbox and a generated
 * SIS replica: the worker killed outright (SIGKILL) in the middle of a category's sends. A new
 * worker must finish the run within a minute of the kill (heartbeat timeout, not the 20-minute
 * start-to-close), and afterwards every record is in the ODS exactly once and the catalog agrees
 * with the ODS record for record.
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
import { mapSixWeeks, profileWithDescriptors } from '../test/downloads.js';
import { catalogRecords, publishAndWait, type FinishedRun } from '../test/publishing.js';
import { createScratchDatabase, testStack } from '../test/stack.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const YEAR = 2025;
const key = randomBytes(32);
let h: ApiHarness;
let sandbox: Sandbox;
let state: EdfiClient;
let sisUrl: string;
let call: ReturnType<typeof asClient>;
const workers: ChildProcess[] = [];

/** worker/main.ts in its own process on the harness's queues, as npm start runs it; resolves once it polls. */
async function startWorker(): Promise<ChildProcess> {
  const q = h.config.taskQueues;
  const env = { ...process.env, DATABASE_URL: h.databaseUrl, SIS_DATABASE_URL: sisUrl, TEMPORAL_ADDRESS: testStack().temporalAddress, TEMPORAL_NAMESPACE: testStack().namespace, TEMPORAL_TASK_QUEUE_PUBLISHING: q.publishing, TEMPORAL_TASK_QUEUE_DOWNLOADS: q.downloads, TEMPORAL_TASK_QUEUE_DEPENDENCY_RETRIES: q.dependencyRetries, EDX_SECRET_KEY: key.toString('base64') };
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'worker/main.ts')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  workers.push(child);
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const read = (d: Buffer): void => {
      out += d.toString();
      if (out.includes('polling')) resolve();
    };
    child.stdout.on('data', read);
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`the worker ended (${code}) before polling:\n${out}`)));
  });
  return child;
}

beforeAll(async () => {
  sisUrl = await createScratchDatabase('faultsis');
  await loadDistrict(sisUrl, generateDistrict({ size: 'small', seed: 1 }));
  h = await startApiHarness('faults', { sisDatabaseUrl: sisUrl, secretKey: key });
  sandbox = await startSandbox({ texasExtension: '2025.2.1' });
  state = new EdfiClient({ apiUrl: sandbox.baseUrl, key: DEFAULT_CLIENT.key, secret: DEFAULT_CLIENT.secret });
  call = asClient(h.app, await apiKeyHeader(h.orm, 'admin'));
  await startWorker();
  const sis = new pg.Client({ connectionString: sisUrl });
  await sis.connect();
  const lea = (await sis.query<{ number: string; name: string }>('SELECT number, name FROM district')).rows[0];
  await sis.end();
  await profileWithDescriptors(call, { profileId: 'faults', name: 'Faults ISD', apiUrl: sandbox.baseUrl, schoolYear: YEAR, lea, key: DEFAULT_CLIENT.key, secret: DEFAULT_CLIENT.secret });
  await call({ method: 'PUT', url: '/api/profiles/faults/code-sets/calendar-types/mappings', payload: { code: 'REG', target: { namespace: 'uri://tea.texas.gov/CalendarTypeDescriptor', codeValue: '01' } } });
  await mapSixWeeks(call, 'faults');
  expect((await publishAndWait(call, 'faults', { category: 'organization-catalog', option: 'all', schoolYear: YEAR })).outcome).toBe('completed');
}, 240_000);

afterAll(async () => {
  for (const w of workers) w.kill('SIGKILL');
  await state?.close();
  await sandbox?.close();
  for (const id of ['nightly/faults', 'weekend/faults']) await h?.client.schedule.getHandle(id).delete().catch(() => undefined);
  await h?.close();
});

/** Every record of a resource in the ODS, by id. */
async function inOds(resource: string): Promise<Array<Record<string, unknown>>> {
  const out: Array<Record<string, unknown>> = [];
  for (let offset = 0; ; offset += 500) {
    const page = (await state.page(resource, offset, 500)) as Array<Record<string, unknown>>;
    out.push(...page);
    if (page.length < 500) return out;
  }
}

describe('a worker killed outright mid-send', () => {
  it('is replaced, and the run completes within a minute with every record in the ODS exactly once', async () => {
    // Slow sends (150 ms each, 20 at a time) so the kill lands while calendar dates are going out.
    expect((await call({ method: 'PUT', url: '/api/settings', payload: { simultaneousConnections: 20 } })).statusCode).toBe(200);
    sandbox.setFaults({ rules: [{ route: 'POST /data/v3/ed-fi/calendarDates', latencyMs: 150 }] });
    const queued = await call({ method: 'POST', url: '/api/profiles/faults/publish', payload: { category: 'organization-calendars', option: 'all', schoolYear: YEAR } });
    const { ticket } = queued.json<{ ticket: number }>();
    const db = h.orm.em.getConnection();
    const sent = async (): Promise<number> => Number((await db.execute<Array<{ n: string }>>("SELECT count(*) AS n FROM catalog WHERE profile_id = 'faults' AND resource = 'calendarDates'"))[0]?.n ?? 0);
    // Calendar dates are recorded as each batch ends: wait for the sends to be under way in the ODS instead.
    const deadline = Date.now() + 90_000;
    while ((await inOds('ed-fi/calendarDates')).length < 40 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await sent()).toBe(0);
    workers[0].kill('SIGKILL');
    const killedAt = Date.now();
    await startWorker();
    let done: FinishedRun | undefined;
    while (done === undefined && Date.now() - killedAt < 120_000) {
      done = (await call('/api/profiles/faults/publish-queue')).json<{ recent: FinishedRun[] }>().recent.find((r) => r.ticket === ticket);
      if (done === undefined) await new Promise((r) => setTimeout(r, 250));
    }
    const recoveredSeconds = (Date.now() - killedAt) / 1000;
    console.log(`recovered from kill -9 of the worker mid-send in ${recoveredSeconds.toFixed(1)} s`);
    expect(done?.outcome).toBe('completed');
    expect(recoveredSeconds).toBeLessThan(60);
    sandbox.setFaults({});

    // Every record in the ODS exactly once; the catalog agrees with the ODS record for record.
    for (const [resource, catalogName] of [['ed-fi/calendars', 'calendars'], ['ed-fi/calendarDates', 'calendarDates'], ['ed-fi/sessions', 'sessions'], ['ed-fi/gradingPeriods', 'gradingPeriods']] as const) {
      const ods = await inOds(resource);
      const catalog = [...(await catalogRecords(call, 'faults', catalogName, YEAR)).values()];
      const naturalKeys = ods.map((d) => JSON.stringify({ ...d, id: undefined, _etag: undefined, _lastModifiedDate: undefined }));
      expect(new Set(naturalKeys).size, `${resource}: a record sent twice`).toBe(ods.length);
      expect(catalog.every((r) => r.status === 'published'), `${resource}: not all published`).toBe(true);
      expect(new Set(catalog.map((r) => r.edfiId))).toEqual(new Set(ods.map((d) => d.id)));
    }
  }, 240_000);
});
