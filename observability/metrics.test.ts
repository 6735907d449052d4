import { describe, expect, it } from 'vitest';
import { apiMetrics, workerMetrics, type ScrapedState } from './metrics.js';

const state = (over: Partial<ScrapedState> = {}): ScrapedState => ({
  catalog: [{ profile: 'p1', schoolYear: 2025, resource: 'schools', status: 'published', records: 12 }],
  dependency: [{ profile: 'p1', waiting: 3, oldestSeconds: 90 }],
  queues: [{ profile: 'p1', waiting: 2, oldestWaitSeconds: 40, runningSeconds: 5, paused: false }],
  dataChanges: [{ profile: 'p1', pendingSeconds: 1.5 }],
  up: { database: true, temporal: true, worker: false },
  ...over,
});

describe('the worker metrics', () => {
  it('count catalog outcomes by profile, resource and status', async () => {
    const m = workerMetrics();
    m.outcomes('p1', 'schools', ['published', 'published', 'error']);
    m.outcomes('p1', 'schools', ['published']);
    const text = await m.registry.metrics();
    expect(text).toContain('edx_records_total{profile="p1",resource="schools",status="published"} 3');
    expect(text).toContain('edx_records_total{profile="p1",resource="schools",status="error"} 1');
  });

  it('time ODS answers by method and status, and read in-flight requests and the limit when scraped', async () => {
    const m = workerMetrics();
    m.odsRequest('p1', 'POST', 201, 0.04);
    m.odsRequest('p1', 'POST', 0, 30);
    let inFlight = 7;
    m.watchConnections(() => [{ profile: 'p1', inFlight, limit: 64 }]);
    let text = await m.registry.metrics();
    expect(text).toContain('edx_ods_request_duration_seconds_bucket{le="0.05",profile="p1",method="POST",status="201"} 1');
    expect(text).toContain('edx_ods_request_duration_seconds_count{profile="p1",method="POST",status="0"} 1');
    expect(text).toContain('edx_ods_requests_in_flight{profile="p1"} 7');
    expect(text).toContain('edx_ods_connection_limit{profile="p1"} 64');
    inFlight = 0;
    text = await m.registry.metrics();
    expect(text).toContain('edx_ods_requests_in_flight{profile="p1"} 0');
  });

  it("time the waits of a profile's batches behind its dependency lane", async () => {
    const m = workerMetrics();
    m.laneGaveWay('p1', 0.3);
    m.laneGaveWay('p1', 10);
    const text = await m.registry.metrics();
    expect(text).toContain('edx_lane_gave_way_seconds_bucket{le="0.5",profile="p1"} 1');
    expect(text).toContain('edx_lane_gave_way_seconds_count{profile="p1"} 2');
    expect(text).toContain('edx_lane_gave_way_seconds_sum{profile="p1"} 10.3');
  });
});

describe('the API metrics', () => {
  it('read the state once per scrape for every gauge', async () => {
    let reads = 0;
    const registry = apiMetrics(() => {
      reads++;
      return Promise.resolve(state());
    });
    const text = await registry.metrics();
    expect(reads).toBe(1);
    expect(text).toContain('edx_catalog_records{profile="p1",school_year="2025",resource="schools",status="published"} 12');
    expect(text).toContain('edx_dependency_waiting{profile="p1"} 3');
    expect(text).toContain('edx_dependency_oldest_seconds{profile="p1"} 90');
    expect(text).toContain('edx_queue_waiting{profile="p1"} 2');
    expect(text).toContain('edx_queue_oldest_wait_seconds{profile="p1"} 40');
    expect(text).toContain('edx_queue_paused{profile="p1"} 0');
    expect(text).toContain('edx_data_changes_pending_seconds{profile="p1"} 1.5');
    expect(text).toContain('edx_dependency_up{dependency="worker"} 0');
    await registry.metrics();
    expect(reads).toBe(2);
  });

  it('drop the series of a profile that is gone by the next scrape', async () => {
    let current = state();
    const registry = apiMetrics(() => Promise.resolve(current));
    expect(await registry.metrics()).toContain('edx_queue_waiting{profile="p1"}');
    current = state({ catalog: [], dependency: [], queues: [], dataChanges: [] });
    const text = await registry.metrics();
    expect(text).not.toContain('profile="p1"');
  });
});
