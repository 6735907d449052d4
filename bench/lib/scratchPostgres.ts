/** A throw-away embedded Postgres for one benchmark: its own dir and free port, removed on stop. */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../scripts/stack/ports.js';
import { startLocalPostgres } from '../../scripts/stack/postgres.js';

export interface ScratchPostgres {
  /** URL of the `postgres` database. */
  readonly url: string;
  stop(): Promise<void>;
}

export async function scratchPostgres(name: string): Promise<ScratchPostgres> {
  const dir = mkdtempSync(path.join(tmpdir(), `bench-${name}-`));
  // Postgres runs as its own user when we are root: it must be able to reach the data dir.
  chmodSync(dir, 0o755);
  const quiet = (): void => undefined;
  const server = await startLocalPostgres({ dataDir: path.join(dir, 'pg'), port: await freePort(), portEnvVar: 'POSTGRES_PORT', log: quiet, sink: quiet });
  return {
    url: server.url('postgres'),
    stop: async () => {
      await server.child.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
