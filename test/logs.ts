/** A logger that keeps each line as `LEVEL message`, for tests of what gets logged. */
import type { LogLevel, LogMetadata, Logger } from '@temporalio/common';

export function captureLogger(): { lines: string[]; logger: Logger } {
  const lines: string[] = [];
  const log = (level: LogLevel, message: string, _meta?: LogMetadata): void => void lines.push(`${level} ${message}`);
  return {
    lines,
    logger: {
      log,
      trace: (m) => log('TRACE', m),
      debug: (m) => log('DEBUG', m),
      info: (m) => log('INFO', m),
      warn: (m) => log('WARN', m),
      error: (m) => log('ERROR', m),
    },
  };
}
