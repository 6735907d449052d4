/**
 * Prometheus (Debian's package, unpacked into .tools/prometheus without root) and one running
 * instance for the tests: it scrapes what `npm start` serves with the repository's own
 * `observability/prometheus/prometheus.yml` (its targets pointed at the local stack) and loads the
 * repository's alert rules, so the dashboard's queries and the rules run on a real Prometheus.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { onPath } from './pypi.js';
import { freePort } from './ports.js';

export type PrometheusInstall = { ok: true; bin: string } | { ok: false; reason: string };

/** `.tools/prometheus/usr/bin/prometheus`, fetched once with `apt-get download` and `dpkg-deb -x`. */
export function installPrometheus(root: string): PrometheusInstall {
  const dir = path.join(root, '.tools', 'prometheus');
  const bin = path.join(dir, 'usr', 'bin', 'prometheus');
  const works = (): boolean => spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 30_000 }).status === 0;
  if (existsSync(bin) && works()) return { ok: true, bin };
  const apt = onPath('apt-get', process.env);
  const dpkg = onPath('dpkg-deb', process.env);
  if (apt === undefined || dpkg === undefined) return { ok: false, reason: 'apt-get and dpkg-deb are needed to fetch Debian’s prometheus package' };
  const download = mkdtempSync(path.join(tmpdir(), 'prometheus-deb-'));
  try {
    const got = spawnSync(apt, ['download', 'prometheus'], { cwd: download, encoding: 'utf8', timeout: 180_000 });
    const deb = readdirSync(download).find((f) => f.endsWith('.deb'));
    if (got.status !== 0 || deb === undefined)
      return { ok: false, reason: `apt-get download prometheus: ${got.stderr.trim().split('\n').pop() ?? `exit code ${got.status}`}` };
    mkdirSync(dir, { recursive: true });
    const unpacked = spawnSync(dpkg, ['-x', path.join(download, deb), dir], { encoding: 'utf8', timeout: 120_000 });
    if (unpacked.status !== 0 || !works())
      return { ok: false, reason: `dpkg-deb -x ${deb}: ${unpacked.stderr.trim() || 'the unpacked prometheus does not run'}` };
    return { ok: true, bin };
  } finally {
    rmSync(download, { recursive: true, force: true });
  }
}

export interface Prometheus {
  readonly url: string;
  /** A PromQL instant query: its status and result (Prometheus's JSON answer). */
  query(expr: string): Promise<{ status: string; error?: string; data?: { result: unknown[] } }>;
  get<T>(apiPath: string): Promise<T>;
  stop(): Promise<void>;
}

/**
 * Runs Prometheus on the repository's config with its targets replaced: `api` (host:port, scraped
 * with `apiKeyFile`) and `workers` (host:port each), every second.
 */
export async function runPrometheus(
  install: { bin: string },
  root: string,
  targets: { api: string; apiKeyFile: string; workers: readonly string[] },
): Promise<Prometheus> {
  const work = mkdtempSync(path.join(tmpdir(), 'prometheus-'));
  const config = parse(readFileSync(path.join(root, 'observability/prometheus/prometheus.yml'), 'utf8')) as {
    global: Record<string, string>;
    rule_files: string[];
    scrape_configs: Array<Record<string, unknown> & { job_name: string }>;
  };
  config.global = { ...config.global, scrape_interval: '1s', evaluation_interval: '1s' };
  config.rule_files = [path.join(root, 'observability/prometheus/alerts.yml')];
  for (const job of config.scrape_configs) {
    if (job.job_name === 'edfi-exchange-api') {
      job.static_configs = [{ targets: [targets.api] }];
      (job.authorization as { credentials_file: string }).credentials_file = targets.apiKeyFile;
    } else {
      // The compose file finds workers by DNS; here they are listed.
      delete job.dns_sd_configs;
      job.static_configs = [{ targets: [...targets.workers] }];
    }
  }
  writeFileSync(path.join(work, 'prometheus.yml'), stringify(config));
  const port = await freePort();
  const child: ChildProcess = spawn(
    install.bin,
    [`--config.file=${path.join(work, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(work, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4_000)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited (${child.exitCode}): ${log}`);
    const ready = await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) throw new Error(`prometheus was not ready within 30 s: ${log}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const get = async <T>(apiPath: string): Promise<T> => (await (await fetch(`${url}${apiPath}`)).json()) as T;
  return {
    url,
    get,
    query: (expr) => get(`/api/v1/query?query=${encodeURIComponent(expr)}`),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(work, { recursive: true, force: true });
    },
  };
}
