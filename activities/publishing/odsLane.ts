/**
 * A profile's requests to its ODS: every POST, DELETE and page read a publish makes, at most the
 * profile's Simultaneous Connections at once (adaptive connections may allow fewer). The worker
 * sends them on a thread of its own (sendThread.ts), so a connection's next request goes out the
 * moment its answer comes, not when the worker's main thread is next free of an extract.
 */
import type { ApiAnswer, EdfiClient, Heard } from '../../edfi/client/api.js';
import type { Semaphore } from './connectionLimit.js';

/** Why a request on a closed lane (its profile's settings changed) was not sent. */
export const LANE_CLOSED = "not sent: the profile's ODS connection settings changed meanwhile (its key, URL or connection count)";

export interface OdsLane {
  /** POSTs a document, or its JSON text as staged. `ahead`: a woken record takes the next free connection before the running category's. */
  post(resource: string, doc: Record<string, unknown> | string, ahead?: boolean): Promise<ApiAnswer>;
  delete(resource: string, id: string): Promise<ApiAnswer>;
  /** One page of a collection (EdfiClient.page). */
  page(resource: string, offset: number, limit: number, query?: Record<string, string>): Promise<unknown[]>;
  /** Requests in flight now, and the most allowed now: the metrics and the run's progress read them. */
  readonly inFlight: number;
  readonly size: number;
  close(): Promise<void>;
}

/** One request as it crosses to the send thread. */
export type LaneRequest =
  | { readonly kind: 'post'; readonly resource: string; readonly doc: Record<string, unknown> | string; readonly ahead: boolean }
  | { readonly kind: 'delete'; readonly resource: string; readonly id: string }
  | { readonly kind: 'page'; readonly resource: string; readonly offset: number; readonly limit: number; readonly query: Record<string, string> };

/** The requests of one profile sent from the thread that holds them: its API client under its connection limit. */
export class LoopLane implements OdsLane {
  constructor(
    private readonly client: EdfiClient,
    private readonly limit: Semaphore,
  ) {}

  /** `heard`: told of the request's exchanges (a resend after a 401 or 429 is one more). */
  request(r: LaneRequest, heard?: Heard): Promise<ApiAnswer | unknown[]> {
    switch (r.kind) {
      case 'post':
        return this.post(r.resource, r.doc, r.ahead, heard);
      case 'delete':
        return this.delete(r.resource, r.id, heard);
      case 'page':
        return this.page(r.resource, r.offset, r.limit, r.query, heard);
    }
  }

  post(resource: string, doc: Record<string, unknown> | string, ahead = false, heard?: Heard): Promise<ApiAnswer> {
    return this.limit.run(() => (typeof doc === 'string' ? this.client.postText(resource, doc, heard) : this.client.post(resource, doc, heard)), ahead);
  }

  delete(resource: string, id: string, heard?: Heard): Promise<ApiAnswer> {
    return this.limit.run(() => this.client.delete(resource, id, heard));
  }

  page(resource: string, offset: number, limit: number, query: Record<string, string> = {}, heard?: Heard): Promise<unknown[]> {
    return this.limit.run(() => this.client.page(resource, offset, limit, query, heard));
  }

  get inFlight(): number {
    return this.limit.inFlight;
  }

  get size(): number {
    return this.limit.size;
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
