/**
 * schemathesis (a property-based fuzzer for OpenAPI documents, from PyPI) installed into
 * .tools/schemathesis and run from there: the API's fuzz suite (api/schemathesis.int.test.ts)
 * points it at the OpenAPI document the API serves.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { onPath } from './pypi.js';

export type SchemathesisInstall = { ok: true; dir: string; python: string } | { ok: false; reason: string };

// The 4.x line: the suite relies on its CLI flags and on the text of its JUnit report.
const REQUIREMENT = 'schemathesis>=4.32,<5';
// The package has no __main__; `schemathesis.cli` has. Its `st` script would be tied to the python that installed it.
const CLI = ['-m', 'schemathesis.cli'];

function envFor(dir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    // Only the packages pip put in .tools/schemathesis: nothing from the user's site-packages shadows them.
    PYTHONPATH: dir,
    PYTHONDONTWRITEBYTECODE: '1',
    // Nothing but the API under test at run time: any other host goes to a proxy that is not there.
    HTTP_PROXY: 'http://127.0.0.1:9',
    HTTPS_PROXY: 'http://127.0.0.1:9',
    http_proxy: 'http://127.0.0.1:9',
    https_proxy: 'http://127.0.0.1:9',
    NO_PROXY: '127.0.0.1,localhost',
    no_proxy: '127.0.0.1,localhost',
  };
}

/** `.tools/schemathesis` (pip --target), installed once; a reason instead when python3, pip or PyPI is not there. */
export async function installSchemathesis(root: string): Promise<SchemathesisInstall> {
  const python = onPath('python3', process.env) ?? onPath('python', process.env);
  if (python === undefined) return { ok: false, reason: 'python3 is not installed (schemathesis is a Python tool from PyPI)' };
  const dir = path.join(root, '.tools', 'schemathesis');
  const works = (): boolean => {
    const r = spawnSync(python, [...CLI, '--version'], { env: envFor(dir), encoding: 'utf8', timeout: 60_000 });
    return r.status === 0 && /version 4\./.test(r.stdout);
  };
  if (existsSync(path.join(dir, 'schemathesis')) && works()) return { ok: true, dir, python };
  const pip = await new Promise<{ code: number | null; err: string }>((resolve) => {
    const child = spawn(python, ['-m', 'pip', 'install', '--disable-pip-version-check', '--quiet', '--upgrade', '--target', dir, REQUIREMENT], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e) => resolve({ code: null, err: e.message }));
    child.on('close', (code) => resolve({ code, err }));
  });
  if (pip.code === 0 && works()) return { ok: true, dir, python };
  const lastLine = pip.err
    .trim()
    .split('\n')
    .filter((l) => !l.startsWith('WARNING: Running pip as'))
    .pop();
  return { ok: false, reason: `pip install --target ${path.relative(root, dir)} ${REQUIREMENT} failed: ${lastLine || `exit code ${pip.code}`}` };
}

export interface SchemathesisRun {
  /** Exit code: 0 when every check passed, 1 when some failed; null when it was killed. */
  readonly code: number | null;
  readonly timedOut: boolean;
  /** stdout and stderr, interleaved. */
  readonly output: string;
}

/** `schemathesis <args>` in `cwd`, killed after `timeoutMs`. */
export function runSchemathesis(
  install: { dir: string; python: string },
  args: readonly string[],
  opts: { cwd: string; timeoutMs: number },
): Promise<SchemathesisRun> {
  return new Promise((resolve) => {
    const child = spawn(install.python, [...CLI, ...args], { cwd: opts.cwd, env: envFor(install.dir), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs);
    child.on('error', (e) => (output += `\n${e.message}`));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, timedOut, output });
    });
  });
}
