import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { WORKER_HEAP_MB, workerHeapMb, workerNodeArgs } from './launch.js';

const root = path.resolve(import.meta.dirname, '..');

describe('a worker process is started with a bounded heap', () => {
  it('bounds the old generation at 512 MB unless WORKER_HEAP_MB says otherwise', () => {
    expect(workerNodeArgs({})).toEqual(['--max-old-space-size=512', '--import', 'tsx', path.join(root, 'worker', 'main.ts')]);
    expect(workerNodeArgs({ WORKER_HEAP_MB: '2048' })[0]).toBe('--max-old-space-size=2048');
    expect(workerNodeArgs({}, ['--cpu-prof'])).toEqual(['--cpu-prof', '--max-old-space-size=512', '--import', 'tsx', path.join(root, 'worker', 'main.ts')]);
  });

  it('says what to fix when WORKER_HEAP_MB is not a usable size', () => {
    for (const bad of ['lots', '100', '512.5', '-1'])
      expect(() => workerHeapMb({ WORKER_HEAP_MB: bad })).toThrow(`WORKER_HEAP_MB is "${bad}" — set it to a whole number of megabytes, at least 256`);
    expect(workerHeapMb({ WORKER_HEAP_MB: ' ' })).toBe(WORKER_HEAP_MB);
  });

  it('gives docker-compose and npm run worker the same bound', () => {
    const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: { worker: { command: string[] } } };
    expect(compose.services.worker.command).toContain(`--max-old-space-size=\${WORKER_HEAP_MB:-${WORKER_HEAP_MB}}`);
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.worker).toContain(`--max-old-space-size=${WORKER_HEAP_MB}`);
  });
});
