/**
 * `npm start`'s demo, set up the way a clerk would, so a newcomer's first publish works: the demo
 * profile's connection to the local sandbox entered, tested and enabled; the state's descriptors
 * downloaded; the demo's calendar types and reporting terms mapped. The demo district is clean but
 * for a few instructive problems from the guide's troubleshooting tables, labelled in the data.
 */
import { DISTRICT_CODES } from '../sis/codes.js';
import { findCodeSet, type CodeSetId } from '../publishing/codeSets.js';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { ApiKeySchema } from '../db/entities/auth.js';
import { LeaSchema } from '../db/entities/configuration.js';
import { ProfileSchema } from '../db/entities/profile.js';
import type { SecretBox } from '../db/secrets.js';
import { createApiKey } from '../db/users.js';
import { enableRefusal, enterCredentials, testConnection } from '../api/connections.js';
import type { DirtyProfile } from '../sis/generate.js';

export const DEMO_PROFILE_ID = 'demo';

/**
 * The demo district's problems: few records each, none that stops a school or a calendar, each one
 * a row of the guide's troubleshooting tables. (Every dirty profile at once left nothing downstream
 * publishable: an excluded school, one with a non-numeric number, one whose calendar had no type.)
 */
export const DEMO_PROBLEMS: readonly DirtyProfile[] = [
  'course-without-state-code',
  'section-without-meeting-period',
  'unmapped-local-codes',
  'missing-student-unique-id',
  'staff-without-employment',
];

/** Marks the problem records so a clerk who opens one sees it is there on purpose. */
export async function labelDemoProblems(sisDatabaseUrl: string): Promise<number> {
  const sis = new pg.Client({ connectionString: sisDatabaseUrl });
  await sis.connect();
  try {
    const courses = await sis.query(
      "UPDATE course SET name = left(name || ' (demo: no state course number)', 60) WHERE stateCode IS NULL AND name NOT LIKE '%(demo:%'",
    );
    return courses.rowCount ?? 0;
  } finally {
    await sis.end();
  }
}

/** The demo district's LEA, and the demo profile's connection to it entered, tested and enabled. Says what it did, or why not. */
export async function connectDemo(orm: MikroORM, secrets: SecretBox, sisDatabaseUrl: string, credentials: { key: string; secret: string }): Promise<string> {
  const sis = new pg.Client({ connectionString: sisDatabaseUrl });
  await sis.connect();
  const district = await sis.query<{ number: string; name: string }>('SELECT number, name FROM district ORDER BY districtID LIMIT 1').finally(() => sis.end());
  const row = district.rows[0];
  if (row === undefined) return 'the SIS replica has no district: the demo connection was not entered';
  const em = orm.em.fork();
  const profile = await em.findOne(ProfileSchema, { id: DEMO_PROFILE_ID });
  if (profile === null) return `there is no "${DEMO_PROFILE_ID}" profile: the demo connection was not entered`;
  const lea = (await em.findOne(LeaSchema, { stateNumber: row.number })) ?? em.create(LeaSchema, { id: row.number, name: row.name, stateNumber: row.number });
  // The connection refers to the LEA by id only (no relation for the unit of work to order by): the LEA goes in first.
  await em.flush();
  const connection = await enterCredentials(em, secrets, lea, profile, credentials.key, credentials.secret);
  const tested = await testConnection(secrets, profile, lea, connection);
  if ('noAuthUrl' in tested) return `the "${DEMO_PROFILE_ID}" profile has no API URL: the demo connection was entered but not tested`;
  connection.enabled = enableRefusal(connection) === undefined;
  await em.flush();
  return connection.enabled
    ? `connected the demo profile to ${row.name} (${row.number}): tested and enabled`
    : `the demo connection's test failed: ${tested.message}`;
}

/**
 * The first admin API key, kept in the data dir (0600) so `npm run cli` works right after
 * `npm start` without one in the environment. Created once; a revoked or missing key is replaced.
 */
export async function ensureCliKey(orm: MikroORM, file: string): Promise<string | undefined> {
  const em = orm.em.fork();
  if (existsSync(file)) {
    const token = readFileSync(file, 'utf8').trim();
    const id = /^edx_([A-Za-z0-9_-]{8})_/.exec(token)?.[1];
    if (id !== undefined && (await em.count(ApiKeySchema, { id, revokedAt: null })) > 0) return undefined;
  }
  const key = await createApiKey(em, { name: 'npm start (the CLI on this machine)', role: 'admin' });
  writeFileSync(file, `${key.token}\n`, { mode: 0o600 });
  return key.token;
}

type Call = <T>(method: string, path: string, body?: unknown) => Promise<T>;

function apiCaller(apiUrl: string, token: string): Call {
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text}`);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  };
}

/** The generated district's race codes and TEA's values for them (C304: 01 American Indian … 05 White). */
const DEMO_RACES: Readonly<Record<string, string>> = { I: '01', A: '02', B: '03', P: '04', W: '05' };
const SIX_WEEKS = ['First', 'Second', 'Third', 'Fourth', 'Fifth', 'Sixth'];

/**
 * The demo's other code sets whose local codes share no value with what they stand for (DET for
 * TEA's discipline 27, CLUB for Ed-Fi's Extracurricular Activity, …): a clerk maps them once, and so
 * does the demo — to the value the generator says each code stands for, in this namespace.
 */
const DEMO_CLERK_MAPS: ReadonlyArray<readonly [CodeSetId, string]> = [
  ['disciplines', 'uri://tea.texas.gov/DisciplineDescriptor'],
  ['discipline-action-length-difference-reasons', 'uri://tea.texas.gov/DisciplineActionLengthDifferenceReasonDescriptor'],
  ['cohort-types', 'uri://ed-fi.org/CohortTypeDescriptor'],
  ['participation-codes', 'uri://ed-fi.org/DisciplineIncidentParticipationCodeDescriptor'],
  ['incident-locations', 'uri://ed-fi.org/IncidentLocationDescriptor'],
  ['grade-types', 'uri://ed-fi.org/GradeTypeDescriptor'],
  ['course-attempt-results', 'uri://ed-fi.org/CourseAttemptResultDescriptor'],
  ['attendance-categories', 'uri://ed-fi.org/AttendanceEventCategoryDescriptor'],
];

/**
 * Over the running API, as a clerk would after enabling the connection: Download all, then map
 * what the Organization group needs (regular calendars to TEA 01, six-weeks reporting terms to
 * Ed-Fi's grading periods). Says what it did.
 */
export async function downloadAndMapDemo(apiUrl: string, token: string, schoolYear: number, timeoutMs = 180_000): Promise<string> {
  const call = apiCaller(apiUrl, token);
  const base = `/api/profiles/${DEMO_PROFILE_ID}`;
  const since = Date.now();
  const { categories } = await call<{ categories: string[] }>('POST', `${base}/downloads`, { schoolYear });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await call<Array<{ category: string; status: string; message: string | null; lastActivity: string }>>(
      'GET',
      `${base}/downloads?schoolYear=${schoolYear}`,
    );
    const finished = rows.filter((r) => ['done', 'failed', 'stopped'].includes(r.status) && Date.parse(r.lastActivity) >= since);
    const failed = finished.filter((r) => r.status !== 'done');
    if (failed.length > 0) return `the demo download failed: ${failed.map((r) => `${r.category}: ${r.message ?? r.status}`).join('; ')}`;
    if (finished.length >= categories.length) break;
    if (Date.now() > deadline) return `the demo download did not finish within ${timeoutMs / 1000} s; see the Download page`;
    await new Promise((r) => setTimeout(r, 500));
  }
  // Reading the code sets pre-maps every local code whose value matches a downloaded descriptor.
  await call('GET', `${base}/code-sets`);
  await call('PUT', `${base}/code-sets/calendar-types/mappings`, {
    code: 'REG',
    target: { namespace: 'uri://tea.texas.gov/CalendarTypeDescriptor', codeValue: '01' },
  });
  // The demo's race codes share no code value with TEA's (C304), so a clerk maps them once; so does the demo.
  for (const [code, codeValue] of Object.entries(DEMO_RACES))
    await call('PUT', `${base}/code-sets/races/mappings`, { code, target: { namespace: 'uri://tea.texas.gov/RaceDescriptor', codeValue } });
  let terms = 0;
  for (const t of await call<Array<{ code: string; schoolId: number }>>('GET', `${base}/code-sets/reporting-terms/codes`)) {
    const n = /^SW([1-6])$/.exec(t.code)?.[1];
    if (n === undefined) continue;
    await call('PUT', `${base}/code-sets/reporting-terms/mappings`, {
      code: t.code,
      schoolId: t.schoolId,
      target: { namespace: 'uri://ed-fi.org/GradingPeriodDescriptor', codeValue: `${SIX_WEEKS[Number(n) - 1]} Six Weeks` },
    });
    terms++;
  }
  let codes = 0;
  for (const [codeSet, namespace] of DEMO_CLERK_MAPS) {
    const category = findCodeSet(codeSet)?.localCategory;
    for (const c of DISTRICT_CODES.filter((x) => x.category === category && x.stateCode !== null && x.stateCode !== x.code)) {
      await call('PUT', `${base}/code-sets/${codeSet}/mappings`, { code: c.code, target: { namespace, codeValue: c.stateCode } });
      codes++;
    }
  }
  return `downloaded ${categories.join(', ')} and mapped the demo's regular calendars, races and ${terms} reporting terms (and ${codes} codes of ${DEMO_CLERK_MAPS.length} other code sets)`;
}
