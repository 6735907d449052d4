/**
 * The activities' log: Temporal's activity logger, whose lines carry the workflow id, the activity
 * and the attempt a support engineer looks up in the Temporal UI, and pass the worker's Logging
 * Options filter. Lines hold resource names, counts and HTTP statuses — never a record's keys or
 * the ODS's messages, which may quote student data. Outside an activity (a script, a unit test)
 * errors go to stderr and the rest nowhere.
 */
import { Context } from '@temporalio/activity';
import type { LogLevel, LogMetadata } from '@temporalio/common';

export function runLog(level: LogLevel, message: string, meta?: LogMetadata): void {
  let ctx: Context | undefined;
  try {
    ctx = Context.current();
  } catch {
    if (level === 'ERROR') console.error(message, meta ?? '');
    return;
  }
  ctx.log.log(level, message, meta);
}
