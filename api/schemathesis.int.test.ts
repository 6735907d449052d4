/**
 * Fuzzing the API from its own OpenAPI document: schemathesis sends every documented operation
 * requests built from its schema (and requests that break it), and fails on any 5xx and on any
 * response its schema does not describe.
 */
import dns from 'node:dns';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createProfile } from '../db/profiles.js';
import { installSchemathesis, runSchemathesis, type SchemathesisInstall } from '../scripts/stack/schemathesis.js';
import { generateDistrict, hrReplicaOf, loadDistrict } from '../sis/index.js';
import { startApiHarness, type ApiHarness } from '../test/apiHarness.js';
import { apiKeyHeader } from '../test/auth.js';
import { createScratchDatabase } from '../test/stack.js';

// Measured on 2 cores: 35–45 s for the four phases at 10 examples an operation, one request at a time.
const HARD_TIMEOUT_MS = 90_000;

let install: SchemathesisInstall;
let h: ApiHarness | undefined;
let baseUrl = '';
let authorization = '';
let workDir = '';
const lookup = dns.lookup;

beforeAll(async () => {
  install = await installSchemathesis(path.resolve(import.meta.dirname, '..'));
  // The default reporter does not print skip notes: say it where `npm test` shows it.
  if (!install.ok) return console.log(`schemathesis fuzz suite skipped: ${install.reason}`);
  // The fuzzer stores profiles whose Ed-Fi URLs are made-up domains (https://0.com) and then asks
  // for connection tests, downloads and publishes: the API and its worker run in this process, so
  // every name but localhost (and IP addresses) fails to resolve here, fast and without reaching the internet.
  dns.lookup = ((hostname: string, ...rest: unknown[]) => {
    if (hostname === 'localhost' || isIP(hostname) !== 0) return (lookup as (...a: unknown[]) => void)(hostname, ...rest);
    const callback = rest.at(-1) as (err: Error) => void;
    process.nextTick(() =>
      callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname} (the fuzz suite resolves localhost only)`), { code: 'ENOTFOUND', hostname })),
    );
  }) as typeof dns.lookup;
  // A SIS replica and an HR system replica (as npm start has), so the mapping routes of SIS and
  // HR-only profiles answer instead of 503 "no … replica is configured".
  const sisUrl = await createScratchDatabase('fuzzsis');
  const district = generateDistrict({ size: 'small', seed: 1 });
  await loadDistrict(sisUrl, district);
  const hrUrl = await createScratchDatabase('fuzzhr');
  await loadDistrict(hrUrl, hrReplicaOf(district));
  // A worker with the real workflows: without one, Temporal queries, updates and record actions
  // (system processing, publish, a record's publish/delete) wait for ever.
  h = await startApiHarness('schemathesis', { listen: true, worker: true, realWorkflows: true, sisDatabaseUrl: sisUrl, hrDatabaseUrl: hrUrl });
  // A profile, so the profile routes reach past their 404.
  const em = h.orm.em.fork();
  createProfile(em, { id: 'fuzz', name: 'Fuzz ISD', profileType: 'SIS', schoolYears: [2025] });
  await em.flush();
  baseUrl = h.baseUrl ?? '';
  authorization = (await apiKeyHeader(h.orm, 'admin')).authorization;
  workDir = mkdtempSync(path.join(tmpdir(), 'schemathesis-'));
});

afterAll(async () => {
  await h?.close();
  dns.lookup = lookup;
  if (workDir !== '') rmSync(workDir, { recursive: true, force: true });
});

// Values schemathesis 4.32 never generates by itself (none in 300 examples an operation): a NUL,
// which Postgres refuses in text, and names every JavaScript object inherits.
const NASTY = ['a\u0000b', 'constructor', '__proto__'];

/** Gives every free-text string schema in the document the NASTY values as examples, for the examples phase. */
function withNastyExamples(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(withNastyExamples);
  if (typeof node !== 'object' || node === null) return;
  const schema = node as Record<string, unknown>;
  if (schema.type === 'string' && !['enum', 'const', 'pattern', 'format'].some((k) => k in schema)) schema.examples = NASTY;
  Object.values(schema).forEach(withNastyExamples);
}

/** One line per failing test case in schemathesis' JUnit report: operation, checks, response, and its curl. */
function findings(junit: string): string[] {
  const text = (s: string): string =>
    s
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;|&apos;/g, "'")
      .replace(/&amp;/g, '&');
  const lines: string[] = [];
  for (const [, name, body] of junit.matchAll(/<testcase name="([^"]*)"[^>]*[^/]>([\s\S]*?)<\/testcase>/g)) {
    for (const [, , problem] of (body ?? '').matchAll(/<(failure|error)\b[^>]*>([\s\S]*?)<\/\1>/g)) {
      // A failure may hold several test cases ("1. Test Case ID: …"); an error is one.
      for (const one of text(problem ?? '')
        .split(/^\d+\. Test Case ID: \S+$/m)
        .filter((c) => c.trim() !== '')) {
        const checks = [...one.matchAll(/^- (.+)$/gm)].map((m) => m[1]);
        const what =
          checks.length > 0
            ? checks.join('; ')
            : one
                .trim()
                .split(/\n\s*\n/)
                .slice(0, 2)
                .join(': ');
        // "[500] Internal Server Error:", a blank line, then the body.
        const res = /^(\[\d{3}\][^\n]*?):?\n\s*\n\s*(\S.*)$/m.exec(one);
        const response = res === null ? '' : ` → ${res[1]} ${res[2]?.slice(0, 300)}`;
        const curl = /^\s*(curl .+)$/m.exec(one)?.[1] ?? '(no reproduction)';
        lines.push(`${text(name ?? '')}: ${what}${response}\n    ${curl}`);
      }
    }
  }
  return lines;
}

it(
  'survives schemathesis: no 5xx, every response as its schema says',
  async (ctx) => {
    if (!install.ok) return ctx.skip(`schemathesis could not be installed: ${install.reason}`);
    const junitPath = path.join(workDir, 'junit.xml');
    // The document the API serves (@fastify/swagger-ui, from the route schemas), plus the NASTY examples.
    const doc: unknown = await (await fetch(`${baseUrl}/docs/json`)).json();
    withNastyExamples(doc);
    const specPath = path.join(workDir, 'openapi.json');
    writeFileSync(specPath, JSON.stringify(doc));
    const run = await runSchemathesis(
      install,
      [
        'run',
        specPath,
        '--url',
        baseUrl,
        '--header',
        `Authorization: ${authorization}`,
        '--checks',
        'not_a_server_error,response_schema_conformance',
        '--phases',
        'examples,coverage,fuzzing,stateful',
        '--max-examples',
        '10',
        '--seed',
        '20261203',
        // One request at a time: faster on 2 cores than its threads, and hypothesis is not thread-safe in 4.32 (internal "AST constructor recursion depth mismatch" errors).
        '--workers',
        '1',
        '--request-timeout',
        '10',
        '--max-response-time',
        '5',
        // Server-sent events never end.
        '--exclude-path-regex',
        '/events$',
        // It learns key ids from GET /api/api-keys and would revoke the key this run signs in with.
        '--exclude-name',
        'DELETE /api/api-keys/{id}',
        // No example database in the working tree: the seed alone decides what runs.
        '--generation-database',
        'none',
        // Unsanitized: the key lives only in this run's scratch database, and the sanitizer would also hide
        // the values (in fields named key, secret, password) that broke the API.
        '--output-sanitize',
        'false',
        '--report',
        'junit',
        '--report-junit-path',
        junitPath,
        '--no-color',
      ],
      { cwd: workDir, timeoutMs: HARD_TIMEOUT_MS },
    );
    expect(run.timedOut, `schemathesis did not finish in ${HARD_TIMEOUT_MS / 1000} s; its output ended:\n${run.output.slice(-3000)}`).toBe(false);
    // Still signed in: a 401 on everything would have passed every check.
    expect((await fetch(`${baseUrl}/api/session`, { headers: { authorization } })).status).toBe(200);
    const found = existsSync(junitPath) ? findings(readFileSync(junitPath, 'utf8')) : [];
    if (run.code !== 0 && found.length === 0) expect.fail(`schemathesis exited ${run.code} without a report of failures:\n${run.output.slice(-3000)}`);
    expect(
      found.length,
      `schemathesis (seed 20261203) found ${found.length} problem(s); the curl lines carry this run's URL and key, use your own:\n${found.join('\n')}\n`,
    ).toBe(0);
  },
  HARD_TIMEOUT_MS + 30_000,
);
