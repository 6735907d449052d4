/**
 * Chromium for browser tests: Debian's package at /usr/bin/chromium driven by playwright-core —
 * never a browser download. `npm test` installs the package when it is missing and it can (root
 * with apt); otherwise browser tests are skipped with a message saying so.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumAvailable = (): boolean => existsSync(CHROMIUM);

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** A new 1280×800 page of the web UI, signed in as `username` (whose password is `a long <username> password`). */
export async function signedInPage(browser: Browser, baseUrl: string, username: string, role: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(baseUrl);
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(`a long ${username} password`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#who').getByText(`${username} (${role})`).waitFor();
  return page;
}
