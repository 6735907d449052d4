import { describe, expect, it } from 'vitest';
import { batchLogLevel, isLogged, statusTally, type LogLevel } from './logging.js';

const LEVELS: LogLevel[] = ['ERROR', 'WARN', 'INFO', 'DEBUG', 'TRACE'];
const logged = (options: Parameters<typeof isLogged>[1]): LogLevel[] => LEVELS.filter((l) => isLogged(l, options));

describe('Logging Options', () => {
  it('error logging is always enabled, even with no option selected', () => {
    expect(logged([])).toEqual(['ERROR']);
  });
  it('each option adds its own kind of line, independently of the others', () => {
    expect(logged(['warnings'])).toEqual(['ERROR', 'WARN']);
    expect(logged(['info'])).toEqual(['ERROR', 'INFO']);
    expect(logged(['diagnostics'])).toEqual(['ERROR', 'DEBUG', 'TRACE']);
    expect(logged(['warnings', 'info', 'diagnostics'])).toEqual(LEVELS);
  });
});

describe("a batch's log line", () => {
  it('is an error when any record failed, a warning when one waits on a dependency, else information', () => {
    expect(batchLogLevel({ published: 9, dependency: 3, error: 1, deleted: 0 })).toBe('ERROR');
    expect(batchLogLevel({ published: 9, dependency: 3, error: 0, deleted: 0 })).toBe('WARN');
    expect(batchLogLevel({ published: 9, dependency: 0, error: 0, deleted: 2 })).toBe('INFO');
  });
  it('counts the failed answers by HTTP status, a reset or timeout as none', () => {
    expect(statusTally([500, 400, null, 400, null])).toBe('400×2, 500×1, none×2');
    expect(statusTally([])).toBe('');
  });
});
