/**
 * The sandbox alone, in its own process (`npm run sandbox`), driven over keep-alive HTTP from this
 * one: POST upserts per second (new records, then the same records again as updates), GET by
 * natural key per second, and the sandbox's memory (RSS) holding N records — half students, half
 * their school enrollments. `npx tsx bench/sandbox.ts [records=3000000]`.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Pool } from 'undici';
import { freePort, waitForPort } from '../scripts/stack/ports.js';
import { requestToken } from '../edfi/client/oauth.js';

const total = Number(process.argv[2] ?? 3_000_000);
const CONNECTIONS = 32;
const root = path.resolve(import.meta.dirname, '..');
const port = await freePort();
const child = spawn(
  process.execPath,
  ['--max-old-space-size=4096', '--import', 'tsx', path.join(root, 'sandbox/main.ts'), '--port', String(port), '--texas', '2025.2.1'],
  { stdio: ['ignore', 'ignore', 'inherit'] },
);
const rssMb = (): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

try {
  await waitForPort(port, '127.0.0.1', 60_000);
  const url = `http://127.0.0.1:${port}`;
  const token = await requestToken({ authUrl: url, key: 'sandbox-key', secret: 'sandbox-secret' });
  if (!token.ok) throw new Error(token.failure.message);
  const headers = { authorization: `Bearer ${token.grant.accessToken}`, 'content-type': 'application/json' };
  const pool = new Pool(url, { connections: CONNECTIONS, pipelining: 1 });
  const student = (i: number): string =>
    JSON.stringify({ studentUniqueId: `B${i}`, firstName: `First${i % 997}`, lastSurname: `Last${i % 991}`, birthDate: '2010-05-17' });
  const enrollment = (i: number): string =>
    JSON.stringify({
      studentReference: { studentUniqueId: `B${i}` },
      schoolReference: { schoolId: 149913100 },
      entryDate: '2024-08-14',
      entryGradeLevelDescriptor: 'uri://ed-fi.org/GradeLevelDescriptor#Ninth grade',
    });

  /** Runs `n` requests from CONNECTIONS keep-alive connections; answers requests per second and the statuses seen. */
  const drive = async (
    n: number,
    request: (i: number) => { method: 'GET' | 'POST'; path: string; body?: string },
  ): Promise<{ rate: number; statuses: Map<number, number> }> => {
    let next = 0;
    const statuses = new Map<number, number>();
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        for (let i = next++; i < n; i = next++) {
          const r = request(i);
          const res = await pool.request({ method: r.method, path: r.path, headers, ...(r.body !== undefined ? { body: r.body } : {}) });
          await res.body.dump();
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        }
      }),
    );
    return { rate: n / ((performance.now() - t0) / 1000), statuses };
  };
  const show = (s: Map<number, number>): string => [...s].map(([k, v]) => `${k}×${v}`).join(' ');

  const SAMPLE = 50_000;
  const inserts = await drive(SAMPLE, (i) => ({ method: 'POST', path: '/data/v3/ed-fi/students', body: student(i) }));
  console.log(`POST new students: ${inserts.rate.toFixed(0)}/s (${show(inserts.statuses)})`);
  // Updating a student needs the ODS's relationship (an enrollment with the client's ed-org), as in the ODS.
  const enrolledSample = await drive(SAMPLE, (i) => ({ method: 'POST', path: '/data/v3/ed-fi/studentSchoolAssociations', body: enrollment(i) }));
  console.log(`POST new enrollments: ${enrolledSample.rate.toFixed(0)}/s (${show(enrolledSample.statuses)})`);
  const updates = await drive(SAMPLE, (i) => ({ method: 'POST', path: '/data/v3/ed-fi/students', body: student(i).replace('First', 'Given') }));
  console.log(`POST updates of the same students: ${updates.rate.toFixed(0)}/s (${show(updates.statuses)})`);
  const gets = await drive(SAMPLE, (i) => ({ method: 'GET', path: `/data/v3/ed-fi/students?studentUniqueId=B${(i * 7919) % SAMPLE}` }));
  console.log(`GET by natural key: ${gets.rate.toFixed(0)}/s (${show(gets.statuses)})`);

  // Memory: fill up to `total` records, half students, half their enrollments.
  const half = Math.floor(total / 2);
  const t0 = performance.now();
  const more = await drive(half - SAMPLE, (i) => ({ method: 'POST', path: '/data/v3/ed-fi/students', body: student(i + SAMPLE) }));
  const enrolled = await drive(half - SAMPLE, (i) => ({ method: 'POST', path: '/data/v3/ed-fi/studentSchoolAssociations', body: enrollment(i + SAMPLE) }));
  const loadS = (performance.now() - t0) / 1000;
  await new Promise((r) => setTimeout(r, 2_000));
  const rss = rssMb();
  console.log(
    `loaded ${total.toLocaleString('en-US')} records in ${loadS.toFixed(0)} s (${show(more.statuses)}; ${show(enrolled.statuses)}); sandbox RSS ${rss.toFixed(0)} MB`,
  );
  console.log(
    `RESULT sandbox post_new_rps=${inserts.rate.toFixed(0)} post_update_rps=${updates.rate.toFixed(0)} get_by_key_rps=${gets.rate.toFixed(0)} records=${total} rss_mb=${rss.toFixed(0)}`,
  );
  await pool.close();
} finally {
  child.kill('SIGTERM');
}
