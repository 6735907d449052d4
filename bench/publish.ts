/**
 * The Organization group published from a generated district into a fresh sandbox, side by side
 * with the sandbox's raw POST ceiling and with lightbeam sending the same JSON:
 *   1. raw ceiling — a plain keep-alive load generator POSTing descriptors (no references);
 *   1b. the floor — the same generator's sends, each answer written to the catalog (with and
 *      without the JSON sent), nothing else: the least any exchange keeping a catalog adds;
 *   2. our initial publish (Now – All, category after category, the guide's order) in records/s;
 *   3. `lightbeam send` of the same Ed-Fi JSON as JSONL into a second fresh sandbox (skipped
 *      with a note when python3/pip cannot install it);
 *   4. Now – Changes with nothing changed, and with 1 % of each large resource changed;
 *   5. the ceiling, ours (Now – All again) and lightbeam once more, into sandboxes that answer each
 *      POST after an ODS's latency, all three with the same connections; and lightbeam as shipped
 *      (8 connections) on every 10th record.
 * Everything runs on 127.0.0.1: its own Postgres and Temporal dev server in a scratch dir, the
 * sandbox and the worker (`worker/main.ts`) each in a child process, the API in this one; CPU time
 * per record is charged to each process and the worker's peak memory is read from /proc.
 * `npx tsx bench/publish.ts [tiny|small|large]` (default large).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { generateDistrict, loadDistrict, DISTRICT_SIZES, type DistrictSize } from '../sis/index.js';
import { installLightbeam, sendWithLightbeam } from '../sandbox/lightbeam/lightbeam.js';
import { cpuSample, cpuSpent } from './lib/cpu.js';
import { docsByResource, sameJson, type Sent } from './lib/generator.js';
import {
  activityTimes,
  benchProfile,
  changeOnePercent,
  formatTimes,
  KEY,
  ORGANIZATION,
  peakRss,
  publishOrganization,
  ROOT,
  sandboxChild,
  SECRET,
  seconds,
  withBenchStack,
  YEAR,
} from './lib/publishStack.js';

const size = (process.argv[2] ?? 'large') as DistrictSize;
if (!DISTRICT_SIZES.includes(size)) throw new Error(`size must be one of ${DISTRICT_SIZES.join(', ')}`);

/** (1a) The sandbox's ceiling: n distinct descriptor POSTs from the plain generator. */
async function rawCeiling(url: string, n: number): Promise<number> {
  const docs = Array.from({ length: n }, (_, i) =>
    JSON.stringify({ namespace: 'uri://bench.example/AcademicSubjectDescriptor', codeValue: `B${i}`, shortDescription: `Bench ${i}` }),
  );
  return sameJson(url, new Map([['academicSubjectDescriptors', docs]]));
}

/** Step 5: each POST answered after LATENCY_MS plus up to JITTER_MS, as a loaded ODS/API would. */
const LATENCY_MS = 30;
const JITTER_MS = 40;
/** Step 5: the connections the generator, ours (Simultaneous Connections) and lightbeam each get. */
const SLOW_CONNECTIONS = 64;

/**
 * The floor of any exchange that keeps a catalog: each answer written to the catalog (one row per
 * record: key, hash, the JSON sent, the Ed-Fi id, published) in one statement per 2,000 records,
 * as the sends go on. No extract, mapping, checks, plan or Temporal: what is left is the least
 * the issue's catalog asks of Postgres and of the sending process, on the same 2 cores.
 */
function catalogRecorder(db: pg.Pool, profileId: string, json: 'with JSON' | 'without JSON'): (sent: Sent[]) => Promise<void> {
  let n = 0;
  return async (sent) => {
    const keys = sent.map(() => `r${n++}`);
    await db.query(
      `INSERT INTO catalog (profile_id, school_year, resource, source_key, natural_key, payload_hash, sent_json, edfi_id, status, http_status, attempts, first_published_at, last_attempt_at, updated_at)
       SELECT $1, ${YEAR}, r, k, k, h, ${json === 'with JSON' ? 'd::jsonb' : 'NULL'}, i, 'published', 201, 1, now(), now(), now()
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS t(r, k, h, d, i)`,
      [
        profileId,
        sent.map((s) => s.resource),
        keys,
        sent.map((s) => createHash('md5').update(s.doc).digest('hex')),
        json === 'with JSON' ? sent.map((s) => s.doc) : [],
        sent.map((s) => s.edfiId),
      ],
    );
  };
}

await withBenchStack(
  'publish',
  async (sisUrl) => {
    const tLoad = performance.now();
    const district = generateDistrict({ size, seed: 1 });
    await loadDistrict(sisUrl, district);
    console.log(
      `district ${size}: ${Object.values(district.counts)
        .reduce((a, b) => a + b, 0)
        .toLocaleString('en-US')} SIS rows loaded in ${seconds(tLoad).toFixed(1)} s`,
    );
  },
  async ({ sandboxUrl, pids, orm, temporal, call, sisDb, dir, adopt }) => {
    const descriptorCeiling = await rawCeiling(sandboxUrl, 20_000);
    console.log(`(1a) sandbox raw POST ceiling, descriptors (no references): ${descriptorCeiling.toFixed(0)} records/s`);
    const { peakMb: idleMb } = await peakRss(pids.worker, () => new Promise((r) => setTimeout(r, 500)));
    await benchProfile(call, sisDb, sandboxUrl);

    const count = async (): Promise<number> =>
      Number(
        (await orm.em.getConnection().execute<[{ n: string }]>("SELECT count(*) AS n FROM catalog WHERE profile_id = 'bench' AND status = 'published'"))[0].n,
      );
    const t0 = performance.now();
    const cpu0 = cpuSample(pids);
    const perCategory: string[] = [];
    let before = 0;
    const { peakMb: initialPeak } = await peakRss(pids.worker, () =>
      publishOrganization(call, 'all', async (category, s) => {
        const now = await count();
        perCategory.push(`${category} ${now - before} in ${s.toFixed(1)} s`);
        before = now;
      }),
    );
    const initial = seconds(t0);
    const cpu = cpuSpent(cpu0, cpuSample(pids));
    console.log(`    by category: ${perCategory.join('; ')}`);
    const published = await count();
    const byStatus = await orm.em
      .getConnection()
      .execute<Array<{ resource: string; status: string; n: string }>>(
        "SELECT resource, status, count(*) AS n FROM catalog WHERE profile_id = 'bench' GROUP BY resource, status ORDER BY resource, status",
      );
    console.log(`    ${byStatus.map((r) => `${r.resource} ${r.status} ${r.n}`).join('; ')}`);
    const ours = published / initial;
    // Where the time went: activity time by type, summed over the category runs' histories.
    const spent = new Map<string, number>();
    for (const run of await activityTimes(temporal, call, ORGANIZATION.length)) for (const [t, sec] of run.seconds) spent.set(t, (spent.get(t) ?? 0) + sec);
    console.log(`    activity time (summed, parallel ones overlap): ${formatTimes(spent)}`);
    console.log(
      `(2) our Organization group, Now – All: ${published.toLocaleString('en-US')} records in ${initial.toFixed(1)} s = ${ours.toFixed(0)} records/s`,
    );
    // Where the machine's CPU went, per record: on 2 cores the sandbox and our pipeline share it.
    console.log(
      `    CPU per record published: ${[...cpu].map(([k, sec]) => `${k} ${((sec / published) * 1e6).toFixed(0)} µs`).join(', ')} (of ${(((initial * 2) / published) * 1e6).toFixed(0)} µs wall × 2 cores)`,
    );

    // (3) lightbeam: the same JSON, one JSONL file per resource, into a second fresh sandbox.
    const jsonl = path.join(dir, 'jsonl');
    mkdirSync(jsonl, { recursive: true });
    const docs = await orm.em
      .getConnection()
      .execute<Array<{ resource: string; sent_json: unknown }>>(
        "SELECT resource, sent_json FROM catalog WHERE profile_id = 'bench' AND status = 'published' ORDER BY resource",
      );
    const byResource = docsByResource(docs);
    for (const [resource, lines] of byResource) writeFileSync(path.join(jsonl, `${resource}.jsonl`), `${lines.join('\n')}\n`);
    const fresh = await sandboxChild();
    adopt(fresh.child);
    const cpuC0 = cpuSample({ sandbox: fresh.child.pid });
    const ceiling = await sameJson(fresh.url, byResource);
    const cpuC = cpuSpent(cpuC0, cpuSample({ sandbox: fresh.child.pid }));
    console.log(`(1) sandbox raw POST ceiling, the same JSON in dependency order (plain generator, 64 connections): ${ceiling.toFixed(0)} records/s`);
    console.log(
      `    CPU per record at the ceiling: sandbox ${(((cpuC.get('sandbox') ?? 0) / published) * 1e6).toFixed(0)} µs, load generator ${(((cpuC.get('self') ?? 0) / published) * 1e6).toFixed(0)} µs`,
    );
    console.log(`(2) ours vs that ceiling: ${((ours / ceiling) * 100).toFixed(0)} %`);
    // The floor: the same sends, each answer written to the catalog, nothing else — with the JSON
    // sent (as the catalog keeps it), and without it (the least any record of the outcome costs).
    const floors = new Map<string, number>();
    for (const json of ['with JSON', 'without JSON'] as const) {
      const floorSandbox = await sandboxChild();
      adopt(floorSandbox.child);
      const appDb = new pg.Pool({ connectionString: orm.config.get('clientUrl'), max: 2 });
      const cpuF0 = cpuSample({ sandbox: floorSandbox.child.pid });
      const floor = await sameJson(floorSandbox.url, byResource, { record: catalogRecorder(appDb, 'floor', json) });
      const cpuF = cpuSpent(cpuF0, cpuSample({ sandbox: floorSandbox.child.pid }));
      await appDb.query("DELETE FROM catalog WHERE profile_id = 'floor'");
      await appDb.end();
      floorSandbox.child.kill();
      floors.set(json, floor);
      console.log(
        `(1b) floor — the same sends, each answer written to the catalog ${json} (2,000 rows a statement), nothing else: ${floor.toFixed(0)} records/s = ${((floor / ceiling) * 100).toFixed(0)} % of the ceiling`,
      );
      console.log(
        `    CPU per record: ${[...cpuF]
          .filter(([k]) => k !== 'worker' && k !== 'temporal')
          .map(([k, sec]) => `${k === 'self' ? 'generator' : k} ${((sec / published) * 1e6).toFixed(0)} µs`)
          .join(', ')}`,
      );
    }
    const floor = floors.get('with JSON') ?? 0;
    const floorMin = floors.get('without JSON') ?? 0;
    let lightbeamRate: number | undefined;
    const install = await installLightbeam(ROOT);
    if (!install.ok) console.log(`(3) lightbeam: skipped — ${install.reason}`);
    else {
      const second = await sandboxChild();
      adopt(second.child);
      const t1 = performance.now();
      await sendWithLightbeam({ install, baseUrl: second.url, key: KEY, secret: SECRET, dataDir: jsonl, stateDir: path.join(dir, 'lb-state') });
      lightbeamRate = published / seconds(t1);
      console.log(
        `(3) lightbeam send of the same ${published.toLocaleString('en-US')} records: ${seconds(t1).toFixed(1)} s = ${lightbeamRate.toFixed(0)} records/s; ours is ${(ours / lightbeamRate).toFixed(1)}×`,
      );
    }

    // (4) Now – Changes: nothing changed, then 1 % of each large resource changed.
    const t2 = performance.now();
    const { peakMb: unchangedPeak } = await peakRss(pids.worker, () => publishOrganization(call, 'changes'));
    const unchanged = seconds(t2);
    await changeOnePercent(sisDb);
    const t3 = performance.now();
    const { peakMb: changedPeak } = await peakRss(pids.worker, () => publishOrganization(call, 'changes'));
    const changed = seconds(t3);
    console.log(`(4) Now – Changes over the group: nothing changed ${unchanged.toFixed(1)} s; 1 % changed ${changed.toFixed(1)} s`);
    // (5) The same three with an ODS's latency, as production meets it: every POST answered after
    // 30–70 ms (a loaded ODS/API answers in 58–110 ms on average, ../shared/reference/peers.md), the
    // generator, ours and lightbeam each with the same connections. Ours sends everything again
    // (Now – All) into a fresh sandbox of its own.
    const faults = path.join(dir, 'ods-latency.json');
    writeFileSync(faults, JSON.stringify({ seed: 1, rules: [{ route: 'POST /data/v3/', latencyMs: LATENCY_MS, jitterMs: JITTER_MS }] }));
    const slowSandbox = async (): Promise<string> => {
      const s = await sandboxChild(['--faults', faults]);
      adopt(s.child);
      return s.url;
    };
    await call({ method: 'PUT', url: '/api/settings', payload: { simultaneousConnections: SLOW_CONNECTIONS } });
    await call({ method: 'PATCH', url: '/api/profiles/bench', payload: { apiUrl: await slowSandbox() } });
    // Also gives the worker's profile runtime time to expire and pick up the new API and connection count.
    const slowCeiling = await sameJson(await slowSandbox(), byResource, { connections: SLOW_CONNECTIONS });
    const since = new Date();
    const t5 = performance.now();
    await publishOrganization(call, 'all');
    const slowSeconds = seconds(t5);
    const resent = Number(
      (
        await orm.em
          .getConnection()
          .execute<[{ n: string }]>("SELECT count(*) AS n FROM catalog WHERE profile_id = 'bench' AND status = 'published' AND last_attempt_at >= ?", [since])
      )[0].n,
    );
    const slowOurs = resent / slowSeconds;
    let slowLightbeam: number | undefined;
    let shippedLightbeam: number | undefined;
    if (install.ok) {
      const t6 = performance.now();
      await sendWithLightbeam({
        install,
        baseUrl: await slowSandbox(),
        key: KEY,
        secret: SECRET,
        dataDir: jsonl,
        stateDir: path.join(dir, 'lb-state-slow'),
        poolSize: SLOW_CONNECTIONS,
      });
      slowLightbeam = published / seconds(t6);
      // As shipped (pool_size 8) it would take minutes for the whole group: every 10th record of each
      // resource shows its rate (bound by 8 requests in flight, not by how many records there are).
      const sample = path.join(dir, 'jsonl-sample');
      mkdirSync(sample, { recursive: true });
      let sampled = 0;
      for (const [resource, lines] of byResource) {
        const some = lines.filter((_, i) => i % 10 === 0);
        sampled += some.length;
        writeFileSync(path.join(sample, `${resource}.jsonl`), `${some.join('\n')}\n`);
      }
      const t7 = performance.now();
      await sendWithLightbeam({
        install,
        baseUrl: await slowSandbox(),
        key: KEY,
        secret: SECRET,
        dataDir: sample,
        stateDir: path.join(dir, 'lb-state-shipped'),
      });
      shippedLightbeam = sampled / seconds(t7);
    }
    console.log(`(5) with an ODS's latency (each POST answered after ${LATENCY_MS}–${LATENCY_MS + JITTER_MS} ms), ${SLOW_CONNECTIONS} connections each:`);
    console.log(
      `    ceiling (plain generator) ${slowCeiling.toFixed(0)} records/s; ours ${resent.toLocaleString('en-US')} records in ${slowSeconds.toFixed(1)} s = ${slowOurs.toFixed(0)} records/s = ${((slowOurs / slowCeiling) * 100).toFixed(0)} % of it`,
    );
    if (slowLightbeam !== undefined && shippedLightbeam !== undefined) {
      console.log(`    lightbeam (pool_size ${SLOW_CONNECTIONS}) ${slowLightbeam.toFixed(0)} records/s: ours is ${(slowOurs / slowLightbeam).toFixed(1)}×`);
      console.log(
        `    lightbeam as shipped (pool_size 8), every 10th record: ${shippedLightbeam.toFixed(0)} records/s: ours is ${(slowOurs / shippedLightbeam).toFixed(1)}×`,
      );
    }
    console.log(
      `worker process RSS: ${idleMb.toFixed(0)} MB polling before any work; peak in the initial publish ${initialPeak.toFixed(0)} MB, in Now – Changes ${unchangedPeak.toFixed(0)} / ${changedPeak.toFixed(0)} MB`,
    );
    console.log(
      `RESULT publish size=${size} worker_peak_mb=${Math.max(initialPeak, unchangedPeak, changedPeak).toFixed(0)} records=${published} descriptor_ceiling_rps=${descriptorCeiling.toFixed(0)} ceiling_rps=${ceiling.toFixed(0)} floor_rps=${floor.toFixed(0)} floor_vs_ceiling=${(floor / ceiling).toFixed(2)} floor_min_rps=${floorMin.toFixed(0)} floor_min_vs_ceiling=${(floorMin / ceiling).toFixed(2)} ours_rps=${ours.toFixed(0)} ours_vs_ceiling=${(ours / ceiling).toFixed(2)}` +
        ` lightbeam_rps=${lightbeamRate?.toFixed(0) ?? 'skipped'} ours_vs_lightbeam=${lightbeamRate !== undefined ? (ours / lightbeamRate).toFixed(1) : 'skipped'} changes_none_s=${unchanged.toFixed(1)} changes_1pct_s=${changed.toFixed(1)}` +
        ` latency_ceiling_rps=${slowCeiling.toFixed(0)} latency_ours_rps=${slowOurs.toFixed(0)} latency_ours_vs_ceiling=${(slowOurs / slowCeiling).toFixed(2)} latency_lightbeam_rps=${slowLightbeam?.toFixed(0) ?? 'skipped'} latency_lightbeam_shipped_rps=${shippedLightbeam?.toFixed(0) ?? 'skipped'}`,
    );
  },
);
