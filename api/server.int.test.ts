import http from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { loadTemporalConfig, type TemporalConfig } from '../temporal.config.js';
import { ormOptions } from '../db/orm.js';
import { ProfileSchema } from '../db/entities/profile.js';
import { createProfile } from '../db/profiles.js';
import { secretBox } from '../db/secrets.js';
import { testStack } from '../test/stack.js';
import { apiKeyHeader, asClient } from '../test/auth.js';
import { buildServer } from './server.js';

let orm: MikroORM;
let db: pg.Pool;
let connection: Connection;
let client: Client;
let config: TemporalConfig;
let edfi: http.Server;
let edfiStatus = 200;

async function server(edfiBaseUrl?: string): Promise<FastifyInstance> {
  return buildServer({
    orm,
    db,
    temporal: client,
    temporalConfig: config,
    edfiBaseUrl,
    temporalUiUrl: 'http://127.0.0.1:8233',
    secrets: secretBox(randomBytes(32)),
  });
}

beforeAll(async () => {
  const stack = testStack();
  config = loadTemporalConfig({ TEMPORAL_ADDRESS: stack.temporalAddress, TEMPORAL_TASK_QUEUE_PUBLISHING: `api-test-${randomUUID()}` });
  orm = await MikroORM.init(ormOptions(stack.databaseUrl));
  db = new pg.Pool({ connectionString: stack.databaseUrl, max: 2 });
  const em = orm.em.fork();
  if ((await em.count(ProfileSchema, { id: 'api-test' })) === 0) {
    createProfile(em, { id: 'api-test', name: 'API test ISD', profileType: 'SIS', schoolYears: [2025] });
    await em.flush();
  }
  connection = await Connection.connect({ address: stack.temporalAddress });
  client = new Client({ connection, namespace: stack.namespace });
  // A stand-in Ed-Fi API root: answers the discovery document, or fails on demand.
  edfi = http.createServer((_req, res) => {
    res.writeHead(edfiStatus, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ version: '7.2', apiMode: 'Year Specific' }));
  });
  await new Promise<void>((r) => edfi.listen(0, '127.0.0.1', r));
});

afterAll(async () => {
  await db?.end();
  await new Promise((r) => edfi?.close(r));
  await connection?.close();
  await orm?.close();
});

describe('HTTP API', () => {
  it('answers /healthz while alive', async () => {
    const app = await server();
    // Health needs no credentials: load balancers and `npm start` call it.
    const res = await app.inject({ url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('reports /readyz per check: 503 naming the missing worker and the failing Ed-Fi API, 200 once both are there', async () => {
    const edfiUrl = `http://127.0.0.1:${(edfi.address() as AddressInfo).port}/`;
    edfiStatus = 500;
    const app = await server(edfiUrl);
    let res = await app.inject({ url: '/readyz' });
    expect(res.statusCode).toBe(503);
    const body = res.json<{ ready: boolean; checks: Record<string, { ok: boolean; detail: string }> }>();
    expect(body.checks.database?.ok).toBe(true);
    expect(body.checks.temporal?.ok).toBe(true);
    expect(body.checks.worker).toMatchObject({
      ok: false,
      detail: expect.stringContaining(`no worker polls task queue ${config.taskQueues.publishing}`) as unknown,
    });
    expect(body.checks.edfi).toMatchObject({ ok: false, detail: expect.stringContaining('HTTP 500') as unknown });

    edfiStatus = 200;
    const native = await NativeConnection.connect({ address: testStack().temporalAddress });
    const worker = await Worker.create({
      connection: native,
      taskQueue: config.taskQueues.publishing,
      workflowsPath: new URL('../test/workflows/queueHarness.ts', import.meta.url).pathname,
    });
    const running = worker.run();
    try {
      const deadline = Date.now() + 20_000;
      do {
        res = await app.inject({ url: '/readyz' });
        if (res.statusCode === 200) break;
        await new Promise((r) => setTimeout(r, 250));
      } while (Date.now() < deadline);
      expect(res.statusCode).toBe(200);
      expect(res.json<{ checks: Record<string, { detail: string }> }>().checks.edfi?.detail).toContain('ODS/API 7.2');

      // A publish request is queued and answered with its position and a Temporal UI link.
      const call = asClient(app, await apiKeyHeader(orm, 'clerk'));
      const publish = await call({
        method: 'POST',
        url: '/api/profiles/api-test/publish',
        payload: { category: 'course-catalog', option: 'all', schoolYear: 2025 },
      });
      expect(publish.statusCode).toBe(202);
      expect(publish.json()).toMatchObject({
        ticket: 1,
        position: 1,
        duplicate: false,
        workflowId: 'publish/api-test/2025/course-catalog/1',
        queueWorkflowId: 'publish-queue/api-test',
      });
      expect(publish.json<{ temporalUrl: string }>().temporalUrl).toBe(
        'http://127.0.0.1:8233/namespaces/default/workflows/publish%2Fapi-test%2F2025%2Fcourse-catalog%2F1',
      );
      const queue = await call({ url: '/api/profiles/api-test/publish-queue' });
      expect(queue.statusCode).toBe(200);
      await client.workflow.getHandle('publish-queue/api-test').terminate('test over');
    } finally {
      worker.shutdown();
      await running;
      await native.close();
    }
  });

  it('refuses bad input with 400 naming the field, and unknown profiles with 404', async () => {
    const app = asClient(await server(), await apiKeyHeader(orm, 'clerk'));
    const badOption = await app({
      method: 'POST',
      url: '/api/profiles/api-test/publish',
      payload: { category: 'course-catalog', option: 'everything', schoolYear: 2025 },
    });
    expect(badOption.statusCode).toBe(400);
    expect(badOption.json()).toMatchObject({ field: 'option' });
    const noYear = await app({ method: 'POST', url: '/api/profiles/api-test/publish', payload: { category: 'course-catalog' } });
    expect(noYear.statusCode).toBe(400);
    expect(noYear.json<{ message: string }>().message).toContain('schoolYear');
    const badJson = await app({
      method: 'POST',
      url: '/api/profiles/api-test/publish',
      headers: { 'content-type': 'application/json' },
      payload: '{"category":',
    });
    expect(badJson.statusCode).toBe(400);
    const schoolScope = await app({
      method: 'POST',
      url: '/api/profiles/api-test/publish',
      payload: { category: 'course-catalog', schoolYear: 2025, scope: { kind: 'school', schoolId: '001' } },
    });
    expect(schoolScope.statusCode).toBe(400);
    expect(schoolScope.json()).toMatchObject({ field: 'scope', message: expect.stringContaining('District context') as unknown });
    const unknown = await app({ method: 'POST', url: '/api/profiles/nope/publish', payload: { category: 'course-catalog', schoolYear: 2025 } });
    expect(unknown.statusCode).toBe(404);
  });

  it('serves the web UI and the OpenAPI document', async () => {
    const app = await server();
    const page = await app.inject({ url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.body).toContain('<h1>edfi-exchange</h1>');
    const spec = await app.inject({ url: '/docs/json' });
    expect(Object.keys(spec.json<{ paths: object }>().paths)).toEqual(expect.arrayContaining(['/readyz', '/api/profiles/{profileId}/publish']));
    expect((await app.inject({ url: '/ui/../../package.json' })).statusCode).toBe(404);
    // The icon browsers ask for on their own is there, for everyone, not a 404.
    for (const url of ['/favicon.ico', '/ui/favicon.svg']) {
      const icon = await app.inject({ url });
      expect(icon.statusCode, url).toBe(200);
      expect(icon.headers['content-type']).toBe('image/svg+xml');
    }
  });
});
