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
const hrProfileId = `uihr-${randomUUID().slice(0, 8)}`;

describe.skipIf(!chromiumAvailable())('web UI in Chromium', () => {
  beforeAll(async () => {
    h = await startApiHarness('ui', { worker: true, listen: true, temporalUiUrl: 'http://127.0.0.1:8233' });
    const em = h.orm.em.fork();
    createProfile(em, { id: profileId, name: 'Browser ISD – SIS', profileType: 'SIS', schoolYears: [2025] });
    createProfile(em, { id: hrProfileId, name: 'Browser ISD – HR', profileType: 'HR-only', schoolYears: [2025] });
    await em.flush();
    await createUser(h.orm.em.fork(), { username: 'clerk', password: 'a long clerk password', role: 'clerk' });
    await createUser(h.orm.em.fork(), { username: 'admin', password: 'a long admin password', role: 'admin' });
    // What earlier publishes left in the catalog: two calendars published, one in dependency, one in error.
    const conn = h.orm.em.getConnection();
    const rows: Array<[string, string, string, string | null]> = [
      ['101-A', 'published', '2101', null],
      ['101-B', 'published', '2102', null],
      ['102-A', 'dependency', '3101', 'School record not published'],
      ['102-B', 'error', '3102', "Unable to resolve value 'XX' to an existing 'CalendarTypeDescriptor' resource."],
    ];
    for (const [key, status, code, description] of rows) {
      await conn.execute(
        'INSERT INTO catalog (profile_id, school_year, resource, source_key, school_id, natural_key, payload_hash, sent_json, edfi_id, status, status_description) VALUES (?, 2025, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [
          profileId,
          'calendars',
          key,
          key.slice(0, 3),
          JSON.stringify({ calendarCode: code, schoolId: Number(key.slice(0, 3)) }),
          '0'.repeat(32),
          JSON.stringify({ calendarCode: code, calendarTypeDescriptor: 'uri://tea.texas.gov/CalendarTypeDescriptor#1' }),
          status === 'published' ? `id${key}` : null,
          status,
          description,
        ],
      );
    }
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
    await page.getByLabel('Profile', { exact: true }).selectOption(profileId);

    // The dashboard: Organization Calendars shows the stop sign (errors win) and its counts.
    const calendarsRow = page.locator('#dashboard tr', { hasText: 'Organization Calendars' });
    await expect.poll(() => calendarsRow.textContent()).toContain('✗ School Calendar');
    expect(await calendarsRow.textContent()).toContain('✗ 1⚠ 1✓ 2');
    await page.screenshot({ path: path.join(shots, 'dashboard.png'), fullPage: true });

    // The record list: both problem statuses at once (the guide's known bug, fixed here), then one record's JSON.
    await calendarsRow.getByRole('link', { name: /School Calendar/ }).click();
    await page.locator('#records tr').first().waitFor();
    await page.getByLabel('Dependency').check();
    await expect.poll(() => page.locator('#records tr').count()).toBe(1);
    await page.getByLabel('Error').check();
    await expect.poll(() => page.locator('#records tr').count()).toBe(2);
    expect(await page.locator('#records').textContent()).toContain('CalendarTypeDescriptor');
    expect(await page.locator('#chips').textContent()).toBe('');
    await page.screenshot({ path: path.join(shots, 'record-list.png'), fullPage: true });
    await page.locator('#records tr', { hasText: '3102' }).getByRole('link').click();
    await expect.poll(() => page.locator('#details-json').textContent()).toContain('"calendarTypeDescriptor": "uri://tea.texas.gov/CalendarTypeDescriptor#1"');
    await page.screenshot({ path: path.join(shots, 'record-details.png'), fullPage: true });
    await page.locator('#details-back').click();
    await page.locator('#view-records').waitFor();
    await page.locator('#view-records h2 a').click();

    await page.getByLabel('Category', { exact: true }).selectOption('organization-calendars');
    await page.getByLabel('Option', { exact: true }).selectOption('all');
    await page.getByRole('button', { name: 'Queue' }).click();
    await expect.poll(() => page.locator('#publish-result').textContent()).toContain('Queued at position 1');
    const row = page.locator('#queue tr').first();
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain('Publishing');
    expect(await row.textContent()).toContain('Organization Calendars');
    expect(await row.locator('a').getAttribute('href')).toBe(
      `http://127.0.0.1:8233/namespaces/default/workflows/${encodeURIComponent(`publish/${profileId}/2025/organization-calendars/1`)}`,
    );
    // The dashboard shows the running category publishing, with its progress chart.
    await expect
      .poll(() => page.getByRole('img', { name: /^Publish progress of Organization Calendars/ }).getAttribute('aria-label'), { timeout: 15_000 })
      .toBe('Publish progress of Organization Calendars: 300 records sent (270 published), 100 per second, batch 3 of 10');
    await page.screenshot({ path: path.join(shots, 'status-publishing.png'), fullPage: true });

    await h.client.workflow.getHandle(`publish/${profileId}/2025/organization-calendars/1`).signal(finishSignal, 'completed');
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain('Done');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('User name').waitFor();
    await page.close();
  });

  it("shows each profile the categories its type publishes: a SIS profile's Staff inactive, an HR profile's Organization inactive, with why", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(base);
    await page.getByLabel('User name').fill('clerk');
    await page.getByLabel('Password').fill('a long clerk password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#who').getByText('clerk (clerk)').waitFor();
    await page.getByLabel('Profile', { exact: true }).selectOption(profileId);
    const row = (label: string) => page.locator('#dashboard tr', { has: page.getByRole('rowheader', { name: new RegExp(`^${label}`) }) });
    await expect.poll(() => row('Staff Demographics').textContent()).toContain('Inactive: Staff data is normally published by the district');
    expect(await row('Staff Demographics').getAttribute('class')).toBe('inactive');
    expect(await row('Staff Associations').textContent()).toContain('Partly active');
    expect(await row('Organization Calendars').textContent()).not.toContain('Inactive');
    expect(await row('Payroll').textContent()).toContain('PublishFinanceData is off');

    await page.getByLabel('Profile', { exact: true }).selectOption(hrProfileId);
    await expect.poll(() => row('Organization Calendars').textContent()).toContain('Inactive: HR profiles publish only the Staff categories and Finance');
    expect(await row('Staff Demographics').textContent()).not.toContain('Inactive');
    expect(await row('Payroll').getAttribute('class')).toBe('');
    // Still offered: the guide says publishing an inactive category does no harm (it publishes nothing).
    expect(await row('Organization Calendars').getByLabel('Publish options for Organization Calendars').count()).toBe(1);
    await page.screenshot({ path: path.join(shots, 'dashboard-hr-profile.png'), fullPage: true });
    await page.close();
  });

  it('lets an admin configure: settings checked, a profile added, a connection tested, and Enable offered only after success', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(base);
    await page.getByLabel('User name').fill('admin');
    await page.getByLabel('Password').fill('a long admin password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Configure' }).click();
    // Wait for the page to load its current values before typing over them.
    await expect.poll(() => page.getByLabel('Simultaneous Connections (20–500)').inputValue()).toBe('200');
    await expect.poll(() => page.locator('#profiles').textContent()).toContain('Browser ISD');
    await page.getByLabel('Simultaneous Connections (20–500)').fill('10');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => page.locator('#settings-result').textContent()).toContain('at least 20');
    // Logging Options are saved with the settings and shown again (errors are always logged).
    await page.getByLabel('Simultaneous Connections (20–500)').fill('200');
    await page.getByRole('checkbox', { name: 'Warnings' }).check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => page.locator('#settings-result').textContent()).toBe('Settings saved.');
    await page.reload();
    await page.getByRole('link', { name: 'Configure' }).click();
    await expect.poll(() => page.getByRole('checkbox', { name: 'Warnings' }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'Diagnostics' }).isChecked()).toBe(false);

    await page.getByLabel('Profile name').fill('TX 24-25 SIS');
    await page.getByLabel('Data Exchange (API) URL').fill('http://127.0.0.1:9/odsedfiapi2025');
    await page.getByLabel('School year (ending)').fill('2025');
    await page.getByRole('button', { name: 'Add profile' }).click();
    await expect.poll(() => page.locator('#profile-result').textContent()).toContain('Added TX 24-25 SIS');
    await expect.poll(() => page.locator('#profiles').textContent()).toContain('TX 24-25 SIS');
    // New profiles start as the guide advises: Data Changes off, Download and Publish on.
    const row = page.locator('#profiles tr', { hasText: 'TX 24-25 SIS' });
    expect(await row.getByLabel('publishDataChanges for TX 24-25 SIS').isChecked()).toBe(false);
    expect(await row.getByLabel('publishPublish for TX 24-25 SIS').isChecked()).toBe(true);

    await page.getByLabel('LEA state number').fill('101912');
    await page.getByLabel('LEA name').fill('PS District One');
    await page.getByLabel('For profile').selectOption({ label: 'TX 24-25 SIS' });
    await page.getByLabel('Authentication Key').fill('fMJJa7GES72Yw');
    await page.getByLabel('Secret').fill('SOYtEgzXkRg6qsSvMNyhKEpE');
    await page.getByRole('button', { name: 'Save and Test' }).click();
    await expect.poll(() => page.locator('#connection-result').textContent()).toContain('Test failed');
    expect(await page.locator('#enable-row').isHidden()).toBe(true);
    expect(await page.getByLabel('Secret').inputValue()).toBe('');
    await page.screenshot({ path: path.join(shots, 'configure.png'), fullPage: true });
    await page.close();
  });
});
