/**
 * The Organization group published from a generated district into a fresh sandbox, side by side
 * with the sandbox's raw POST ceiling and with lightbeam sending the same JSON:
 *   1. raw ceiling — a plain keep-alive load generator POSTing descriptors (no references);
 *   2. our initial publish (Now – All, category after category, the guide's order) in records/s;
 *   3. `lightbeam send` of the same Ed-Fi JSON as JSONL into a second fresh sandbox (skipped
 *      with a note when python3/pip cannot install it);
 *   4. Now – Changes with nothing changed, and with 1 % of each large resource changed.
 * Everything runs on 127.0.0.1: its own Postgres and Temporal dev server in a scratch dir, the
 * sandbox and the worker (`worker/main.ts`) each in a child process, the API in this one; CPU time
 * per record is charged to each process and the worker's peak memory is read from /proc.
 * `npx tsx bench/publish.ts [tiny|small|large]` (default large).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Pool } from 'undici';
import { generateDistrict, loadDistrict, DISTRICT_SIZES, type DistrictSize } from '../sis/index.js';
import { requestToken } from '../edfi/client/oauth.js';
import { edfiModel } from '../edfi/model/index.js';
import { installLightbeam, sendWithLightbeam } from '../sandbox/lightbeam/lightbeam.js';
import { cpuSample, cpuSpent } from './lib/cpu.js';
import { benchProfile, changeOnePercent, KEY, peakRss, publishOrganization, ROOT, sandboxChild, SECRET, seconds, withBenchStack } from './lib/publishStack.js';

const size = (process.argv[2] ?? 'large') as DistrictSize;
if (!DISTRICT_SIZES.includes(size)) throw new Error(`size must be one of ${DISTRICT_SIZES.join(', ')}`);

async function bearer(url: string): Promise<string> {
  const t = await requestToken({ authUrl: url, key: KEY, secret: SECRET });
  if (!t.ok) throw new Error(t.failure.message);
  return t.grant.accessToken;
}

/** (1) The sandbox's ceiling: distinct descriptor POSTs from 64 keep-alive connections. */
async function rawCeiling(url: string, n: number): Promise<number> {
  const token = await bearer(url);
  const pool = new Pool(url, { connections: 64, pipelining: 1 });
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      for (let i = next++; i < n; i = next++) {
        const res = await pool.request({ method: 'POST', path: '/data/v3/ed-fi/academicSubjectDescriptors', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ namespace: 'uri://bench.example/AcademicSubjectDescriptor', codeValue: `B${i}`, shortDescription: `Bench ${i}` }) });
        await res.body.dump();
      }
    }),
  );
  const rate = n / seconds(t0);
  await pool.close();
  return rate;
}

/** (1) The same JSON our run sent, POSTed by the plain generator in dependency order into a fresh sandbox. */
async function sameJsonCeiling(url: string, byResource: ReadonlyMap<string, string[]>): Promise<number> {
  const token = await bearer(url);
  const order = edfiModel({ dataStandard: '4.0', teds: '2025.2.1' }).dependencyOrder;
  const path = (name: string): string => order.find((p) => p.endsWith(`/${name}`)) ?? `ed-fi/${name}`;
  const resources = [...byResource.keys()].sort((a, b) => order.indexOf(path(a)) - order.indexOf(path(b)));
  const pool = new Pool(url, { connections: 64, pipelining: 1 });
  let sent = 0;
  const t0 = performance.now();
  for (const resource of resources) {
    const docs = byResource.get(resource) ?? [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        for (let i = next++; i < docs.length; i = next++) {
          const res = await pool.request({ method: 'POST', path: `/data/v3/${path(resource)}`, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: docs[i] });
          await res.body.dump();
          sent++;
        }
      }),
    );
  }
  const rate = sent / seconds(t0);
  await pool.close();
  return rate;
}

await withBenchStack(
  'publish',
  async (sisUrl) => {
    const tLoad = performance.now();
    const district = generateDistrict({ size, seed: 1 });
    await loadDistrict(sisUrl, district);
    console.log(`district ${size}: ${Object.values(district.counts).reduce((a, b) => a + b, 0).toLocaleString('en-US')} SIS rows loaded in ${seconds(tLoad).toFixed(1)} s`);
  },
  async ({ sandboxUrl, pids, orm, temporal, call, sisDb, dir, adopt }) => {
    const descriptorCeiling = await rawCeiling(sandboxUrl, 20_000);
    console.log(`(1a) sandbox raw POST ceiling, descriptors (no references): ${descriptorCeiling.toFixed(0)} records/s`);
    const { peakMb: idleMb } = await peakRss(pids.worker, () => new Promise((r) => setTimeout(r, 500)));
    await benchProfile(call, sisDb, sandboxUrl);

    const count = async (): Promise<number> => Number((await orm.em.getConnection().execute<[{ n: string }]>("SELECT count(*) AS n FROM catalog WHERE profile_id = 'bench' AND status = 'published'"))[0].n);
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
    const byStatus = await orm.em.getConnection().execute<Array<{ resource: string; status: string; n: string }>>("SELECT resource, status, count(*) AS n FROM catalog WHERE profile_id = 'bench' GROUP BY resource, status ORDER BY resource, status");
    console.log(`    ${byStatus.map((r) => `${r.resource} ${r.status} ${r.n}`).join('; ')}`);
    const ours = published / initial;
    // Where the time went: activity time by type, summed over the category runs' histories.
    const spent = new Map<string, number>();
    const queue = (await call('/api/profiles/bench/publish-queue')).json<{ recent: Array<{ workflowId: string }> }>();
    for (const r of queue.recent) {
      const scheduled = new Map<string, { type: string; at: number }>();
      for (const e of (await temporal.workflow.getHandle(r.workflowId).fetchHistory()).events ?? []) {
        const at = Number(e.eventTime?.seconds ?? 0) * 1000 + Math.floor((e.eventTime?.nanos ?? 0) / 1e6);
        if (e.activityTaskScheduledEventAttributes) scheduled.set(String(e.eventId), { type: e.activityTaskScheduledEventAttributes.activityType?.name ?? '?', at });
        const done = e.activityTaskCompletedEventAttributes;
        if (done) {
          const s = scheduled.get(String(done.scheduledEventId));
          if (s) spent.set(s.type, (spent.get(s.type) ?? 0) + (at - s.at));
        }
      }
    }
    console.log(`    activity time (summed, parallel ones overlap): ${[...spent].map(([t, ms]) => `${t} ${(ms / 1000).toFixed(1)} s`).join(', ')}`);
    console.log(`(2) our Organization group, Now – All: ${published.toLocaleString('en-US')} records in ${initial.toFixed(1)} s = ${ours.toFixed(0)} records/s`);
    // Where the machine's CPU went, per record: on 2 cores the sandbox and our pipeline share it.
    console.log(`    CPU per record published: ${[...cpu].map(([k, sec]) => `${k} ${((sec / published) * 1e6).toFixed(0)} µs`).join(', ')} (of ${((initial * 2) / published * 1e6).toFixed(0)} µs wall × 2 cores)`);

    // (3) lightbeam: the same JSON, one JSONL file per resource, into a second fresh sandbox.
    const jsonl = path.join(dir, 'jsonl');
    mkdirSync(jsonl, { recursive: true });
    const docs = await orm.em.getConnection().execute<Array<{ resource: string; sent_json: unknown }>>("SELECT resource, sent_json FROM catalog WHERE profile_id = 'bench' AND status = 'published' ORDER BY resource");
    const byResource = new Map<string, string[]>();
    for (const d of docs) byResource.set(d.resource, [...(byResource.get(d.resource) ?? []), JSON.stringify(d.sent_json)]);
    for (const [resource, lines] of byResource) writeFileSync(path.join(jsonl, `${resource}.jsonl`), `${lines.join('\n')}\n`);
    const fresh = await sandboxChild();
    adopt(fresh.child);
    const cpuC0 = cpuSample({ sandbox: fresh.child.pid });
    const ceiling = await sameJsonCeiling(fresh.url, byResource);
    const cpuC = cpuSpent(cpuC0, cpuSample({ sandbox: fresh.child.pid }));
    console.log(`(1) sandbox raw POST ceiling, the same JSON in dependency order (plain generator, 64 connections): ${ceiling.toFixed(0)} records/s`);
    console.log(`    CPU per record at the ceiling: sandbox ${(((cpuC.get('sandbox') ?? 0) / published) * 1e6).toFixed(0)} µs, load generator ${(((cpuC.get('self') ?? 0) / published) * 1e6).toFixed(0)} µs`);
    console.log(`(2) ours vs that ceiling: ${((ours / ceiling) * 100).toFixed(0)} %`);
    let lightbeamRate: number | undefined;
    const install = await installLightbeam(ROOT);
    if (!install.ok) console.log(`(3) lightbeam: skipped — ${install.reason}`);
    else {
      const second = await sandboxChild();
      adopt(second.child);
      const t1 = performance.now();
      await sendWithLightbeam({ install, baseUrl: second.url, key: KEY, secret: SECRET, dataDir: jsonl, stateDir: path.join(dir, 'lb-state') });
      lightbeamRate = published / seconds(t1);
      console.log(`(3) lightbeam send of the same ${published.toLocaleString('en-US')} records: ${seconds(t1).toFixed(1)} s = ${lightbeamRate.toFixed(0)} records/s; ours is ${(ours / lightbeamRate).toFixed(1)}×`);
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
    console.log(`worker process RSS: ${idleMb.toFixed(0)} MB polling before any work; peak in the initial publish ${initialPeak.toFixed(0)} MB, in Now – Changes ${unchangedPeak.toFixed(0)} / ${changedPeak.toFixed(0)} MB`);
    console.log(
      `RESULT publish size=${size} worker_peak_mb=${Math.max(initialPeak, unchangedPeak, changedPeak).toFixed(0)} records=${published} descriptor_ceiling_rps=${descriptorCeiling.toFixed(0)} ceiling_rps=${ceiling.toFixed(0)} ours_rps=${ours.toFixed(0)} ours_vs_ceiling=${(ours / ceiling).toFixed(2)}` +
        ` lightbeam_rps=${lightbeamRate?.toFixed(0) ?? 'skipped'} ours_vs_lightbeam=${lightbeamRate !== undefined ? (ours / lightbeamRate).toFixed(1) : 'skipped'} changes_none_s=${unchanged.toFixed(1)} changes_1pct_s=${changed.toFixed(1)}`,
    );
  },
);
