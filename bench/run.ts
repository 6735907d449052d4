/**
 * `npm run bench`: every benchmark in this folder, one after another (each a whole process, so
 * one's memory cannot flatter the next). Each prints `RESULT …` lines; copy new figures into
 * bench/README.md with the date and machine. Benchmarks are not tests: nothing here fails on time.
 * Shared helpers live in bench/lib/ (not run).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const dir = import.meta.dirname;
const only = process.argv[2];
const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.test.ts') && (only === undefined || f.includes(only)));
let failed = 0;
for (const file of files) {
  console.log(`\n▶ ${file}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, file)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
