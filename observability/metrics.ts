/**
 * The Prometheus series a district's IT watches and alerts on. The worker counts what it does as it
 * does it (records, ODS requests, downloads); the API reads the state of things when scraped
 * (catalog sizes, queues, dependency backlogs, Data Changes, whether Postgres and Temporal answer).
 * Labels are profile ids, resource names, statuses and HTTP codes: never a record or a secret.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CatalogStatus } from '../publishing/outcome.js';
import { categoryOfEntity } from '../publishing/categories.js';

/** Every series of ours, by name: the Grafana dashboard and the alert rules use these (a test checks they exist). */
export const SERIES = {
  records: 'edx_records_total',
  odsRequestSeconds: 'edx_ods_request_duration_seconds',
  odsInFlight: 'edx_ods_requests_in_flight',
  odsConnectionLimit: 'edx_ods_connection_limit',
  downloaded: 'edx_download_records_total',
  catalogRecords: 'edx_catalog_records',
  dependencyWaiting: 'edx_dependency_waiting',
  dependencyOldestSeconds: 'edx_dependency_oldest_seconds',
  queueWaiting: 'edx_queue_waiting',
  queueOldestWaitSeconds: 'edx_queue_oldest_wait_seconds',
  queueRunningSeconds: 'edx_queue_running_seconds',
  queuePaused: 'edx_queue_paused',
  dataChangesPendingSeconds: 'edx_data_changes_pending_seconds',
  changesToOdsSeconds: 'edx_changes_to_ods_seconds',
  laneGaveWaySeconds: 'edx_lane_gave_way_seconds',
  up: 'edx_dependency_up',
} as const;

/** The media type Prometheus scrapes. */
export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** ODS answers within 30–70 ms when healthy; seconds mean a struggling ODS. */
const ODS_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** What the worker counts. One per worker process (tests make their own). */
export interface WorkerMetrics {
  readonly registry: Registry;
  /** Catalog outcomes written: each record's status after a send (or a withheld one). */
  outcomes(profileId: string, resource: string, statuses: Iterable<CatalogStatus>): void;
  /** One ODS request's answer (`status` 0: no answer — a network failure or timeout). */
  odsRequest(profileId: string, method: string, status: number, seconds: number): void;
  /** Where the requests in flight to each profile's ODS, and its Simultaneous Connections, are read when scraped. */
  watchConnections(read: () => Iterable<{ profile: string; inFlight: number; limit: number }>): void;
  downloaded(profileId: string, resource: string, records: number): void;
  /** A run that traced its changes ended well: the oldest of them was committed in the SIS this long ago. */
  changesReachedOds(profileId: string, resource: string, seconds: number): void;
  /** A batch or a streaming extract waited this long for the profile's dependency lane (activities/publishing/laneFirst.ts). */
  laneGaveWay(profileId: string, seconds: number): void;
}

/** Near-real-time changes land in seconds; a nightly or weekend run's in hours or days. */
const LAG_BUCKETS = [1, 2, 5, 10, 30, 60, 300, 900, 3_600, 4 * 3_600, 24 * 3_600, 3 * 24 * 3_600];

export function workerMetrics(registry = new Registry()): WorkerMetrics {
  // Process CPU, memory and event-loop lag: a worker starved of CPU sends slowly.
  collectDefaultMetrics({ register: registry });
  const records = new Counter({
    name: SERIES.records,
    help: 'Records written to the catalog after a send, by profile, resource and status (published, dependency, error, deleted, excluded).',
    labelNames: ['profile', 'resource', 'status'] as const,
    registers: [registry],
  });
  const seconds = new Histogram({
    name: SERIES.odsRequestSeconds,
    help: "Time for the profile's ODS to answer a request, by method and HTTP status (0: no answer).",
    labelNames: ['profile', 'method', 'status'] as const,
    buckets: ODS_BUCKETS,
    registers: [registry],
  });
  type Connections = { profile: string; inFlight: number; limit: number };
  let connections: () => Iterable<Connections> = () => [];
  /** A per-profile gauge read from the profiles' connections when scraped. */
  const connectionGauge = (name: string, help: string, value: (c: Connections) => number): void => {
    const g: Gauge<'profile'> = new Gauge({
      name,
      help,
      labelNames: ['profile'] as const,
      registers: [registry],
      collect() {
        g.reset();
        for (const c of connections()) g.set({ profile: c.profile }, value(c));
      },
    });
  };
  connectionGauge(SERIES.odsInFlight, "Requests in flight to the profile's ODS from this worker.", (c) => c.inFlight);
  connectionGauge(
    SERIES.odsConnectionLimit,
    'Simultaneous Connections, or with Adaptive Connections the limit found now: the most requests in flight to one ODS per worker.',
    (c) => c.limit,
  );
  const downloaded = new Counter({
    name: SERIES.downloaded,
    help: "Records read from the profile's ODS by downloads, by resource.",
    labelNames: ['profile', 'resource'] as const,
    registers: [registry],
  });
  const changesToOds = new Histogram({
    name: SERIES.changesToOdsSeconds,
    help: "SIS commit → ODS: per resource run that traced its changes and ended well, the seconds from its oldest change's commit to the run's end. Nightly categories' changes wait for the night by design.",
    // The category, so an alert can leave out the nightly ones.
    labelNames: ['profile', 'category', 'resource'] as const,
    buckets: LAG_BUCKETS,
    registers: [registry],
  });
  const gaveWay = new Histogram({
    name: SERIES.laneGaveWaySeconds,
    help: "Waits of a publish's batches and streaming extracts while the profile's dependency lane (a bulk wake) went first; each at most 10 s.",
    labelNames: ['profile'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return {
    registry,
    laneGaveWay(profile, s) {
      gaveWay.observe({ profile }, s);
    },
    changesReachedOds(profile, resource, s) {
      changesToOds.observe({ profile, category: categoryOfEntity(resource)?.id ?? 'none', resource }, s);
    },
    outcomes(profile, resource, statuses) {
      const n = new Map<CatalogStatus, number>();
      for (const s of statuses) n.set(s, (n.get(s) ?? 0) + 1);
      for (const [status, count] of n) records.inc({ profile, resource, status }, count);
    },
    odsRequest(profile, method, status, s) {
      seconds.observe({ profile, method, status: String(status) }, s);
    },
    watchConnections(read) {
      connections = read;
    },
    downloaded(profile, resource, n) {
      downloaded.inc({ profile, resource }, n);
    },
  };
}

/** What the API reads when scraped, per profile (undefined: that part could not be read). */
export interface ScrapedState {
  readonly catalog: ReadonlyArray<{ profile: string; schoolYear: number; resource: string; status: string; records: number }>;
  readonly dependency: ReadonlyArray<{ profile: string; waiting: number; oldestSeconds: number }>;
  readonly queues: ReadonlyArray<{ profile: string; waiting: number; oldestWaitSeconds: number; runningSeconds: number; paused: boolean }>;
  readonly dataChanges: ReadonlyArray<{ profile: string; pendingSeconds: number }>;
  readonly up: Readonly<Record<'database' | 'temporal' | 'worker', boolean>>;
}

/**
 * The API's registry: gauges filled from one read of the state at each scrape (`read`), so a
 * profile removed since the last scrape leaves no stale series behind.
 */
export function apiMetrics(read: () => Promise<ScrapedState>): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // One read per scrape: prom-client starts every gauge's collect at once, so they share the read in flight.
  let reading: Promise<ScrapedState> | undefined;
  const state = (): Promise<ScrapedState> => (reading ??= read().finally(() => (reading = undefined)));
  /** A gauge set from the scraped state: reset first, so a series that is gone (a removed profile) goes. */
  const gauge = <L extends string, T>(
    name: string,
    help: string,
    labelNames: readonly L[],
    rows: (s: ScrapedState) => Iterable<T>,
    set: (g: Gauge<L>, row: T) => void,
  ) => {
    const g: Gauge<L> = new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        const s = await state();
        g.reset();
        for (const row of rows(s)) set(g, row);
      },
    });
  };
  gauge(
    SERIES.catalogRecords,
    'Records in the catalog, by profile, school year, resource and status.',
    ['profile', 'school_year', 'resource', 'status'],
    (s) => s.catalog,
    (g, r) => g.set({ profile: r.profile, school_year: String(r.schoolYear), resource: r.resource, status: r.status }, r.records),
  );
  /** A gauge per profile: one value of each row. */
  const perProfile = <T extends { profile: string }>(name: string, help: string, rows: (s: ScrapedState) => readonly T[], value: (row: T) => number) =>
    gauge(name, help, ['profile'], rows, (g, r) => g.set({ profile: r.profile }, value(r)));
  const dependency = (s: ScrapedState) => s.dependency;
  const queues = (s: ScrapedState) => s.queues;
  perProfile(SERIES.dependencyWaiting, 'Records waiting in dependency (on a record they refer to), by profile.', dependency, (r) => r.waiting);
  perProfile(SERIES.dependencyOldestSeconds, 'How long the oldest record waiting in dependency has waited.', dependency, (r) => r.oldestSeconds);
  perProfile(SERIES.queueWaiting, "Publishes waiting in the profile's queue behind the running one.", queues, (r) => r.waiting);
  perProfile(SERIES.queueOldestWaitSeconds, 'How long the oldest waiting publish has waited (0: none waits).', queues, (r) => r.oldestWaitSeconds);
  perProfile(SERIES.queueRunningSeconds, 'How long the running publish has run (0: none runs).', queues, (r) => r.runningSeconds);
  perProfile(SERIES.queuePaused, 'The queue is paused: System Processing is off (Diagnostics).', queues, (r) => (r.paused ? 1 : 0));
  perProfile(
    SERIES.dataChangesPendingSeconds,
    "Age of the oldest SIS change Data Changes has not yet handed to the profile's queue (0: none waits).",
    (s) => s.dataChanges,
    (r) => r.pendingSeconds,
  );
  gauge(
    SERIES.up,
    'Whether what the exchange needs answers (1) or not (0): database, temporal, worker.',
    ['dependency'],
    (s) => Object.entries(s.up),
    (g, [dependency, ok]) => g.set({ dependency }, ok ? 1 : 0),
  );
  return registry;
}
