/**
 * The Students group end to end on a real Temporal server, Postgres and the Ed-Fi sandbox with
 * relationship authorization on: Student ID and School Enrollment from an empty ODS, the interplay
 * between them converging with no clerk action (a student refused for want of an enrollment is
 * retried as soon as that student's enrollment publishes), a Unique ID change, a school change, the
 * ExcludeStudentsWithoutUniqueIDs setting, and no student data in the Temporal histories.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import type { EdfiClient } from '../edfi/client/api.js';
import type { Sandbox } from '../sandbox/server.js';
import type { asClient } from '../test/auth.js';
import { districtOnStack, type DistrictOnStack } from '../test/district.js';
import type { ApiHarness } from '../test/apiHarness.js';
import { catalogRecords, publishAndWait, type RecordRow, odsRecords } from '../test/publishing.js';
import { historySteps, historyText, type HistoryStep } from '../test/history.js';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { WORKFLOWS_PATH } from '../worker/createWorkers.js';
import type { BatchesPlanned } from '../temporal/contract.js';
import { EXCLUDED_WITHOUT_UNIQUE_ID, UNIQUE_ID_MISSING } from '../resources/students.js';
import { dependencyRetriesWorkflowId, publishQueueWorkflowId } from '../temporal/ids.js';
import { FIRST_STREAMED_BATCH, streamedBatchSize } from '../activities/publishing/streamPlan.js';
import { BULK_RETRY_THRESHOLD } from '../publishing/dependencyTimetable.js';

let h: ApiHarness;
let sandbox: Sandbox;
let state: EdfiClient;
let sis: pg.Client;
let call: ReturnType<typeof asClient>;
const YEAR = 2025;
const P = 'stu';
/** Workflow ids of the runs this file started: their histories are searched for student data at the end. */
const runs: string[] = [];

async function publish(category: string, option = 'changes'): Promise<void> {
  const run = await publishAndWait(call, P, { category, option, schoolYear: YEAR }, 240_000);
  runs.push(run.workflowId);
  expect(run.outcome, `${category} ${option}: ${run.detail ?? ''}`).toBe('completed');
}

const inOds = (resource: string): Promise<Array<Record<string, unknown>>> => odsRecords(state, resource);

const records = async (resource: string): Promise<RecordRow[]> => [...(await catalogRecords(call, P, resource, YEAR)).values()];
const byStatus = (rows: readonly RecordRow[], status: string): RecordRow[] => rows.filter((r) => r.status === status);

/** Waits (bounded) until `ok` holds, looking every half second; answers how long it took. */
async function until(what: string, ok: () => Promise<boolean>, withinMs: number): Promise<number> {
  const from = Date.now();
  while (!(await ok())) {
    if (Date.now() - from > withinMs) throw new Error(`${what}: not within ${withinMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
  return Date.now() - from;
}

let district: DistrictOnStack | undefined;

beforeAll(async () => {
  // Bulk wakes of at most 100 records: the 256 woken at once below take several runs, as a storm's do.
  district = await districtOnStack({ profileId: P, name: 'Students ISD', schoolYear: YEAR, dirty: ['missing-student-unique-id'], wakeRunMost: 100 });
  ({ h, sandbox, state, sis, call } = district);
}, 400_000);

afterAll(async () => {
  await district?.close();
});

describe('Student Identification and School Enrollment from an empty ODS', () => {
  it("publishes every enrolled student's Student ID once, and holds those without a Unique ID with the guide's resolution", async () => {
    await publish('student-identification', 'all');
    const rows = await records('students');
    const enrolled = await sis.query<{ n: number; missing: number }>(
      `SELECT count(DISTINCT st.personID)::int AS n, count(DISTINCT st.personID) FILTER (WHERE st.stateID IS NULL)::int AS missing
         FROM student st JOIN enrollment en ON en.personID = st.personID JOIN calendar c ON c.calendarID = en.calendarID WHERE c.endYear = $1`,
      [YEAR],
    );
    expect(rows).toHaveLength(enrolled.rows[0].n);
    const waiting = byStatus(rows, 'dependency');
    expect(waiting.length).toBe(enrolled.rows[0].missing);
    expect(waiting.length).toBeGreaterThan(0);
    for (const r of waiting) expect(r.statusDescription).toBe(UNIQUE_ID_MISSING);
    expect(byStatus(rows, 'published')).toHaveLength(rows.length - waiting.length);
    // The charter campus's waitlist goes out beside them as Student Applications.
    const applications = await records('studentApplications');
    const applied = await sis.query<{ n: number }>('SELECT count(*)::int AS n FROM application WHERE endYear = $1', [YEAR]);
    expect(applications).toHaveLength(applied.rows[0].n);
    expect(byStatus(applications, 'published')).toHaveLength(applications.length);
    expect((await inOds('tx/studentApplications'))[0]?.applicationTypeDescriptor).toBe('uri://tea.texas.gov/ApplicationTypeDescriptor#01');
    // Not yet enrolled in the ODS, the students are invisible to the district's key (a GET filters them out): count what the sandbox holds.
    expect(sandbox.count('ed-fi/students')).toBe(rows.length - waiting.length);
    expect(await inOds('ed-fi/students')).toHaveLength(0);
  });

  it('publishes the enrollments with the mapped entry codes and calendar, claiming each student', async () => {
    await publish('enrollment-demographics', 'all');
    const rows = await records('studentSchoolAssociations');
    const published = byStatus(rows, 'published');
    // Only students without a Unique ID (and unmapped local entry codes) hold enrollments back.
    for (const r of rows.filter((x) => x.status !== 'published'))
      expect(r.statusDescription).toMatch(/^(Student\/Staff Unique ID|Entry Codes|Exit Withdraw Codes): /);
    expect(published.length).toBeGreaterThan(rows.length * 0.9);
    const ods = await inOds('ed-fi/studentSchoolAssociations');
    expect(ods).toHaveLength(published.length);
    const e = ods[0] as { calendarReference?: { calendarCode?: string }; entryTypeDescriptor?: string };
    expect(e.calendarReference?.calendarCode).toBeDefined();
    expect(e.entryTypeDescriptor).toMatch(/^uri:\/\/tea\.texas\.gov\/EntryTypeDescriptor#/);
    // Claimed by their enrollments, the students are now the district's to read.
    const students = await inOds('ed-fi/students');
    expect(students.length).toBeGreaterThanOrEqual(published.length > 0 ? new Set(ods.map((x) => JSON.stringify(x.studentReference))).size : 0);
    const one = students[0] as { _ext?: { TX?: { studentId?: string } }; birthSexDescriptor?: string };
    expect(one._ext?.TX?.studentId).toMatch(/^\d{9}$/);
    expect(one.birthSexDescriptor).toMatch(/^uri:\/\/tea\.texas\.gov\/SexDescriptor#[FM]$/);
  });

  it('publishes the Responsible Organizations: a campus of accountability besides the enrolled one', async () => {
    const rows = await records('studentEducationOrganizationResponsibilityAssociations');
    const inSis = await sis.query<{ n: number }>('SELECT count(*)::int AS n FROM responsibility r JOIN student st ON st.personID = r.personID');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThanOrEqual(inSis.rows[0].n);
    for (const r of rows.filter((x) => x.status !== 'published')) expect(r.statusDescription).toBe(UNIQUE_ID_MISSING);
    const ods = await inOds('ed-fi/studentEducationOrganizationResponsibilityAssociations');
    expect(ods).toHaveLength(byStatus(rows, 'published').length);
    expect(ods[0]?.responsibilityDescriptor).toBe('uri://ed-fi.org/ResponsibilityDescriptor#Accountability');
  });

  it('publishes Student Demographics once the enrollments claimed the students: mapped sex, races and languages, home address', async () => {
    const rows = await records('studentEducationOrganizationAssociations');
    const published = byStatus(rows, 'published');
    expect(published.length).toBeGreaterThan(rows.length * 0.9);
    for (const r of rows.filter((x) => x.status !== 'published'))
      expect(r.statusDescription).toMatch(/^(Student\/Staff Unique ID|Races|Languages|Sex): |Student School Association: /);
    const ods = await inOds('ed-fi/studentEducationOrganizationAssociations');
    expect(ods).toHaveLength(published.length);
    const d = ods[0] as { sexDescriptor?: string; races?: unknown[]; addresses?: unknown[] };
    expect(d.sexDescriptor).toMatch(/SexDescriptor#[FM]$/);
    expect(d.races?.length).toBeGreaterThan(0);
    expect(d.addresses).toHaveLength(1);
  });
});

describe('Contacts and Student Sections', () => {
  it("publishes each enrolled student's contacts and the relationships between them, after the students are claimed", async () => {
    await publish('contacts', 'all');
    const contacts = await records('parents');
    expect(byStatus(contacts, 'published')).toHaveLength(contacts.length);
    const pairs = await records('studentParentAssociations');
    // Only students without a Unique ID hold a relationship back.
    for (const r of pairs.filter((x) => x.status !== 'published')) expect(r.statusDescription).toBe(UNIQUE_ID_MISSING);
    expect(byStatus(pairs, 'published').length).toBeGreaterThan(pairs.length * 0.9);
    const ods = await inOds('ed-fi/studentParentAssociations');
    expect(ods).toHaveLength(byStatus(pairs, 'published').length);
    // Claimed through their students, the contacts are now the district's to read.
    expect((await inOds('ed-fi/parents')).length).toBeGreaterThan(0);
  }, 240_000);

  it("puts each student on their sections' rosters, one record per term the section meets in; a section without a meeting holds its rosters back with the guide's reason", async () => {
    await publish('student-sections', 'all');
    const rows = await records('studentSectionAssociations');
    expect(rows.length).toBeGreaterThan(1000);
    for (const r of rows.filter((x) => x.status !== 'published'))
      expect(r.statusDescription).toMatch(/^(Student\/Staff Unique ID|Missing Section Meeting Record|Section Record)/);
    const published = byStatus(rows, 'published');
    expect(published.length).toBeGreaterThan(rows.length * 0.9);
    expect(sandbox.count('ed-fi/studentSectionAssociations')).toBe(published.length);
  }, 240_000);
});

describe('Prior Year Leavers (Texas)', () => {
  it("publishes last year's leavers at their last school with exit code and October status, their contacts and the relationships", async () => {
    await publish('prior-year-leavers', 'all');
    const leavers = await records('priorYearLeavers');
    const inSis = await sis.query<{ n: number }>('SELECT count(*)::int AS n FROM prioryearleaver WHERE endYear = $1', [YEAR - 1]);
    expect(leavers).toHaveLength(inSis.rows[0].n);
    expect(byStatus(leavers, 'published')).toHaveLength(leavers.length);
    const ods = await inOds('tx/priorYearLeavers');
    expect(ods).toHaveLength(leavers.length);
    expect(ods[0]?.asOfStatusLastFridayOctoberDescriptor).toMatch(/^uri:\/\/tea\.texas\.gov\/AsOfStatusLastFridayOctoberDescriptor#0[1-3]$/);
    expect(ods[0]?.address).toMatchObject({ addressTypeDescriptor: 'uri://ed-fi.org/AddressTypeDescriptor#Home' });
    for (const resource of ['priorYearLeaverParents', 'priorYearLeaverStudentParentAssociations']) {
      const rows = await records(resource);
      expect(rows.length, resource).toBeGreaterThan(0);
      expect(byStatus(rows, 'published'), resource).toHaveLength(rows.length);
    }
  }, 240_000);
});

describe('the Student ID ↔ School Enrollment interplay', () => {
  it("retries a Student ID the ODS refused for want of an enrollment as soon as that student's enrollment publishes, with no clerk action", async () => {
    // Five new students, enrolled in the SIS: their Student IDs go out once (a create needs no relationship)…
    const template = (
      await sis.query<{ personId: number; calendarId: number; structureId: number }>(
        `SELECT en.personID AS "personId", en.calendarID AS "calendarId", en.structureID AS "structureId" FROM enrollment en JOIN calendar c ON c.calendarID = en.calendarID
          JOIN student st ON st.personID = en.personID WHERE c.endYear = $1 AND st.stateID IS NOT NULL AND en.startStatus = '01' AND en.endDate IS NULL ORDER BY en.enrollmentID LIMIT 1`,
        [YEAR],
      )
    ).rows[0];
    const added: number[] = [];
    for (let i = 0; i < 5; i++) {
      const { rows } = await sis.query<{ id: number }>(
        `INSERT INTO student (personID, studentNumber, stateID, ssn, lastName, firstName, birthDate, gender, hispanicEthnicity, raceCodes)
         SELECT n.id, (200000 + n.id)::text, '7' || lpad(n.id::text, 9, '0'), '8' || lpad(n.id::text, 8, '0'), 'Newcomb', 'Ava', '2012-02-02', 'F', false, ARRAY['W']
           FROM (SELECT greatest((SELECT max(personID) FROM student), (SELECT max(personID) FROM contact), (SELECT max(personID) FROM staff)) + 1 AS id) n
         RETURNING personID AS id`,
      );
      added.push(rows[0].id);
      await sis.query(
        `INSERT INTO enrollment (personID, calendarID, structureID, grade, serviceType, startDate, startStatus, noShow, stateExclude)
         SELECT $1, en.calendarID, en.structureID, en.grade, 'P', DATE '2024-10-01', '01', false, false FROM enrollment en WHERE en.personID = $2 LIMIT 1`,
        [rows[0].id, template.personId],
      );
    }
    await publish('student-identification');
    // …then change in the SIS before their enrollments are sent: the update is refused (403) and waits on the student.
    await sis.query(`UPDATE student SET lastName = 'Newcombe' WHERE personID = ANY($1)`, [added]);
    await publish('student-identification');
    const waiting = (await records('students')).filter((r) => added.includes(Number(r.sourceKey)));
    expect(waiting.map((r) => r.status)).toEqual(added.map(() => 'dependency'));
    for (const r of waiting) expect(r.statusDescription).toMatch(/Student School Association: /);
    // The clerk publishes enrollments; nothing else: the waiting Student IDs follow within seconds, not at their 10-minute timer.
    await publish('enrollment-demographics');
    const took = await until(
      'the refused Student IDs published',
      async () => (await records('students')).filter((r) => added.includes(Number(r.sourceKey))).every((r) => r.status === 'published'),
      90_000,
    );
    console.log(`students interplay: refused Student IDs published ${(took / 1000).toFixed(1)} s after their enrollments' run`);
    const names = (await inOds('ed-fi/students')).filter((s) => s.lastSurname === 'Newcombe');
    expect(names).toHaveLength(5);
  }, 300_000);

  it('wakes hundreds of refused Student IDs in Now – Dependencies runs of a bounded size that read only the ready ones by key, with no clerk action', async () => {
    const template = (
      await sis.query<{ personId: number }>(
        `SELECT en.personID AS "personId" FROM enrollment en JOIN calendar c ON c.calendarID = en.calendarID JOIN student st ON st.personID = en.personID
          WHERE c.endYear = $1 AND st.stateID IS NOT NULL AND en.startStatus = '01' AND en.endDate IS NULL ORDER BY en.enrollmentID LIMIT 1`,
        [YEAR],
      )
    ).rows[0];
    // Their enrollments go out as the stream's first two batches: the first (128) wakes fewer than the
    // sweeper's bulk threshold (200), which it tries in its own batches; the second (256) more, which
    // it hands to Now – Dependencies runs instead of trying them one by one.
    const [first, second] = [streamedBatchSize(0), streamedBatchSize(1)];
    expect(first).toBeLessThan(BULK_RETRY_THRESHOLD);
    expect(second).toBeGreaterThanOrEqual(BULK_RETRY_THRESHOLD);
    const { rows: made } = await sis.query<{ id: number }>(
      `INSERT INTO student (personID, studentNumber, stateID, ssn, lastName, firstName, birthDate, gender, hispanicEthnicity, raceCodes)
       SELECT b.base + n, (300000 + b.base + n)::text, '6' || lpad((b.base + n)::text, 9, '0'), '5' || lpad((b.base + n)::text, 8, '0'), 'Bulkley', 'Noor', '2011-03-03', 'F', false, ARRAY['A']
         FROM generate_series(1, $1::int) n, (SELECT greatest((SELECT max(personID) FROM student), (SELECT max(personID) FROM contact), (SELECT max(personID) FROM staff)) AS base) b
       RETURNING personID AS id`,
      [first + second],
    );
    const added = made.map((r) => r.id);
    await sis.query(
      `INSERT INTO enrollment (personID, calendarID, structureID, grade, serviceType, startDate, startStatus, noShow, stateExclude)
       SELECT p, en.calendarID, en.structureID, en.grade, 'P', DATE '2024-10-02', '01', false, false FROM unnest($1::int[]) p, (SELECT * FROM enrollment WHERE personID = $2 LIMIT 1) en`,
      [added, template.personId],
    );
    await publish('student-identification');
    await sis.query(`UPDATE student SET lastName = 'Bulkleigh' WHERE personID = ANY($1)`, [added]);
    await publish('student-identification');
    const mine = async (): Promise<RecordRow[]> => (await records('students')).filter((r) => added.includes(Number(r.sourceKey)));
    expect((await mine()).map((r) => r.status)).toEqual(added.map(() => 'dependency'));
    type Recent = Array<{ workflowId: string; category: string; option?: string }>;
    const studentWakes = async (): Promise<Recent> =>
      (await call(`/api/profiles/${P}/publish-queue`))
        .json<{ recent: Recent }>()
        .recent.filter((r) => r.category === 'student-identification' && r.option === 'dependencies');
    const earlier = new Set((await studentWakes()).map((r) => r.workflowId));
    await publish('enrollment-demographics');
    await until('the refused Student IDs published', async () => (await mine()).every((r) => r.status === 'published'), 120_000);
    expect((await inOds('ed-fi/students')).filter((s) => s.lastSurname === 'Bulkleigh')).toHaveLength(first + second);
    // The sweeper's runs: the queue's dependency trigger, reading by key only what was ready — not every student.
    const staged = new Map<string, number>();
    // The runs that published them may still be closing when the last record shows published.
    await until(
      "the sweeper's Now – Dependencies runs that read the second batch's students in the queue's list",
      async () => {
        for (const w of await studentWakes()) {
          if (earlier.has(w.workflowId) || staged.has(w.workflowId)) continue;
          const desc = await h.client.workflow.getHandle(w.workflowId).describe();
          expect(desc.searchAttributes.Trigger).toEqual(['dependencies']);
          const result = (await h.client.workflow.getHandle(w.workflowId).result()) as {
            extractions: Array<{ resource: string; mode: string; staged: number }>;
          };
          const students = result.extractions.find((x) => x.resource === 'ed-fi/students');
          expect(students?.mode).toBe('status');
          staged.set(w.workflowId, students?.staged ?? 0);
          runs.push(w.workflowId);
        }
        return [...staged.values()].reduce((a, b) => a + b, 0) >= second;
      },
      30_000,
    );
    // At most 100 each (this district's bound): several short runs, not one as large as everything woken.
    expect(staged.size).toBeGreaterThanOrEqual(3);
    expect(Math.max(...staged.values())).toBeLessThanOrEqual(100);
  }, 300_000);
});

describe("the record lists: the guide's columns", () => {
  interface ListBody {
    total: number;
    columns: Array<{ id: string; label: string }>;
    rows: Array<{ sourceKey: string; display: Record<string, unknown> | null; schoolName: string | null }>;
  }
  const list = async (query: string): Promise<ListBody> => {
    const res = await call(`/api/profiles/${P}/records?schoolYear=${YEAR}&${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<ListBody>();
  };

  it('lists Student IDs with School Name, Student Name, Student UID, District Student Number and Grade Level, sortable and filterable by each', async () => {
    const page = await list('resource=students&status=published&sort=col.studentName&pageSize=500');
    expect(page.columns.map((c) => c.label)).toEqual(['Student Name', 'Student UID', 'District Student Number', 'Grade Level']);
    const names = page.rows.map((r) => String(r.display?.studentName));
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(page.rows[0].schoolName).not.toBeNull();
    const someone = page.rows[3];
    const last = String(someone.display?.studentName).split(' ').pop()!;
    const found = await list(`resource=students&status=published&filter=${encodeURIComponent(`col.studentName:${last}`)}&pageSize=500`);
    expect(found.rows.length).toBeGreaterThan(0);
    for (const r of found.rows) expect(String(r.display?.studentName).toLowerCase()).toContain(last.toLowerCase());
    const byNumber = await list(`resource=students&filter=${encodeURIComponent(`col.studentNumber:${String(someone.display?.studentNumber)}`)}`);
    expect(byNumber.rows.map((r) => r.sourceKey)).toEqual([someone.sourceKey]);
  });

  it("follows the SIS without sending again: a student's new grade level shows in the Student ID list after Now – Changes, the Student ID not re-posted", async () => {
    const { rows } = await sis.query<{ personId: number; enrollmentId: number }>(
      `SELECT en.personID AS "personId", en.enrollmentID AS "enrollmentId" FROM enrollment en JOIN student st ON st.personID = en.personID JOIN calendar c ON c.calendarID = en.calendarID
        WHERE c.endYear = $1 AND st.stateID IS NOT NULL AND en.grade = '09' AND en.endDate IS NULL ORDER BY en.enrollmentID LIMIT 1`,
      [YEAR],
    );
    const { personId, enrollmentId } = rows[0];
    const writes = sandbox.writeRequests();
    await sis.query(`UPDATE enrollment SET grade = '10' WHERE enrollmentID = $1`, [enrollmentId]);
    await publish('student-identification');
    const shown = await list(`resource=students&filter=${encodeURIComponent(`sourceKey:${personId}`)}`);
    expect(shown.rows.find((r) => r.sourceKey === String(personId))?.display?.gradeLevel).toBe('10');
    expect(sandbox.writeRequests()).toBe(writes);
    await sis.query(`UPDATE enrollment SET grade = '09' WHERE enrollmentID = $1`, [enrollmentId]);
  });
});

describe('changes a student goes through', () => {
  it('a Unique ID change: the old Student ID and its enrollments are deleted, the new ones posted — nothing of the old id is left in the ODS', async () => {
    const { rows } = await sis.query<{ personId: number; stateId: string }>(
      `SELECT st.personID AS "personId", st.stateID AS "stateId" FROM student st JOIN enrollment en ON en.personID = st.personID
        WHERE st.stateID IS NOT NULL AND en.startStatus = '01' ORDER BY st.personID LIMIT 1`,
    );
    const { personId, stateId } = rows[0];
    const newId = `5${stateId.slice(1)}`;
    await sis.query('UPDATE student SET stateID = $2 WHERE personID = $1', [personId, newId]);
    await publish('student-identification');
    await publish('enrollment-demographics');
    const students = await inOds('ed-fi/students');
    expect(students.some((s) => s.studentUniqueId === stateId)).toBe(false);
    expect(students.filter((s) => s.studentUniqueId === newId)).toHaveLength(1);
    const enrollments = await inOds('ed-fi/studentSchoolAssociations');
    const of = (id: string) => enrollments.filter((e) => (e.studentReference as { studentUniqueId: string }).studentUniqueId === id);
    expect(of(stateId)).toHaveLength(0);
    expect(of(newId).length).toBeGreaterThan(0);
    const student = (await records('students')).find((r) => r.sourceKey === String(personId))!;
    expect(student.status).toBe('published');
    expect(student.naturalKey.studentUniqueId).toBe(newId);
    // Their contacts' relationships and section rosters went with the old id and follow with the new.
    await publish('contacts');
    await publish('student-sections');
    for (const resource of ['ed-fi/studentParentAssociations', 'ed-fi/studentSectionAssociations', 'ed-fi/studentEducationOrganizationAssociations']) {
      const about = (id: string) => (sent: Array<Record<string, unknown>>) =>
        sent.filter((x) => (x.studentReference as { studentUniqueId: string }).studentUniqueId === id);
      const sent = await inOds(resource);
      expect(about(stateId)(sent), resource).toHaveLength(0);
      expect(about(newId)(sent).length, resource).toBeGreaterThan(0);
    }
  }, 240_000);

  it('a burst of changes: Student IDs go out batch by batch as they are planned, and a Unique ID change among them waits for the whole plan and is re-keyed', async () => {
    const published = (await records('students')).filter((r) => r.status === 'published').map((r) => Number(r.sourceKey));
    // More than one streamed chunk, and the re-keyed student read last (traced keys are read in key order).
    expect(published.length).toBeGreaterThan(FIRST_STREAMED_BATCH);
    const rekeyed = Number(published.map(String).sort().at(-1));
    const { rows } = await sis.query<{ stateId: string }>('SELECT stateID AS "stateId" FROM student WHERE personID = $1', [rekeyed]);
    const oldId = rows[0].stateId;
    const newId = `${oldId.startsWith('9') ? '8' : '9'}${oldId.slice(1)}`;
    await sis.query("UPDATE student SET middleName = 'Burst ' || personID WHERE personID = ANY($1)", [published]);
    await sis.query('UPDATE student SET stateID = $2 WHERE personID = $1', [rekeyed, newId]);
    const run = await publishAndWait(call, P, { category: 'student-identification', option: 'changes', schoolYear: YEAR }, 240_000);
    runs.push(run.workflowId);
    expect(run.outcome, run.detail).toBe('completed');
    // Read as the events traced them; the first chunk reported planned while the rest was read; the
    // re-key (its old record deleted) in the batch planned at the end, its delete before its post.
    expect(await historyText(h.client, run.workflowId)).toContain(`"resource":"ed-fi/students","mode":"changes","staged":${published.length}`);
    const steps = await historySteps(h.client, run.workflowId);
    const ofStudents = (e: HistoryStep): boolean => (e.input as { resource?: string } | undefined)?.resource === 'ed-fi/students';
    // The chunks (growing: streamedBatchSize) before the one holding the re-keyed student stream as batches.
    let streamedChunks = 0;
    for (let read = 0; read + streamedBatchSize(streamedChunks) < published.length; streamedChunks++) read += streamedBatchSize(streamedChunks);
    expect(streamedChunks).toBeGreaterThan(0);
    const reported = steps.filter((e) => e.kind === 'signaled' && e.name === 'batchesPlanned' && ofStudents(e));
    expect(reported.map((e) => (e.input as BatchesPlanned).batches)).toEqual(Array.from({ length: streamedChunks }, (_, i) => i + 1));
    const sends = steps
      .filter((e) => e.kind === 'scheduled' && e.name === 'sendBatch' && ofStudents(e))
      .map((e) => e.input as { batchNo: number; phase: string });
    const last = streamedChunks;
    expect(sends.map((b) => `${b.batchNo} ${b.phase}`).sort()).toEqual(
      [...Array.from({ length: last }, (_, i) => `${i} post`), `${last} delete`, `${last} post`].sort(),
    );
    expect(sends.findIndex((b) => b.batchNo === last && b.phase === 'delete')).toBeLessThan(sends.findIndex((b) => b.batchNo === last && b.phase === 'post'));
    // No local descriptor waited and the students met none: the run went straight to its sends.
    expect(steps.filter((e) => e.kind === 'scheduled' && e.name === 'publishLocalDescriptors')).toEqual([]);
    // Its history replays against the current code (RECORD_FIXTURES=1 keeps it for workflows/replay.test.ts).
    const history = await h.client.workflow.getHandle(run.workflowId).fetchHistory();
    if (process.env.RECORD_FIXTURES === '1')
      writeFileSync(path.resolve(import.meta.dirname, '../test/fixtures/category-publish-traced-streamed-history.json'), historyToJSON(history));
    await Worker.runReplayHistory({ workflowsPath: WORKFLOWS_PATH, replayName: 'category-publish-traced-streamed' }, history);
    const students = await inOds('ed-fi/students');
    const byId = new Map(students.map((s) => [s.studentUniqueId, s]));
    expect(students.filter((s) => s.studentUniqueId === newId)).toHaveLength(1);
    const stateIds = await sis.query<{ personId: number; stateId: string }>(
      'SELECT personID AS "personId", stateID AS "stateId" FROM student WHERE personID = ANY($1)',
      [published],
    );
    for (const { personId, stateId } of stateIds.rows) expect(byId.get(stateId)?.middleName, stateId).toBe(`Burst ${personId}`);
    // The re-keyed student's records follow under the new id, and nothing of the old id is left.
    for (const category of ['enrollment-demographics', 'contacts', 'student-sections']) await publish(category);
    expect((await inOds('ed-fi/students')).some((s) => s.studentUniqueId === oldId)).toBe(false);
    const enrollments = (await inOds('ed-fi/studentSchoolAssociations')).map((e) => (e.studentReference as { studentUniqueId: string }).studentUniqueId);
    expect(enrollments).not.toContain(oldId);
    expect(enrollments).toContain(newId);
  }, 300_000);

  it('a school change: the enrollment at the first school is withdrawn (exit date and code), the one at the new school posted', async () => {
    const { rows } = await sis.query<{ enrollmentId: number; personId: number; stateId: string; schoolId: number }>(
      `SELECT en.enrollmentID AS "enrollmentId", en.personID AS "personId", st.stateID AS "stateId", c.schoolID AS "schoolId"
         FROM enrollment en JOIN calendar c ON c.calendarID = en.calendarID JOIN student st ON st.personID = en.personID
        WHERE c.endYear = $1 AND en.endDate IS NULL AND st.stateID IS NOT NULL AND en.startStatus = '01' ORDER BY en.enrollmentID DESC LIMIT 1`,
      [YEAR],
    );
    const moving = rows[0];
    const other = (
      await sis.query<{ calendarId: number; structureId: number; schoolId: number }>(
        `SELECT c.calendarID AS "calendarId", ss.structureID AS "structureId", c.schoolID AS "schoolId" FROM calendar c JOIN schedulestructure ss ON ss.calendarID = c.calendarID AND ss.isPrimary
          JOIN school s ON s.schoolID = c.schoolID
          WHERE c.endYear = $1 AND c.schoolID <> $2 AND c.type = 'REG' AND NOT c.exclude AND NOT s.exclude AND s.stateSchoolNumber ~ '^[0-9]+$' LIMIT 1`,
        [YEAR, moving.schoolId],
      )
    ).rows[0];
    await sis.query(`UPDATE enrollment SET endDate = DATE '2025-01-10', endStatus = '83' WHERE enrollmentID = $1`, [moving.enrollmentId]);
    await sis.query(
      `INSERT INTO enrollment (personID, calendarID, structureID, grade, serviceType, startDate, startStatus, noShow, stateExclude)
       SELECT personID, $2, $3, grade, 'P', DATE '2025-01-13', '02', false, false FROM enrollment WHERE enrollmentID = $1`,
      [moving.enrollmentId, other.calendarId, other.structureId],
    );
    await publish('enrollment-demographics');
    const mine = (await inOds('ed-fi/studentSchoolAssociations')).filter(
      (e) => (e.studentReference as { studentUniqueId: string }).studentUniqueId === moving.stateId,
    );
    expect(mine).toHaveLength(2);
    const left = mine.find((e) => e.exitWithdrawDate === '2025-01-10');
    expect(left?.exitWithdrawTypeDescriptor).toBe('uri://tea.texas.gov/ExitWithdrawTypeDescriptor#83');
    const joined = mine.find((e) => e.entryDate === '2025-01-13');
    expect(joined?.entryTypeDescriptor).toBe('uri://tea.texas.gov/EntryTypeDescriptor#02');
  }, 240_000);
});

describe('a student deleted in the SIS', () => {
  it('leaves the ODS with everything about them, deepest first (the ODS refuses to delete a student still referred to), and their other records are forgotten', async () => {
    const { rows } = await sis.query<{ personId: number; stateId: string }>(
      `SELECT st.personID AS "personId", st.stateID AS "stateId" FROM student st
        WHERE st.stateID IS NOT NULL AND EXISTS (SELECT 1 FROM roster r WHERE r.personID = st.personID) AND EXISTS (SELECT 1 FROM relatedpair p WHERE p.personID1 = st.personID)
        ORDER BY st.personID DESC LIMIT 1`,
    );
    const { personId, stateId } = rows[0];
    const about = async (resource: string) =>
      (await inOds(resource)).filter((x) => (x.studentReference as { studentUniqueId: string } | undefined)?.studentUniqueId === stateId);
    expect((await about('ed-fi/studentSchoolAssociations')).length).toBeGreaterThan(0);
    for (const table of ['roster', 'responsibility', 'enrollment']) await sis.query(`DELETE FROM ${table} WHERE personID = $1`, [personId]);
    await sis.query('DELETE FROM relatedpair WHERE personID1 = $1', [personId]);
    await sis.query('DELETE FROM student WHERE personID = $1', [personId]);
    await publish('student-identification');
    const student = (await records('students')).find((r) => r.sourceKey === String(personId));
    expect(student?.status).toBe('deleted');
    for (const resource of [
      'ed-fi/studentSchoolAssociations',
      'ed-fi/studentEducationOrganizationAssociations',
      'ed-fi/studentSectionAssociations',
      'ed-fi/studentParentAssociations',
    ])
      expect(await about(resource), resource).toHaveLength(0);
    // The categories holding them run next (queued by the removal): gone from the SIS too, they leave the catalog.
    for (const category of ['enrollment-demographics', 'contacts', 'student-sections']) await publish(category);
    const left = (await records('studentSchoolAssociations')).filter((r) => r.naturalKey.studentUniqueId === stateId && r.status !== 'deleted');
    expect(left).toHaveLength(0);
  }, 300_000);
});

describe('ExcludeStudentsWithoutUniqueIDs', () => {
  it('on, students without a Unique ID (and their enrollments) leave the dependencies and are listed as excluded with the reason; off again, they wait again', async () => {
    const waiting = byStatus(await records('students'), 'dependency').map((r) => r.sourceKey);
    expect(waiting.length).toBeGreaterThan(0);
    const setting = async (on: boolean): Promise<void> => {
      const set = await call({ method: 'PUT', url: `/api/profiles/${P}/settings`, payload: { ExcludeStudentsWithoutUniqueIDs: on } });
      expect(set.statusCode, set.body).toBe(200);
      await publish('student-identification');
      await publish('enrollment-demographics');
    };
    await setting(true);
    const students = await records('students');
    expect(byStatus(students, 'dependency')).toHaveLength(0);
    const excluded = byStatus(students, 'excluded');
    expect(excluded.map((r) => r.sourceKey).sort()).toEqual([...waiting].sort());
    for (const r of excluded) expect(r.statusDescription).toBe(EXCLUDED_WITHOUT_UNIQUE_ID);
    const enrollments = await records('studentSchoolAssociations');
    expect(enrollments.filter((r) => r.statusDescription === UNIQUE_ID_MISSING)).toHaveLength(0);
    expect(byStatus(enrollments, 'excluded').length).toBeGreaterThan(0);
    // The clerk's list of what is left out, by the Excluded filter.
    const listed = (await call(`/api/profiles/${P}/records?resource=students&schoolYear=${YEAR}&status=excluded&pageSize=500`)).json<{ total: number }>();
    expect(listed.total).toBe(excluded.length);
    // Off again: the same students wait for their Unique IDs once more (and are retried), nothing was sent meanwhile.
    await setting(false);
    expect(
      byStatus(await records('students'), 'dependency')
        .map((r) => r.sourceKey)
        .sort(),
    ).toEqual([...waiting].sort());
    await setting(true);
  }, 400_000);
});

describe('the dashboard', () => {
  it('shows the Students group ✓ once every record of the district is sent (students without a Unique ID excluded)', async () => {
    for (const category of ['student-identification', 'enrollment-demographics', 'contacts', 'student-sections', 'prior-year-leavers']) await publish(category);
    const view = (await call(`/api/profiles/${P}/dashboard?schoolYear=${YEAR}`)).json<{
      groups: Array<{ id: string; categories: Array<{ id: string; mark: string | null; entities: Array<{ resource: string; mark: string | null }> }> }>;
    }>();
    const group = view.groups.find((g) => g.id === 'students')!;
    const marks = Object.fromEntries(group.categories.flatMap((c) => c.entities.map((e) => [e.resource, e.mark])));
    expect(marks).toEqual({
      students: 'published',
      studentApplications: 'published',
      studentSchoolAssociations: 'published',
      studentEducationOrganizationAssociations: 'published',
      studentEducationOrganizationResponsibilityAssociations: 'published',
      parents: 'published',
      studentParentAssociations: 'published',
      studentSectionAssociations: 'published',
      priorYearLeavers: 'published',
      priorYearLeaverParents: 'published',
      priorYearLeaverStudentParentAssociations: 'published',
    });
    expect(group.categories.map((c) => c.mark)).toEqual(group.categories.map(() => 'published'));
  }, 400_000);
});

describe('student data stays out of Temporal', () => {
  it('no name or Unique ID sent appears in the decoded histories of the runs, the queue or the dependency sweeper', async () => {
    const sent = await inOds('ed-fi/students');
    const secrets = new Set<string>();
    for (const s of sent) for (const v of [s.studentUniqueId, s.firstName, s.lastSurname]) if (typeof v === 'string' && v.length >= 4) secrets.add(v);
    const found: string[] = [];
    for (const id of [...runs, dependencyRetriesWorkflowId(P), publishQueueWorkflowId(P)]) {
      const text = await historyText(h.client, id);
      for (const v of secrets) if (text.includes(v)) found.push(`${v} in ${id}`);
    }
    expect(found).toEqual([]);
  }, 240_000);
});
