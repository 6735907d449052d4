/**
 * Integration tests run against a real Postgres and a real Temporal dev server, started here on
 * free ports with a throw-away data dir, so `npm test` never touches `npm start`'s data.
 */
import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort } from '../scripts/stack/ports.js';
import { startStack, type Stack } from '../scripts/stack/stack.js';

let stack: Stack | undefined;
let dataDir: string | undefined;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const root = path.resolve(import.meta.dirname, '..');
  dataDir = mkdtempSync(path.join(tmpdir(), 'edfi-exchange-test-'));
  // The embedded Postgres runs as its own user when we are root: it must be able to enter this dir.
  chmodSync(dataDir, 0o755);
  const quiet = process.env.TEST_STACK_LOGS === undefined;
  stack = await startStack({
    root,
    dataDir,
    postgresPort: await freePort(),
    temporalPort: await freePort(),
    temporalUiPort: await freePort(),
    // External servers only when the caller names them explicitly for tests.
    env: {
      ...(process.env.TEST_DATABASE_URL ? { DATABASE_URL: process.env.TEST_DATABASE_URL } : {}),
      ...(process.env.TEST_SIS_DATABASE_URL ? { SIS_DATABASE_URL: process.env.TEST_SIS_DATABASE_URL } : {}),
      ...(process.env.TEST_TEMPORAL_ADDRESS ? { TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS } : {}),
      ...(process.env.TEMPORAL_CLI_PATH ? { TEMPORAL_CLI_PATH: process.env.TEMPORAL_CLI_PATH } : {}),
      PATH: process.env.PATH ?? '',
    },
    log: (line) => console.log(`[test-stack] ${line}`),
    sinkFor: (name) => (quiet ? () => undefined : (line) => console.log(`[${name}] ${line}`)),
  });
  if (stack.adminDatabaseUrl === undefined) throw new Error('integration tests need the embedded Postgres (or TEST_DATABASE_URL with CREATEDB rights)');
  project.provide('stack', {
    databaseUrl: stack.databaseUrl,
    sisDatabaseUrl: stack.sisDatabaseUrl,
    adminDatabaseUrl: stack.adminDatabaseUrl,
    temporalAddress: stack.temporal.address,
    namespace: stack.temporalConfig.namespace,
    temporalUiUrl: stack.temporal.uiUrl,
    dataDir,
  });
  return async () => {
    await stack?.stop();
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  };
}
