/**
 * Attendance end to end on a real Temporal server, Postgres and the Ed-Fi sandbox: every daily and
 * period attendance exception of the school year, each in the session (or section) of its day, and
 * the guide's nightly mode — Now – Last 14 Days — which after a mutation day sends the day's new
 * exceptions and the absences excused since, and leaves anything older to the weekend's Now – Changes,
 * tracing them from the SIS event queue rather than reading the whole window.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { WORKFLOWS_PATH } from '../worker/createWorkers.js';
import type pg from 'pg';
import type { EdfiClient } from '../edfi/client/api.js';
import type { asClient } from '../test/auth.js';
import { districtOnStack, ORGANIZATION_CATEGORIES, type DistrictOnStack } from '../test/district.js';
import { catalogRecords, mapCodes, odsRecords, publishAndWait, type FinishedRun, type RecordRow } from '../test/publishing.js';
import { historySteps } from '../test/history.js';
import type { BatchesPlanned } from '../temporal/contract.js';
import { UNIQUE_ID_MISSING } from '../resources/students.js';
import { mutateDay } from '../sis/index.js';
import { recentSince } from '../publishing/publishOptions.js';
import { streamedBatchSize } from '../activities/publishing/streamPlan.js';

let state: EdfiClient;
let sis: pg.Client;
let call: ReturnType<typeof asClient>;
let sisUrl: string;
const YEAR = 2025;
const P = 'att';
/** How a run read one resource (its workflow's result). */
type Extraction = { resource: string; mode: 'changes' | 'full' | 'status'; staged: number; why?: string };
const CATEGORY = (name: string): string => `uri://ed-fi.org/AttendanceEventCategoryDescriptor#${name}`;

async function publish(option: string): Promise<FinishedRun> {
  const run = await publishAndWait(call, P, { category: 'attendance', option, schoolYear: YEAR }, 300_000);
  expect(run.outcome, `attendance ${option}: ${run.detail ?? ''}`).toBe('completed');
  return run;
}

let firstRun: FinishedRun | undefined;

const records = async (resource: string): Promise<Map<string, RecordRow>> => catalogRecords(call, P, resource, YEAR);

let district: DistrictOnStack | undefined;

beforeAll(async () => {
  district = await districtOnStack({
    profileId: P,
    name: 'Attendance ISD',
    schoolYear: YEAR,
    dirty: ['missing-student-unique-id'],
    publish: [...ORGANIZATION_CATEGORIES, 'student-identification', 'enrollment-demographics'],
  });
  ({ state, sis, call, sisUrl } = district);
  await mapCodes(call, P, 'attendance-categories', [
    { code: 'A', namespace: 'uri://ed-fi.org/AttendanceEventCategoryDescriptor', codeValue: 'Unexcused Absence' },
    { code: 'E', namespace: 'uri://ed-fi.org/AttendanceEventCategoryDescriptor', codeValue: 'Excused Absence' },
    { code: 'T', namespace: 'uri://ed-fi.org/AttendanceEventCategoryDescriptor', codeValue: 'Tardy' },
    // ED (early departure) left unmapped, as a district's first publish often has a code or two: a local descriptor.
  ]);
}, 400_000);

afterAll(async () => {
  await district?.close();
});

describe('Attendance', () => {
  it('publishes every daily and period attendance exception of the school year, in the session or section of its day', async () => {
    firstRun = await publish('all');
    for (const [resource, path, table] of [
      ['studentSchoolAttendanceEvents', 'ed-fi/studentSchoolAttendanceEvents', 'attendance'],
      ['studentSectionAttendanceEvents', 'ed-fi/studentSectionAttendanceEvents', 'sectionattendance'],
    ] as const) {
      const rows = [...(await records(resource)).values()];
      const inSis = (await sis.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;
      expect(rows, resource).toHaveLength(inSis);
      for (const r of rows.filter((x) => x.status !== 'published')) expect(r.statusDescription, resource).toBe(UNIQUE_ID_MISSING);
      const published = rows.filter((r) => r.status === 'published').length;
      expect(published, resource).toBeGreaterThan(rows.length * 0.85);
      expect(await odsRecords(state, path), resource).toHaveLength(published);
    }
    const dailies = await odsRecords(state, 'ed-fi/studentSchoolAttendanceEvents');
    const daily = dailies.find((d) => !String(d.attendanceEventCategoryDescriptor).endsWith('#ED'));
    expect(daily).toMatchObject({
      attendanceEventCategoryDescriptor: expect.stringMatching(/^uri:\/\/ed-fi\.org\/AttendanceEventCategoryDescriptor#/) as string,
      sessionReference: { schoolYear: YEAR, sessionName: expect.stringMatching(/^2024-2025 (Fall|Spring) Semester$/) as string },
    });
  }, 400_000);

  it('sends a never-published resource batch by batch while the rest of it is still extracted, publishing the local descriptors it meets as it goes', async () => {
    const steps = await historySteps(district!.h.client, firstRun!.workflowId);
    for (const [resource, table] of [
      ['ed-fi/studentSectionAttendanceEvents', 'sectionattendance'],
      // The daily exceptions meet the unmapped ED in their first batches: the stream goes on once it is published.
      ['ed-fi/studentSchoolAttendanceEvents', 'attendance'],
    ] as const) {
      const extract = steps.find((e) => e.kind === 'scheduled' && e.name === 'extractAndPlan' && (e.input as { resource: string }).resource === resource);
      const extracted = steps.find((e) => e.kind === 'completed' && e.scheduledEventId === extract?.eventId);
      const sends = steps.filter((e) => e.kind === 'scheduled' && e.name === 'sendBatch' && (e.input as { resource: string }).resource === resource);
      const reported = steps.filter((e) => e.kind === 'signaled' && e.name === 'batchesPlanned' && (e.input as BatchesPlanned).resource === resource);
      expect(extracted, `${resource}: the extract completed`).toBeDefined();
      // A small first batch, doubling to batches of 2,000; all but the last reported as planned, the last with the result.
      const n = (await sis.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;
      let total = 0;
      for (let left = n; left > 0; total++) left -= streamedBatchSize(total);
      expect(total, resource).toBeGreaterThan(2);
      expect(
        reported.map((e) => (e.input as BatchesPlanned).batches),
        resource,
      ).toEqual(Array.from({ length: total - 1 }, (_, i) => i + 1));
      expect(
        sends.map((e) => (e.input as { batchNo: number }).batchNo).sort((a, b) => a - b),
        resource,
      ).toEqual(Array.from({ length: total }, (_, i) => i));
      expect(sends[0].eventId, `${resource}: the first batch went before the extract ended`).toBeLessThan(extracted!.eventId);
    }
    // The unmapped ED went to the ODS as a local descriptor, and the daily exceptions naming it are published.
    const early = (await odsRecords(state, 'ed-fi/attendanceEventCategoryDescriptors')).filter((d) => d.codeValue === 'ED');
    expect(early, 'the local descriptor ED').toHaveLength(1);
    const withEd = (await odsRecords(state, 'ed-fi/studentSchoolAttendanceEvents')).filter((r) =>
      String(r.attendanceEventCategoryDescriptor).endsWith(`/AttendanceEventCategoryDescriptor#ED`),
    );
    expect(withEd.length, 'records with the local descriptor').toBeGreaterThan(0);
    // Its history replays against the current code (RECORD_FIXTURES=1 keeps it for workflows/replay.test.ts).
    const history = await district!.h.client.workflow.getHandle(firstRun!.workflowId).fetchHistory();
    if (process.env.RECORD_FIXTURES === '1')
      writeFileSync(path.resolve(import.meta.dirname, '../test/fixtures/category-publish-streamed-history.json'), historyToJSON(history));
    await Worker.runReplayHistory({ workflowsPath: WORKFLOWS_PATH, replayName: 'category-publish-streamed' }, history);
  });

  it('Now – Last 14 Days sends a mutation day’s exceptions and the absences excused since, and leaves older changes to Now – Changes', async () => {
    const latestBefore = (await sis.query<{ d: string }>("SELECT to_char(max(date), 'YYYY-MM-DD') AS d FROM attendance")).rows[0].d;
    // An old absence excused directly in the SIS, well before the window.
    const old = (
      await sis.query<{ id: number }>(
        `SELECT a.attendanceID AS id FROM attendance a JOIN student st ON st.personID = a.personID
          WHERE a.code = 'A' AND st.stateID IS NOT NULL AND a.date < $1::date - 30 ORDER BY a.attendanceID LIMIT 1`,
        [latestBefore],
      )
    ).rows[0];
    await sis.query("UPDATE attendance SET code = 'E' WHERE attendanceID = $1", [old.id]);
    // A published exception of the window deleted in the SIS (entered by mistake).
    const mistaken = (
      await sis.query<{ id: number }>(
        `SELECT a.attendanceID AS id FROM attendance a JOIN student st ON st.personID = a.personID
          WHERE st.stateID IS NOT NULL AND a.date >= $1::date ORDER BY a.attendanceID LIMIT 1`,
        [recentSince(latestBefore)],
      )
    ).rows[0];
    const mistakenEdfiId = (await records('studentSchoolAttendanceEvents')).get(String(mistaken.id))?.edfiId;
    expect(mistakenEdfiId).toBeDefined();
    await sis.query('DELETE FROM attendance WHERE attendanceID = $1', [mistaken.id]);
    const day = await mutateDay(sisUrl, { day: 1 });
    expect(day.attendanceEvents).toBeGreaterThan(0);
    expect(day.absencesExcused).toBeGreaterThan(0);

    // Traced from the SIS event queue since Now – All (a mark of the window's own), not read whole.
    const nightly = await publish('recent');
    const modes = (await district!.h.client.workflow.getHandle(nightly.workflowId).result()) as { extractions: Extraction[] };
    for (const resource of ['ed-fi/studentSchoolAttendanceEvents', 'ed-fi/studentSectionAttendanceEvents']) {
      const read = modes.extractions.find((x) => x.resource === resource);
      expect(read, resource).toMatchObject({ mode: 'changes' });
      expect(read!.why, resource).toBeUndefined();
    }
    expect((await odsRecords(state, 'ed-fi/studentSchoolAttendanceEvents')).some((r) => r.id === mistakenEdfiId)).toBe(false);
    const latest = (await sis.query<{ d: string }>("SELECT to_char(max(date), 'YYYY-MM-DD') AS d FROM attendance")).rows[0].d;
    expect(latest > latestBefore).toBe(true);
    const catalog = await records('studentSchoolAttendanceEvents');
    const today = (
      await sis.query<{ id: number; enrolled: boolean }>(
        `SELECT a.attendanceID AS id, st.stateID IS NOT NULL AS enrolled FROM attendance a JOIN student st ON st.personID = a.personID WHERE a.date = $1::date`,
        [latest],
      )
    ).rows;
    expect(today.length).toBeGreaterThan(0);
    // Students the day enrolled or gave a Unique ID are not published yet: their exceptions wait on them.
    const statuses = today.filter((x) => x.enrolled).map((t) => catalog.get(String(t.id))?.status);
    for (const s of statuses) expect(['published', 'dependency']).toContain(s);
    expect(statuses.filter((s) => s === 'published').length).toBeGreaterThan(statuses.length * 0.8);

    const ods = async (id: number): Promise<unknown> => {
      const edfiId = (await records('studentSchoolAttendanceEvents')).get(String(id))?.edfiId;
      return (await odsRecords(state, 'ed-fi/studentSchoolAttendanceEvents')).find((r) => r.id === edfiId)?.attendanceEventCategoryDescriptor;
    };
    // An excused absence is a new identity (the category is part of the key): re-keyed within the window, not outside it.
    const excused = (
      await sis.query<{ id: number }>(
        `SELECT a.attendanceID AS id FROM attendance a JOIN student st ON st.personID = a.personID
          WHERE a.code = 'E' AND st.stateID IS NOT NULL AND a.date >= $1::date AND a.date < $2::date ORDER BY a.attendanceID`,
        [recentSince(latest), latest],
      )
    ).rows;
    expect(excused.length).toBeGreaterThan(0);
    for (const e of excused) expect(await ods(e.id)).toBe(CATEGORY('Excused Absence'));
    expect(await ods(old.id)).toBe(CATEGORY('Unexcused Absence'));

    // Nothing changed since: the next nightly reads nothing.
    const quiet = (await district!.h.client.workflow.getHandle((await publish('recent')).workflowId).result()) as { extractions: Extraction[] };
    for (const read of quiet.extractions) expect(read, read.resource).toMatchObject({ mode: 'changes', staged: 0 });

    await publish('changes');
    expect(await ods(old.id)).toBe(CATEGORY('Excused Absence'));
  }, 400_000);
});
