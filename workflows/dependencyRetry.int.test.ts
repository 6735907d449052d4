/**
 * The dependency-retry timetable on Temporal's time-skipping server: the guide's intervals
 * (1 minute computed / 10 minutes API-returned, one more per attempt, at most 99) and the early
 * wake-up when the blocker publishes — for the profile's sweeper (`dependencyRetries`, today's) and
 * the per-record workflow of earlier versions (`dependencyRetry`, kept so waiting ones finish). The
 * activities are stand-ins: a recorder, and an in-memory timetable that uses the real rule
 * (`nextTry`); the real one's SQL is tested in db/dependencyQueue.int.test.ts.
 */
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { timeSkippingEnvironment } from '../test/timeSkipping.js';
import { blockerPublishedSignal, wakeDependencyRetriesSignal } from '../temporal/contract.js';
import { nextTry } from '../publishing/dependencyTimetable.js';
import { dependencyRetryDelayMinutes, type DependencySource } from '../publishing/outcome.js';
import type { DependencyRetryInput } from './dependencyRetry.js';

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await timeSkippingEnvironment();
}, 300_000);

afterAll(async () => {
  await env?.teardown();
});

/** Runs one dependency retry until it ends after `attemptsUntilDone` attempts; answers the minutes (since start) of each attempt. */
async function attemptTimes(
  input: Omit<DependencyRetryInput, 'profileId' | 'schoolYear' | 'resource' | 'sourceKey'>,
  attemptsUntilDone: number,
  poke?: (id: string) => Promise<void>,
  heldCalls = 0,
): Promise<number[]> {
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
    const handle = await env.client.workflow.start('dependencyRetry', {
      workflowId: id,
      taskQueue,
      args: [{ profileId: 'p', schoolYear: 2025, resource: 'ed-fi/calendarDates', sourceKey: '1', ...input }],
    });
    if (poke !== undefined) await poke(id);
    expect(await handle.result()).toBe('published');
    return calls;
  });
}

describe('dependency retries of earlier versions, one workflow per record', () => {
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

interface Waiting {
  key: string;
  source: DependencySource;
  attempts: number;
  retryAtMs: number | null;
  /** Tries until it publishes. */
  triesLeft: number;
  /** Minutes since the start at which it was tried. */
  tries: number[];
}

/** Runs the sweeper over `records` until it ends; `during` may act on it meanwhile. Answers the activity calls' batch sizes. */
async function sweep(records: Waiting[], during?: (id: string, start: number) => Promise<void>, batch = 500): Promise<number[]> {
  const taskQueue = `deps-${randomUUID()}`;
  const batches: number[] = [];
  let start = 0;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: path.resolve(import.meta.dirname, 'dependencyRetries.ts'),
    activities: {
      retryDueDependencies: (input: { nowMs: number; limit: number }) => {
        const due = records
          .filter((r) => r.retryAtMs !== null && r.retryAtMs <= input.nowMs)
          .sort((a, b) => a.retryAtMs! - b.retryAtMs!)
          .slice(0, Math.min(input.limit, batch));
        batches.push(due.length);
        for (const r of due) {
          r.tries.push(Math.round((input.nowMs - start) / 60_000));
          r.triesLeft--;
          const next = nextTry(input.nowMs, r, { kind: 'tried', done: r.triesLeft === 0, source: r.source });
          Object.assign(r, { retryAtMs: next.retryAtMs, attempts: next.attempts });
        }
        const times = records.map((r) => r.retryAtMs).filter((t): t is number => t !== null);
        return {
          tried: due.length,
          skipped: 0,
          held: 0,
          moreDue: due.length === Math.min(input.limit, batch),
          nextAtMs: times.length === 0 ? null : Math.min(...times),
        };
      },
    },
  });
  return worker.runUntil(async () => {
    start = Number(await env.currentTimeMs());
    for (const r of records) r.retryAtMs = start + dependencyRetryDelayMinutes(r.source, 0) * 60_000;
    const id = `dependency-retries/${randomUUID()}`;
    const handle = await env.client.workflow.start('dependencyRetries', { workflowId: id, taskQueue, args: [{ profileId: 'p' }] });
    if (during !== undefined) await during(id, start);
    await handle.result();
    return batches;
  });
}

const waiting = (key: string, source: DependencySource, triesLeft: number): Waiting => ({ key, source, attempts: 0, retryAtMs: null, triesLeft, tries: [] });

describe('the dependency sweeper', () => {
  it('tries each record on the guide timetable, computed and API-returned side by side, and ends when none waits', async () => {
    const computed = waiting('c', 'computed', 4);
    const api = waiting('a', 'api', 2);
    await sweep([computed, api]);
    expect(computed.tries).toEqual([1, 3, 6, 10]);
    expect(api.tries).toEqual([10, 21]);
  });

  it('tries a record at once when it is woken (its blocker published), then goes on from there', async () => {
    const r = waiting('w', 'api', 2);
    const records = [r];
    await sweep(records, async (id, start) => {
      await env.sleep('3 minutes');
      // What wakeRetries does in the catalog, then the one signal per batch.
      r.retryAtMs = start + 3 * 60_000;
      await env.client.workflow.getHandle(id).signal(wakeDependencyRetriesSignal);
    });
    expect(r.tries).toEqual([3, 14]);
  });

  it('works through a backlog in batches without sleeping between them', async () => {
    const many = Array.from({ length: 25 }, (_, i) => waiting(`r${i}`, 'computed', 1));
    const batches = await sweep(many, undefined, 10);
    expect(batches.slice(0, 3)).toEqual([0, 10, 10]);
    expect(many.every((r) => r.tries.length === 1 && r.tries[0] === 1)).toBe(true);
  });
});
