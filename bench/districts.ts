/**
 * Many districts on one deployment: 20 generated districts of mixed sizes — the `large` one in the
 * deployment's replica, 14 `small` and 5 `tiny` each in its own replica database (a district's own
 * SIS replica, PUT /api/leas/{leaId}/replicas) — with one profile each, its own key in one sandbox
 * answering each POST after an ODS's latency (30–70 ms), one worker process and the API, all on
 * this machine. (1) The 19 smaller districts' Organization groups queued at once: each district's
 * records/s. (2) Data Changes on for the 19; each changes one school's name every few seconds, and
 * the time from its SIS commit to the school's outcome in the catalog is taken — first while
 * nothing else runs (the baseline), then while the large district's initial synchronization runs
 * (its Organization group). `npm run bench -- districts`. Everything on 127.0.0.1.
 */
import pg from 'pg';
import { generateDistrict, loadDistrict, type DistrictSize } from '../sis/index.js';
import {
  benchProfile,
  loadedOdsSandbox,
  ODS_LATENCY_TEXT,
  ORGANIZATION,
  publishOrganizationQueued,
  withBenchStack,
  YEAR,
  type BenchStack,
} from './lib/publishStack.js';
import { readDataChanges } from '../temporal/client/dataChanges.js';

const SIZES: readonly DistrictSize[] = [...Array<DistrictSize>(14).fill('small'), ...Array<DistrictSize>(5).fill('tiny')];
const CONNECTIONS = 64;
/** Each district changes one of its schools this often (19 districts: ~3 changes a second in all). */
const CHANGE_EVERY_MS = 6_000;
const BASELINE_MS = 45_000;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const quantile = (sorted: readonly number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
const summary = (xs: readonly number[]): string => {
  const s = [...xs].sort((a, b) => a - b);
  return `${s.length} changes, p50 ${quantile(s, 0.5).toFixed(2)} s, p95 ${quantile(s, 0.95).toFixed(2)} s, max ${(s.at(-1) ?? NaN).toFixed(2)} s`;
};

interface District {
  readonly profileId: string;
  readonly number: string;
  readonly size: DistrictSize;
  readonly db: pg.Client;
  readonly schools: readonly number[];
}

/** A district's own replica database on the deployment replica's server, loaded with a generated district. */
async function districtReplica(b: BenchStack, i: number, size: DistrictSize, taken: Set<string>): Promise<{ url: string; number: string }> {
  const admin = new pg.Client({ connectionString: b.sisUrl });
  await admin.connect();
  try {
    for (let seed = 100 + i * 7; ; seed++) {
      const name = `district_${i}`;
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      await admin.query(`CREATE DATABASE ${name}`);
      const url = new URL(b.sisUrl);
      url.pathname = `/${name}`;
      await loadDistrict(url.toString(), generateDistrict({ size, seed }));
      // Generated LEA numbers may meet: a second district of the same number is another seed.
      const read = new pg.Client({ connectionString: url.toString() });
      await read.connect();
      const number = (await read.query<{ number: string }>('SELECT number FROM district')).rows[0].number;
      await read.end();
      if (taken.has(number)) continue;
      taken.add(number);
      return { url: url.toString(), number };
    }
  } finally {
    await admin.end();
  }
}

/** Changes each district's schools' names in turn, one change at a time per district, and times each to its outcome in the catalog. */
async function timedChanges(b: BenchStack, districts: readonly District[], until: () => boolean, label: string): Promise<number[]> {
  const db = b.orm.em.getConnection();
  const latencies: number[] = [];
  await Promise.all(
    districts.map(async (d, k) => {
      await sleep((k * CHANGE_EVERY_MS) / districts.length);
      for (let n = 0; !until(); n++) {
        const slot = Date.now() + CHANGE_EVERY_MS;
        const school = d.schools[n % d.schools.length];
        const committedAt = new Date();
        await d.db.query('UPDATE school SET name = $1 WHERE schoolID = $2', [`${label} school ${school} change ${n}`, school]);
        for (const deadline = Date.now() + 120_000; Date.now() < deadline;) {
          const rows = await db.execute<Array<{ at: Date }>>(
            "SELECT updated_at AS at FROM catalog WHERE profile_id = ? AND resource = 'schools' AND source_key = ? AND status = 'published' AND updated_at > ?",
            [d.profileId, String(school), committedAt],
          );
          if (rows.length > 0) {
            latencies.push((new Date(rows[0].at).getTime() - committedAt.getTime()) / 1000);
            break;
          }
          await sleep(100);
        }
        if (slot > Date.now()) await sleep(slot - Date.now());
      }
    }),
  );
  return latencies;
}

await withBenchStack(
  'districts',
  async (sisUrl) => {
    await loadDistrict(sisUrl, generateDistrict({ size: 'large', seed: 1 }));
  },
  async (b) => {
    const ods = await loadedOdsSandbox();
    b.adopt(ods.child);
    await b.call({ method: 'PUT', url: '/api/settings', payload: { simultaneousConnections: CONNECTIONS } });
    // The large district: the deployment's replica and key, as the single-district benchmarks have it.
    await benchProfile(b.call, b.sisDb, ods.url);
    const taken = new Set([(await b.sisDb.query<{ number: string }>('SELECT number FROM district')).rows[0].number]);
    const districts: District[] = [];
    const tSetup = performance.now();
    for (const [i, size] of SIZES.entries()) {
      const { url, number } = await districtReplica(b, i, size, taken);
      const key = { key: `district-${number}`, secret: `secret-${number}` };
      // The key the state issued for this district (the sandbox's admin route; loopback only).
      const minted = await fetch(`${ods.url}/admin/clients`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...key, claimSet: 'Ed-Fi Sandbox', educationOrganizationIds: [Number(number)], namespacePrefixes: ['uri://'] }),
      });
      if (!minted.ok) throw new Error(`minting district ${number}'s key: ${minted.status} ${await minted.text()}`);
      const db = new pg.Client({ connectionString: url });
      await db.connect();
      const profileId = `d${i}-${number}`;
      await benchProfile(b.call, db, ods.url, { id: profileId, profileType: 'SIS' }, { replicaUrl: url, ...key });
      const schools = (await db.query<{ id: number }>('SELECT schoolID AS id FROM school ORDER BY schoolID')).rows.map((r) => r.id);
      districts.push({ profileId, number, size, db, schools });
    }
    console.log(`set up 20 districts (19 with their own replica and key) in ${((performance.now() - tSetup) / 1000).toFixed(1)} s`);

    try {
      // (1) The 19 districts' Organization groups queued at once.
      const db = b.orm.em.getConnection();
      const t1 = performance.now();
      const perDistrict = await Promise.all(
        districts.map(async (d) => {
          const took = await publishOrganizationQueued(b.call, 'all', d.profileId, 250);
          const seconds = took.reduce((s, c) => s + c.seconds, 0);
          const [{ n }] = await db.execute<Array<{ n: string }>>("SELECT count(*) AS n FROM catalog WHERE profile_id = ? AND status = 'published'", [
            d.profileId,
          ]);
          return { d, seconds, records: Number(n) };
        }),
      );
      const wall = (performance.now() - t1) / 1000;
      const total = perDistrict.reduce((s, p) => s + p.records, 0);
      console.log(
        `RESULT 19 districts' Organization groups queued at once (Now – All), ${CONNECTIONS} Simultaneous Connections, an ODS answering in ${ODS_LATENCY_TEXT}: ${total.toLocaleString('en-US')} records in ${wall.toFixed(1)} s = ${(total / wall).toFixed(0)} records/s in all; per district: ${perDistrict
          .map((p) => `${p.d.size} ${p.records} in ${p.seconds.toFixed(1)} s (${(p.records / p.seconds).toFixed(0)}/s)`)
          .join('; ')}`,
      );

      // (2) Data Changes on for the 19; a baseline with nothing else running, then during the large district's initial sync.
      for (const d of districts) {
        const on = await b.call({ method: 'PATCH', url: `/api/profiles/${d.profileId}`, payload: { publishDataChanges: true } });
        if (on.statusCode !== 200) throw new Error(on.body);
      }
      for (const d of districts) for (let i = 0; i < 300 && (await readDataChanges(b.temporal, d.profileId))?.state !== 'listening'; i++) await sleep(100);
      const baselineEnd = Date.now() + BASELINE_MS;
      const baseline = await timedChanges(b, districts, () => Date.now() > baselineEnd, 'quiet');
      console.log(`RESULT near-real-time latency, SIS commit → ODS record (a school's name), 19 districts, nothing else running: ${summary(baseline)}`);

      const started = await b.call({ method: 'POST', url: '/api/profiles/bench/initial-sync', payload: { schoolYear: YEAR } });
      if (started.statusCode !== 202) throw new Error(`the initial sync was refused: ${started.body}`);
      const t2 = performance.now();
      let organizationDone = false;
      const watcher = (async () => {
        type Finished = { category: string; outcome: string };
        while (!organizationDone) {
          const { recent } = (await b.call('/api/profiles/bench/publish-queue')).json<{ recent: Finished[] }>();
          organizationDone = ORGANIZATION.every((c) => recent.some((r) => r.category === c));
          await sleep(500);
        }
      })();
      const during = await timedChanges(b, districts, () => organizationDone, 'busy');
      await watcher;
      const syncSeconds = (performance.now() - t2) / 1000;
      const [{ n }] = await db.execute<Array<{ n: string }>>("SELECT count(*) AS n FROM catalog WHERE profile_id = 'bench' AND status = 'published'");
      console.log(
        `RESULT near-real-time latency during the large district's initial sync (its Organization group, ${Number(n).toLocaleString('en-US')} records in ${syncSeconds.toFixed(1)} s = ${(Number(n) / syncSeconds).toFixed(0)} records/s): ${summary(during)}`,
      );
      await b.call({ method: 'POST', url: '/api/profiles/bench/initial-sync/cancel', payload: { schoolYear: YEAR } });
      for (const d of districts) await b.call({ method: 'PATCH', url: `/api/profiles/${d.profileId}`, payload: { publishDataChanges: false } });
    } finally {
      for (const d of districts) await d.db.end();
    }
  },
);
