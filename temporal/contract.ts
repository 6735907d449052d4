/**
 * The messages workflows answer and the inputs they start with: signals, queries and updates, each
 * typed once so a sender and its handler cannot disagree. Safe to import from workflow code (no I/O).
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { PublishRequest, PublishScope } from '../publishing/publishRequest.js';
import type { InitialSyncSkip, InitialSyncStep } from '../publishing/initialSync.js';
import type { Deferral, VolumeBuckets } from '../publishing/dataChanges.js';
import type { CategoryProgress } from '../publishing/progress.js';
import type { DownloadCategory } from '../publishing/downloads.js';
import type { ScheduleKind } from '../publishing/schedules.js';

// ── publish queue (`publish-queue/{profileId}`) ──────────────────────────────────────────────

export interface QueueItem {
  readonly ticket: number;
  readonly request: PublishRequest;
  readonly enqueuedAt: string;
  /** The child workflow that runs (or will run) this item. */
  readonly workflowId: string;
}

export interface FinishedItem {
  readonly ticket: number;
  readonly workflowId: string;
  readonly category: string;
  readonly outcome: 'completed' | 'failed';
  readonly detail?: string;
  /** The entities a completed run did not publish, and why (the dashboard shows them on the category's row). */
  readonly skipped?: ReadonlyArray<{ readonly resource: string; readonly why: string }>;
  readonly finishedAt: string;
  /** What was asked (the queue's list shows it after the run too). */
  readonly option?: string;
  readonly schoolYear?: number;
  /** The OpenTelemetry trace of the request that queued it, when it was traced. */
  readonly traceId?: string;
}

export interface RejectedSignal {
  readonly request: unknown;
  readonly reason: string;
  readonly at: string;
}

export interface QueueView {
  readonly profileId: string;
  /** `childStarted` turns true once the child workflow exists (signals and links to it work). */
  readonly running: (QueueItem & { readonly startedAt: string; readonly childStarted: boolean }) | undefined;
  /** The dependency lane: the sweeper's Now – Dependencies of another category, running beside `running`. */
  readonly beside?: QueueItem & { readonly startedAt: string; readonly childStarted: boolean };
  readonly waiting: readonly QueueItem[];
  readonly recent: readonly FinishedItem[];
  /** Signals that could not be queued (signals cannot answer), newest last. */
  readonly rejected: readonly RejectedSignal[];
  /** True while system processing is off: nothing new starts. */
  readonly paused: boolean;
}

export interface EnqueueResult {
  readonly ticket: number;
  readonly workflowId: string;
  /** 0 = running now, 1 = next, … */
  readonly position: number;
  /** True when the same work was already waiting: nothing new was queued. */
  readonly duplicate: boolean;
}

export interface PublishQueueInput {
  readonly profileId: string;
  readonly waiting?: readonly QueueItem[];
  readonly nextTicket?: number;
  readonly recent?: readonly FinishedItem[];
  readonly rejected?: readonly RejectedSignal[];
  /** Diagnostics' "Enable System Processing" off: the queue holds; running work finishes. */
  readonly paused?: boolean;
  /** Continue-as-new once history passes this many events (Temporal also suggests it on its own). */
  readonly historyEventLimit?: number;
}

export const enqueueSignal = defineSignal<[PublishRequest]>('enqueue');
export const enqueueUpdate = defineUpdate<EnqueueResult, [PublishRequest]>('enqueuePublish');
export const queueQuery = defineQuery<QueueView>('queue');
/** Diagnostics: false holds the queue (the running item finishes), true lets it go on. */
export const setProcessingSignal = defineSignal<[boolean]>('setProcessing');
/** What `dismiss` took off the queue: a publish still waiting, or a failed run's entry. */
export type Dismissed = 'waiting' | 'failed';
/** Takes a waiting publish off the queue, or dismisses a failed run's entry; refused for anything else. */
export const dismissUpdate = defineUpdate<Dismissed, [number]>('dismiss');

// ── category publish (`publish/{profileId}/{year}/{category}/{ticket}`) ──────────────────────

export interface CategoryPublishInput extends PublishRequest {
  readonly profileId: string;
  readonly ticket: number;
}

/** The dashboard's running state — processing (extracting and planning) or publishing (sending) —, batches sent of all, and the counts over time (its progress chart). */
export const categoryProgressQuery = defineQuery<CategoryProgress>('progress');

/**
 * From a resource's extract (extractAndPlan) to its category run: batches 0..`batches`-1 of its
 * plan are ready to send while the rest is still read. Only a resource nothing was published of
 * yet streams (all posts, no deletes); `attempt` tells a retried extract's batches from an
 * earlier attempt's.
 */
export interface BatchesPlanned {
  readonly resource: string;
  readonly attempt: number;
  readonly batches: number;
}
export const batchesPlannedSignal = defineSignal<[BatchesPlanned]>('batchesPlanned');

// ── downloads (`download/{profileId}/{year}`) ────────────────────────────────────────────────

export interface DownloadInput {
  readonly profileId: string;
  readonly schoolYear: number;
  readonly categories?: DownloadCategory[];
}

export const requestDownloadSignal = defineSignal<[DownloadCategory]>('requestDownload');
/** Stops the running category (what it downloaded stays; nothing is marked gone) and drops the waiting ones. */
export const stopDownloadSignal = defineSignal('stopDownload');
export const downloadQueueQuery = defineQuery<{ running: DownloadCategory | undefined; waiting: DownloadCategory[] }>('downloads');

// ── record actions and resync ────────────────────────────────────────────────────────────────

export interface RecordActionInput {
  readonly profileId: string;
  readonly schoolYear: number;
  readonly resource: string;
  readonly sourceKey: string;
  readonly action: 'publish' | 'delete';
}

export interface ResyncInput {
  readonly profileId: string;
  readonly schoolYear: number;
  readonly category: string;
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

export type ResyncResult = Array<{ readonly resource: string } & ResyncCounts>;

// ── schedules (`nightly/{profileId}`, `weekend/{profileId}`) ─────────────────────────────────

export interface ScheduledSyncInput {
  readonly profileId: string;
  readonly kind: ScheduleKind;
}

// ── records in dependency ────────────────────────────────────────────────────────────────────

export interface DependencyRetriesInput {
  readonly profileId: string;
}

/** Something came due early (a blocker published) or joined the timetable: the sweeper looks again now. */
export const wakeDependencyRetriesSignal = defineSignal('wake');

/** For the per-record workflow of earlier versions: a record it waits for has published, try now. */
export const blockerPublishedSignal = defineSignal('blockerPublished');

// ── initial synchronization (`initial-sync/{profileId}/{year}`) ─────────────────────────────

export interface InitialSyncInput {
  readonly profileId: string;
  readonly schoolYear: number;
  /** The district, or one school (the three catalogs go district-wide either way). */
  readonly scope: PublishScope;
  /** Turn the profile's Data Changes on at the end (else the result proposes it). */
  readonly turnOnDataChanges: boolean;
  readonly requestedBy: string;
}

export type InitialSyncStepState = 'waiting' | 'running' | 'completed' | 'failed';

export interface InitialSyncStepView extends InitialSyncStep {
  state: InitialSyncStepState;
  /** The category run's workflow, once queued. */
  workflowId?: string;
  published?: number;
  dependency?: number;
  error?: number;
  detail?: string;
}

export interface InitialSyncProgress {
  state: 'planning' | 'running' | 'paused' | 'completed' | 'stopped' | 'cancelled';
  /** The step running or next (1-based), of `steps.length`. */
  current: number;
  steps: InitialSyncStepView[];
  skipped: InitialSyncSkip[];
  /** What happened to Data Changes at the end, or what to do. */
  dataChanges?: string;
  /** Why it stopped (a category that failed), and what to do. */
  detail?: string;
}

export const initialSyncQuery = defineQuery<InitialSyncProgress>('initialSync');
/** true pauses before the next category (the running one finishes), false resumes. */
export const pauseInitialSyncSignal = defineSignal<[boolean]>('pause');

// ── near-real-time Data Changes (`data-changes/{profileId}`) ────────────────────────────────

export interface DataChangesInput {
  readonly profileId: string;
  /** The newest SIS event already handed to the queue (carried across continue-as-new). */
  readonly afterEventId?: number;
  readonly volume?: VolumeBuckets;
  readonly deferred?: readonly Deferral[];
}

export interface DataChangesView {
  state: 'starting' | 'listening' | 'paused' | 'stopped';
  /** Why it is paused or stopped. */
  why?: string;
  /** The newest SIS event handed to the publish queue. */
  afterEventId?: number;
  /** Categories whose changes wait for the nightly run, with why and until when. */
  deferred: Deferral[];
  /** The categories the last batch of changes queued, and when (ISO). */
  lastQueued?: { at: string; categories: string[] };
}

export const dataChangesQuery = defineQuery<DataChangesView>('dataChanges');

// ── the workflows started from outside a workflow ────────────────────────────────────────────

/**
 * What the API, schedules and activities start, by registered name and signature. Clients start
 * them through this (`client.workflow.start<Workflows['resync']>('resync', …)`), so the arguments
 * are checked at compile time without importing workflow code — activities importing workflows
 * would close a loop with the workflows' `proxyActivities<Activities>`. `contract.test.ts` checks
 * the worker registers each under this name with this signature. (A workflow starting a child
 * passes the child's function itself.)
 */
export interface Workflows {
  readonly publishQueue: (input: PublishQueueInput) => Promise<void>;
  readonly download: (input: DownloadInput) => Promise<void>;
  readonly recordAction: (input: RecordActionInput) => Promise<string>;
  readonly resync: (input: ResyncInput) => Promise<ResyncResult>;
  readonly dependencyRetries: (input: DependencyRetriesInput) => Promise<void>;
  readonly scheduledSync: (input: ScheduledSyncInput) => Promise<string[]>;
  readonly initialSync: (input: InitialSyncInput) => Promise<InitialSyncProgress>;
  readonly dataChanges: (input: DataChangesInput) => Promise<string>;
}

export type WorkflowName = keyof Workflows;

export const WORKFLOW_NAMES = [
  'publishQueue',
  'download',
  'recordAction',
  'resync',
  'dependencyRetries',
  'scheduledSync',
  'initialSync',
  'dataChanges',
] as const satisfies readonly WorkflowName[];
// Every workflow in the contract is in the list the test walks.
const _everyNameListed: Record<Exclude<WorkflowName, (typeof WORKFLOW_NAMES)[number]>, never> = {};
void _everyNameListed;
