/**
 * Adaptive connections: how many requests one ODS gets at once, found while publishing instead of
 * guessed. Simultaneous Connections is the ceiling; the limit starts low and doubles every window
 * of answers (slow start) until the ODS shows strain, then grows by one per window and backs off
 * multiplicatively (AIMD, as TCP does) when the ODS answers 5xx or 429, gives no answer, or its
 * latency grows well past what it was when unloaded. A window is as many answers as the limit:
 * about one round trip of every connection.
 */

/** The fewest requests in flight the limit goes down to. */
export const ADAPTIVE_FLOOR = 4;
/** Where the limit starts (or the ceiling, when lower). */
export const ADAPTIVE_START = 8;
/** A window whose mean latency exceeds the unloaded one by this factor is strain. */
export const LATENCY_TOLERANCE = 1.5;
/** …and by this much at least (ms): a fast ODS's few milliseconds of jitter are no strain. */
export const LATENCY_SLACK_MS = 20;
/** What the limit keeps after an overload answer (5xx, 429, no answer). */
export const OVERLOAD_BACKOFF = 0.8;
/** What the limit keeps after a window of grown latency. */
export const LATENCY_BACKOFF = 0.9;
/**
 * How far the unloaded latency moves toward a slower window (a slower resource mix, a busier ODS
 * for good): a little each window, so it follows a lasting change but not a burst of strain.
 */
export const BASELINE_DRIFT = 0.05;
/**
 * A window whose answers waited this share of their time on the worker itself (its event loop
 * held: an extract, a garbage collection, the machine's other processes) says nothing about the ODS:
 * it neither backs off nor grows nor moves the unloaded latency. Measured on a Students publish: at a
 * category's start answers took ~100 ms, half of it the worker's own, and the limit fell from 64 to 21.
 */
export const STALLED_SHARE = 0.15;

export interface AdaptiveState {
  readonly ceiling: number;
  readonly limit: number;
  /** Doubling each window until the first sign of strain. */
  readonly slowStart: boolean;
  /** The lowest mean latency seen (ms), drifting slowly toward what the ODS answers now. */
  readonly baselineMs: number | undefined;
  /** The window being counted: answers, their summed latency and time the worker's loop was held meanwhile, the most in flight at once, whether it already backed off. */
  readonly answers: number;
  readonly sumMs: number;
  readonly heldMs: number;
  readonly busiest: number;
  readonly backedOff: boolean;
}

export function startAdaptive(ceiling: number): AdaptiveState {
  const top = Math.max(1, Math.floor(ceiling));
  return {
    ceiling: top,
    limit: Math.min(top, ADAPTIVE_START),
    slowStart: true,
    baselineMs: undefined,
    answers: 0,
    sumMs: 0,
    heldMs: 0,
    busiest: 0,
    backedOff: false,
  };
}

/** An answer that says the ODS is overloaded: a 5xx, a 429, or none at all (status 0). */
export function isOverload(status: number): boolean {
  return status === 0 || status === 429 || status >= 500;
}

const clamp = (s: AdaptiveState, limit: number): number => Math.max(Math.min(ADAPTIVE_FLOOR, s.ceiling), Math.min(s.ceiling, Math.floor(limit)));
const newWindow = { answers: 0, sumMs: 0, heldMs: 0, busiest: 0, backedOff: false } as const;

/** An overload answer backs off at once, once per window (the rest of a burst of 503s is the same strain). */
export function onOverload(s: AdaptiveState): AdaptiveState {
  if (s.backedOff) return s;
  return { ...s, limit: clamp(s, s.limit * OVERLOAD_BACKOFF), slowStart: false, ...newWindow, backedOff: true };
}

/** The unloaded latency after a window with this mean: the lower at once, a higher one only by a drift. */
export function nextBaseline(baselineMs: number | undefined, meanMs: number): number {
  if (baselineMs === undefined || meanMs < baselineMs) return meanMs;
  return baselineMs + (meanMs - baselineMs) * BASELINE_DRIFT;
}

/**
 * A full window: latency grown past the tolerance backs off; otherwise the limit grows — but only
 * when the window used it (requests waited for a connection), so a quiet run does not climb to the
 * ceiling on no evidence.
 */
export function onWindow(s: AdaptiveState): AdaptiveState {
  if (s.heldMs > s.sumMs * STALLED_SHARE) return { ...s, ...newWindow };
  const meanMs = s.answers > 0 ? s.sumMs / s.answers : 0;
  const baselineMs = nextBaseline(s.baselineMs, meanMs);
  if (s.baselineMs !== undefined && meanMs > s.baselineMs * LATENCY_TOLERANCE && meanMs > s.baselineMs + LATENCY_SLACK_MS)
    return { ...s, limit: clamp(s, s.limit * LATENCY_BACKOFF), slowStart: false, baselineMs, ...newWindow };
  const used = s.busiest >= s.limit;
  const limit = !used ? s.limit : s.slowStart ? s.limit * 2 : s.limit + 1;
  return { ...s, limit: clamp(s, limit), slowStart: s.slowStart && limit < s.ceiling, baselineMs, ...newWindow };
}

/**
 * One answer: its status, how long it took, how many requests were in flight when it was sent (with
 * itself), and how long the worker's event loop was held meanwhile (`heldMs`, 0 when unmeasured).
 * Answers that failed are not timed: a fast 503 is no sign of health.
 */
export function onAnswer(s: AdaptiveState, answer: { status: number; ms: number; inFlight: number; heldMs?: number }): AdaptiveState {
  if (isOverload(answer.status)) return onOverload(s);
  const next = {
    ...s,
    answers: s.answers + 1,
    sumMs: s.sumMs + answer.ms,
    heldMs: s.heldMs + Math.min(answer.heldMs ?? 0, answer.ms),
    busiest: Math.max(s.busiest, answer.inFlight),
  };
  return next.answers >= Math.max(ADAPTIVE_FLOOR, s.limit) ? onWindow(next) : next;
}
