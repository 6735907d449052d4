/** Constants, types and small rules the publishing activities share. */
import { type Profile } from '../../db/entities/profile.js';
import type { OdsLane } from './odsLane.js';
import type { EdfiModel } from '../../edfi/model/types.js';
import { type PublishOption } from '../../publishing/categories.js';

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
  /** Now – Changes: resources nothing changed for since their last complete run, left out of `levels` (each read nothing). */
  readonly unchanged?: string[];
  /** Local descriptors met by earlier runs wait to be published (undefined: not asked, as earlier workers did not). */
  readonly descriptorsWaiting?: boolean;
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
  /** Its requests to the ODS, at most Simultaneous Connections at once (odsLane.ts). */
  readonly ods: OdsLane;
  readonly fingerprint: string;
  /** The profile and the others publishing to its ODS (db odsPeers), read with the profile: a record any of them published counts. */
  readonly peers: readonly string[];
}

/** How long a profile's settings read from the database serve the batches of a run. */
export const RUNTIME_FRESH_MS = 2_000;
