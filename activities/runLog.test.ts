import { afterEach, describe, expect, it } from 'vitest';
import { MockActivityEnvironment } from '@temporalio/testing';
import { captureLogger as capture } from '../test/logs.js';
import { followLogLevels, runLog } from './runLog.js';

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
