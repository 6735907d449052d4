import { describe, expect, it } from 'vitest';
import { failureDetail } from './failureTypes.js';

const chain = (...messages: string[]): Error =>
  messages.reduceRight<Error | undefined>((cause, m) => new Error(m, cause !== undefined ? { cause } : undefined), undefined)!;

describe("a failed category's detail", () => {
  it('is the reason at the root, not the wrappers Temporal puts around it', () => {
    expect(failureDetail(chain('Child Workflow execution failed', 'Activity task failed', 'Set-up problem, the run stopped. calendars: …'))).toBe(
      'Set-up problem, the run stopped. calendars: …',
    );
    expect(failureDetail(chain('Child Workflow execution failed', 'school year 2031 is not configured'))).toBe('school year 2031 is not configured');
  });
  it('keeps a lone message, and the whole chain when the root says nothing', () => {
    expect(failureDetail(new Error('timed out'))).toBe('timed out');
    expect(failureDetail(chain('Child Workflow execution failed', ''))).toBe('Child Workflow execution failed: ');
    expect(failureDetail('plain')).toBe('plain');
  });
});
