/**
 * Basic Settings' Logging Options. The guide: "Error logging is always enabled"; Warnings, Info and
 * Diagnostics are extra selections, each adding its own kind of line (the Configuration page's
 * multi-select, so each is independent of the others). Worker lines carry Temporal's levels.
 */
export const LOGGING_OPTIONS = ['warnings', 'info', 'diagnostics'] as const;
export type LoggingOption = (typeof LOGGING_OPTIONS)[number];

/** Temporal's log levels, as the worker's logger receives them. */
export type LogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/** The option that lets a line of this level through; `undefined` for errors, which are always logged. */
export function optionForLevel(level: LogLevel): LoggingOption | undefined {
  switch (level) {
    case 'ERROR':
      return undefined;
    case 'WARN':
      return 'warnings';
    case 'INFO':
      return 'info';
    case 'DEBUG':
    case 'TRACE':
      return 'diagnostics';
  }
}

export function isLogged(level: LogLevel, options: readonly LoggingOption[]): boolean {
  const option = optionForLevel(level);
  return option === undefined || options.includes(option);
}

/** What a sent batch came to, as its log line counts it. */
export interface BatchTally {
  readonly published: number;
  readonly dependency: number;
  readonly error: number;
  readonly deleted: number;
}

/** A batch's line is as loud as its worst record: an error, then a record left in dependency, else information. */
export function batchLogLevel(tally: BatchTally): LogLevel {
  if (tally.error > 0) return 'ERROR';
  if (tally.dependency > 0) return 'WARN';
  return 'INFO';
}

/**
 * The HTTP answers of a batch's failed records, counted ("400×3, 500×1, none×2": none is a reset
 * or a timeout). Counts only: an ODS message may quote student data, which never enters a log.
 */
export function statusTally(statuses: ReadonlyArray<number | null>): string {
  const counts = new Map<string, number>();
  for (const s of statuses) counts.set(s === null ? 'none' : String(s), (counts.get(s === null ? 'none' : String(s)) ?? 0) + 1);
  return [...counts]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([s, n]) => `${s}×${n}`)
    .join(', ');
}
