import { describe, expect, it } from 'vitest';
import { formatTimeline, idleMs, timeByType, type RunSpans } from './timeline.js';

const run: RunSpans = {
  workflowId: 'publish/bench/2025/calendars/1',
  category: 'calendars',
  opened: 10_000,
  closed: 11_000,
  activities: [
    { type: 'prepareCategory', scheduled: 10_010, started: 10_020, ended: 10_100 },
    { type: 'extractAndPlan', resource: 'calendars', scheduled: 10_110, started: 10_120, ended: 10_400 },
    { type: 'extractAndPlan', resource: 'calendarDates', scheduled: 10_110, started: 10_130, ended: 10_600 },
    { type: 'sendBatch', resource: 'calendars', scheduled: 10_400, started: 10_450, ended: 10_700 },
    { type: 'sendBatch', resource: 'calendars', scheduled: 10_400, started: 10_460, ended: 10_800 },
    { type: 'finishRun', scheduled: 10_850, started: 10_900, ended: 10_950 },
  ],
};

describe('category run timeline', () => {
  it('counts the time no activity ran, overlapping activities once', () => {
    // 10,000–10,020, 10,100–10,120, 10,800–10,900 and 10,950–11,000.
    expect(idleMs(run)).toBe(20 + 20 + 100 + 50);
  });

  it('sums activity time by type, an extract by its resource, from start or from scheduling', () => {
    expect([...timeByType(run)].map(([type, s]) => [type, s.toFixed(2)])).toEqual([
      ['prepareCategory', '0.08'],
      ['extractAndPlan(calendars)', '0.28'],
      ['extractAndPlan(calendarDates)', '0.47'],
      ['sendBatch', '0.59'],
      ['finishRun', '0.05'],
    ]);
    expect(timeByType(run, 'scheduled').get('finishRun')).toBeCloseTo(0.1);
  });

  it('shows each step from the run start, sends of a resource as one span', () => {
    expect(formatTimeline([run], 9_000)).toEqual([
      'calendars 1.00–2.00 s: prepareCategory 0.02–0.10; extract(calendars) 0.12–0.40; extract(calendarDates) 0.13–0.60; send(calendars) ×2 0.45–0.80; finishRun 0.90–0.95; no activity running 0.19 s',
    ]);
  });
});
