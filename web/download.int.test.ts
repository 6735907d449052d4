/**
 * The Download page in Chromium against the real API, Temporal, Postgres and the Ed-Fi sandbox:
 * an admin downloads everything for the school year and watches each category finish with its
 * count, without a reload.
 */
import path from 'node:path';
import { copyFileSync, mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createUser } from '../db/users.js';
import { chromiumAvailable, launchChromium, signedInPage } from '../test/browser.js';
import { startApiHarness, type ApiHarness } from '../test/apiHarness.js';
import { apiKeyHeader, asClient } from '../test/auth.js';
import { enableConnection } from '../test/downloads.js';
import { DEFAULT_CLIENT, startSandbox, type Sandbox } from '../sandbox/server.js';

const root = path.resolve(import.meta.dirname, '..');
const shots = path.join(root, '.data', 'test-artifacts', 'screenshots');
let h: ApiHarness;
let sandbox: Sandbox;
let browser: Browser;

describe.skipIf(!chromiumAvailable())('the Download page in Chromium', () => {
  beforeAll(async () => {
    h = await startApiHarness('uidl', { worker: true, listen: true });
    sandbox = await startSandbox({ texasExtension: '2025.2.1' });
    const call = asClient(h.app, await apiKeyHeader(h.orm, 'admin'));
    await call({
      method: 'POST',
      url: '/api/profiles',
      payload: { id: 'dl-ui', name: 'Download ISD', profileType: 'SIS', schoolYears: [2025], apiUrl: sandbox.baseUrl },
    });
    await call({ method: 'POST', url: '/api/leas', payload: { name: 'Prairie View ISD', stateNumber: '149913' } });
    await enableConnection(call, '149913', 'dl-ui', DEFAULT_CLIENT.key, DEFAULT_CLIENT.secret);
    await createUser(h.orm.em.fork(), { username: 'admin', password: 'a long admin password', role: 'admin' });
    browser = await launchChromium();
    mkdirSync(shots, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
    for (const id of ['nightly/dl-ui', 'weekend/dl-ui'])
      await h?.client.schedule
        .getHandle(id)
        .delete()
        .catch(() => undefined);
    await h?.close();
  });

  it('downloads every category for the school year and shows each one done with its count, live', async () => {
    const page = await signedInPage(browser, h.baseUrl!, 'admin', 'admin');
    await page.getByRole('link', { name: 'Download', exact: true }).click();
    await expect.poll(() => page.locator('#downloads').textContent()).toContain('not downloaded yet');
    await page.getByRole('button', { name: 'Download all' }).click();
    await expect.poll(() => page.locator('#download-result').textContent()).toContain('Requested Descriptors, Organization Catalog, Course Catalog');
    for (const label of ['Descriptors', 'Organization Catalog', 'Course Catalog']) {
      const row = page.locator('#downloads tr', { has: page.locator('th', { hasText: label }) });
      await expect.poll(() => row.locator('td').first().textContent(), { timeout: 60_000 }).toBe('done');
      expect(Number(await row.locator('td').nth(1).textContent())).toBeGreaterThan(0);
    }
    await expect.poll(() => page.locator('#descriptor-summary').textContent()).toContain('Behavior Descriptors');
    // The details list: what came for one resource, narrowed by a filter, paged.
    await page.getByLabel('Resource', { exact: true }).selectOption('ed-fi/gradeLevelDescriptors');
    await page.getByLabel('Key or text contains').fill('Ninth');
    await page.getByRole('button', { name: 'Show' }).click();
    await expect.poll(() => page.locator('#dl-records').textContent()).toContain('uri://ed-fi.org/GradeLevelDescriptor#Ninth grade');
    expect(await page.locator('#dl-records tr').count()).toBe(1);
    expect(await page.locator('#dl-pager').textContent()).toContain('Page 1 of 1 (1 records)');
    await page.screenshot({ path: path.join(shots, 'download.png'), fullPage: true });
    copyFileSync(path.join(shots, 'download.png'), path.join(root, 'docs', 'screenshots', 'download.png'));
  });

  it("requests every profile's downloads at once and shows one row per profile", async () => {
    const page = await signedInPage(browser, h.baseUrl!, 'admin', 'admin');
    await page.getByRole('link', { name: 'Download', exact: true }).click();
    await page.getByRole('button', { name: 'Download for all profiles' }).click();
    const row = page.locator('#download-profiles tr').first();
    await expect.poll(() => row.textContent()).toContain('requested Descriptors, Organization Catalog, Course Catalog');
    await expect.poll(() => row.locator('td.dl-done').count(), { timeout: 60_000 }).toBe(3);
    await page.close();
  });
});
