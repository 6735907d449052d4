import { afterEach, describe, expect, it } from 'vitest';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { LogLevel, LogMetadata, Logger } from '@temporalio/common';
import { followLogLevels, runLog } from './runLog.js';

function capture(): { lines: string[]; logger: Logger } {
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

describe("an activity's log line", () => {
  afterEach(() => followLogLevels(() => true));

  it('is not even made when the worker would drop its level: its fields are never read', async () => {
    const out = capture();
    const env = new MockActivityEnvironment({}, { logger: out.logger });
    let read = 0;
    const meta = {
      get resource(): string {
        read++;
        return 'students';
      },
    };
    followLogLevels((level) => level !== 'DEBUG');
    await env.run(() => {
      runLog('DEBUG', 'POST answered', meta);
      runLog('INFO', 'planned', { resource: 'students' });
      return Promise.resolve();
    });
    expect(read).toBe(0);
    expect(out.lines.filter((l) => l.endsWith('POST answered') || l.endsWith('planned'))).toEqual(['INFO planned']);

    followLogLevels(() => true);
    await env.run(() => Promise.resolve(runLog('DEBUG', 'POST answered', meta)));
    expect(read).toBeGreaterThan(0);
    expect(out.lines.filter((l) => l.endsWith('POST answered'))).toEqual(['DEBUG POST answered']);
  });
});
