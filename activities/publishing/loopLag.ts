/**
 * How late this thread's event loop runs (the send thread's, where the limits live: sendThread.ts).
 * An ODS answer is timed when the thread gets to it: while its loop is held (a garbage collection,
 * the kernel running Postgres or the main thread's extract on the 2 cores), an answer that came
 * back on time looks slow. Adaptive connections leave a round alone when its
 * answers spent much of their time on this (publishing/adaptiveConcurrency.ts STALLED_SHARE), so
 * the worker's own stalls are not read as the ODS's strain.
 *
 * A timer due every few milliseconds notes how late it fires: their lateness summed over a request's
 * time is how long the loop was held meanwhile — at most what its answer waited to be handled.
 */
const TICK_MS = 5;
/** Lateness below this is a timer's ordinary jitter, not a held loop. */
const JITTER_MS = 2;

/** How late the loop had run in all when marked (ms). */
export type LagMark = number;

export class LoopLag {
  private late = 0;
  private timer: NodeJS.Timeout | undefined;
  private due = 0;

  /** Starts measuring (once; the timer does not keep the process alive). */
  start(): this {
    if (this.timer !== undefined) return this;
    this.due = performance.now() + TICK_MS;
    this.timer = setInterval(() => {
      const now = performance.now();
      const late = now - this.due;
      if (late > JITTER_MS) this.late += late;
      this.due = now + TICK_MS;
    }, TICK_MS);
    this.timer.unref();
    return this;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  mark(): LagMark {
    return this.late;
  }

  /** How long (ms) the loop was held since `mark`; 0 until a late tick has been handled. */
  heldSince(mark: LagMark): number {
    return this.late - mark;
  }
}

/** The thread's one probe, shared by every profile's adaptive limit on it. */
export const loopLag = new LoopLag();
