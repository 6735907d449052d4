/**
 * How a worker process is started (npm start, the benches, the fault tests; docker-compose and
 * `npm run worker` spell the same flags out): Node with a bounded heap, then worker/main.ts.
 *
 * Why a bound: V8 sizes its heap on the machine (~4 GB here) and, under a publish's allocation
 * rate, lets garbage grow to 3–4× what is live before a full collection. Measured on the `large`
 * district's Attendance publish: 97–200 MB live, yet 807 MB of heap and 1,238 MB resident at the
 * peak. With a bound V8 collects sooner; what is live stays far below it (bench/README).
 */
import path from 'node:path';
import { SetupError } from '../scripts/stack/errors.js';

/** Old-generation heap of a worker process (MB), unless `WORKER_HEAP_MB` says otherwise. */
export const WORKER_HEAP_MB = 512;

const ROOT = path.resolve(import.meta.dirname, '..');

/** `WORKER_HEAP_MB` as a number of MB, or why it cannot be one. */
export function workerHeapMb(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.WORKER_HEAP_MB;
  if (raw === undefined || raw.trim() === '') return WORKER_HEAP_MB;
  const mb = Number(raw);
  if (!Number.isInteger(mb) || mb < 256)
    throw new SetupError(
      `WORKER_HEAP_MB is "${raw}"`,
      "set it to a whole number of megabytes, at least 256 (the worker's code alone needs ~100 MB), or unset it for 512",
    );
  return mb;
}

/** Node's arguments for a worker process: the heap bound, tsx, worker/main.ts (plus any `extra` Node flags first). */
export function workerNodeArgs(env: NodeJS.ProcessEnv = process.env, extra: readonly string[] = []): string[] {
  return [...extra, `--max-old-space-size=${workerHeapMb(env)}`, '--import', 'tsx', path.join(ROOT, 'worker', 'main.ts')];
}
