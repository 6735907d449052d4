/**
 * Long activities beat while they run, so a worker killed mid-batch is noticed within the
 * heartbeat timeout (30 s) and the batch retried elsewhere — not after the 20–30 minute
 * start-to-close timeout, with the profile's whole publish queue waiting. A batch is idempotent
 * (what it already did is in the catalog), so a retry resumes by doing the rest.
 */
import { Context } from '@temporalio/activity';

export const HEARTBEAT_EVERY_MS = 5_000;

export function heartbeating<A extends unknown[], R>(fn: (...args: A) => Promise<R>, everyMs = HEARTBEAT_EVERY_MS): (...args: A) => Promise<R> {
  return async (...args: A): Promise<R> => {
    let ctx: Context | undefined;
    try {
      ctx = Context.current();
    } catch {
      // Called outside an activity (a script or a unit test): nothing to beat to.
      return fn(...args);
    }
    const beat = ctx;
    beat.heartbeat();
    const timer = setInterval(() => beat.heartbeat(), everyMs);
    try {
      return await fn(...args);
    } finally {
      clearInterval(timer);
    }
  };
}
