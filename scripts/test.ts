/**
 * `npm test`: format, lint, typecheck, then the unit and integration test projects (the integration
 * project starts its own Postgres and Temporal on free ports, in a throw-away dir). Every step
 * runs even if an earlier one failed, so one run shows every problem; the exit code is non-zero
 * if any failed, and the last line counts them.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const bin = (name: string): string => path.join(root, 'node_modules', '.bin', name);

function run(label: string, command: string, args: string[]): Promise<boolean> {
  console.log(`\n▶ ${label}: ${path.basename(command)} ${args.join(' ')}`);
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, FORCE_COLOR: process.stdout.isTTY ? '1' : '0' } });
    child.on('exit', (code, signal) => {
      const ok = code === 0;
      console.log(
        `${ok ? '✔' : '✖'} ${label} ${ok ? 'passed' : `failed (${signal ?? `exit ${code}`})`} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
      resolve(ok);
    });
    child.on('error', (err) => {
      console.log(`✖ ${label} could not start: ${err.message}`);
      resolve(false);
    });
  });
}

interface VitestJson {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTotalTests: number;
}

const reportDir = path.join(tmpdir(), `edfi-exchange-report-${process.pid}`);
mkdirSync(reportDir, { recursive: true });
const reportFile = path.join(reportDir, 'vitest.json');

/** Browser tests need Debian's Chromium; install it once when we can (root with apt), else they skip. */
function ensureChromium(): void {
  const target = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (existsSync(target)) return;
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
    console.log(
      `! ${target} is missing and cannot be installed here (needs root and apt): browser tests will be skipped. Install it with: apt-get install chromium`,
    );
    return;
  }
  console.log('▶ installing Chromium for the browser tests (apt-get install chromium) …');
  const quiet = { stdio: 'ignore' as const, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } };
  spawnSync('apt-get', ['update', '-qq'], quiet);
  const r = spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], quiet);
  console.log(r.status === 0 && existsSync(target) ? '✔ Chromium installed' : '! Chromium could not be installed: browser tests will be skipped');
}

ensureChromium();
const results: Array<[string, boolean]> = [];
// One formatter for the tree (.prettierrc.json; `npx prettier --write .` fixes what this reports).
results.push(['format', await run('format', bin('prettier'), ['--check', '--log-level=warn', '.'])]);
results.push(['lint', await run('lint', bin('eslint'), ['.', '--max-warnings=0'])]);
results.push(['typecheck', await run('typecheck', bin('tsc'), ['-p', '.'])]);
results.push([
  'tests',
  await run('unit + integration tests', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`]),
]);

let counts = { passed: 0, failed: 0, skipped: 0 };
if (existsSync(reportFile)) {
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as VitestJson;
  counts = { passed: report.numPassedTests, failed: report.numFailedTests, skipped: report.numPendingTests };
}
rmSync(reportDir, { recursive: true, force: true });
const failedSteps = results.filter(([, ok]) => !ok).map(([name]) => name);
// Format, lint and typecheck count as checks beside the tests, so a lint failure can never read as green.
const passed = counts.passed + results.filter(([name, ok]) => ok && name !== 'tests').length;
const failed = counts.failed + failedSteps.filter((name) => name !== 'tests').length + (failedSteps.includes('tests') && counts.failed === 0 ? 1 : 0);
console.log(`\n${failedSteps.length === 0 ? 'All checks passed.' : `Failed: ${failedSteps.join(', ')}.`}`);
console.log(`${passed} passed, ${failed} failed${counts.skipped > 0 ? `, ${counts.skipped} skipped` : ''}`);
process.exit(failedSteps.length === 0 ? 0 : 1);
