/**
 * The dependency-retry timetable on Temporal's time-skipping server: the guide's intervals
 * (1 minute computed / 10 minutes API-returned, one more per attempt, at most 99) and the early
 * wake-up when the blocker publishes. The activity here is a recorder of when it was called.
 */
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { timeSkippingEnvironment } from '../test/timeSkipping.js';
import { blockerPublishedSignal } from './dependencyNames.js';
import type { DependencyRetryInput } from './dependencyRetry.js';

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await timeSkippingEnvironment();
}, 300_000);

afterAll(async () => {
  await env?.teardown();
});

/** Runs one dependency retry until it ends after `attemptsUntilDone` attempts; answers the minutes (since start) of each attempt. */
async function attemptTimes(input: Omit<DependencyRetryInput, 'profileId' | 'schoolYear' | 'resource' | 'sourceKey'>, attemptsUntilDone: number, poke?: (id: string) => Promise<void>, heldCalls = 0): Promise<number[]> {
  const taskQueue = `dep-${randomUUID()}`;
  const calls: number[] = [];
  let start = 0;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: path.resolve(import.meta.dirname, 'dependencyRetry.ts'),
    activities: {
      retryDependency: async () => {
        calls.push(Math.round((Number(await env.currentTimeMs()) - start) / 60_000));
        // As the activity answers while the exchange is off, processing paused or Publish off.
        if (calls.length <= heldCalls) return { done: false, outcome: 'held: System Processing is paused', source: 'computed', held: true };
        const attempt = calls.length - heldCalls;
        return { done: attempt >= attemptsUntilDone, outcome: attempt >= attemptsUntilDone ? 'published' : 'still waiting', source: input.source };
      },
    },
  });
  return worker.runUntil(async () => {
    start = Number(await env.currentTimeMs());
    const id = `dependency/p/2025/ed-fi/calendarDates/${randomUUID()}`;
    const handle = await env.client.workflow.start('dependencyRetry', { workflowId: id, taskQueue, args: [{ profileId: 'p', schoolYear: 2025, resource: 'ed-fi/calendarDates', sourceKey: '1', ...input }] });
    if (poke !== undefined) await poke(id);
    expect(await handle.result()).toBe('published');
    return calls;
  });
}

describe('dependency retries', () => {
  it('wait 1 minute for a computed dependency, then one minute more after each attempt', async () => {
    expect(await attemptTimes({ source: 'computed' }, 5)).toEqual([1, 3, 6, 10, 15]);
  });

  it('wait 10 minutes for a dependency the API returned (403), then one more after each attempt', async () => {
    expect(await attemptTimes({ source: 'api' }, 3)).toEqual([10, 21, 33]);
  });

  it('never wait more than 99 minutes between attempts', async () => {
    // 97 attempts already made: the next waits 98 minutes, then 99, then 99 again.
    expect(await attemptTimes({ source: 'computed', attempts: 97 }, 3)).toEqual([98, 197, 296]);
  });

  it('try at once when the record it waits for publishes', async () => {
    const times = await attemptTimes({ source: 'api' }, 1, async (id) => {
      await env.sleep('2 minutes');
      await env.client.workflow.getHandle(id).signal(blockerPublishedSignal);
    });
    expect(times).toEqual([2]);
  });

  it('hold while paused without sending, keep the interval, then go on with the timetable where it was', async () => {
    // Two held checks a minute apart (the first interval, unchanged), then the three attempts with the
    // gaps of an unpaused record: 1, 2, 3 minutes.
    expect(await attemptTimes({ source: 'computed' }, 3, undefined, 2)).toEqual([1, 2, 3, 5, 8]);
  });
});
