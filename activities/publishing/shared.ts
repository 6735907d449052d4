/** Constants, types and small rules the publishing activities share. */
import { type Profile } from '../../db/entities/profile.js';
import type { EdfiClient } from '../../edfi/client/api.js';
import type { EdfiModel } from '../../edfi/model/types.js';
import { type PublishOption } from '../../publishing/categories.js';

/** Records per batch: one activity's worth. */
export const BATCH_SIZE = 2000;
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
}

export interface CategoryPlan {
  /** Why nothing can be published (a configuration to fix). */
  readonly refused?: string;
  /** Resources in publish order: each level after the ones before it, a level's resources side by side. */
  readonly levels: string[][];
  readonly skipped: Array<{ resource: string; why: string }>;
  /** The Descriptors category: local descriptors only. */
  readonly descriptors: boolean;
}

/** What a resync did to one resource: forgot what the ODS lost, deleted what the SIS no longer sends and the district's strays. */
export interface ResyncCounts {
  /** Catalog records the ODS lost, forgotten (the next Now – Changes sends them again). */
  readonly dropped: number;
  /** Records the SIS no longer sends (excluded or removed), deleted from the ODS. */
  readonly leftSis: number;
  /** The district's ODS records nothing in the catalog matches, deleted. */
  readonly deleted: number;
  readonly errors: number;
}

export interface BatchSummary {
  readonly published: number;
  readonly dependency: number;
  readonly error: number;
  readonly deleted: number;
  readonly forgotten: number;
}

export interface ProfileRuntime {
  readonly profile: Profile;
  readonly model: EdfiModel;
  readonly client: EdfiClient;
  readonly fingerprint: string;
  readonly limit: Semaphore;
}

/** At most `n` requests in flight for one profile, across every batch this worker runs. */
export class Semaphore {
  private active = 0;
  private readonly queue: Array<() => void> = [];
  constructor(private readonly n: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.n) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.queue.shift()?.();
    }
  }
}

/** The catalog names a record by the dashboard's entity name (Appendix A): the resource path without its project. */
export function catalogName(resourcePath: string): string {
  return resourcePath.slice(resourcePath.indexOf('/') + 1);
}

/** A document the model refuses: a computed error naming the field, never a round trip to the API. */
export function notSent(problem: string): string {
  return `Not sent: ${problem}. Correct it in the SIS, then run Now – Errors.`;
}

/** "Calendar Record: …" — the guide's dependency wording for a reference not yet published. */
export function referenceDependency(model: EdfiModel, ref: { property: string; target: string }): string {
  const entity = model.resource(ref.target)?.entity ?? ref.target.split('/').pop() ?? ref.target;
  return `${entity} Record: the referenced ${entity} (${ref.property}) has not been published yet. It is retried automatically once it is; if it is not published, check its category for dependencies or errors.`;
}

/** How long a profile's settings read from the database serve the batches of a run. */
export const RUNTIME_FRESH_MS = 2_000;
