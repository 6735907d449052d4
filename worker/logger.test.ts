import { describe, expect, it } from 'vitest';
import type { Logger } from '@temporalio/worker';
import { captureLogger as capture } from '../test/logs.js';
import { followLoggingOptions, LoggingOptionsLogger } from './logger.js';
import type { LoggingOption } from '../publishing/logging.js';

const speak = (l: Logger): void => {
  l.error('e');
  l.warn('w');
  l.info('i');
  l.debug('d');
  l.trace('t');
};

describe("the worker's logger", () => {
  it('passes errors only until options are read, then what they select', () => {
    const out = capture();
    const logger = new LoggingOptionsLogger(out.logger);
    speak(logger);
    expect(out.lines).toEqual(['ERROR e']);
    out.lines.length = 0;
    logger.use(['info', 'diagnostics']);
    speak(logger);
    expect(out.lines).toEqual(['ERROR e', 'INFO i', 'DEBUG d', 'TRACE t']);
  });

  it('follows the stored options and keeps the last ones while they cannot be read', async () => {
    const out = capture();
    const logger = new LoggingOptionsLogger(out.logger);
    let stored: readonly LoggingOption[] | Error = ['warnings'];
    const stop = await followLoggingOptions(logger, () => (stored instanceof Error ? Promise.reject(stored) : Promise.resolve(stored)), 20);
    try {
      speak(logger);
      expect(out.lines).toEqual(['ERROR e', 'WARN w']);
      stored = new Error('connection refused');
      await new Promise((r) => setTimeout(r, 70));
      out.lines.length = 0;
      speak(logger);
      expect(out.lines).toEqual(['ERROR e', 'WARN w']);
      stored = ['info'];
      await new Promise((r) => setTimeout(r, 70));
      out.lines.length = 0;
      speak(logger);
      expect(out.lines).toEqual(['ERROR e', 'INFO i']);
    } finally {
      stop();
    }
  });
});
