/**
 * The web UI in a real browser (Debian's Chromium via playwright-core) against the real API,
 * Postgres and Temporal: a clerk signs in, queues a publish, and watches it go live.
 */
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createProfile } from '../db/profiles.js';
import { createUser } from '../db/users.js';
import { chromiumAvailable, launchChromium } from '../test/browser.js';
import { startApiHarness, type ApiHarness } from '../test/apiHarness.js';
import { finishSignal } from '../test/workflows/queueHarness.js';

const root = path.resolve(import.meta.dirname, '..');
const shots = path.join(root, '.data', 'test-artifacts', 'screenshots');
let h: ApiHarness;
let browser: Browser;
let base: string;
const profileId = `ui-${randomUUID().slice(0, 8)}`;

describe.skipIf(!chromiumAvailable())('web UI in Chromium', () => {
  beforeAll(async () => {
    h = await startApiHarness('ui', { worker: true, listen: true, temporalUiUrl: 'http://127.0.0.1:8233' });
    const em = h.orm.em.fork();
    createProfile(em, { id: profileId, name: 'Browser ISD – SIS', profileType: 'SIS', schoolYears: [2025] });
    await em.flush();
    await createUser(h.orm.em.fork(), { username: 'clerk', password: 'a long clerk password', role: 'clerk' });
    base = h.baseUrl!;
    browser = await launchChromium();
    mkdirSync(shots, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await h?.close();
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

    await h.client.workflow.getHandle(`publish/${profileId}/2025/organization-calendars/1`).signal(finishSignal, 'completed');
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain('Done');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('User name').waitFor();
    await page.close();
  });
});
