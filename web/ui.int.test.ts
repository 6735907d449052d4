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
import { chromiumAvailable, launchChromium, signedInPage } from '../test/browser.js';
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
    // The SIS profile's connection was tested and enabled; the HR profile has none yet.
    await h.orm.em.getConnection().execute(
      `INSERT INTO lea (id, name, state_number) VALUES ('ui-lea', 'Browser ISD', '990001');
         INSERT INTO lea_connection (lea_id, profile_id, key, secret_encrypted, secret_fingerprint, last_test_ok, tested_fingerprint, enabled)
         VALUES ('ui-lea', '${profileId}', 'ui-key', 'not used', 'fp', true, 'fp', true)`,
    );
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
    // The school the dependency waits on, in error: its root cause.
    await conn.execute(
      `INSERT INTO catalog (profile_id, school_year, resource, source_key, school_id, natural_key, payload_hash, status, status_description, display) VALUES (?, 2025, 'schools', '102', '102', '{"schoolId":102}', ?, 'error', ?, ?)`,
      [
        profileId,
        '0'.repeat(32),
        'School ID: the state school number "2559A1102" is not numeric.',
        JSON.stringify({ schoolName: 'Adams High School', number: '2559A1102' }),
      ],
    );
    await conn.execute(`UPDATE catalog SET depends_on = 'schools|{"schoolId":102}' WHERE profile_id = ? AND source_key = '102-A'`, [profileId]);
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
    await page.getByLabel('Password', { exact: true }).fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('#sign-in-result').textContent()).toContain('the user name or password is wrong');
    await page.getByLabel('Password', { exact: true }).fill('a long clerk password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#who').getByText('clerk (clerk)').waitFor();
    await page.getByLabel('Profile', { exact: true }).selectOption(profileId);

    // The dashboard: Organization Calendars shows the stop sign (errors win) and its counts.
    const calendarsRow = page.locator('#dashboard tr', { hasText: 'Organization Calendars' });
    await expect.poll(() => calendarsRow.textContent()).toContain('✗ School Calendar');
    expect(await calendarsRow.textContent()).toContain('✗ 1⚠ 1✓ 2');
    // A count never breaks across lines ("✗" on one, "1" on the next): each is one box.
    expect(await page.evaluate<boolean>("[...document.querySelectorAll('#dashboard .counts > span')].every((s) => s.getClientRects().length === 1)")).toBe(
      true,
    );
    // Resync (it deletes ODS records) is an admin's item of the ⋮ menu, not a clerk's.
    expect(await calendarsRow.locator('button.menu-danger').count()).toBe(0);
    await page.screenshot({ path: path.join(shots, 'dashboard.png'), fullPage: true });

    // The record list: both problem statuses at once (the guide's known bug, fixed here), then one record's JSON.
    await calendarsRow.getByRole('link', { name: /School Calendar/ }).click();
    await page.locator('#records tr').first().waitFor();
    await page.getByLabel('Dependency').check();
    await expect.poll(() => page.locator('#records tr').count()).toBe(1);
    await page.getByLabel('Error').check();
    await expect.poll(() => page.locator('#records tr').count()).toBe(2);
    expect(await page.locator('#records').textContent()).toContain('CalendarTypeDescriptor');
    // Natural-key columns go by the guide's words, not the model's field names.
    expect(await page.locator('#records-head').textContent()).toContain('Calendar Code');
    expect(await page.locator('#records-head').textContent()).not.toContain('calendarCode');
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
    // The dashboard shows the running category publishing, with its progress chart and the connections adaptive connections used.
    await expect
      .poll(() => page.getByRole('img', { name: /^Publish progress of Organization Calendars/ }).getAttribute('aria-label'), { timeout: 15_000 })
      .toBe(
        'Publish progress of Organization Calendars: 300 records sent (270 published), 100 per second, batch 3 of 10, 40 connections to the ODS (8–40 during the run)',
      );
    expect(await page.locator('.chart-connections').count()).toBe(1);
    await page.screenshot({ path: path.join(shots, 'status-publishing.png'), fullPage: true });

    // A publish queued by mistake comes off the queue before it runs.
    await page.getByLabel('Category', { exact: true }).selectOption('organization-schedules');
    await page.getByRole('button', { name: 'Queue' }).click();
    await expect.poll(() => page.locator('#queue').textContent()).toContain('Waiting');
    await page.getByRole('button', { name: 'Remove #2 from the queue' }).click();
    await expect.poll(() => page.locator('#publish-result').textContent()).toBe('Removed from the queue: #2.');
    await expect.poll(() => page.locator('#queue').textContent()).not.toContain('Waiting');

    await h.client.workflow.getHandle(`publish/${profileId}/2025/organization-calendars/1`).signal(finishSignal, 'completed');
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain('Done');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('User name').waitFor();
    await page.close();
  });

  it('says why records wait or fail, one cause per problem, each with what to fix and where', async () => {
    const page = await signedInPage(browser, base, 'clerk', 'clerk');
    await page.getByLabel('Profile', { exact: true }).selectOption(profileId);
    await page.getByRole('link', { name: 'Why Organization Calendars records wait or fail' }).click();
    await expect.poll(() => page.locator('#causes-summary').textContent()).toContain('2 records, by cause');
    const school = page.locator('#causes li', { hasText: 'Adams High School' });
    expect(await school.textContent()).toContain('1 record waits on School Adams High School (2559A1102) — in error: School ID: the state school number');
    expect(await school.textContent()).toContain('Fix the School in the SIS');
    expect(await school.getByRole('link', { name: 'Open School Adams High School (2559A1102)' }).getAttribute('href')).toBe('#/records/schools/102');
    const descriptor = page.locator('#causes li', { hasText: 'CalendarTypeDescriptor' });
    expect(await descriptor.textContent()).toContain('Map the code on the Mapping page (Calendar Types)');
    expect(await descriptor.getByRole('link', { name: 'Open the Mapping page' }).getAttribute('href')).toBe('#/mapping/calendar-types');
    await page.screenshot({ path: path.join(shots, 'root-causes.png'), fullPage: true });
    // The same causes head the entity's records.
    await descriptor.getByRole('link', { name: 'Open one of them' }).click();
    await expect.poll(() => page.locator('#details-json').textContent()).toContain('CalendarTypeDescriptor');
    await page.goto(`${base}/#/records/calendars`);
    await expect.poll(() => page.locator('#record-causes-summary').textContent()).toBe('Root causes of 2 records in dependency or error');
    expect(await page.locator('#record-causes li').count()).toBe(2);
    await page.close();
  });

  it('keeps the dashboard’s own panels on the dashboard, heads a never-sent record’s details as such, and says why a list is empty', async () => {
    const page = await signedInPage(browser, base, 'clerk', 'clerk');
    await page.getByLabel('Profile', { exact: true }).selectOption(profileId);
    for (const heading of ['System status', 'Publish a category', 'Publish queue'])
      await expect.poll(() => page.getByRole('heading', { name: heading, exact: true }).isVisible(), { message: heading }).toBe(true);
    // The school in error was never accepted by the ODS: no empty "JSON sent" section.
    await page.goto(`${base}/#/records/schools/102`);
    await expect.poll(() => page.locator('#details-json-h').textContent()).toBe('Not sent to the ODS yet');
    // An empty list says why, and what fills it.
    await page.goto(`${base}/#/records/sessions`);
    await expect.poll(() => page.locator('#records').textContent()).toBe('No records of this entity yet: publish its category from the dashboard.');
    for (const heading of ['System status', 'Publish a category', 'Publish queue'])
      expect(await page.getByRole('heading', { name: heading, exact: true }).isVisible(), heading).toBe(false);
    await page.close();
  });

  it("shows each profile the categories its type publishes: a SIS profile's Staff inactive, an HR profile's Organization inactive, with why", async () => {
    const page = await signedInPage(browser, base, 'clerk', 'clerk');
    await page.getByLabel('Profile', { exact: true }).selectOption(profileId);
    const row = (label: string) => page.locator('#dashboard tr', { has: page.getByRole('rowheader', { name: new RegExp(`^${label}`) }) });
    await expect.poll(() => row('Staff Demographics').textContent()).toContain('Inactive: Staff data is normally published by the district');
    expect(await row('Staff Demographics').getAttribute('class')).toBe('inactive');
    expect(await row('Staff Associations').textContent()).toContain('Partly active');
    expect(await row('Organization Calendars').textContent()).not.toContain('Inactive');
    expect(await row('Payroll').textContent()).toContain('PublishFinanceData is off');
    // One grid for every group: each group's entities column starts at the same x.
    // Read in one go inside the page: the dashboard re-renders as its counts refresh.
    const entityXs = () =>
      page.evaluate<Array<number | undefined>>(
        "[...document.querySelectorAll('#dashboard .group')].slice(0, 4).map((g) => g.querySelector('a.entity')?.getBoundingClientRect().x)",
      );
    await expect.poll(async () => (await entityXs()).filter((x) => x !== undefined).length).toBe(4);
    const [firstX, ...others] = await entityXs();
    others.forEach((x, i) => expect(x, `group ${i + 1}`).toBe(firstX));

    await page.getByLabel('Profile', { exact: true }).selectOption(hrProfileId);
    await expect.poll(() => row('Organization Calendars').textContent()).toContain('Inactive: HR profiles publish only the Staff categories and Finance');
    expect(await row('Staff Demographics').textContent()).not.toContain('Inactive');
    expect(await row('Payroll').getAttribute('class')).toBe('');
    // Still offered: the guide says publishing an inactive category does no harm (it publishes nothing).
    expect(await row('Organization Calendars').getByLabel('Publish options for Organization Calendars').count()).toBe(1);
    await page.screenshot({ path: path.join(shots, 'dashboard-hr-profile.png'), fullPage: true });
    await page.close();
  });

  it('guides a profile without an enabled connection through the setup order, and its menus say why instead of queueing', async () => {
    const page = await signedInPage(browser, base, 'clerk', 'clerk');
    await page.getByLabel('Profile', { exact: true }).selectOption(hrProfileId);
    const guide = page.locator('#setup-guide');
    await expect.poll(() => guide.locator('summary').textContent()).toBe('Getting started: 0 of 6 steps done — next: Enter the LEA connection');
    const step = (id: string) => guide.locator(`li[data-step="${id}"]`);
    expect(await step('connection').getAttribute('class')).toBe('guide-todo guide-next');
    expect(await step('connection').getByRole('link', { name: 'Enter the LEA connection' }).getAttribute('href')).toBe('#/configure');
    // No HR replica behind this API: the codes cannot be counted, and the guide says so.
    expect(await step('mapping').textContent()).toContain('cannot be read here');
    const row = page.locator('#dashboard tr', { has: page.getByRole('rowheader', { name: /^Staff Demographics/ }) });
    await row.getByLabel('Publish options for Staff Demographics').click();
    expect(await row.locator('.menu-why').textContent()).toBe(
      '"Browser ISD – HR" has no LEA connection yet: enter the key and secret on Configure, Test, then Enable. Open Configure',
    );
    expect(await row.getByRole('button', { name: 'Now – All' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Queue' }).isDisabled()).toBe(true);
    await page.screenshot({ path: path.join(shots, 'setup-guide.png'), fullPage: true });

    // The SIS profile's connection is enabled: its menus publish, and its guide counts that step done.
    await page.getByLabel('Profile', { exact: true }).selectOption(profileId);
    await expect.poll(() => step('enable').getAttribute('class')).toBe('guide-done');
    const calendars = page.locator('#dashboard tr', { has: page.getByRole('rowheader', { name: /^Organization Calendars/ }) });
    await calendars.getByLabel('Publish options for Organization Calendars').click();
    expect(await calendars.getByRole('button', { name: 'Now – All' }).isDisabled()).toBe(false);
    expect(await calendars.locator('.menu-why').count()).toBe(0);
    await page.close();
  });

  it("lays Settings out as the guide does: a panel per profile, headed by the profile's name, each saved on its own", async () => {
    const page = await signedInPage(browser, base, 'admin', 'admin');
    await page.getByLabel('Profile', { exact: true }).selectOption(profileId);
    await page.getByRole('link', { name: 'Settings' }).click();
    const panels = page.locator('#profile-settings .profile-panel');
    await expect.poll(() => panels.locator('h3').allTextContents()).toEqual(['Browser ISD – SIS', 'Browser ISD – HR']);
    const hr = page.getByRole('region', { name: 'Browser ISD – HR' });
    // Each panel offers its own type's settings: the HR profile publishes finance by default.
    expect(await hr.getByLabel('PublishFinanceData').isChecked()).toBe(true);
    expect(await page.getByRole('region', { name: 'Browser ISD – SIS' }).getByLabel('PublishFinanceData').isChecked()).toBe(false);
    await hr.getByLabel('DescriptorNameSpacePrefixToPublish').fill('uri://hr.browser.isd.org');
    // The page loaded again (a second route to it, as a profile change and a link click can make): what was typed stays.
    const reloaded = page.waitForResponse((r) => r.url().includes(`/api/profiles/${profileId}/resources`));
    await page.evaluate("window.dispatchEvent(new HashChangeEvent('hashchange'))");
    await reloaded;
    expect(await hr.getByLabel('DescriptorNameSpacePrefixToPublish').inputValue()).toBe('uri://hr.browser.isd.org');
    await hr.getByRole('button', { name: 'Save profile settings' }).click();
    await expect.poll(() => hr.locator('.profile-settings-result').textContent()).toBe('Profile settings saved.');
    expect(await page.getByRole('region', { name: 'Browser ISD – SIS' }).locator('.profile-settings-result').textContent()).toBe('');
    const saved = await page.request.get(`${base}/api/profiles/${hrProfileId}/settings`);
    expect(((await saved.json()) as { settings: Record<string, unknown> }).settings.DescriptorNameSpacePrefixToPublish).toBe('uri://hr.browser.isd.org');
    await page.close();
  });

  it('lets an admin configure: settings checked, a profile added, a connection tested, and Enable offered only after success', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(base);
    await page.getByLabel('User name').fill('admin');
    await page.getByLabel('Password', { exact: true }).fill('a long admin password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Configure' }).click();
    // The dashboard's own panels (system status, publish form, queue) stay on the dashboard.
    await expect.poll(() => page.locator('#queue-h').isVisible()).toBe(false);
    expect(await page.locator('#status-h').isVisible()).toBe(false);
    // Wait for the page to load its current values before typing over them.
    await expect.poll(() => page.getByLabel('Simultaneous Connections (20–500)').inputValue()).toBe('200');
    await expect.poll(() => page.locator('#profiles').textContent()).toContain('Browser ISD');
    await page.getByLabel('Simultaneous Connections (20–500)').fill('10');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => page.locator('#settings-result').textContent()).toContain('at least 20');
    // Logging Options are saved with the settings and shown again (errors are always logged).
    await page.getByLabel('Simultaneous Connections (20–500)').fill('200');
    await page.getByRole('checkbox', { name: 'Warnings' }).check();
    // Adaptive Connections is on by default; turned off, it stays off.
    expect(await page.getByRole('checkbox', { name: /^Adaptive Connections/ }).isChecked()).toBe(true);
    await page.getByRole('checkbox', { name: /^Adaptive Connections/ }).uncheck();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => page.locator('#settings-result').textContent()).toBe('Settings saved.');
    await page.reload();
    await page.getByRole('link', { name: 'Configure' }).click();
    await expect.poll(() => page.getByRole('checkbox', { name: 'Warnings' }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'Diagnostics' }).isChecked()).toBe(false);
    expect(await page.getByRole('checkbox', { name: /^Adaptive Connections/ }).isChecked()).toBe(false);
    await page.getByRole('checkbox', { name: /^Adaptive Connections/ }).check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => page.locator('#settings-result').textContent()).toBe('Settings saved.');

    await page.getByRole('button', { name: 'Add Profile' }).click();
    await page.getByLabel('Profile name').fill('TX 24-25 SIS');
    await page.getByLabel('Data Exchange (API) URL').fill('http://127.0.0.1:9/odsedfiapi2025');
    await page.getByLabel('School years (ending)').fill('2025');
    await page.getByRole('button', { name: 'Save profile', exact: true }).click();
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

    // After a reload the connection is still there with its state: key shown, secret never, Enable not offered.
    await page.reload();
    await page.getByRole('link', { name: 'Configure' }).click();
    const conn = page.locator('#connections tr', { hasText: 'TX 24-25 SIS' });
    await expect.poll(() => conn.textContent()).toContain('fMJJa7GES72Yw');
    expect(await conn.locator('.badge').textContent()).toBe('Test failed');
    expect(await conn.textContent()).not.toContain('SOYtEgzXkRg6qsSvMNyhKEpE');
    expect(await conn.getByLabel('Enable TX 24-25 SIS for PS District One').isDisabled()).toBe(true);
    await conn.getByRole('button', { name: 'Test TX 24-25 SIS for PS District One' }).click();
    await expect.poll(() => page.locator('#connections-result').textContent()).toContain('Test failed');

    // Edit: the guide's dialog without the type; the Authentication URL and SIS product are there.
    await page.getByRole('button', { name: 'Edit TX 24-25 SIS' }).click();
    expect(await page.getByLabel('Profile type').isDisabled()).toBe(true);
    expect(await page.getByLabel('Profile name').inputValue()).toBe('TX 24-25 SIS');
    await page.getByLabel('SIS product').selectOption('eSchoolPlus');
    await page.getByLabel('Authentication URL').fill('http://127.0.0.1:9/oauth');
    await page.getByLabel('School years (ending)').fill('2025, 2026');
    await page.getByRole('button', { name: 'Save profile', exact: true }).click();
    await expect.poll(() => page.locator('#profile-result').textContent()).toBe('Saved TX 24-25 SIS.');
    await expect.poll(() => row.textContent()).toContain('SIS · eSchoolPlus');
    expect(await row.textContent()).toContain('2024-2025, 2025-2026');
    await page.getByRole('button', { name: 'Edit TX 24-25 SIS' }).click();
    expect(await page.getByLabel('Authentication URL').inputValue()).toBe('http://127.0.0.1:9/oauth');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.screenshot({ path: path.join(shots, 'configure.png'), fullPage: true });

    // Remove the connection, then the profile; the profile comes back with Restore.
    await conn.getByRole('button', { name: 'Remove the connection of TX 24-25 SIS to PS District One' }).click();
    await page.locator('#confirm-yes').click();
    await expect.poll(() => page.locator('#connections-result').textContent()).toBe('Removed the connection of TX 24-25 SIS to PS District One.');
    await expect.poll(() => page.locator('#connections').textContent()).not.toContain('TX 24-25 SIS');
    await page.getByRole('button', { name: 'Remove TX 24-25 SIS' }).click();
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect(await page.locator('#profiles').textContent()).toContain('TX 24-25 SIS');
    await page.getByRole('button', { name: 'Remove TX 24-25 SIS' }).click();
    await page.locator('#confirm-yes').click();
    await expect.poll(() => page.locator('#profile-result').textContent()).toBe('Removed TX 24-25 SIS: restore it under Removed profiles.');
    await expect.poll(() => page.locator('#profiles').textContent()).not.toContain('TX 24-25 SIS');
    await expect.poll(() => page.locator('#context-form select[name="profile"]').textContent()).not.toContain('TX 24-25 SIS');
    await page.getByRole('button', { name: 'Restore TX 24-25 SIS' }).click();
    await expect.poll(() => page.locator('#profile-result').textContent()).toBe('Restored TX 24-25 SIS, disabled: enable it when ready.');
    await expect.poll(() => page.locator('#profiles').textContent()).toContain('TX 24-25 SIS');
    expect(await row.getByLabel('enabled for TX 24-25 SIS').isChecked()).toBe(false);
    await page.close();
  });

  it("works in one district for a district's admin: its district's profiles and LEA only, no deployment-wide settings or Diagnostics", async () => {
    const em = h.orm.em.fork();
    createProfile(em, { id: `${profileId}-d`, name: 'Browser ISD – its district', profileType: 'SIS', schoolYears: [2025], leaId: 'ui-lea' });
    await em.flush();
    await createUser(h.orm.em.fork(), { username: 'district-admin', password: 'a long district-admin password', role: 'admin', leaId: 'ui-lea' });
    const page = await signedInPage(browser, base, 'district-admin', 'admin, district ui-lea');
    await expect.poll(() => page.locator('#context-form select[name="profile"] option').allTextContents()).toEqual(['Browser ISD – its district']);
    expect(await page.getByRole('link', { name: 'Diagnostics' }).isVisible()).toBe(false);
    await page.getByRole('link', { name: 'Configure' }).click();
    await expect.poll(() => page.locator('#profiles').textContent()).toContain('Browser ISD – its district');
    expect(await page.locator('#profiles').textContent()).not.toContain('Browser ISD – SIS');
    // The LEA table and the connections fill after the profiles: wait for them, not for the profiles alone.
    await expect.poll(() => page.locator('#leas').textContent()).toContain('Browser ISD');
    expect(await page.locator('#leas').textContent()).not.toContain('PS District One');
    expect(await page.locator('#settings-form').isVisible()).toBe(false);
    // Its own district's connection is entered on the same form as ever (its LEA is there; no new LEA is added).
    await page.getByLabel('LEA state number').fill('990001');
    await page.getByLabel('LEA name').fill('Browser ISD');
    await page.getByLabel('For profile').selectOption(`${profileId}-d`);
    await page.getByLabel('Authentication Key').fill('district-key');
    await page.getByLabel('Secret', { exact: true }).fill('district-secret');
    await page.getByRole('button', { name: 'Save and Test' }).click();
    await expect.poll(() => page.locator('#connections').textContent()).toContain('district-key');
    expect(await page.locator('#connection-result').textContent()).not.toContain('LEA not saved');
    await page.close();
  });

  it("lets an admin add and remove people and create and revoke API keys; a district's admin sees and adds only their district's", async () => {
    const page = await signedInPage(browser, base, 'admin', 'admin');
    await page.getByRole('link', { name: 'People' }).click();
    await expect.poll(() => page.locator('#users').textContent()).toContain('clerk');
    // A person for one district, who can sign in at once.
    await page.locator('#f-uname').fill('people-clerk');
    await page.locator('#f-upass').fill('a long people-clerk password');
    await page.locator('#f-ulea').selectOption({ label: 'Browser ISD' });
    await page.locator('#user-form button[type=submit]').click();
    await expect.poll(() => page.locator('#user-result').textContent()).toBe('Added people-clerk: they can sign in now.');
    expect(await page.locator('#f-upass').inputValue()).toBe('');
    const row = page.locator('#users tr', { hasText: 'people-clerk' });
    expect(await row.locator('td').allTextContents()).toEqual(expect.arrayContaining(['people-clerk', 'Clerk', 'Any', 'Browser ISD']));
    // A refused one says why, in the API's words.
    await page.locator('#f-uname').fill('people-clerk');
    await page.locator('#f-upass').fill('another long password');
    await page.locator('#user-form button[type=submit]').click();
    await expect.poll(() => page.locator('#user-result').textContent()).toBe('Not added: a user "people-clerk" already exists');
    const clerkPage = await signedInPage(browser, base, 'people-clerk', 'clerk, district ui-lea');
    expect(await clerkPage.getByRole('link', { name: 'People' }).isVisible()).toBe(false);
    await clerkPage.close();

    // A key: its token shown once, good for the API until revoked.
    await page.locator('#f-kname').fill('nightly script');
    await page.locator('#f-klea').selectOption({ label: 'Browser ISD' });
    await page.locator('#key-form button[type=submit]').click();
    await expect.poll(() => page.locator('#new-key').isVisible()).toBe(true);
    const token = (await page.locator('#new-key-token').textContent()) ?? '';
    expect(token.length).toBeGreaterThan(20);
    const asKey = () => fetch(`${base}/api/profiles`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
    expect(await asKey()).toBe(200);
    // Leaving People takes the token off the page, not only out of sight.
    await page.goto(`${base}/#/`);
    await expect.poll(() => page.locator('#new-key-token').textContent()).toBe('');
    await page.goto(`${base}/#/people`);
    await expect.poll(() => page.locator('#api-keys').textContent()).toContain('nightly script');
    await page.getByRole('button', { name: 'Revoke nightly script' }).click();
    await page.locator('#confirm-yes').click();
    await expect.poll(() => page.locator('#key-result').textContent()).toBe('Revoked nightly script.');
    expect(await page.locator('#api-keys').textContent()).not.toContain('nightly script');
    expect(await asKey()).toBe(401);

    // A district's admin: that district's people only, added to that district, no district column.
    await createUser(h.orm.em.fork(), { username: 'people-admin', password: 'a long people-admin password', role: 'admin', leaId: 'ui-lea' });
    const districtPage = await signedInPage(browser, base, 'people-admin', 'admin, district ui-lea');
    await districtPage.getByRole('link', { name: 'People' }).click();
    await expect.poll(() => districtPage.locator('#users').textContent()).toContain('people-clerk');
    const names = await districtPage.locator('#users tr td:first-child').allTextContents();
    expect(names).not.toContain('clerk');
    expect(names).not.toContain('admin');
    expect(await districtPage.locator('#f-ulea').isVisible()).toBe(false);
    await districtPage.locator('#f-uname').fill('people-clerk-2');
    await districtPage.locator('#f-upass').fill('a long people-clerk-2 password');
    await districtPage.locator('#user-form button[type=submit]').click();
    await expect.poll(() => districtPage.locator('#users').textContent()).toContain('people-clerk-2');
    await districtPage.close();
    const added = await h.orm.em.getConnection().execute<Array<{ lea_id: string | null }>>("SELECT lea_id FROM app_user WHERE username = 'people-clerk-2'");
    expect(added).toEqual([{ lea_id: 'ui-lea' }]);

    // Removing asks first; the person is gone from the list.
    await page.reload();
    await page.getByRole('button', { name: 'Remove people-clerk-2' }).click();
    await page.locator('#confirm-yes').click();
    await expect.poll(() => page.locator('#user-result').textContent()).toBe('Removed people-clerk-2.');
    expect(await page.locator('#users tr td:first-child').allTextContents()).not.toContain('people-clerk-2');
    await page.close();
  });
});
