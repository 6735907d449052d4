/**
 * The worker's send thread, seen from its main thread: each profile's lane (odsLane.ts) forwards its
 * requests there and settles them from the answers. Answers used to wait behind whatever the main
 * thread was doing (an extract mapping rows, a batch's catalog writes, a garbage collection), and
 * each connection's next request waited with them: a Students publish spent 54 ms per POST on an
 * ODS answering in 50. On the thread, a connection's next request leaves as its answer arrives.
 *
 * One thread per process, started with the first lane. If it ever dies, its requests fail as network
 * failures (their records are errors with no answer, for Retry – Errors) and the next request starts
 * a fresh thread, every open lane opened on it again.
 */
import { Worker } from 'node:worker_threads';
import { context, type Context } from '@opentelemetry/api';
import { odsSpan, type ApiAnswer, type EdfiClientOptions, type Heard } from '../../edfi/client/api.js';
import { startAdaptive } from '../../publishing/adaptiveConcurrency.js';
import { LANE_CLOSED, type LaneRequest, type OdsLane } from './odsLane.js';

/** What the thread is told: a lane opened (with its client's options) or closed, a request on a lane. */
export type ToThread =
  | {
      readonly kind: 'open';
      readonly lane: number;
      readonly options: Omit<EdfiClientOptions, 'observe'>;
      readonly connections: number;
      readonly adaptive: boolean;
    }
  | { readonly kind: 'close'; readonly lane: number }
  | { readonly kind: 'request'; readonly lane: number; readonly id: number; readonly request: LaneRequest };

/** One HTTP exchange of a request: method, status (0: no answer), seconds, path, host, when it ended (epoch ms). */
export type Exchange = readonly [method: string, status: number, seconds: number, pathname: string, host: string, endMs: number];

/** A request's settlement, with the lane's limit after it and the request's exchanges (a resend after a 401 or 429 is one more). */
export interface FromThread {
  readonly id: number;
  readonly answer?: ApiAnswer | unknown[];
  readonly error?: { readonly name: string; readonly message: string };
  readonly size: number;
  readonly exchanges: readonly Exchange[];
}

class ThreadLane implements OdsLane {
  /** Requests asked and not yet settled: counted here, so the gauge is current between answers. */
  unsettled = 0;
  /** The most allowed in flight, as of the thread's last answer (adaptive connections move it there). */
  size: number;
  constructor(
    private readonly thread: SendThread,
    readonly opening: Extract<ToThread, { kind: 'open' }>,
    readonly observe: Heard | undefined,
  ) {
    this.size = opening.adaptive ? startAdaptive(opening.connections).limit : opening.connections;
  }
  /** In flight on the thread: what it was asked, less what waits there for a connection. */
  get inFlight(): number {
    return Math.min(this.unsettled, this.size);
  }
  post(resource: string, doc: Record<string, unknown> | string, ahead = false): Promise<ApiAnswer> {
    return this.thread.request(this, { kind: 'post', resource, doc, ahead }) as Promise<ApiAnswer>;
  }
  delete(resource: string, id: string): Promise<ApiAnswer> {
    return this.thread.request(this, { kind: 'delete', resource, id }) as Promise<ApiAnswer>;
  }
  page(resource: string, offset: number, limit: number, query: Record<string, string> = {}): Promise<unknown[]> {
    return this.thread.request(this, { kind: 'page', resource, offset, limit, query }) as Promise<unknown[]>;
  }
  close(): Promise<void> {
    this.thread.close(this);
    return Promise.resolve();
  }
}

interface Pending {
  readonly lane: ThreadLane;
  /** The context it was asked in (the activity's span, when traced): its exchanges' spans go under it. */
  readonly asked: Context;
  /** The thread it was sent to: only that thread's end fails it. */
  readonly on: Worker;
  readonly resolve: (answer: ApiAnswer | unknown[]) => void;
  readonly reject: (err: Error) => void;
}

export class SendThread {
  private worker: Worker | undefined;
  private nextLane = 0;
  private nextId = 0;
  private readonly lanes = new Map<number, ThreadLane>();
  private readonly pending = new Map<number, Pending>();
  /** What waits to cross to `outboxTo` once the current synchronous pass ends (`post`). */
  private outbox: ToThread[] = [];
  private outboxTo: Worker | undefined;

  /** A lane for one profile's client: `connections` at most in flight, adaptive or fixed. */
  lane(options: EdfiClientOptions, connections: number, adaptive: boolean): OdsLane {
    const { observe, ...cloneable } = options;
    const lane = new ThreadLane(this, { kind: 'open', lane: this.nextLane++, options: cloneable, connections, adaptive }, observe);
    this.lanes.set(lane.opening.lane, lane);
    this.post(this.running(), lane.opening);
    return lane;
  }

  request(lane: ThreadLane, request: LaneRequest): Promise<ApiAnswer | unknown[]> {
    if (!this.lanes.has(lane.opening.lane)) return Promise.reject(new Error(LANE_CLOSED));
    const id = this.nextId++;
    const on = this.running();
    return new Promise((resolve, reject) => {
      lane.unsettled++;
      this.pending.set(id, { lane, asked: context.active(), on, resolve, reject });
      this.post(on, { kind: 'request', lane: lane.opening.lane, id, request });
    });
  }

  /** A lane's requests under way finish; its client closes once they have. */
  close(lane: ThreadLane): void {
    if (!this.lanes.delete(lane.opening.lane) || this.worker === undefined) return;
    this.post(this.worker, { kind: 'close', lane: lane.opening.lane });
  }

  /**
   * Messages cross to the thread together, in the order asked: a batch asks for its 2,000 requests
   * in one synchronous pass, so they cross as one message when it ends (a microtask: nothing else
   * the main thread has to do comes first), not as 2,000 (measured, bench/sendThread.ts: each
   * crossing woke the other thread and cost both sides more than the request's own HTTP).
   */
  private post(worker: Worker, m: ToThread): void {
    if (this.outboxTo !== worker) {
      this.flush();
      this.outboxTo = worker;
    }
    this.outbox.push(m);
    if (this.outbox.length === 1) queueMicrotask(() => this.flush());
  }

  private flush(): void {
    const out = this.outbox;
    if (out.length === 0 || this.outboxTo === undefined) return;
    this.outbox = [];
    this.outboxTo.postMessage(out);
  }

  /** Stops the thread (a worker shutting down): what is still in flight fails as unanswered. */
  async stop(): Promise<void> {
    const worker = this.worker;
    if (worker === undefined) return;
    this.worker = undefined;
    this.failPending(worker, 'the worker is shutting down');
    this.dropOutbox(worker);
    await worker.terminate();
  }

  private running(): Worker {
    if (this.worker !== undefined) return this.worker;
    // A thread's entry loads before any --import of the process: the .mjs registers tsx for it.
    const worker = new Worker(new URL('./sendThread.boot.mjs', import.meta.url));
    // Nothing in flight keeps a process alive on the thread's account.
    worker.unref();
    worker.on('message', (settled: readonly FromThread[]) => {
      for (const m of settled) this.settle(m);
    });
    const ended = (why: string): void => {
      if (this.worker === worker) this.worker = undefined;
      this.failPending(worker, why);
      this.dropOutbox(worker);
    };
    worker.on('error', (err) => ended(`the send thread failed: ${err.message}`));
    worker.on('exit', () => ended('the send thread stopped'));
    this.worker = worker;
    for (const lane of this.lanes.values()) this.post(worker, lane.opening);
    return worker;
  }

  private settle(m: FromThread): void {
    const p = this.pending.get(m.id);
    if (p === undefined) return;
    this.pending.delete(m.id);
    p.lane.unsettled--;
    p.lane.size = m.size;
    for (const [method, status, seconds, pathname, host, endMs] of m.exchanges) {
      p.lane.observe?.(method, status, seconds, { pathname, host });
      odsSpan(method, { pathname, host }, status, endMs - seconds * 1000, endMs, p.asked);
    }
    if (m.error === undefined) p.resolve(m.answer!);
    else p.reject(Object.assign(new Error(m.error.message), { name: m.error.name }));
  }

  /** What had not crossed to a thread that ended: its requests were failed with the rest. */
  private dropOutbox(worker: Worker): void {
    if (this.outboxTo !== worker) return;
    this.outbox = [];
    this.outboxTo = undefined;
  }

  private failPending(worker: Worker, why: string): void {
    for (const [id, p] of this.pending) {
      if (p.on !== worker) continue;
      this.pending.delete(id);
      p.lane.unsettled--;
      p.reject(new Error(why));
    }
  }
}

/** The worker's one send thread. */
export const sendThread = new SendThread();
