/**
 * Postgres pools that survive a database blip: an idle client whose connection drops (a restart, a
 * failover, pg_terminate_backend) emits 'error' on its pool, and without a listener Node ends the
 * whole process — every worker of a deployment at once. The pool drops that client by itself and
 * opens a new one on the next query; queries in flight fail, and their activities retry.
 */
import pg from 'pg';

export function resilientPool(config: pg.PoolConfig & { readonly label: string }, log: (line: string) => void = (line) => console.error(line)): pg.Pool {
  const { label, ...options } = config;
  const pool = new pg.Pool(options);
  pool.on('error', (err: Error & { code?: string }) => {
    // The code and message only: a connection error carries no statement, hence no values.
    log(`${label}: an idle database connection failed (${err.code ?? 'no code'}: ${err.message}); the next query opens a new one`);
  });
  return pool;
}
