/**
 * The web UI in a real browser (Debian's Chromium via playwright-core) against the real API,
 * Postgres and Temporal: a clerk signs in, queues a publish, and watches it go live.
 */
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MikroORM } from '@mikro-orm/postgresql';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { loadTemporalConfig } from '../temporal.config.js';
import { migrateAppDatabase, ormOptions } from '../db/orm.js';
import { createProfile } from '../db/profiles.js';
import { secretBox } from '../db/secrets.js';
import { createUser } from '../db/users.js';
import { createScratchDatabase, testStack } from '../test/stack.js';
import { chromiumAvailable, launchChromium } from '../test/browser.js';
import { finishSignal } from '../test/workflows/queueHarness.js';
import { buildServer } from '../api/server.js';

const root = path.resolve(import.meta.dirname, '..');
const shots = path.join(root, '.data', 'test-artifacts', 'screenshots');
let orm: MikroORM;
let connection: Connection;
let native: NativeConnection;
let client: Client;
let app: FastifyInstance;
let worker: Worker;
let running: Promise<void>;
let browser: Browser;
let base: string;
const profileId = `ui-${randomUUID().slice(0, 8)}`;

describe.skipIf(!chromiumAvailable())('web UI in Chromium', () => {
  beforeAll(async () => {
    const stack = testStack();
    const databaseUrl = await createScratchDatabase('ui');
    await migrateAppDatabase(databaseUrl);
    orm = await MikroORM.init(ormOptions(databaseUrl));
    const em = orm.em.fork();
    createProfile(em, { id: profileId, name: 'Browser ISD – SIS', profileType: 'SIS', schoolYears: [2025] });
    await em.flush();
    await createUser(orm.em.fork(), { username: 'clerk', password: 'a long clerk password', role: 'clerk' });
    const config = loadTemporalConfig({ TEMPORAL_ADDRESS: stack.temporalAddress, TEMPORAL_TASK_QUEUE_PUBLISHING: `ui-${randomUUID()}` });
    connection = await Connection.connect({ address: stack.temporalAddress });
    client = new Client({ connection });
    native = await NativeConnection.connect({ address: stack.temporalAddress });
    worker = await Worker.create({ connection: native, taskQueue: config.taskQueues.publishing, workflowsPath: path.resolve(root, 'test/workflows/queueHarness.ts') });
    running = worker.run();
    app = await buildServer({ orm, temporal: client, temporalConfig: config, secrets: secretBox(randomBytes(32)), temporalUiUrl: 'http://127.0.0.1:8233' });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    mkdirSync(shots, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    worker?.shutdown();
    await running;
    await native?.close();
    await connection?.close();
    await orm?.close();
  });

  it('signs a clerk in, queues a publish and shows it publishing, then done, without a reload', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(base);
    await page.getByLabel('User name').fill('clerk');
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('#sign-in-result').textContent()).toContain('the user name or password is wrong');
    await page.getByLabel('Password').fill('a long clerk password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#who').getByText('clerk (clerk)').waitFor();

    await page.getByLabel('Category', { exact: true }).selectOption('organization-calendars');
    await page.getByLabel('Option').selectOption('all');
    await page.getByRole('button', { name: 'Queue' }).click();
    await expect.poll(() => page.locator('#publish-result').textContent()).toContain('Queued at position 1');
    const row = page.locator('#queue tr').first();
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain('Publishing');
    expect(await row.textContent()).toContain('Organization Calendars');
    expect(await row.locator('a').getAttribute('href')).toBe(`http://127.0.0.1:8233/namespaces/default/workflows/${encodeURIComponent(`publish/${profileId}/2025/organization-calendars/1`)}`);
    await page.screenshot({ path: path.join(shots, 'status-publishing.png'), fullPage: true });

    await client.workflow.getHandle(`publish/${profileId}/2025/organization-calendars/1`).signal(finishSignal, 'completed');
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain('Done');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('User name').waitFor();
    await page.close();
  });
});
