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

/** Errors that mean the database did not answer at all (refused, unreachable, shut down, out of connections) — not a bad query. */
const UNREACHABLE_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '53300',
  '57P01',
  '57P02',
  '57P03',
]);
const UNREACHABLE_MESSAGES = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

/** The code or first words saying why a database could not be reached; undefined for any other error. */
export function unreachableBecause(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { code, message } = err as { code?: unknown; message?: unknown };
  // Postgres class 08: connection exceptions.
  if (typeof code === 'string' && (UNREACHABLE_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return code;
  if (typeof message === 'string' && UNREACHABLE_MESSAGES.test(message)) return message.slice(0, 80);
  // AggregateError: every address of the host refused (node's happy eyeballs).
  const errors = (err as { errors?: unknown }).errors;
  if (Array.isArray(errors) && errors.length > 0) return unreachableBecause(errors[0]);
  return undefined;
}
