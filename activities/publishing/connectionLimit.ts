/**
 * How many requests a profile may have in flight (the connection limit) and its first-in-first-out
 * queue. Kept apart from shared.ts: the send thread loads it, and should load little else.
 */
import { onAnswer, startAdaptive, type AdaptiveState } from '../../publishing/adaptiveConcurrency.js';
import { loopLag, type LoopLag } from './loopLag.js';

/** The HTTP status of what a request answered (an ODS answer), or 200 for anything else it returned (a page read). */
const statusOf = (result: unknown): number =>
  typeof result === 'object' && result !== null && 'status' in result && typeof result.status === 'number' ? result.status : 200;

/**
 * First in, first out, each take O(1). A batch queues thousands of sends on the connection limit at
 * once, and `Array.shift` on an array that large copies what is left each time (the worker's CPU
 * profile of a Students publish: 2.5 s of 160 s in the limiter's wake).
 */
export class Fifo<T> {
  private items: Array<T | undefined> = [];
  private head = 0;
  get length(): number {
    return this.items.length - this.head;
  }
  push(item: T): void {
    this.items.push(item);
  }
  shift(): T | undefined {
    if (this.head === this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    // Taken slots are dropped once they are most of the array: memory stays bounded by what waits.
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}

/**
 * At most `n` requests in flight for one profile, across every batch this worker runs — or, when
 * `adaptive`, as many as the ODS takes well, `n` the most (publishing/adaptiveConcurrency.ts): each
 * answer (its status and time) moves the limit.
 */
export class Semaphore {
  private active = 0;
  private readonly queue = new Fifo<() => void>();
  /** Waiters served before `queue`: the dependency lane's records, whose blocker just published. */
  private readonly first = new Fifo<() => void>();
  private adaptive: AdaptiveState | undefined;
  private readonly lag: LoopLag | undefined;
  constructor(
    private readonly n: number,
    adaptive = false,
    lag: LoopLag = loopLag,
  ) {
    this.adaptive = adaptive ? startAdaptive(n) : undefined;
    this.lag = adaptive ? lag.start() : undefined;
  }
  /** Requests in flight now, and the most allowed now (the metrics and the run's progress read them). */
  get inFlight(): number {
    return this.active;
  }
  get size(): number {
    return this.adaptive?.limit ?? this.n;
  }
  async run<T>(fn: () => Promise<T>, ahead = false): Promise<T> {
    // A waiter is woken holding its slot (wake counts it): nothing can take the slot in between.
    if (this.active >= this.size) await new Promise<void>((resolve) => (ahead ? this.first : this.queue).push(resolve));
    else this.active++;
    const inFlight = this.active;
    const started = performance.now();
    const mark = this.lag?.mark();
    let status = 0;
    try {
      const result = await fn();
      status = statusOf(result);
      return result;
    } finally {
      this.active--;
      if (this.adaptive !== undefined) {
        // How long this thread's event loop was held meanwhile (loopLag.ts): a window of answers
        // slowed by the worker itself is not read as the ODS's strain.
        this.adaptive = onAnswer(this.adaptive, { status, ms: performance.now() - started, inFlight, heldMs: this.lag?.heldSince(mark ?? 0) ?? 0 });
      }
      this.wake();
    }
  }
  /** Hands free slots to waiters, as many as the limit (which may have grown) allows. */
  private wake(): void {
    while (this.active < this.size) {
      const next = this.first.shift() ?? this.queue.shift();
      if (next === undefined) return;
      this.active++;
      next();
    }
  }
}
