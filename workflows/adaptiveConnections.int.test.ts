/**
 * Adaptive connections on the real stack (Temporal, Postgres, the worker, the sandbox): against an
 * ODS that degrades past a few requests at once, a publish with Simultaneous Connections 200 finds
 * the few instead — its progress shows the connections it used, few requests are answered 5xx, and
 * Retry – Errors leaves every record published. With the setting off, the limit is the setting.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { EdfiClient } from '../edfi/client/api.js';
import { DEFAULT_CLIENT, startSandbox, type Sandbox } from '../sandbox/server.js';
import { generateDistrict, loadDistrict } from '../sis/index.js';
import { apiKeyHeader, asClient } from '../test/auth.js';
import { startApiHarness, type ApiHarness } from '../test/apiHarness.js';
import { createScratchDatabase } from '../test/stack.js';
import { mapRegularCalendars, profileWithDescriptors } from '../test/downloads.js';
import { publishAndWait } from '../test/publishing.js';
import { categoryProgressQuery } from '../temporal/contract.js';
import { RUNTIME_FRESH_MS } from '../activities/publishing/shared.js';

let h: ApiHarness;
let sandbox: Sandbox;
let state: EdfiClient;
let sis: pg.Client;
let call: ReturnType<typeof asClient>;
const YEAR = 2025;
const PROFILE = 'adaptive';
/** The ODS takes 6 at once well; each request beyond adds 15 ms to every answer and 1 % to the chance of a 503. */
const KNEE = 6;
const OVERLOAD = { route: 'POST /data/v3/', latencyMs: 5, jitterMs: 10, overload: { inFlight: KNEE, latencyMs: 15, error503: 0.01 } };

beforeAll(async () => {
  const sisUrl = await createScratchDatabase('adaptivesis');
  await loadDistrict(sisUrl, generateDistrict({ size: 'small', seed: 1 }));
  sis = new pg.Client({ connectionString: sisUrl });
  await sis.connect();
  h = await startApiHarness('adaptive', { worker: true, realWorkflows: true, sisDatabaseUrl: sisUrl });
  sandbox = await startSandbox({ texasExtension: '2025.2.1' });
  state = new EdfiClient({ apiUrl: sandbox.baseUrl, key: DEFAULT_CLIENT.key, secret: DEFAULT_CLIENT.secret });
  await state.post('ed-fi/calendarTypeDescriptors', { namespace: 'uri://tea.texas.gov/CalendarTypeDescriptor', codeValue: '01', shortDescription: 'Regular' });
  call = asClient(h.app, await apiKeyHeader(h.orm, 'admin'));
  const lea = (await sis.query<{ number: string; name: string }>('SELECT number, name FROM district')).rows[0];
  await profileWithDescriptors(call, {
    profileId: PROFILE,
    name: 'Adaptive ISD',
    apiUrl: sandbox.baseUrl,
    schoolYear: YEAR,
    lea,
    key: DEFAULT_CLIENT.key,
    secret: DEFAULT_CLIENT.secret,
  });
  await mapRegularCalendars(call, PROFILE);
  // The setup goes out at a fixed limit, so the test below starts from a fresh adaptive limit (a
  // changed setting opens one): what a healthy sandbox let it learn here is not the knee's to unlearn.
  await settings({ simultaneousConnections: 200, adaptiveConnections: false });
  expect((await publishAndWait(call, PROFILE, { category: 'organization-catalog', option: 'all', schoolYear: YEAR })).outcome).toBe('completed');
}, 240_000);

afterAll(async () => {
  await state?.close();
  await sandbox?.close();
  await sis?.end();
  await h?.close();
});

const settings = async (payload: { simultaneousConnections: number; adaptiveConnections: boolean }): Promise<void> => {
  expect((await call({ method: 'PUT', url: '/api/settings', payload })).json()).toMatchObject(payload);
  // The worker reads the settings again at most this often.
  await new Promise((r) => setTimeout(r, RUNTIME_FRESH_MS + 200));
};

/** The run's progress as its query answers (a finished run answers it too, from its history). */
const progressOf = async (workflowId: string): Promise<ReadonlyArray<{ connections?: number }>> =>
  (await h.client.workflow.getHandle(workflowId).query(categoryProgressQuery)).samples;

const CALENDARS = ['calendars', 'calendarDates', 'gradingPeriods', 'sessions'] as const;

/** The calendars' records, those whose last answer was a 5xx, and those in error now. */
async function errorsAnd5xx(): Promise<{ records: number; fiveXx: number; error: number }> {
  const [row] = await h.orm.em.getConnection().execute<[{ records: string; five: string; error: string }]>(
    `SELECT count(*) AS records, count(*) FILTER (WHERE http_status >= 500) AS five, count(*) FILTER (WHERE status = 'error') AS error
       FROM catalog WHERE profile_id = ? AND resource IN (${CALENDARS.map(() => '?').join(', ')})`,
    [PROFILE, ...CALENDARS],
  );
  return { records: Number(row.records), fiveXx: Number(row.five), error: Number(row.error) };
}

describe('adaptive connections', () => {
  it('find how many requests a degrading ODS takes well (Simultaneous Connections 200 the most), show them on the run’s progress, and lose nothing', async () => {
    await settings({ simultaneousConnections: 200, adaptiveConnections: true });
    sandbox.setFaults({ seed: 5, rules: [OVERLOAD] });
    try {
      const run = await publishAndWait(call, PROFILE, { category: 'organization-calendars', option: 'all', schoolYear: YEAR }, 300_000);
      expect(run.outcome).toBe('completed');
      const connections = (await progressOf(run.workflowId)).flatMap((s) => (s.connections !== undefined ? [s.connections] : []));
      expect(connections.length).toBeGreaterThan(0);
      // Near the knee, far below the 200 a fixed setting would have sent at once.
      expect(Math.max(...connections)).toBeLessThanOrEqual(4 * KNEE);
      const first = await errorsAnd5xx();
      expect(first.records).toBeGreaterThan(500);
      // Fixed at 200, nearly every request would be answered 503 (194 beyond the knee × 1 %).
      expect(first.fiveXx / first.records).toBeLessThan(0.05);
      console.log(`adaptive connections: ${first.records} records, ${first.fiveXx} answered 5xx, connections at batch ends ${connections.join(', ')}`);
      for (let round = 0; round < 5 && (await errorsAnd5xx()).error > 0; round++)
        expect((await publishAndWait(call, PROFILE, { category: 'organization-calendars', option: 'retry-errors', schoolYear: YEAR }, 300_000)).outcome).toBe(
          'completed',
        );
      expect((await errorsAnd5xx()).error).toBe(0);
    } finally {
      sandbox.setFaults({});
    }
  }, 600_000);

  it('off: Simultaneous Connections is the limit, whatever the ODS answers', async () => {
    await settings({ simultaneousConnections: 20, adaptiveConnections: false });
    try {
      const run = await publishAndWait(call, PROFILE, { category: 'organization-calendars', option: 'all', schoolYear: YEAR }, 300_000);
      expect(run.outcome).toBe('completed');
      expect(new Set((await progressOf(run.workflowId)).flatMap((s) => (s.connections !== undefined ? [s.connections] : [])))).toEqual(new Set([20]));
    } finally {
      await settings({ simultaneousConnections: 200, adaptiveConnections: true });
    }
  }, 300_000);
});
