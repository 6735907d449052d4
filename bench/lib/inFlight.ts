/**
 * Where a latency-bound publish loses rate against the plain generator: the worker's requests in
 * flight and its POSTs' mean duration, read from its `/metrics` every 100 ms while `work` runs. A
 * ratio below 1 is either fewer requests in flight than the connections (the stretches with none
 * are listed) or each one taking longer than the ODS's latency.
 */
import { freePort } from '../../scripts/stack/ports.js';

export interface InFlightSample {
  /** Seconds since the start. */
  readonly t: number;
  readonly inFlight: number;
  /** The most allowed in flight then (adaptive connections move it; the setting when fixed). */
  readonly limit: number;
  /** The worker's POST durations so far: summed seconds and count. */
  readonly sum: number;
  readonly count: number;
}

export interface InFlightReport {
  readonly meanInFlight: number;
  /**
   * From the first sample with a request in flight to the last: when they are seen (seconds) and the
   * mean in flight between, so a shortfall shows as a late start or as a pipe not kept full.
   */
  readonly sending: { readonly from: number; readonly to: number; readonly meanInFlight: number } | undefined;
  /** Mean POST duration over the work (ms). */
  readonly meanMs: number;
  /** Stretches (from, to seconds) with nothing in flight. */
  readonly idle: ReadonlyArray<readonly [number, number]>;
  /** The connection limit sampled: its lowest and its time-weighted mean. */
  readonly lowestLimit: number;
  readonly meanLimit: number;
}

/** Sets WORKER_METRICS_ADDRESS for the worker the bench starts next; answers where to read it. */
export async function serveWorkerMetrics(): Promise<string> {
  const port = await freePort();
  process.env.WORKER_METRICS_ADDRESS = `127.0.0.1:${port}`;
  return `http://127.0.0.1:${port}/metrics`;
}

async function sample(metricsUrl: string, profile: string, t0: number): Promise<InFlightSample | undefined> {
  const text = await (await fetch(metricsUrl)).text();
  const m = new RegExp(`^edx_ods_requests_in_flight\\{[^}]*profile="${profile}"[^}]*\\} (\\d+)`, 'm').exec(text);
  if (m === null) return undefined;
  const limit = new RegExp(`^edx_ods_connection_limit\\{[^}]*profile="${profile}"[^}]*\\} (\\d+)`, 'm').exec(text);
  let sum = 0;
  let count = 0;
  for (const line of text.split('\n')) {
    if (!line.includes('method="POST"') || !line.includes(`profile="${profile}"`)) continue;
    if (line.startsWith('edx_ods_request_duration_seconds_sum{')) sum += Number(line.split(' ').pop());
    if (line.startsWith('edx_ods_request_duration_seconds_count{')) count += Number(line.split(' ').pop());
  }
  return { t: (performance.now() - t0) / 1000, inFlight: Number(m[1]), limit: limit === null ? NaN : Number(limit[1]), sum, count };
}

/** What the samples say: the time-weighted mean in flight, the mean POST time, the idle stretches. */
export function inFlightReport(samples: readonly InFlightSample[]): InFlightReport {
  let weighted = 0;
  let limitWeighted = 0;
  const idle: Array<[number, number]> = [];
  for (let i = 0; i + 1 < samples.length; i++) {
    const a = samples[i];
    const b = samples[i + 1];
    weighted += a.inFlight * (b.t - a.t);
    limitWeighted += a.limit * (b.t - a.t);
    if (a.inFlight === 0) {
      const last = idle.at(-1);
      if (last !== undefined && Math.abs(last[1] - a.t) < 1e-9) last[1] = b.t;
      else idle.push([a.t, b.t]);
    }
  }
  const busy = samples.flatMap((x, i) => (x.inFlight > 0 ? [i] : []));
  const [i0, i1] = [busy[0], busy.at(-1)];
  let busyWeighted = 0;
  if (i0 !== undefined && i1 !== undefined) for (let i = i0; i < i1; i++) busyWeighted += samples[i].inFlight * (samples[i + 1].t - samples[i].t);
  const sending =
    i0 !== undefined && i1 !== undefined && i1 > i0
      ? { from: samples[i0].t, to: samples[i1].t, meanInFlight: busyWeighted / (samples[i1].t - samples[i0].t) }
      : undefined;
  const first = samples[0];
  const last = samples.at(-1);
  const span = first !== undefined && last !== undefined ? last.t - first.t : 0;
  const answers = first !== undefined && last !== undefined ? last.count - first.count : 0;
  return {
    meanInFlight: span > 0 ? weighted / span : 0,
    sending,
    meanMs: answers > 0 ? ((last!.sum - first.sum) * 1000) / answers : 0,
    idle,
    lowestLimit: Math.min(...samples.map((x) => x.limit)),
    meanLimit: span > 0 ? limitWeighted / span : NaN,
  };
}

/** Runs `work` while sampling; its result and the report. */
export async function watchInFlight<T>(metricsUrl: string, profile: string, work: () => Promise<T>): Promise<{ result: T; report: InFlightReport }> {
  const t0 = performance.now();
  const samples: InFlightSample[] = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const s = await sample(metricsUrl, profile, t0).catch(() => undefined);
      if (s !== undefined) samples.push(s);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  try {
    return { result: await work(), report: inFlightReport(samples) };
  } finally {
    sampling = false;
    await sampler;
  }
}

/** `in flight 62.2 of 64 on average; POSTs 53.7 ms; nothing in flight 3.8 s (0.0–0.7, …)` */
export function formatInFlight(r: InFlightReport, connections: number): string {
  const idleSeconds = r.idle.reduce((s, [a, b]) => s + (b - a), 0);
  const stretches = r.idle
    .filter(([a, b]) => b - a >= 0.15)
    .map(([a, b]) => `${a.toFixed(1)}–${b.toFixed(1)}`)
    .join(', ');
  const sending =
    r.sending !== undefined
      ? `; from the first request seen in flight (${r.sending.from.toFixed(1)} s) to the last (${r.sending.to.toFixed(1)} s) ${r.sending.meanInFlight.toFixed(1)} on average`
      : '';
  return `in flight ${r.meanInFlight.toFixed(1)} of ${connections} on average (the limit ${r.meanLimit.toFixed(1)} on average, ${r.lowestLimit} at its lowest); POSTs ${r.meanMs.toFixed(1)} ms each; nothing in flight ${idleSeconds.toFixed(1)} s${stretches !== '' ? ` (${stretches} s)` : ''}${sending}`;
}
