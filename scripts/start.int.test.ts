/**
 * `npm start` end to end, as a user runs it: a real process tree on free ports and its own data
 * dir; ready means /readyz = 200 and the Temporal UI answering; Ctrl-C leaves nothing behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './stack/ports.js';
import { installPrometheus, runPrometheus } from './stack/prometheus.js';
import { until as eventually } from '../test/publishing.js';
import { urlFor, withClient } from './stack/postgres.js';
import { SIS_DB } from './stack/stack.js';
import { chromiumAvailable, launchChromium } from '../test/browser.js';
import { CATEGORIES } from '../publishing/categories.js';

const root = path.resolve(import.meta.dirname, '..');
const dirs: string[] = [];

interface Started {
  readonly child: ChildProcess;
  output(): string;
  readonly exited: Promise<number | null>;
}

function scratchDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'edfi-exchange-start-'));
  chmodSync(dir, 0o755);
  dirs.push(dir);
  return dir;
}

function start(env: Record<string, string>): Started {
  const base = { ...process.env };
  for (const key of ['DATABASE_URL', 'SIS_DATABASE_URL', 'TEMPORAL_ADDRESS', 'EDFI_BASE_URL']) delete base[key];
  const child = spawn(process.execPath, [path.join(root, 'scripts/start.mjs')], { cwd: root, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function until(what: string, s: Started, predicate: () => boolean, timeoutMs = 150_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (s.child.exitCode !== null) throw new Error(`npm start exited (${s.child.exitCode}) before ${what}:\n${s.output()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${s.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

interface Ports {
  SANDBOX_PORT: string;
  POSTGRES_PORT: string;
  TEMPORAL_PORT: string;
  TEMPORAL_UI_PORT: string;
  API_PORT: string;
  WORKER_METRICS_PORT: string;
  WORKER_SDK_METRICS_PORT: string;
}

async function ports(): Promise<Ports> {
  return {
    SANDBOX_PORT: String(await freePort()),
    POSTGRES_PORT: String(await freePort()),
    TEMPORAL_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    API_PORT: String(await freePort()),
    WORKER_METRICS_PORT: String(await freePort()),
    WORKER_SDK_METRICS_PORT: String(await freePort()),
  };
}

/**
 * What a district's IT scrapes after the newcomer's publish: the worker's endpoint (printed with
 * the URLs) counts the records it published and times the ODS's answers, with the Temporal SDK's
 * own series appended; the API's needs the admin key and shows the catalog and that all answers.
 */
async function metricsAfterTheFirstPublish(env: Ports & { EDX_DATA_DIR: string }, output: string): Promise<void> {
  const workerUrl = `http://127.0.0.1:${env.WORKER_METRICS_PORT}/metrics`;
  expect(output).toContain(`Metrics       http://127.0.0.1:${env.API_PORT}/metrics (admin API key) · worker ${workerUrl}`);
  const worker = await (await fetch(workerUrl)).text();
  expect(worker).toMatch(/^edx_records_total\{profile="demo",resource="[^"]+",status="published"\} [1-9]/m);
  expect(worker).toMatch(/^edx_ods_request_duration_seconds_count\{profile="demo",method="POST",status="20[01]"\} [1-9]/m);
  expect(worker).toMatch(/^edx_ods_connection_limit\{profile="demo"\} [1-9]/m);
  expect(worker).toMatch(/^temporal_\w+/m);
  const api = `http://127.0.0.1:${env.API_PORT}/metrics`;
  expect((await fetch(api)).status).toBe(401);
  const key = readFileSync(path.join(env.EDX_DATA_DIR, 'api-key'), 'utf8').trim();
  const scraped = await fetch(api, { headers: { authorization: `Bearer ${key}` } });
  expect(scraped.status).toBe(200);
  const text = await scraped.text();
  expect(text).toMatch(/^edx_catalog_records\{profile="demo",school_year="\d{4}",resource="[^"]+",status="published"\} [1-9]/m);
  for (const dependency of ['database', 'temporal', 'worker']) expect(text).toContain(`edx_dependency_up{dependency="${dependency}"} 1`);
}

/**
 * A real Prometheus on the repository's scrape config and alert rules, pointed at what npm start
 * serves: both targets are up, every query of the Grafana dashboard evaluates (and the ones a
 * publish feeds have data), and every alert rule is evaluated without error.
 */
async function prometheusOverTheStack(env: Ports & { EDX_DATA_DIR: string }): Promise<void> {
  const install = installPrometheus(root);
  // The default reporter does not print skip notes: say it where `npm test` shows it.
  if (!install.ok) return console.log(`Prometheus check skipped: ${install.reason}`);
  const prometheus = await runPrometheus(install, root, {
    api: `127.0.0.1:${env.API_PORT}`,
    apiKeyFile: path.join(env.EDX_DATA_DIR, 'api-key'),
    workers: [`127.0.0.1:${env.WORKER_METRICS_PORT}`],
  });
  try {
    type Targets = { data: { activeTargets: Array<{ labels: { job: string }; health: string; lastError: string }> } };
    await eventually(
      'Prometheus scraping the API and the worker',
      async () => {
        const targets = (await prometheus.get<Targets>('/api/v1/targets')).data.activeTargets;
        return targets.length === 2 && targets.every((t) => t.health === 'up');
      },
      30_000,
    );
    // Two scrapes at least, so rate() has something to work with.
    await new Promise((r) => setTimeout(r, 2_500));
    const dashboard = JSON.parse(readFileSync(path.join(root, 'observability/grafana/dashboards/edfi-exchange.json'), 'utf8')) as {
      panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
    };
    const results = new Map<string, number>();
    for (const panel of dashboard.panels)
      for (const t of panel.targets) {
        const expr = t.expr.replaceAll('$profile', 'demo');
        const answer = await prometheus.query(expr);
        expect(answer.status, `${panel.title}: ${expr}: ${answer.error ?? ''}`).toBe('success');
        results.set(expr, answer.data?.result.length ?? 0);
      }
    const withData = (fragment: string): number => [...results].filter(([expr]) => expr.includes(fragment)).reduce((n, [, r]) => n + r, 0);
    for (const fed of [
      'edx_records_total',
      'edx_ods_request_duration_seconds_bucket',
      'edx_catalog_records',
      'edx_dependency_up',
      'temporal_worker_task_slots_available',
    ])
      expect(withData(fed), fed).toBeGreaterThan(0);
    type Rules = { data: { groups: Array<{ rules: Array<{ name: string; health: string; lastError?: string }> }> } };
    await eventually(
      'every alert rule evaluated',
      async () => {
        const rules = (await prometheus.get<Rules>('/api/v1/rules')).data.groups.flatMap((g) => g.rules);
        return rules.length > 0 && rules.every((r) => r.health !== 'unknown');
      },
      30_000,
    );
    const rules = (await prometheus.get<Rules>('/api/v1/rules')).data.groups.flatMap((g) => g.rules);
    for (const r of rules) expect(`${r.name}: ${r.health} ${r.lastError ?? ''}`.trim()).toBe(`${r.name}: ok`);
  } finally {
    await prometheus.stop();
  }
}

/** Linux: ends every process whose command line mentions `text` (the run's own data dir). */
function killProcessesWhoseCommandHas(text: string, signal: NodeJS.Signals = 'SIGINT'): void {
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (Number(pid) !== process.pid && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text)) process.kill(Number(pid), signal);
    } catch {
      // Gone already, or not ours to read.
    }
  }
}

/** The Organization group's categories, in the dashboard's (the recommended publishing) order. */
const ORGANIZATION = CATEGORIES.filter((c) => c.group === 'organization');

/** `npm run cli -- …` without blocking this process (npm start's output must keep flowing). */
function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'cli/main.ts'), ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}

interface DashboardView {
  groups: Array<{
    id: string;
    categories: Array<{
      id: string;
      state: string | null;
      mark: string | null;
      counts: { published: number; dependency: number; error: number; pending: number };
    }>;
  }>;
}

/**
 * What the README's quick start says to do next, the way a newcomer does it: the sign-in page says
 * where the password is; the setup guide shows what npm start did and what is left; each
 * Organization category's ⋮ → Now – All; the marks arrive; "Why?" explains the demo's instructive
 * problems; and the README's CLI line publishes too.
 */
async function newcomersFirstPublish(env: Ports & { EDX_DATA_DIR: string }): Promise<void> {
  const base = `http://127.0.0.1:${env.API_PORT}/`;
  const token = readFileSync(path.join(env.EDX_DATA_DIR, 'api-key'), 'utf8').trim();
  const dashboard = async (): Promise<DashboardView> =>
    (await (await fetch(`${base}api/profiles/demo/dashboard`, { headers: { authorization: `Bearer ${token}` } })).json()) as DashboardView;
  const organization = async () => (await dashboard()).groups.find((g) => g.id === 'organization')!.categories;

  if (chromiumAvailable()) {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(base);
      const passwordFile = path.join(env.EDX_DATA_DIR, 'admin-password');
      await expect.poll(() => page.locator('#sign-in-hint').textContent()).toBe(`First sign-in: admin, with the password npm start kept in ${passwordFile}.`);
      await page.getByLabel('User name').fill('admin');
      await page.getByLabel('Password', { exact: true }).fill(readFileSync(passwordFile, 'utf8').trim());
      await page.getByRole('button', { name: 'Sign in' }).click();

      // The setup guide: npm start did the connection, its test, Enable and the downloads; the demo's
      // unmapped local codes are one of its instructive problems; publishing is what is left.
      const guide = page.locator('#setup-guide');
      await expect
        .poll(() => guide.locator('summary').textContent(), { timeout: 30_000 })
        .toBe('Getting started: 4 of 6 steps done — next: Map the local codes');
      const step = (id: string) => guide.locator(`li[data-step="${id}"]`);
      for (const id of ['connection', 'test', 'enable', 'download']) expect(await step(id).getAttribute('class'), id).toBe('guide-done');
      expect(await step('publish').textContent()).toContain('Publish the Organization group first');
      // The guide's next step opens the Mapping page on what blocks state reporting.
      await step('mapping').getByRole('link').click();
      await expect
        .poll(() => page.getByRole('region', { name: 'Demo ISD – SIS' }).locator('.mapping-blocking').textContent())
        .toContain('Blocks state reporting:');
      await page.getByRole('link', { name: 'Dashboard' }).click();

      // Each Organization category, top to bottom: ⋮ → Now – All.
      for (const { label } of ORGANIZATION) {
        const row = page.locator('#dashboard tr', { has: page.getByRole('rowheader', { name: new RegExp(`^${label}`) }) });
        await row.getByLabel(`Publish options for ${label}`).click();
        await row.getByRole('button', { name: 'Now – All' }).click();
        await expect.poll(() => row.locator('[role=status]').textContent()).toMatch(/^Queued at position \d+/);
      }
      await expect
        .poll(
          async () => {
            const now = await organization();
            // All six queued: done when none waits or runs and the last one has its mark.
            return now.every((c) => c.state === null) && now.find((c) => c.id === 'organization-schedules')?.mark != null;
          },
          { timeout: 300_000, interval: 1_000 },
        )
        .toBe(true);
      // ✓ on the Organization Catalog's entities, in the page, live (no reload).
      const catalog = page.locator('#dashboard tr', { has: page.getByRole('rowheader', { name: /^Organization Catalog/ }) });
      await expect.poll(() => catalog.locator('a.entity').allTextContents()).toEqual(expect.arrayContaining(['✓ Local Education Agency (LEA)', '✓ School']));
      await expect.poll(() => step('publish').getAttribute('class')).toBe('guide-done');

      // The instructive problems, explained by cause: the sections and offerings of the courses the
      // demo left without a state course number, and the sections without a period.
      const schedules = page.locator('#dashboard tr', { has: page.getByRole('rowheader', { name: /^Organization Schedules/ }) });
      await schedules.getByRole('link', { name: 'Why Organization Schedules records wait or fail' }).click();
      await expect.poll(() => page.locator('#causes li').count()).toBeGreaterThan(0);
      expect(await page.locator('#causes-summary').textContent()).toMatch(/^[\d,]+ records, by cause/);
      const causes = await page.locator('#causes > li').allTextContents();
      expect(causes.some((c) => c.includes('Alternate Course Number not set') && c.includes('Update the Alternate Course Number on the course'))).toBe(true);
      expect(causes.some((c) => c.includes('Missing Section Meeting Record') && c.includes('Add a period to the section'))).toBe(true);
      await page.screenshot({ path: path.join(root, '.data', 'test-artifacts', 'screenshots', 'newcomer-causes.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  } else {
    // Without Chromium the README's web path cannot be walked: publish the group with the CLI instead.
    for (const { id: category } of ORGANIZATION) {
      const run = await runCli(['publish', '--profile', 'demo', '--category', category, '--option', 'all', '--wait'], {
        ...env,
        EDX_API_KEY: '',
        EDX_API_URL: '',
      });
      expect(run.code, `${category}: ${run.output}`).toBe(0);
    }
  }

  // The README's CLI line: no key or URL given, the CLI finds npm start's (its data dir and API port).
  const run = await runCli(['publish', '--profile', 'demo', '--category', 'organization-catalog', '--wait'], {
    ...env,
    EDX_API_KEY: '',
    EDX_API_URL: '',
  });
  // Exit 0: the category run completed.
  expect(run.code, run.output).toBe(0);

  const total = { published: 0, other: 0 };
  for (const c of await organization()) {
    total.published += c.counts.published;
    total.other += c.counts.dependency + c.counts.error + c.counts.pending;
  }
  expect(total.published).toBeGreaterThan(1000);
  expect(total.published / (total.published + total.other)).toBeGreaterThanOrEqual(0.95);
  // The instructive problems are there to learn from: a few records wait, none of the district's organization does.
  expect(total.other).toBeGreaterThan(0);
  expect((await organization()).find((c) => c.id === 'organization-catalog')?.mark).toBe('published');
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('npm start', () => {
  it(
    'brings up the stack to /readyz = 200 with the Temporal UI, publishes the demo as a newcomer would, stops cleanly on Ctrl-C, and reuses its data on the next start',
    { timeout: 480_000 },
    async () => {
      const env = { ...(await ports()), EDX_DATA_DIR: scratchDir() };
      const first = start(env);
      await until('the ready banner', first, () => first.output().includes('edfi-exchange is ready'));
      const readyz = await fetch(`http://127.0.0.1:${env.API_PORT}/readyz`);
      expect(readyz.status).toBe(200);
      const ready = (await readyz.json()) as { checks: Record<string, { detail: string }> };
      expect(Object.keys(ready.checks)).toEqual(['database', 'temporal', 'worker', 'edfi']);
      // The local Ed-Fi sandbox stands in for the state's API and /readyz checks it.
      expect(ready.checks.edfi?.detail).toBe(`http://127.0.0.1:${env.SANDBOX_PORT} answered (ODS/API 7.2)`);
      expect((await fetch(`http://127.0.0.1:${env.TEMPORAL_UI_PORT}/`)).status).toBe(200);
      expect(first.output()).toContain(`Web UI        http://127.0.0.1:${env.API_PORT}/`);
      expect(first.output()).toContain('created the demo profile "demo"');
      expect(first.output()).toContain('created the user "admin"');
      // Its heap is bounded (worker/launch.ts: 512 MB old generation + the young one), not V8's ~4 GB default.
      expect(first.output()).toMatch(/\[worker\] polling edfi-publishing.*, V8 heap limit 5\d\d MB/);
      // The small demo district sits in the SIS replica, so there is something to publish.
      expect(first.output()).toMatch(/seeded the demo district into the SIS replica \([\d,]+ rows; its instructive problems: /);
      const students = await withClient(urlFor(Number(env.POSTGRES_PORT), SIS_DB), async (c) =>
        Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM student')).rows[0]?.n),
      );
      expect(students).toBeGreaterThan(500);

      // The demo is set up as a clerk would: connection tested and enabled, descriptors downloaded, codes mapped.
      expect(first.output()).toMatch(/connected the demo profile to .* tested and enabled/);
      expect(first.output()).toMatch(
        /downloaded descriptors, organization-catalog, course-catalog and mapped the demo's regular calendars, races and \d+ reporting terms/,
      );
      await newcomersFirstPublish(env);
      await metricsAfterTheFirstPublish(env, first.output());
      await prometheusOverTheStack(env);
      // The sandbox's admin endpoints mint API clients: a local caller without the token kept in the data dir gets none.
      const mint = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key: 'stolen', secret: 'stolen-secret' }) };
      expect((await fetch(`http://127.0.0.1:${env.SANDBOX_PORT}/admin/clients`, mint)).status).toBe(403);
      const adminToken = readFileSync(path.join(env.EDX_DATA_DIR, 'sandbox-admin-token'), 'utf8').trim();
      expect((await fetch(`http://127.0.0.1:${env.SANDBOX_PORT}/admin/faults`, { headers: { authorization: `Bearer ${adminToken}` } })).status).toBe(200);

      // A terminal's Ctrl-C reaches npm and node both; npm forwards it, so node sees it twice.
      first.child.kill('SIGINT');
      first.child.kill('SIGINT');
      expect(await first.exited).toBe(0);
      for (const port of [env.POSTGRES_PORT, env.TEMPORAL_PORT, env.TEMPORAL_UI_PORT, env.API_PORT, env.SANDBOX_PORT])
        expect(await portOpen(Number(port))).toBe(false);

      const second = start(env);
      await until('the ready banner again', second, () => second.output().includes('edfi-exchange is ready'));
      expect(second.output()).not.toContain('created the demo profile');
      expect(second.output()).not.toContain('seeded the demo district');
      // The first start made an admin whose password sits in the data dir; signing in works after a restart.
      const password = readFileSync(path.join(env.EDX_DATA_DIR, 'admin-password'), 'utf8').trim();
      const session = await fetch(`http://127.0.0.1:${env.API_PORT}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password }),
      });
      expect(session.status).toBe(200);
      const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const profiles = (await (await fetch(`http://127.0.0.1:${env.API_PORT}/api/profiles`, { headers: { cookie } })).json()) as Array<{ id: string }>;
      expect(profiles.map((p) => p.id)).toEqual(['demo']);
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    },
  );

  it('notices the Temporal server dying, says so, and stops everything else', async () => {
    const env = { ...(await ports()), EDX_DATA_DIR: scratchDir() };
    const s = start(env);
    await until('the ready banner', s, () => s.output().includes('edfi-exchange is ready'));
    // Before: only the worker and the API were watched, and the stack ran on half-dead.
    killProcessesWhoseCommandHas(`${env.EDX_DATA_DIR}/temporal`, 'SIGKILL');
    expect(await s.exited).toBe(1);
    expect(s.output()).toMatch(/temporal exited \(SIGKILL\)[^]*; stopping everything/);
    for (const port of [env.POSTGRES_PORT, env.API_PORT, env.SANDBOX_PORT]) expect(await portOpen(Number(port))).toBe(false);
  });

  it('leaves nothing running when Ctrl-C comes in the middle of start-up', async () => {
    const env = { ...(await ports()), EDX_DATA_DIR: scratchDir() };
    const s = start(env);
    // Postgres and Temporal are coming up, the worker and API are not started yet.
    await until('the servers starting', s, () => s.output().includes('[temporal]') || s.output().includes('[postgres]'));
    s.child.kill('SIGINT');
    await s.exited;
    expect(s.output()).not.toContain('edfi-exchange is ready');
    expect(s.output()).toContain('stopped; data kept');
    for (const port of [env.POSTGRES_PORT, env.TEMPORAL_PORT, env.TEMPORAL_UI_PORT, env.API_PORT]) expect(await portOpen(Number(port))).toBe(false);
  });

  it('has its worker and API end by themselves when npm start is killed outright', async () => {
    const env = { ...(await ports()), EDX_DATA_DIR: scratchDir() };
    const s = start(env);
    await until('the ready banner', s, () => s.output().includes('edfi-exchange is ready'));
    s.child.kill('SIGKILL');
    await s.exited;
    // Temporal and Postgres are separate programs; the API port must free itself within a few seconds.
    const deadline = Date.now() + 15_000;
    while ((await portOpen(Number(env.API_PORT))) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    expect(await portOpen(Number(env.API_PORT))).toBe(false);
    // Clean up what SIGKILL left behind: the Temporal and Postgres servers of this run.
    killProcessesWhoseCommandHas(env.EDX_DATA_DIR);
  });

  it('refuses a port already in use with one line naming the port and the variable to change', async () => {
    const env = { ...(await ports()), EDX_DATA_DIR: scratchDir() };
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(Number(env.API_PORT), '127.0.0.1', r));
    try {
      const s = start(env);
      expect(await s.exited).toBe(1);
      expect(s.output()).toContain(`Port ${env.API_PORT} for the API and web UI is already in use`);
      expect(s.output()).toContain('API_PORT=<port>');
    } finally {
      blocker.close();
    }
  });

  it('stops on a damaged Postgres data dir without deleting anything', async () => {
    const dataDir = scratchDir();
    mkdirSync(path.join(dataDir, 'postgres'));
    writeFileSync(path.join(dataDir, 'postgres', 'precious.txt'), 'not a database');
    const s = start({ ...(await ports()), EDX_DATA_DIR: dataDir });
    expect(await s.exited).toBe(1);
    expect(s.output()).toMatch(/Postgres data dir .*postgres is not empty but holds no database/);
    expect(existsSync(path.join(dataDir, 'postgres', 'precious.txt'))).toBe(true);
  });

  it('stops on a damaged Temporal database file without deleting it', async () => {
    const dataDir = scratchDir();
    mkdirSync(path.join(dataDir, 'temporal'));
    const dbFile = path.join(dataDir, 'temporal', 'temporal.db');
    writeFileSync(dbFile, "this is not an SQLite database, but it is somebody's file");
    const s = start({ ...(await ports()), EDX_DATA_DIR: dataDir });
    expect(await s.exited).toBe(1);
    expect(s.output()).toContain(`The Temporal dev server could not start with database file ${dbFile}`);
    expect(s.output()).toContain('nothing was deleted');
    expect(readFileSync(dbFile, 'utf8')).toContain("somebody's file");
  });

  it('names an unreachable external Postgres, hiding its password', async () => {
    const dead = await freePort();
    const s = start({
      ...(await ports()),
      EDX_DATA_DIR: scratchDir(),
      DATABASE_URL: `postgres://app:s3cret@127.0.0.1:${dead}/edfi`,
      SIS_DATABASE_URL: `postgres://app:s3cret@127.0.0.1:${dead}/sis`,
    });
    expect(await s.exited).toBe(1);
    expect(s.output()).toContain(`Cannot reach Postgres at DATABASE_URL=postgres://app:***@127.0.0.1:${dead}/edfi`);
    expect(s.output()).not.toContain('s3cret');
  });

  it('names an unreachable external Temporal cluster', async () => {
    const dead = await freePort();
    const s = start({ ...(await ports()), EDX_DATA_DIR: scratchDir(), TEMPORAL_ADDRESS: `127.0.0.1:${dead}` });
    expect(await s.exited).toBe(1);
    expect(s.output()).toContain(`Cannot reach the Temporal cluster at TEMPORAL_ADDRESS=127.0.0.1:${dead}`);
  });
});
