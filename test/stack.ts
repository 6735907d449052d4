/**
 * What integration tests get from test/globalSetup.ts: a real Postgres and a real Temporal dev
 * server, on ports and a data dir of their own.
 */
import { inject } from 'vitest';
import pg from 'pg';
import { randomBytes } from 'node:crypto';

export interface TestStack {
  /** The app DB, migrated. */
  readonly databaseUrl: string;
  /** The SIS replica DB (empty schema unless a test loads one). */
  readonly sisDatabaseUrl: string;
  /** A superuser URL on the same server, for creating throw-away databases. */
  readonly adminDatabaseUrl: string;
  readonly temporalAddress: string;
  readonly namespace: string;
  /** The dev server's web UI, for tests that follow our links into it; absent with an external cluster. */
  readonly temporalUiUrl?: string | undefined;
  /** A scratch directory that is removed after the run. */
  readonly dataDir: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    stack: TestStack;
  }
}

export function testStack(): TestStack {
  return inject('stack');
}

/**
 * Creates an empty database with a unique name and returns its URL; for tests that need isolation.
 * `options`: CREATE DATABASE's (a collation of its own, say).
 */
export async function createScratchDatabase(prefix: string, options = ''): Promise<string> {
  const { adminDatabaseUrl } = testStack();
  const name = `${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: adminDatabaseUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}" ${options}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminDatabaseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
