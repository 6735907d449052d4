/**
 * Category runs in wall time, read from their histories: when each step began and ended (prepare,
 * each resource's extract, its first and last send, finish) and how long the run had no activity
 * running at all — the fixed steps a run pays besides its sends.
 */
import type { Client } from '@temporalio/client';

export interface ActivitySpan {
  readonly type: string;
  /** The resource an extract or a batch is for (its last path segment). */
  readonly resource?: string;
  /** ms since the epoch: when the run scheduled it, when a worker started it, when it completed. */
  readonly scheduled: number;
  readonly started: number;
  readonly ended: number;
}

export interface RunSpans {
  readonly workflowId: string;
  readonly category: string;
  readonly opened: number;
  readonly closed: number;
  readonly activities: readonly ActivitySpan[];
}

type Stamp = { seconds?: { toString(): string } | number | null; nanos?: number | null } | null | undefined;
const msOf = (t: Stamp): number => Number(t?.seconds ?? 0) * 1000 + Math.floor((t?.nanos ?? 0) / 1e6);

/** The SDK's marker for a local activity's result; its `data` detail names the activity type. */
const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

function localActivityType(data: Uint8Array | null | undefined): string {
  try {
    const type = data ? (JSON.parse(Buffer.from(data).toString()) as { activity_type?: unknown }).activity_type : undefined;
    return typeof type === 'string' ? type : 'local activity';
  } catch {
    return 'local activity';
  }
}

/** Each run's completed activities (local ones from their workflow task to their marker), oldest run first. */
export async function runSpans(temporal: Client, runs: ReadonlyArray<{ workflowId: string; category: string }>): Promise<RunSpans[]> {
  const out: RunSpans[] = [];
  for (const run of runs) {
    const scheduled = new Map<string, { type: string; resource?: string; scheduled: number; started?: number }>();
    const activities: ActivitySpan[] = [];
    let opened = 0;
    let closed = 0;
    let taskStarted = 0;
    for (const e of (await temporal.workflow.getHandle(run.workflowId).fetchHistory()).events ?? []) {
      const at = msOf(e.eventTime);
      if (e.workflowExecutionStartedEventAttributes) opened = at;
      if (e.workflowExecutionCompletedEventAttributes || e.workflowExecutionFailedEventAttributes || e.workflowExecutionContinuedAsNewEventAttributes)
        closed = at;
      const a = e.activityTaskScheduledEventAttributes;
      if (a) {
        const input = a.input?.payloads?.[0]?.data;
        const resource = input ? (JSON.parse(Buffer.from(input).toString()) as { resource?: unknown }).resource : undefined;
        scheduled.set(String(e.eventId), {
          type: a.activityType?.name ?? '?',
          ...(typeof resource === 'string' ? { resource: resource.split('/').pop() ?? resource } : {}),
          scheduled: at,
        });
      }
      // The started event is written when the activity ends, with the time it started.
      const started = e.activityTaskStartedEventAttributes;
      const begun = started ? scheduled.get(String(started.scheduledEventId)) : undefined;
      if (begun) begun.started = at;
      if (e.workflowTaskStartedEventAttributes) taskStarted = at;
      // A local activity ran inside the workflow task that records its marker.
      const marker = e.markerRecordedEventAttributes;
      if (marker?.markerName === LOCAL_ACTIVITY_MARKER)
        activities.push({ type: localActivityType(marker.details?.data?.payloads?.[0]?.data), scheduled: taskStarted, started: taskStarted, ended: at });
      const done = e.activityTaskCompletedEventAttributes;
      const s = done ? scheduled.get(String(done.scheduledEventId)) : undefined;
      if (s) activities.push({ ...s, started: s.started ?? s.scheduled, ended: at });
    }
    out.push({ workflowId: run.workflowId, category: run.category, opened, closed, activities });
  }
  return out;
}

/** Activity time by type (an extract by its resource), from start to completion: parallel ones overlap. */
export function timeByType(run: RunSpans, from: 'started' | 'scheduled' = 'started'): Map<string, number> {
  const spent = new Map<string, number>();
  for (const a of run.activities) {
    const type = a.type === 'extractAndPlan' && a.resource !== undefined ? `${a.type}(${a.resource})` : a.type;
    spent.set(type, (spent.get(type) ?? 0) + (a.ended - (from === 'started' ? a.started : a.scheduled)) / 1000);
  }
  return spent;
}

/** Milliseconds of [from, to] that no activity of the run covered. */
export function idleMs(run: RunSpans): number {
  const spans = run.activities.map((a) => [a.started, a.ended] as const).sort((x, y) => x[0] - y[0]);
  let idle = 0;
  let reached = run.opened;
  for (const [s, e] of spans) {
    if (s > reached) idle += s - reached;
    reached = Math.max(reached, e);
  }
  return idle + Math.max(0, run.closed - reached);
}

/**
 * One line per run: its wall time from `t0` (ms since the epoch), then each step as `start–end`
 * seconds from the run's opening — extracts and sends by resource (sends: how many, first start,
 * last end), the rest by type — and the time with no activity running.
 */
export function formatTimeline(runs: readonly RunSpans[], t0 = runs[0]?.opened ?? 0): string[] {
  return runs.map((run) => {
    const steps = new Map<string, { n: number; first: number; last: number }>();
    for (const a of run.activities) {
      const key = a.type === 'sendBatch' || a.type === 'extractAndPlan' ? `${a.type === 'sendBatch' ? 'send' : 'extract'}(${a.resource ?? '?'})` : a.type;
      const step = steps.get(key);
      if (step === undefined) steps.set(key, { n: 1, first: a.started, last: a.ended });
      else steps.set(key, { n: step.n + 1, first: Math.min(step.first, a.started), last: Math.max(step.last, a.ended) });
    }
    const rel = (ms: number): string => ((ms - run.opened) / 1000).toFixed(2);
    const parts = [...steps].sort((x, y) => x[1].first - y[1].first).map(([key, s]) => `${key}${s.n > 1 ? ` ×${s.n}` : ''} ${rel(s.first)}–${rel(s.last)}`);
    return `${run.category} ${((run.opened - t0) / 1000).toFixed(2)}–${((run.closed - t0) / 1000).toFixed(2)} s: ${parts.join('; ')}; no activity running ${(idleMs(run) / 1000).toFixed(2)} s`;
  });
}
