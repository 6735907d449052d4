/**
 * lightbeam (Education Analytics' JSONL → Ed-Fi sender, from PyPI) installed into .tools/ and run
 * against an Ed-Fi API: the sandbox must work with Ed-Fi clients nobody here wrote, and the
 * publish benchmark compares against it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { onPath } from '../../scripts/stack/pypi.js';

export type Install = { ok: true; dir: string; python: string } | { ok: false; reason: string };

/** `.tools/lightbeam` (pip --target), installed once; a reason instead when python3/pip or PyPI is not there. */
export async function installLightbeam(root: string): Promise<Install> {
  const python = onPath('python3', process.env) ?? onPath('python', process.env);
  if (python === undefined) return { ok: false, reason: 'python3 is not installed (lightbeam is a Python tool from PyPI)' };
  const dir = path.join(root, '.tools', 'lightbeam');
  // lightbeam 0.1.12's --version fails (its VERSION.txt is not in the wheel): --help proves it runs.
  const works = (): boolean =>
    spawnSync(python, ['-m', 'lightbeam', '--help'], { env: { ...process.env, PYTHONPATH: dir }, encoding: 'utf8', timeout: 60_000 }).status === 0;
  if (existsSync(path.join(dir, 'lightbeam')) && works()) return { ok: true, dir, python };
  const pip = await new Promise<{ code: number | null; err: string }>((resolve) => {
    const child = spawn(python, ['-m', 'pip', 'install', '--disable-pip-version-check', '--quiet', '--target', dir, 'lightbeam'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => resolve({ code, err }));
  });
  if (pip.code === 0 && works()) return { ok: true, dir, python };
  return { ok: false, reason: `pip install --target ${path.relative(root, dir)} lightbeam failed: ${pip.err.trim().split('\n').pop() ?? `exit ${pip.code}`}` };
}

export interface LightbeamRun {
  readonly install: { dir: string; python: string };
  readonly baseUrl: string;
  readonly key: string;
  readonly secret: string;
  /** A folder of `{resource}.jsonl` files. */
  readonly dataDir: string;
  readonly stateDir: string;
  /** Requests in flight (lightbeam's `connection.pool_size`); lightbeam's own default is 8. */
  readonly poolSize?: number;
  /**
   * What the state directory's hashes say was sent before is skipped, as lightbeam runs by default;
   * without this, `-f` sends every line again (what a full publish compares with).
   */
  readonly skipUnchanged?: boolean;
}

/** `lightbeam send` of every JSONL file in `dataDir`; answers with its output, rejects when it fails. */
export async function sendWithLightbeam(run: LightbeamRun): Promise<string> {
  return runLightbeam(run, 'send');
}

/** `lightbeam validate` of every JSONL file in `dataDir` against the API's OpenAPI metadata; answers with its output. */
export async function validateWithLightbeam(run: LightbeamRun): Promise<string> {
  return runLightbeam(run, 'validate');
}

async function runLightbeam(run: LightbeamRun, command: 'send' | 'validate'): Promise<string> {
  mkdirSync(run.stateDir, { recursive: true });
  const config = path.join(run.stateDir, 'lightbeam.yml');
  writeFileSync(
    config,
    [
      `state_dir: ${run.stateDir}`,
      `data_dir: ${run.dataDir}`,
      'namespace: ed-fi',
      'edfi_api:',
      `  base_url: ${run.baseUrl}`,
      '  version: 3',
      '  mode: shared_instance',
      `  client_id: ${run.key}`,
      `  client_secret: ${run.secret}`,
      'connection:',
      `  pool_size: ${run.poolSize ?? 8}`,
      '  timeout: 60',
      '  num_retries: 3',
      '  verify_ssl: False',
      'log_level: INFO',
      'show_stacktrace: True',
    ].join('\n'),
  );
  return new Promise((resolve, reject) => {
    const child = spawn(run.install.python, ['-m', 'lightbeam', command, '-c', config, ...(run.skipUnchanged === true ? [] : ['-f'])], {
      env: { ...process.env, PYTHONPATH: run.install.dir },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`lightbeam ${command} exited ${code}:\n${out.slice(-2000)}`))));
  });
}
