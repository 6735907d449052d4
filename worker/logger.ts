/**
 * The worker's logger follows Basic Settings' Logging Options: errors always, warnings, info and
 * diagnostics (debug and trace) when selected. It sits under Temporal's Runtime, so the SDK's own
 * lines, the workflows' and the activities' (which carry workflow id, activity and attempt) are all
 * filtered by the one rule. The options are read from the app database every few seconds: a change
 * on the Configuration page reaches every worker without a restart.
 */
import { DefaultLogger, type LogLevel, type LogMetadata, type Logger } from '@temporalio/worker';
import { isLogged, type LoggingOption } from '../publishing/logging.js';

export const LOGGING_OPTIONS_REFRESH_MS = 5_000;

export class LoggingOptionsLogger implements Logger {
  private options: readonly LoggingOption[] = [];

  constructor(private readonly inner: Logger = new DefaultLogger('TRACE')) {}

  use(options: readonly LoggingOption[]): void {
    this.options = options;
  }

  /** Whether a line of this level is written now. */
  logs(level: LogLevel): boolean {
    return isLogged(level, this.options);
  }

  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    if (this.logs(level)) this.inner.log(level, message, meta);
  }
  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }
  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }
  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }
  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }
  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}

/**
 * Keeps the logger on the stored options: read once now, then every `everyMs`. A failed read
 * (the database restarting) keeps the last options and says so once, as an error.
 */
export async function followLoggingOptions(
  logger: LoggingOptionsLogger,
  read: () => Promise<readonly LoggingOption[]>,
  everyMs = LOGGING_OPTIONS_REFRESH_MS,
): Promise<() => void> {
  let failing = false;
  const refresh = async (): Promise<void> => {
    try {
      logger.use(await read());
      failing = false;
    } catch (err) {
      if (!failing) logger.error(`could not read the Logging Options (keeping the last ones): ${(err as Error).message}`);
      failing = true;
    }
  };
  await refresh();
  const timer = setInterval(() => void refresh(), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
