/**
 * The clerk's whole path in Chromium, on a real API, Temporal worker (the real workflows),
 * Postgres, a generated SIS replica and the Ed-Fi sandbox: sign in, add a profile, test and enable
 * its connection, download, map a code set, publish the Organization Catalog and watch the marks
 * and counts arrive live, filter a record list by status, open a record's JSON, republish it,
 * delete it (after the confirmation), and change the profile's settings. A screenshot of each
 * page is kept as a test artifact.
 */
import path from 'node:path';
import { copyFileSync, mkdirSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import pg from 'pg';
import { createApiKey, createUser } from '../db/users.js';
import { chromiumAvailable, launchChromium, signedInPage } from '../test/browser.js';
import { startApiHarness, type ApiHarness } from '../test/apiHarness.js';
import { createScratchDatabase, testStack } from '../test/stack.js';
import { generateDistrict, loadDistrict } from '../sis/index.js';
import { DEFAULT_CLIENT, startSandbox, type Sandbox } from '../sandbox/server.js';
import { EdfiClient } from '../edfi/client/api.js';
import { categoryProgressQuery } from '../temporal/contract.js';
import { ErrorCountKey, OutcomeKey, TriggerKey } from '../temporal/searchAttributes.js';

const root = path.resolve(import.meta.dirname, '..');
const shots = path.join(root, '.data', 'test-artifacts', 'screenshots');
let h: ApiHarness;
let sandbox: Sandbox;
let browser: Browser;
let district: { number: string; name: string };
let schoolName: string;

const shoot = async (page: Page, name: string, keep = false): Promise<void> => {
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
  if (keep) copyFileSync(path.join(shots, `${name}.png`), path.join(root, 'docs', 'screenshots', `${name}.png`));
};

const DISTRICT_KEY = { key: 'flow-district-key', secret: 'flow-district-secret' };

describe.skipIf(!chromiumAvailable())('the clerk’s path from a new profile to a republished record, in Chromium', () => {
  beforeAll(async () => {
    const sisUrl = await createScratchDatabase('uiflowsis');
    await loadDistrict(sisUrl, generateDistrict({ size: 'tiny', seed: 5 }));
    const sis = new pg.Client({ connectionString: sisUrl });
    await sis.connect();
    district = (await sis.query<{ number: string; name: string }>('SELECT number, name FROM district')).rows[0]!;
    schoolName = (await sis.query<{ name: string }>('SELECT name FROM school')).rows[0].name;
    await sis.end();
    h = await startApiHarness('uiflow', {
      worker: true,
      realWorkflows: true,
      listen: true,
      sisDatabaseUrl: sisUrl,
      temporalUiUrl: testStack().temporalUiUrl ?? 'http://127.0.0.1:8233',
    });
    // The key the state issued for this district (a key of another LEA fails the Test).
    sandbox = await startSandbox({
      texasExtension: '2025.2.1',
      clients: [
        DEFAULT_CLIENT,
        { ...DISTRICT_KEY, claimSet: 'Ed-Fi Sandbox', educationOrganizationIds: [Number(district.number)], namespacePrefixes: ['uri://'] },
      ],
    });
    // The state's calendar type (TEA C215 01): what the district's regular calendars are mapped to.
    const state = new EdfiClient({ apiUrl: sandbox.baseUrl, key: DEFAULT_CLIENT.key, secret: DEFAULT_CLIENT.secret });
    await state.post('ed-fi/calendarTypeDescriptors', {
      namespace: 'uri://tea.texas.gov/CalendarTypeDescriptor',
      codeValue: '01',
      shortDescription: 'Regular',
    });
    await state.close();
    await createUser(h.orm.em.fork(), { username: 'admin', password: 'a long admin password', role: 'admin' });
    browser = await launchChromium();
    mkdirSync(shots, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
    const profiles = (await h?.orm.em.getConnection().execute<Array<{ id: string }>>('SELECT id FROM profile')) ?? [];
    for (const p of profiles)
      for (const kind of ['nightly', 'weekend'])
        await h.client.schedule
          .getHandle(`${kind}/${p.id}`)
          .delete()
          .catch(() => undefined);
    await h?.close();
  });

  it('takes a clerk from sign-in to a published, republished and deleted record without a reload', async () => {
    const page = await signedInPage(browser, h.baseUrl!, 'admin', 'admin');

    // A profile, and its connection tested, then enabled.
    await page.getByRole('link', { name: 'Configure' }).click();
    await page.getByRole('button', { name: 'Add Profile' }).click();
    await page.getByLabel('Profile name').fill('Flow ISD – SIS');
    await page.getByLabel('Data Exchange (API) URL').fill(sandbox.baseUrl);
    await page.getByLabel('School years (ending)').fill('2025');
    await page.getByRole('button', { name: 'Save profile', exact: true }).click();
    await expect.poll(() => page.locator('#profile-result').textContent()).toContain('Added Flow ISD – SIS');
    await page.getByLabel('LEA state number').fill(district.number);
    await page.getByLabel('LEA name').fill(district.name);
    await page.getByLabel('For profile').selectOption({ label: 'Flow ISD – SIS' });
    await page.getByLabel('Authentication Key').fill(DISTRICT_KEY.key);
    await page.getByLabel('Secret').fill(DISTRICT_KEY.secret);
    await page.getByRole('button', { name: 'Save and Test' }).click();
    await expect
      .poll(() => page.locator('#connection-result').textContent(), { timeout: 30_000 })
      .toBe(`Profile Successfully Connected: the key serves LEA ${Number(district.number)} (claim set "Ed-Fi Sandbox"; namespaces uri://)`);
    await page.getByLabel('Enable Profile').check();
    await expect.poll(() => page.locator('#connection-result').textContent()).toBe('Connection enabled.');
    // The connection's state is on the page after a reload, without entering the secret again.
    await page.reload();
    await page.getByRole('link', { name: 'Configure' }).click();
    const connection = page.locator('#connections tr', { hasText: 'Flow ISD – SIS' });
    await expect.poll(() => connection.locator('.badge').textContent()).toBe('Enabled');
    expect(await connection.getByRole('checkbox').isChecked()).toBe(true);
    expect(await connection.textContent()).toContain(DISTRICT_KEY.key);
    await shoot(page, 'flow-configure');

    // Everything the state's API holds for the year.
    await page.getByRole('link', { name: 'Download', exact: true }).click();
    await page.getByRole('button', { name: 'Download all' }).click();
    for (const label of ['Descriptors', 'Organization Catalog', 'Course Catalog']) {
      const row = page.locator('#downloads tr', { has: page.locator('th', { hasText: label }) });
      await expect.poll(() => row.locator('td').first().textContent(), { timeout: 60_000 }).toBe('done');
    }
    await shoot(page, 'flow-download');

    // The district's regular calendars mapped to the state's calendar type.
    await page.getByRole('link', { name: 'Mapping' }).click();
    await page.getByRole('region', { name: 'Flow ISD – SIS' }).getByRole('button', { name: 'Map Calendar Types' }).click();
    await page.getByLabel('Map REG').selectOption('uri://tea.texas.gov/CalendarTypeDescriptor#01');
    await expect.poll(() => page.locator('#m-result').textContent()).toContain('Saved: REG → uri://tea.texas.gov/CalendarTypeDescriptor#01');
    await shoot(page, 'flow-mapping');
    await page.getByRole('button', { name: 'Close' }).click();

    // The Organization Catalog, from the dashboard's ⋮ menu; the marks and counts come in live.
    await page.getByRole('link', { name: 'Dashboard' }).click();
    const catalogRow = page.locator('#dashboard tr', { has: page.locator('th', { hasText: 'Organization Catalog' }) });
    // First a look before sending: Preview – Changes sends nothing and says what a publish would do.
    await catalogRow.getByLabel('Publish options for Organization Catalog').click();
    await catalogRow.getByRole('button', { name: 'Preview – Changes' }).click();
    await expect.poll(() => page.locator('#publish-result').textContent()).toContain('Preview queued at position');
    await page
      .locator('#queue tr', { hasText: 'Preview – Changes' })
      .getByRole('button', { name: /^Show preview/ })
      .click({ timeout: 60_000 });
    const previewDialog = page.getByRole('dialog', { name: 'Preview – Changes' });
    await expect
      .poll(() => previewDialog.locator('#pv-summary').textContent())
      .toMatch(/^Nothing was sent\. A Now – Changes would post [1-9]\d* new, update 0/);
    expect(await previewDialog.locator('#pv-counts tr[data-resource="schools"]').textContent()).toBe('School1000');
    expect(await previewDialog.locator('#pv-samples li[data-kind="post"]').first().textContent()).toMatch(/^Posted \(new\): /);
    await shoot(page, 'preview', true);
    await previewDialog.getByRole('button', { name: 'Close' }).click();
    expect(await catalogRow.getByRole('link', { name: /School$/ }).textContent()).not.toBe('✓ School');
    await catalogRow.getByLabel('Publish options for Organization Catalog').click();
    await catalogRow.getByRole('button', { name: 'Now – All' }).click();
    await expect.poll(() => page.locator('#publish-result').textContent()).toContain('Queued at position');
    // The answer shows on the row itself, and focus is back on the menu that was used.
    // (The preview's note is replaced once the dashboard is drawn again: an API round trip, over a
    // second on a loaded machine — CI saw the preview's note still there at expect.poll's default 1 s.)
    await expect.poll(() => catalogRow.locator('.publish-note').textContent(), { timeout: 15_000 }).toContain('Queued at position');
    expect(await page.locator(':focus').getAttribute('aria-label')).toBe('Publish options for Organization Catalog');
    await expect.poll(() => catalogRow.getByRole('link', { name: /School$/ }).textContent(), { timeout: 60_000 }).toBe('✓ School');
    await expect.poll(() => catalogRow.getByRole('link', { name: /Local Education Agency/ }).textContent()).toBe('✓ Local Education Agency (LEA)');
    await expect.poll(() => catalogRow.locator('.counts').textContent()).toBe('✓ 2');
    await expect.poll(() => page.locator('#queue tr', { hasText: 'Now – All' }).textContent()).toContain('Done');
    await shoot(page, 'flow-dashboard');
    // Resync is on the same menu for admins, asked first (it deletes ODS records the catalog does not know).
    await catalogRow.getByLabel('Publish options for Organization Catalog').click();
    await catalogRow.getByRole('button', { name: 'Resync with the ODS…' }).click();
    const ask = page.getByRole('dialog', { name: 'Resync Organization Catalog with the ODS?' });
    await expect.poll(() => ask.textContent()).toContain('deleted from the ODS');
    await ask.getByRole('button', { name: 'Resync' }).click();
    await expect
      .poll(() => catalogRow.locator('.publish-note').textContent(), { timeout: 15_000 })
      .toMatch(/^Resync of Organization Catalog started \(resync\//);

    // The finished run still answers its progress query: every batch done, the last sample its totals.
    const workflowId = (await page.locator('#queue tr', { hasText: 'Now – All' }).getByRole('link', { name: 'history' }).getAttribute('href'))!.split(
      '/workflows/',
    )[1];
    const progress = await h.client.workflow.getHandle(decodeURIComponent(workflowId)).query(categoryProgressQuery);
    expect(progress.phase).toBe('publishing');
    expect(progress.batchesDone).toBe(progress.batchesTotal);
    expect(progress.samples.at(-1)).toMatchObject({ published: 2, dependency: 0, error: 0 });

    // A support engineer follows the links into the real Temporal UI: the run's link lands on that
    // run, and the header's link on this profile's runs, not the list crowded by every workflow.
    if (testStack().temporalUiUrl !== undefined) {
      const temporal = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const historyHref = await page.locator('#queue tr', { hasText: 'Now – All' }).getByRole('link', { name: 'history' }).getAttribute('href');
      await temporal.goto(historyHref!);
      await expect.poll(() => temporal.url(), { timeout: 20_000 }).toContain(`/workflows/${workflowId}/`);
      expect(temporal.url()).toMatch(/\/[0-9a-f-]{36}\/(history|timeline)/);
      await expect.poll(() => temporal.locator('body').innerText(), { timeout: 20_000 }).toContain(decodeURIComponent(workflowId));
      expect(await temporal.locator('body').innerText()).toContain('COMPLETED');
      await temporal.goto((await page.locator('#temporal-link').getAttribute('href'))!);
      await expect.poll(() => temporal.locator('body').innerText(), { timeout: 20_000 }).toContain(decodeURIComponent(workflowId));
      expect(await temporal.locator('body').innerText()).not.toContain('dependency-retries/');
      await temporal.close();
    }

    // The schools, filtered to Published; a record's JSON; Republish.
    await catalogRow.getByRole('link', { name: /School$/ }).click();
    await page.getByLabel('Published', { exact: true }).check();
    await expect.poll(() => page.locator('#records tr').count()).toBe(1);
    // Each row has the guide's ⋮ menu: Republish from the list says what became of the record.
    await page
      .locator('#records tr')
      .first()
      .getByLabel(/^Actions for School /)
      .click();
    await page.locator('#records tr').first().getByRole('button', { name: 'Republish' }).click();
    await expect.poll(() => page.locator('#records-result').textContent(), { timeout: 30_000 }).toContain('Republished: published');
    expect(await page.locator('#records').textContent()).toContain('✓ Published');
    await shoot(page, 'flow-records');
    await page.locator('#records tr').first().getByRole('link').click();
    await expect.poll(() => page.locator('#details-json').textContent()).toContain('"schoolId"');
    expect(await page.locator('#details-json').textContent()).toContain('"localEducationAgencyReference"');
    await page.getByRole('button', { name: 'Republish' }).click();
    await expect.poll(() => page.locator('#action-result').textContent(), { timeout: 30_000 }).toContain('Republished: published');
    expect(await page.locator('#details').textContent()).toContain('Status✓ Published');
    // Schools go by name and state number, not by the catalog's internal id.
    expect(await page.locator('#details').textContent()).toMatch(new RegExp(`School${schoolName} \\(\\d+\\)`));
    await shoot(page, 'flow-details');

    // Delete asks first and says what it does; Cancel sends nothing.
    await page.getByRole('button', { name: 'Delete from the ODS…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this record from the ODS?' });
    await expect.poll(() => dialog.textContent()).toContain('without validation');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await page.locator('#action-result').textContent()).toContain('Republished');
    await page.getByRole('button', { name: 'Delete from the ODS…' }).click();
    await dialog.getByRole('button', { name: 'Delete from the ODS' }).click();
    await expect.poll(() => page.locator('#details').textContent(), { timeout: 30_000 }).toContain('StatusDeleted');

    // An API client brings it back with the command line's republish.
    const sourceKey = (await page.locator('#details dt', { hasText: 'Internal id (SIS record)' }).locator('xpath=following-sibling::dd[1]').textContent())!;
    const profileId = decodeURIComponent(workflowId).split('/')[1];
    const key = await createApiKey(h.orm.em.fork(), { name: 'flow', role: 'clerk' });
    // Not spawnSync: the API answering the CLI runs in this very process.
    const cli = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', path.join(root, 'cli/main.ts'), 'republish', '--profile', profileId, '--resource', 'schools', '--key', sourceKey, '--year', '2025'],
      {
        cwd: root,
        env: { ...process.env, EDX_API_URL: h.baseUrl!, EDX_API_KEY: key.token },
      },
    );
    expect(cli.stdout).toContain(`schools ${sourceKey}: published (record/`);
    await page.reload();
    await expect.poll(() => page.locator('#details').textContent()).toContain('Status✓ Published');

    // The profile's settings: a bad value is named with what is allowed; nothing is saved.
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('DescriptorNameSpacePrefixToPublish').fill('local.texas.gov/');
    await page.getByLabel('DashboardDetailFilterOption').selectOption('errors-and-dependencies');
    await page.getByRole('button', { name: 'Save profile settings' }).click();
    await expect
      .poll(() => page.locator('.profile-settings-result').textContent())
      .toContain('DescriptorNameSpacePrefixToPublish: expected a namespace prefix like uri://local.texas.gov');
    await page.getByLabel('DescriptorNameSpacePrefixToPublish').fill('uri://flow.isd.org');
    await page.getByRole('button', { name: 'Save profile settings' }).click();
    await expect.poll(() => page.locator('.profile-settings-result').textContent()).toBe('Profile settings saved.');
    await page.getByLabel('Publish Class Period').uncheck();
    await expect.poll(() => page.locator('#resources-result').textContent()).toBe('Saved: Class Period not published (what was sent stays).');
    // An option the calendars mapper declares, rendered from its declaration.
    await page.getByLabel('Report grade levels for School Calendar').check();
    await expect.poll(() => page.locator('#resources-result').textContent()).toBe('Saved: School Calendar report grade levels: on.');
    await page.reload();
    await page.locator('#who').getByText('admin (admin)').waitFor();
    await expect.poll(() => page.getByLabel('DashboardDetailFilterOption').inputValue()).toBe('errors-and-dependencies');
    expect(await page.getByLabel('DescriptorNameSpacePrefixToPublish').inputValue()).toBe('uri://flow.isd.org');
    expect(await page.getByLabel('Publish Class Period').isChecked()).toBe(false);
    expect(await page.getByLabel('Report grade levels for School Calendar').isChecked()).toBe(true);
    await page.getByLabel('Report grade levels for School Calendar').uncheck();
    await expect.poll(() => page.locator('#resources-result').textContent()).toBe('Saved: School Calendar report grade levels: off.');
    await shoot(page, 'settings', true);

    // The initial synchronization from the dashboard: every category in order, followed live to its end.
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await expect.poll(() => page.locator('#initial-sync-state').textContent()).toBe('Not run yet for this school year.');
    await page.getByRole('button', { name: 'Start initial synchronization' }).click();
    await expect.poll(() => page.locator('#initial-sync-state').textContent(), { timeout: 180_000 }).toMatch(/^Completed: category (\d+) of \1/);
    expect(await page.locator('#initial-sync-steps').textContent()).toContain('✓ Organization Catalog (Now – Changes)');
    // A category left with errors is not shown as a clean ✓.
    expect(await page.locator('#initial-sync-steps').textContent()).toContain('✗ Enrollment & Demographics (Now – All)');
    expect(await page.locator('#initial-sync-steps').textContent()).toContain(
      'Descriptors (Common Codes): skipped — Local descriptors are published with the records that use them.',
    );
    expect(await page.locator('#initial-sync-state').textContent()).toContain('Turn Data Changes on');
    await shoot(page, 'flow-initial-sync');
    // In the Temporal UI, the category left with errors is found as such, never as a clean run.
    const sync = (await (
      await fetch(`${h.baseUrl!}/api/profiles/${profileId}/initial-sync?schoolYear=2025`, { headers: { authorization: `Bearer ${key.token}` } })
    ).json()) as {
      steps: Array<{ category: string; workflowId: string; error: number; dependency: number }>;
    };
    const enrollments = sync.steps.find((s) => s.category === 'enrollment-demographics')!;
    const attrs = (await h.client.workflow.getHandle(enrollments.workflowId).describe()).typedSearchAttributes;
    expect([attrs.get(OutcomeKey), attrs.get(ErrorCountKey), attrs.get(TriggerKey)]).toEqual(['with-errors', enrollments.error, 'initial-sync']);

    // Republishing a record still held back says why: it is not "Republished".
    const auth = { headers: { authorization: `Bearer ${key.token}` } };
    let refused: { resource: string; sourceKey: string } | undefined;
    for (const resource of [
      'studentSchoolAssociations',
      'studentEducationOrganizationAssociations',
      'studentEducationOrganizationResponsibilityAssociations',
    ]) {
      const list = (await (await fetch(`${h.baseUrl!}/api/profiles/${profileId}/records?resource=${resource}&status=error&schoolYear=2025`, auth)).json()) as {
        rows: Array<{ sourceKey: string }>;
      };
      if (list.rows[0] !== undefined) refused ??= { resource, sourceKey: list.rows[0].sourceKey };
    }
    expect(refused, 'a record the initial sync left in error').toBeDefined();
    await page.goto(`${h.baseUrl!}/#/records/${refused!.resource}/${encodeURIComponent(refused!.sourceKey)}`);
    await expect.poll(() => page.locator('#details-json-h').textContent()).toBe('JSON sent');
    await page.getByRole('button', { name: 'Republish' }).click();
    await expect.poll(() => page.locator('#action-result').textContent(), { timeout: 30_000 }).toMatch(/^Not published: \S.+ — history$/);
    expect(await page.locator('#action-result').textContent()).not.toContain('Republished');

    await page.getByRole('link', { name: 'Diagnostics' }).click();
    await expect.poll(() => page.locator('#processing-state').textContent()).toContain('running');
    await shoot(page, 'flow-diagnostics');

    // Narrow window: the dashboard still fits without sideways scrolling.
    await page.setViewportSize({ width: 420, height: 800 });
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await catalogRow.waitFor();
    await shoot(page, 'flow-narrow');
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(420);
    // A record list reads as cards there: every value under its column's name, nothing off the edge.
    await catalogRow.getByRole('link', { name: /School$/ }).click();
    await page.getByLabel('Published', { exact: true }).check();
    await expect.poll(() => page.locator('#records td[data-label="Status"]').first().textContent()).toBe('✓ Published');
    await shoot(page, 'flow-narrow-records');
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(420);
  }, 480_000);
});
