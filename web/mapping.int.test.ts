/**
 * The Mapping page in Chromium against the real API, Postgres and a generated SIS replica: the
 * code sets with what blocks state reporting, pre-mapped codes marked auto, a choice saved as it
 * is made and still there after a reload, a code kept local.
 */
import path from 'node:path';
import { copyFileSync, mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createProfile } from '../db/profiles.js';
import { createUser } from '../db/users.js';
import { chromiumAvailable, launchChromium, signedInPage } from '../test/browser.js';
import { startApiHarness, type ApiHarness } from '../test/apiHarness.js';
import { createScratchDatabase } from '../test/stack.js';
import { generateDistrict, loadDistrict } from '../sis/index.js';

const root = path.resolve(import.meta.dirname, '..');
const shots = path.join(root, '.data', 'test-artifacts', 'screenshots');
let h: ApiHarness;
let browser: Browser;

describe.skipIf(!chromiumAvailable())('the Mapping page in Chromium', () => {
  beforeAll(async () => {
    const sisUrl = await createScratchDatabase('uimapsis');
    await loadDistrict(sisUrl, generateDistrict({ size: 'tiny', seed: 1, dirty: ['all'] }));
    h = await startApiHarness('uimap', { listen: true, sisDatabaseUrl: sisUrl });
    const em = h.orm.em.fork();
    createProfile(em, { id: 'map-ui', name: 'Mapping ISD – SIS', profileType: 'SIS', schoolYears: [2025] });
    await em.flush();
    await createUser(h.orm.em.fork(), { username: 'clerk', password: 'a long clerk password', role: 'clerk' });
    // What a descriptors download brought from the state's API.
    const conn = h.orm.em.getConnection();
    for (const [ns, code, text] of [
      ['uri://ed-fi.org/BehaviorDescriptor', 'School Code of Conduct', 'School Code of Conduct'],
      ['uri://tea.texas.gov/BehaviorDescriptor', '21', 'Violated Student Code Of Conduct'],
      ['uri://tea.texas.gov/BehaviorDescriptor', '41', 'Fighting'],
    ]) {
      await conn.execute(
        "INSERT INTO downloaded_record (profile_id, school_year, resource, natural_key, doc, run_id) VALUES ('map-ui', 2025, 'ed-fi/behaviorDescriptors', ?, ?, 'seed')",
        [`${ns}#${code}`, JSON.stringify({ namespace: ns, codeValue: code, shortDescription: text })],
      );
    }
    browser = await launchChromium();
    mkdirSync(shots, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('shows pre-mapped codes as auto, saves a choice as it is made, keeps it after a reload, and keeps a code local', async () => {
    const page = await signedInPage(browser, h.baseUrl!, 'clerk', 'clerk');
    await page.getByRole('link', { name: 'Mapping' }).click();
    // The guide's layout: the profile's panel under its name, its code sets each with Map.
    const panel = page.getByRole('region', { name: 'Mapping ISD – SIS' });
    await expect.poll(() => panel.locator('.mapping-blocking').textContent()).toContain('Blocks state reporting');
    const behaviors = panel.locator('tr[data-code-set="behavior-categories"]');
    expect(await behaviors.locator('th').textContent()).toBe('Behavior CategoriesRequired for state reporting');
    // A blocking code set is a link that opens its mapping dialog.
    const firstBlocking = panel.locator('.mapping-blocking a').first();
    const firstName = ((await firstBlocking.textContent()) ?? '').replace(/ \(\d+ unmapped\)$/, '');
    await firstBlocking.click();
    await expect.poll(() => page.locator('#m-title').textContent()).toBe(`${firstName} — Mapping ISD – SIS`);
    await page.getByRole('button', { name: 'Close' }).click();
    expect(await page.locator('#mapping-dialog').isVisible()).toBe(false);
    await behaviors.getByRole('button', { name: 'Map Behavior Categories' }).click();
    await expect.poll(() => page.locator('#m-title').textContent()).toBe('Behavior Categories — Mapping ISD – SIS');
    const unmappedBehaviors = async () => Number(await behaviors.locator('td').nth(1).textContent());
    const before = await unmappedBehaviors();
    const row = (code: string) => page.locator('#m-codes tr', { has: page.locator('td', { hasText: new RegExp(`^${code}$`) }) });
    await expect.poll(() => row('41').textContent()).toContain('uri://tea.texas.gov/BehaviorDescriptor#41 (auto)');
    // The picker groups the downloaded values by namespace, core Ed-Fi first, then the state's.
    const groups = page.getByLabel('Map CELL').locator('optgroup');
    const labels: Array<string | null> = [];
    for (let i = 0; i < (await groups.count()); i++) labels.push(await groups.nth(i).getAttribute('label'));
    expect(labels).toEqual(['uri://ed-fi.org/BehaviorDescriptor', 'uri://tea.texas.gov/BehaviorDescriptor']);
    await page.getByLabel('Map CELL').selectOption('uri://ed-fi.org/BehaviorDescriptor#School Code of Conduct');
    await expect.poll(() => page.locator('#m-result').textContent()).toContain('Saved: CELL → uri://ed-fi.org/BehaviorDescriptor#School Code of Conduct');
    // The code set's count follows the save without a reload.
    await expect.poll(unmappedBehaviors).toBe(before - 1);
    await row('07').getByRole('button', { name: 'Keep local' }).click();
    await expect.poll(() => row('07').textContent()).toContain('(local, kept)');
    // Narrowing the list: by code or name, and to the codes still unmapped.
    await page.getByLabel('Code or name contains').fill('cell');
    await expect.poll(() => page.locator('#m-codes tr').count()).toBe(1);
    expect(await page.locator('#m-codes').textContent()).toContain('CELL');
    await page.getByLabel('Unmapped only').check();
    await expect.poll(() => page.locator('#m-codes tr').count()).toBe(0);
    await page.getByLabel('Code or name contains').fill('');
    await expect.poll(() => page.locator('#m-codes tr').count()).toBeGreaterThan(0);
    expect(await page.locator('#m-codes').textContent()).not.toContain('(local, kept)');
    await page.getByLabel('Unmapped only').uncheck();
    // Long descriptor URIs wrap inside the card: the page never scrolls sideways at 1280 px.
    expect(await page.evaluate('document.documentElement.scrollWidth <= document.documentElement.clientWidth')).toBe(true);
    await page.screenshot({ path: path.join(shots, 'mapping.png'), fullPage: true });
    copyFileSync(path.join(shots, 'mapping.png'), path.join(root, 'docs', 'screenshots', 'mapping.png'));
    await page.reload();
    await page.getByRole('region', { name: 'Mapping ISD – SIS' }).getByRole('button', { name: 'Map Behavior Categories' }).click();
    await expect.poll(() => row('CELL').textContent()).toContain('uri://ed-fi.org/BehaviorDescriptor#School Code of Conduct');
    expect(await page.getByLabel('Map CELL').inputValue()).toBe('uri://ed-fi.org/BehaviorDescriptor#School Code of Conduct');
  });
});
