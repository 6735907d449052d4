/**
 * The activities' log: Temporal's activity logger, whose lines carry the workflow id, the activity
 * and the attempt a support engineer looks up in the Temporal UI, and pass the worker's Logging
 * Options filter. Lines hold resource names, counts and HTTP statuses — never a record's keys or
 * the ODS's messages, which may quote student data. Outside an activity (a script, a unit test)
 * errors go to stderr and the rest nowhere.
 */
import { Context } from '@temporalio/activity';
import type { LogLevel, LogMetadata } from '@temporalio/common';

/** Which levels the worker's logger lets through; every level until the worker says (worker/main.ts). */
let logs: (level: LogLevel) => boolean = () => true;

/**
 * The worker's Logging Options, asked before a line is made: the activity logger gathers its
 * workflow and activity fields for every line before the worker's filter drops it, and a publish
 * logs a diagnostic line per request (~2 % of the worker's CPU in a Students publish, measured).
 */
export function followLogLevels(isLogged: (level: LogLevel) => boolean): void {
  logs = isLogged;
}

export function runLog(level: LogLevel, message: string, meta?: LogMetadata): void {
  if (!logs(level)) return;
  let ctx: Context | undefined;
  try {
    ctx = Context.current();
  } catch {
    if (level === 'ERROR') console.error(message, meta ?? '');
    return;
  }
  ctx.log.log(level, message, meta);
}
