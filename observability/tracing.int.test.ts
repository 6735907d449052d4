/**
 * One trace from a clerk's click to the ODS answers, on the real stack: the API's request span, the
 * Temporal client's call to the publish queue, the category run's workflow span (exported from the
 * workflow sandbox by the worker's sink), the activities it scheduled and their Ed-Fi requests, exported by OTLP/HTTP to a local collector — and no record's data in any span.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { DEFAULT_CLIENT, startSandbox, type Sandbox } from '../sandbox/server.js';
import { generateDistrict, loadDistrict } from '../sis/index.js';
import { apiKeyHeader, asClient } from '../test/auth.js';
import { startApiHarness, type ApiHarness } from '../test/apiHarness.js';
import { createScratchDatabase } from '../test/stack.js';
import { profileWithDescriptors } from '../test/downloads.js';
import { publishAndWait } from '../test/publishing.js';
import { startTracing, type Tracing } from './tracing.js';
import { readQueue } from '../temporal/client/publishQueue.js';
import { traceIdOf } from '../publishing/publishRequest.js';
import type { Workflows } from '../temporal/contract.js';

interface ExportedSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: Array<{ key: string; value: Record<string, unknown> }>;
}

/** A collector that keeps what the OTLP/HTTP exporter sends (JSON). */
async function collector(): Promise<{ url: string; spans: ExportedSpan[]; close(): Promise<void> }> {
  const spans: ExportedSpan[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        resourceSpans?: Array<{ scopeSpans?: Array<{ spans?: ExportedSpan[] }> }>;
      };
      for (const rs of body.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) spans.push(...(ss.spans ?? []));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/v1/traces`, spans, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Trace ids arrive as hex (or base64 from other encoders). */
const hex = (id: string): string => (/^[\da-f]{32}$/.test(id) ? id : Buffer.from(id, 'base64').toString('hex'));

let h: ApiHarness;
let sandbox: Sandbox;
let tracing: Tracing;
let otlp: Awaited<ReturnType<typeof collector>>;
let call: ReturnType<typeof asClient>;
let names: string[];
const YEAR = 2025;

beforeAll(async () => {
  otlp = await collector();
  tracing = startTracing('edfi-exchange-test', otlp.url)!;
  const sisUrl = await createScratchDatabase('tracesis');
  await loadDistrict(sisUrl, generateDistrict({ size: 'small', seed: 1 }));
  const sis = new pg.Client({ connectionString: sisUrl });
  await sis.connect();
  const lea = (await sis.query<{ number: string; name: string }>('SELECT number, name FROM district')).rows[0];
  names = [lea.name, ...(await sis.query<{ name: string }>('SELECT name FROM school')).rows.map((r) => r.name)];
  await sis.end();
  h = await startApiHarness('trace', { worker: true, realWorkflows: true, sisDatabaseUrl: sisUrl });
  sandbox = await startSandbox({ texasExtension: '2025.2.1' });
  call = asClient(h.app, await apiKeyHeader(h.orm, 'admin'));
  await profileWithDescriptors(call, {
    profileId: 'trace',
    name: 'Trace ISD',
    apiUrl: sandbox.baseUrl,
    schoolYear: YEAR,
    lea,
    key: DEFAULT_CLIENT.key,
    secret: DEFAULT_CLIENT.secret,
  });
}, 240_000);

afterAll(async () => {
  await tracing?.shutdown();
  await sandbox?.close();
  await h?.close();
  await otlp?.close();
});

describe('traces (OpenTelemetry, OTLP)', () => {
  it("follow a publish from the clerk's request through the Temporal call, the run's workflow and its activities to the ODS answers, as one trace", async () => {
    const done = await publishAndWait(call, 'trace', { category: 'organization-catalog', option: 'all', schoolYear: YEAR });
    expect(done.outcome, done.detail).toBe('completed');
    // The run's trace id is on its queue entry (the web UI shows it beside the history link).
    const queue = (await call('/api/profiles/trace/publish-queue')).json<{ recent: Array<{ workflowId: string; traceId?: string }> }>();
    const traceId = queue.recent.find((r) => r.workflowId === done.workflowId)?.traceId;
    expect(traceId).toMatch(/^[\da-f]{32}$/);
    const inTrace = async (): Promise<string[]> => {
      await tracing.flush();
      return otlp.spans.filter((s) => hex(s.traceId) === traceId).map((s) => s.name);
    };
    await expect
      .poll(inTrace, { timeout: 20_000 })
      .toEqual(
        expect.arrayContaining([
          'POST /api/profiles/:profileId/publish',
          'RunWorkflow:categoryPublish',
          'StartActivity:extractAndPlan',
          'activity extractAndPlan',
          'activity sendBatch',
          'POST /data/v3/ed-fi/schools',
        ]),
      );
    const spans = await inTrace();
    // The SDK's client interceptor: the queue's update is a span of the request.
    expect(spans.some((n) => /enqueuePublish/.test(n))).toBe(true);
    expect(spans.filter((n) => n === 'POST /data/v3/ed-fi/localEducationAgencies')).toHaveLength(1);
    // Ids, routes, resources and statuses only: no name of the district or its schools anywhere.
    const text = JSON.stringify(otlp.spans);
    for (const name of names) expect(text).not.toContain(name);
    // The chain: an ODS request ← its activity ← the workflow's scheduling of it ← the run ← the request.
    const byId = new Map(otlp.spans.filter((s) => hex(s.traceId) === traceId).map((s) => [s.spanId, s]));
    const ancestry = (span: ExportedSpan | undefined): string[] => {
      const names: string[] = [];
      for (let at = span; at !== undefined; at = at.parentSpanId ? byId.get(at.parentSpanId) : undefined) names.push(at.name);
      return names;
    };
    const school = [...byId.values()].find((s) => s.name === 'POST /data/v3/ed-fi/schools');
    expect(ancestry(school)).toEqual(
      expect.arrayContaining(['activity sendBatch', 'StartActivity:sendBatch', 'RunWorkflow:categoryPublish', 'POST /api/profiles/:profileId/publish']),
    );
    expect(ancestry(school).at(-1)).toBe('POST /api/profiles/:profileId/publish');
    const ods = otlp.spans.find((s) => s.name === 'POST /data/v3/ed-fi/schools' && hex(s.traceId) === traceId);
    // The ODS's answer: 201 for a new school, 200 for one it had (the download brought it).
    expect([200, 201]).toContain(Number(ods?.attributes.find((a) => a.key === 'http.response.status_code')?.value.intValue));
  }, 120_000);

  it('gives a scheduled run a trace of its own that the publishes it queues continue', async () => {
    // Paused (System Processing off), so the weekend's categories wait in the queue to be looked at.
    expect((await call({ method: 'PUT', url: '/api/diagnostics/system-processing', payload: { enabled: false } })).statusCode).toBeLessThan(300);
    expect((await call({ method: 'PATCH', url: '/api/profiles/trace', payload: { publishPublish: true } })).statusCode).toBe(200);
    const queued = await h.client.workflow.execute<Workflows['scheduledSync']>('scheduledSync', {
      taskQueue: h.config.taskQueues.publishing,
      workflowId: `weekend-trace-test/${Date.now()}`,
      args: [{ profileId: 'trace', kind: 'weekend' }],
    });
    expect(queued.length).toBeGreaterThan(0);
    const waiting = (await readQueue(h.client, 'trace'))?.waiting ?? [];
    const traces = new Set(waiting.map((w) => traceIdOf(w.request.traceparent)));
    expect(traces.size).toBe(1);
    const [traceId] = [...traces];
    expect(traceId).toMatch(/^[\da-f]{32}$/);
    await expect
      .poll(
        async () => {
          await tracing.flush();
          return otlp.spans.filter((s) => hex(s.traceId) === traceId).map((s) => s.name);
        },
        { timeout: 20_000 },
      )
      .toEqual(expect.arrayContaining(['RunWorkflow:scheduledSync', 'StartActivity:enqueueScheduledSync', 'activity enqueueScheduledSync']));
  }, 60_000);
});
