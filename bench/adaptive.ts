/**
 * Adaptive connections against an ODS that degrades past a concurrency limit: the sandbox answers
 * each POST after an ODS's latency (30–70 ms) and, past 48 requests at once, 2 ms slower and 0.4 %
 * likelier to answer 503 for every request beyond (sandbox `overload` fault). The `large`
 * district's Organization Schedules (course offerings, sections, bell schedules) are published
 * Now – All through the real stack with fixed Simultaneous Connections of 20 (the least the settings take) to 128 (adaptive off:
 * the hand-tuned settings), then adaptive with the ceilings 200 and 500. For each: records per
 * second, requests answered 5xx, the limit over the run (the worker's `edx_ods_connection_limit`,
 * sampled every 250 ms); after each, Retry – Errors until nothing is in error, and the catalog
 * checked: every record published (nothing lost). `npm run bench -- adaptive`. Everything on 127.0.0.1.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateDistrict, loadDistrict } from '../sis/index.js';
import { CATEGORIES } from '../publishing/categories.js';
import { freePort } from '../scripts/stack/ports.js';
import { benchProfile, ODS_LATENCY, publishOrganization, sandboxChild, seconds, withBenchStack, YEAR } from './lib/publishStack.js';
import { publishAndWait } from '../test/publishing.js';
import { RUNTIME_FRESH_MS } from '../activities/publishing/shared.js';

const CATEGORY = 'organization-schedules';
const KNEE = 48;
const OVERLOAD = { route: 'POST /data/v3/', ...ODS_LATENCY, overload: { inFlight: KNEE, latencyMs: 2, error503: 0.004 } };
const SETTINGS: ReadonlyArray<{ connections: number; adaptive: boolean }> = [
  ...[20, 32, 48, 64, 96, 128].map((connections) => ({ connections, adaptive: false })),
  { connections: 200, adaptive: true },
  { connections: 500, adaptive: true },
];

// The worker serves its metrics here: the bench reads the connection limit from them.
const metricsPort = await freePort();
process.env.WORKER_METRICS_ADDRESS = `127.0.0.1:${metricsPort}`;

/** The worker's connection limit for the profile now (the gauge), or undefined between runs. */
async function limitNow(): Promise<number | undefined> {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  const m = /^edx_ods_connection_limit\{[^}]*profile="bench"[^}]*\} (\d+)/m.exec(text);
  return m === null ? undefined : Number(m[1]);
}

await withBenchStack(
  'adaptive',
  async (sisUrl) => {
    await loadDistrict(sisUrl, generateDistrict({ size: 'large', seed: 1 }));
  },
  async (b) => {
    const faults = path.join(b.dir, 'overload.json');
    writeFileSync(faults, JSON.stringify({ seed: 1, rules: [OVERLOAD] }));
    const ods = await sandboxChild(['--faults', faults]);
    b.adopt(ods.child);
    const db = b.orm.em.getConnection();
    const resources = CATEGORIES.find((c) => c.id === CATEGORY)!.entities.map((e) => e.resource);
    const inList = resources.map(() => '?').join(', ');
    const settle = async (): Promise<number> => {
      // Retry – Errors until none is in error: what a 503 refused is sent again, nothing is lost.
      let retries = 0;
      for (;;) {
        const [{ n }] = await db.execute<[{ n: string }]>(
          `SELECT count(*) AS n FROM catalog WHERE profile_id = 'bench' AND resource IN (${inList}) AND status = 'error'`,
          resources,
        );
        if (Number(n) === 0 || retries === 10) return Number(n);
        retries++;
        await publishAndWait(b.call, 'bench', { category: CATEGORY, option: 'retry-errors', schoolYear: YEAR }, 3_600_000, 25);
      }
    };
    const set = async (s: { connections: number; adaptive: boolean }): Promise<void> => {
      await b.call({ method: 'PUT', url: '/api/settings', payload: { simultaneousConnections: s.connections, adaptiveConnections: s.adaptive } });
      // The worker reads the settings again at most this often.
      await new Promise((r) => setTimeout(r, RUNTIME_FRESH_MS + 500));
    };
    await benchProfile(b.call, b.sisDb, ods.url);
    // Not timed: the Organization group once, so what the schedules refer to is in the ODS.
    await set({ connections: KNEE, adaptive: false });
    await publishOrganization(b.call, 'all');
    if ((await settle()) > 0) throw new Error('the first publish left records in error');
    const results: string[] = [];
    for (const s of SETTINGS) {
      await set(s);
      const since = new Date();
      const limits: number[] = [];
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          const l = await limitNow().catch(() => undefined);
          if (l !== undefined) limits.push(l);
          await new Promise((r) => setTimeout(r, 250));
        }
      })();
      const t0 = performance.now();
      const run = await publishAndWait(b.call, 'bench', { category: CATEGORY, option: 'all', schoolYear: YEAR }, 3_600_000, 25);
      const took = seconds(t0);
      sampling = false;
      await sampler;
      if (run.outcome !== 'completed') throw new Error(`${CATEGORY}: ${run.detail ?? run.outcome}`);
      const [{ sent, five }] = await db.execute<[{ sent: string; five: string }]>(
        `SELECT count(*) AS sent, count(*) FILTER (WHERE http_status >= 500) AS five FROM catalog
          WHERE profile_id = 'bench' AND resource IN (${inList}) AND last_attempt_at >= ?`,
        [...resources, since],
      );
      const left = await settle();
      const [{ published, total }] = await db.execute<[{ published: string; total: string }]>(
        `SELECT count(*) FILTER (WHERE status = 'published') AS published, count(*) AS total FROM catalog WHERE profile_id = 'bench' AND resource IN (${inList})`,
        resources,
      );
      const sorted = [...limits].sort((x, y) => x - y);
      const q = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
      const line = `${s.adaptive ? `adaptive, ceiling ${s.connections}` : `fixed ${s.connections}`}: ${Number(sent).toLocaleString('en-US')} records in ${took.toFixed(1)} s = ${(Number(sent) / took).toFixed(0)} records/s; ${Number(five)} answered 5xx (${((100 * Number(five)) / Number(sent)).toFixed(2)} %); limit p10 ${q(0.1)}, p50 ${q(0.5)}, p90 ${q(0.9)}, max ${sorted.at(-1) ?? 0}; after Retry – Errors ${published}/${total} published, ${left} in error`;
      console.log(`RESULT ${line}`);
      results.push(line);
    }
    console.log(
      `RESULT Organization Schedules Now – All into a sandbox degrading past ${KNEE} at once (${JSON.stringify(OVERLOAD.overload)}):\n  ${results.join('\n  ')}`,
    );
  },
);
