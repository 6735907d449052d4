import { describe, expect, it } from 'vitest';
import { levelSteps, SCHEDULE_START, waitsForEveryExtract, type ExtractedResource, type RunStep, type ScheduleState } from './runSchedule.js';
import type { PublishOption } from './categories.js';

// The Organization Calendars category: calendars first, then dates and grading periods, then sessions.
const LEVELS = [['calendars'], ['calendarDates', 'gradingPeriods'], ['sessions']];
const ALL = LEVELS.flat();

/** Walks the schedule level by level as the workflow does; answers each level's counted resources and steps. */
function walk(extracts: Record<string, Partial<ExtractedResource>>, option: PublishOption = 'changes') {
  const extracted = (r: string): ExtractedResource => ({ deletes: false, newLocalDescriptors: 0, ...extracts[r] });
  let state: ScheduleState = SCHEDULE_START;
  const out: Array<{ waitsForAll: boolean; count: readonly string[]; steps: readonly RunStep[] }> = [];
  for (const n of LEVELS.keys()) {
    const upTo = LEVELS.slice(0, n + 1).flat();
    const everyExtract = waitsForEveryExtract(state, upTo, extracted);
    const { count, steps, next } = levelSteps(state, { level: n, upTo, all: ALL, everyExtract, option, extracted });
    out.push({ waitsForAll: everyExtract, count, steps });
    state = next;
  }
  return out;
}

describe("a category run's schedule", () => {
  it('posts each level as soon as it and the levels before it are extracted, descriptors once before the first', () => {
    expect(walk({})).toEqual([
      { waitsForAll: false, count: ['calendars'], steps: [{ kind: 'local-descriptors' }, { kind: 'post-level', level: 0 }] },
      { waitsForAll: false, count: ['calendarDates', 'gradingPeriods'], steps: [{ kind: 'post-level', level: 1 }] },
      { waitsForAll: false, count: ['sessions'], steps: [{ kind: 'post-level', level: 2 }] },
    ]);
  });
  it('sends local descriptors again before a level whose extracts met new ones', () => {
    const run = walk({ gradingPeriods: { newLocalDescriptors: 2 } });
    expect(run[1]?.steps).toEqual([{ kind: 'local-descriptors' }, { kind: 'post-level', level: 1 }]);
    expect(run[2]?.steps).toEqual([{ kind: 'post-level', level: 2 }]);
  });
  it('waits for every extract and sends the whole delete pass first once a level so far deletes, then counts everything', () => {
    const run = walk({ gradingPeriods: { deletes: true } });
    expect(run[0]).toEqual({ waitsForAll: false, count: ['calendars'], steps: [{ kind: 'local-descriptors' }, { kind: 'post-level', level: 0 }] });
    expect(run[1]).toEqual({
      waitsForAll: true,
      count: ['calendarDates', 'gradingPeriods', 'sessions'],
      steps: [{ kind: 'delete-pass' }, { kind: 'post-level', level: 1 }],
    });
    // The delete pass goes once.
    expect(run[2]).toEqual({ waitsForAll: false, count: [], steps: [{ kind: 'post-level', level: 2 }] });
  });
  it('Remove Unpublished only deletes: the delete pass when a level deletes, never posts or descriptors', () => {
    expect(walk({ calendars: { deletes: true } }, 'remove-unpublished').map((l) => l.steps)).toEqual([[{ kind: 'delete-pass' }], [], []]);
  });
  it('counts a resource whose descriptor tally is unknown (an earlier run) as having met some', () => {
    expect(walk({ calendarDates: { newLocalDescriptors: undefined } })[1]?.steps[0]).toEqual({ kind: 'local-descriptors' });
  });
});
