/** Constants, types and small rules the publishing activities share. */
import { type Profile } from '../../db/entities/profile.js';
import type { EdfiClient } from '../../edfi/client/api.js';
import type { EdfiModel } from '../../edfi/model/types.js';
import { type PublishOption } from '../../publishing/categories.js';
import { onAnswer, startAdaptive, type AdaptiveState } from '../../publishing/adaptiveConcurrency.js';
import { loopLag, type LoopLag } from './loopLag.js';

/** Records per batch: one activity's worth. */
export const BATCH_SIZE = 2000;

/** Whole milliseconds since `t` (a `performance.now()`), as the run's log lines give step times. */
export const msSince = (t: number): number => Math.round(performance.now() - t);
/** Records extracted again whole per query in Now – Changes' second pass. */
export const RESTAGE_CHUNK = 5_000;
/** The ODS/API's largest page (`limit`), for reading what the ODS holds. */
export const ODS_PAGE = 500;
/** Events read per query while tracing Now – Changes. */
export const EVENT_PAGE = 10_000;
/** More relevant events than this since the last complete run: extracting everything is the cheaper way. */
export const MOST_EVENTS = 250_000;
/** Changed keys per tracing query. */
export const TRACE_CHUNK = 10_000;

/** How a run read the SIS for one resource: only what the event queue says changed, or all of it (and why). */
export type { Extraction } from '../../publishing/extraction.js';

export interface EntityRun {
  /** This entity's run id: `{workflowId}/{runId}:{resource}`. */
  readonly runId: string;
  readonly profileId: string;
  readonly schoolYear: number;
  readonly resource: string;
  readonly option: PublishOption;
  /** SIS school id of the dashboard's school context; the district when undefined. */
  readonly schoolId?: string | undefined;
  /** The sweeper's bulk wake (Now – Dependencies): only the records whose known blocker has published. */
  readonly readyOnly?: true;
}

export interface CategoryPlan {
  /** Why nothing can be published (a configuration to fix). */
  readonly refused?: string;
  /** Resources in publish order: each level after the ones before it, a level's resources side by side. */
  readonly levels: string[][];
  /** Entities not sent, and why; `inactive`: the profile's type or settings leave them out (publishing/profileScope.ts). */
  readonly skipped: Array<{ resource: string; why: string; inactive?: boolean }>;
  /** The Descriptors category: local descriptors only. */
  readonly descriptors: boolean;
  /** Now – Changes with nothing changed for any of these resources: the run ends here (activities/publishing/quiet.ts). */
  readonly quiet?: string[];
}

export interface BatchSummary {
  readonly published: number;
  readonly dependency: number;
  readonly error: number;
  readonly deleted: number;
  readonly forgotten: number;
  /** Requests the ODS was allowed at once when the batch ended (adaptive connections move it): the run's progress shows it over time. */
  readonly connections?: number;
}

export interface ProfileRuntime {
  readonly profile: Profile;
  readonly model: EdfiModel;
  readonly client: EdfiClient;
  readonly fingerprint: string;
  readonly limit: Semaphore;
  /** The profile and the others publishing to its ODS (db odsPeers), read with the profile: a record any of them published counts. */
  readonly peers: readonly string[];
}

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
        // How long this worker's event loop was held meanwhile (loopLag.ts): a window of answers
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

/** How long a profile's settings read from the database serve the batches of a run. */
export const RUNTIME_FRESH_MS = 2_000;
