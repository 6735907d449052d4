/**
 * Student Grades and Student Transcripts end to end on a real Temporal server, Postgres and the
 * Ed-Fi sandbox. Grades are off until the profile's PublishGrades setting is on (the guide: not
 * collected by TEA, disabled by a setting); they wait while their grading period's code is not
 * mapped under Reporting Terms and leave out the Excluded Reporting Terms. Transcripts send the
 * current year's academic records and completed courses. Both offer the guide's nightly mode, Now –
 * Missing: what the ODS lacks, no updates.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import type { EdfiClient } from '../edfi/client/api.js';
import type { asClient } from '../test/auth.js';
import { districtOnStack, ORGANIZATION_CATEGORIES, type DistrictOnStack } from '../test/district.js';
import { catalogRecords, mapCodes, odsRecords, publishAndWait, type RecordRow } from '../test/publishing.js';
import { UNIQUE_ID_MISSING } from '../resources/students.js';
import { excludedReportingTerm, gradingPeriodNotMapped } from '../resources/grades.js';
import { GRADES_OFF } from '../publishing/profileScope.js';

let state: EdfiClient;
let sis: pg.Client;
let call: ReturnType<typeof asClient>;
const YEAR = 2025;
const P = 'grd';
const EDFI = (name: string): string => `uri://ed-fi.org/${name}Descriptor`;

/** How a run read one resource (its workflow's result). */
type Extraction = { resource: string; mode: 'changes' | 'full' | 'status'; staged: number; why?: string };

async function publish(category: string, option = 'changes'): Promise<Extraction[]> {
  const run = await publishAndWait(call, P, { category, option, schoolYear: YEAR }, 240_000);
  expect(run.outcome, `${category} ${option}: ${run.detail ?? ''}`).toBe('completed');
  return ((await district!.h.client.workflow.getHandle(run.workflowId).result()) as { extractions?: Extraction[] }).extractions ?? [];
}

const records = async (resource: string): Promise<RecordRow[]> => [...(await catalogRecords(call, P, resource, YEAR)).values()];
const byStatus = (rows: readonly RecordRow[], status: string): RecordRow[] => rows.filter((r) => r.status === status);

let district: DistrictOnStack | undefined;

beforeAll(async () => {
  district = await districtOnStack({
    profileId: P,
    name: 'Grades ISD',
    schoolYear: YEAR,
    dirty: ['missing-student-unique-id'],
    publish: [...ORGANIZATION_CATEGORIES, 'student-identification', 'enrollment-demographics', 'student-sections'],
  });
  ({ state, sis, call } = district);
  await mapCodes(call, P, 'grade-types', [
    { code: 'GP', namespace: EDFI('GradeType'), codeValue: 'Grading Period' },
    { code: 'SEM', namespace: EDFI('GradeType'), codeValue: 'Semester' },
  ]);
  await mapCodes(call, P, 'course-attempt-results', [
    { code: 'P', namespace: EDFI('CourseAttemptResult'), codeValue: 'Pass' },
    { code: 'F', namespace: EDFI('CourseAttemptResult'), codeValue: 'Fail' },
    { code: 'I', namespace: EDFI('CourseAttemptResult'), codeValue: 'Incomplete' },
  ]);
}, 400_000);

afterAll(async () => {
  await district?.close();
});

describe('Student Grades', () => {
  it('are off until PublishGrades is on: the dashboard says why and a run publishes none', async () => {
    const dashboard = (await call(`/api/profiles/${P}/dashboard?schoolYear=${YEAR}`)).json<{
      groups: Array<{ categories: Array<{ id: string; active: string; inactiveWhy: string[] }> }>;
    }>();
    const grades = dashboard.groups.flatMap((g) => g.categories).find((c) => c.id === 'student-grades');
    expect(grades).toMatchObject({ active: 'no', inactiveWhy: [GRADES_OFF] });
    await publish('student-grades', 'all');
    expect(await records('grades')).toHaveLength(0);
    expect(await odsRecords(state, 'ed-fi/grades')).toHaveLength(0);
  });

  it('wait on their grading period until its code is mapped under Reporting Terms, then publish without the Excluded Reporting Terms', async () => {
    const on = await call({ method: 'PUT', url: `/api/profiles/${P}/settings`, payload: { PublishGrades: true } });
    expect(on.statusCode, on.body).toBe(200);
    await publish('student-grades', 'all');
    const waiting = await records('grades');
    const inSis = (await sis.query<{ n: number }>('SELECT count(*)::int AS n FROM gradingscore')).rows[0].n;
    expect(waiting).toHaveLength(inSis);
    for (const g of waiting.filter((r) => r.statusDescription !== UNIQUE_ID_MISSING))
      expect(g.statusDescription).toMatch(/^Grading Period record: the grading period code "SW\d"/);
    expect(waiting.find((r) => r.statusDescription !== UNIQUE_ID_MISSING)?.statusDescription).toMatch(/SW\d/);

    // The clerk maps each school's six-weeks codes, and excludes the first six weeks of one school.
    const schools = (
      await sis.query<{ id: number }>('SELECT DISTINCT schoolID AS id FROM localcode WHERE category = $1 ORDER BY 1', ['gradingPeriod'])
    ).rows.map((r) => r.id);
    const SIX = ['First', 'Second', 'Third', 'Fourth', 'Fifth', 'Sixth'];
    for (const schoolId of schools)
      for (const [i, name] of SIX.entries()) {
        const res = await call({
          method: 'PUT',
          url: `/api/profiles/${P}/code-sets/reporting-terms/mappings`,
          payload: { code: `SW${i + 1}`, schoolId, target: { namespace: EDFI('GradingPeriod'), codeValue: `${name} Six Weeks` } },
        });
        expect(res.statusCode, res.body).toBe(200);
      }
    const excluded = await call({
      method: 'PUT',
      url: `/api/profiles/${P}/code-sets/excluded-reporting-terms/mappings`,
      payload: { code: 'SW1', schoolId: schools[0], target: { namespace: EDFI('GradingPeriod'), codeValue: 'First Six Weeks' } },
    });
    expect(excluded.statusCode, excluded.body).toBe(200);
    await publish('organization-calendars');
    expect(byStatus(await records('gradingPeriods'), 'published').length).toBeGreaterThan(0);
    await publish('student-grades');

    const rows = await records('grades');
    const firstSixWeeks = new Set(
      (
        await sis.query<{ id: number }>(
          `SELECT g.scoreID AS id FROM gradingscore g JOIN gradingperiod gp USING (gradingPeriodID) JOIN section x ON x.sectionID = g.sectionID
             JOIN course co ON co.courseID = x.courseID JOIN calendar c ON c.calendarID = co.calendarID WHERE gp.code = 'SW1' AND c.schoolID = $1`,
          [schools[0]],
        )
      ).rows.map((r) => String(r.id)),
    );
    expect(firstSixWeeks.size).toBeGreaterThan(0);
    for (const r of rows) {
      if (firstSixWeeks.has(r.sourceKey)) expect(r.statusDescription).toBe(excludedReportingTerm('SW1'));
      else if (r.status !== 'published') expect(r.statusDescription, r.status).toBe(UNIQUE_ID_MISSING);
    }
    const published = byStatus(rows, 'published');
    expect(published.length).toBeGreaterThan((rows.length - firstSixWeeks.size) * 0.8);
    const sent = await odsRecords(state, 'ed-fi/grades');
    expect(sent).toHaveLength(published.length);
    expect(sent[0]).toMatchObject({
      gradeTypeDescriptor: expect.stringMatching(/GradeTypeDescriptor#(Grading Period|Semester)$/) as string,
      gradingPeriodReference: { gradingPeriodDescriptor: expect.stringMatching(/Six Weeks$/) as string },
    });
    expect(gradingPeriodNotMapped('SW1')).toContain('Reporting Terms');
  }, 400_000);
});

describe('Student Transcripts', () => {
  it("publishes the current year's academic records and completed courses on them", async () => {
    await publish('student-transcripts', 'all');
    const academic = await records('studentAcademicRecords');
    const courses = await records('courseTranscripts');
    const count = async (table: string): Promise<number> =>
      (await sis.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE endYear = $1`, [YEAR])).rows[0].n;
    expect(academic).toHaveLength(await count('academicrecord'));
    expect(courses).toHaveLength(await count('transcriptcourse'));
    expect(courses.length).toBeGreaterThan(0);
    for (const r of academic.filter((x) => x.status !== 'published')) expect(r.statusDescription).toBe(UNIQUE_ID_MISSING);
    for (const r of courses.filter((x) => x.status !== 'published'))
      expect(r.statusDescription === UNIQUE_ID_MISSING || r.statusDescription?.startsWith('Course record: the course'), r.statusDescription ?? '').toBe(true);
    expect(await odsRecords(state, 'ed-fi/studentAcademicRecords')).toHaveLength(byStatus(academic, 'published').length);
    const sent = await odsRecords(state, 'ed-fi/courseTranscripts');
    expect(sent).toHaveLength(byStatus(courses, 'published').length);
    expect(sent[0]).toMatchObject({
      courseAttemptResultDescriptor: expect.stringMatching(/CourseAttemptResultDescriptor#(Pass|Fail)$/) as string,
      studentAcademicRecordReference: { schoolYear: YEAR, termDescriptor: EDFI('Term') + '#Fall Semester' },
    });
  });

  it('Now – Missing (the nightly mode) sends a course the ODS lacks and leaves a changed one for the weekend run', async () => {
    const one = (
      await sis.query<{ id: number; percent: number }>(
        `SELECT t.transcriptID AS id, t.percent::float8 AS percent FROM transcriptcourse t JOIN student st ON st.personID = t.personID
          WHERE t.endYear = $1 AND st.stateID IS NOT NULL AND t.stateCode IS NOT NULL AND t.result = 'P' ORDER BY t.transcriptID LIMIT 1`,
        [YEAR],
      )
    ).rows[0];
    const added = (
      await sis.query<{ id: number }>(
        `INSERT INTO transcriptcourse (personID, schoolID, endYear, term, grade, courseNumber, courseName, stateCode, score, percent, creditsAttempted, creditsEarned, result)
         SELECT personID, schoolID, endYear, term, grade, courseNumber, courseName, stateCode, 'I', NULL, creditsAttempted, 0, 'I' FROM transcriptcourse WHERE transcriptID = $1
         RETURNING transcriptID AS id`,
        [one.id],
      )
    ).rows[0];
    await sis.query('UPDATE transcriptcourse SET percent = percent - 1 WHERE transcriptID = $1', [one.id]);
    const edfiIdOf = async (key: number): Promise<string | null | undefined> =>
      (await records('courseTranscripts')).find((r) => r.sourceKey === String(key))?.edfiId;
    const changedInOds = async (): Promise<unknown> => {
      const id = await edfiIdOf(one.id);
      return (await odsRecords(state, 'ed-fi/courseTranscripts')).find((t) => t.id === id)?.finalNumericGradeEarned;
    };

    const neverPublished = (await records('courseTranscripts')).filter((r) => r.edfiId === null).length;
    expect(neverPublished, 'transcripts waiting on a Unique ID').toBeGreaterThan(0);
    const read = await publish('student-transcripts', 'missing');
    // Traced from the SIS event queue since Now – All (a mark of its own): the two courses the events
    // name and the ones the ODS never got, not every transcript of the district.
    expect(read.find((x) => x.resource === 'ed-fi/courseTranscripts')).toEqual({
      resource: 'ed-fi/courseTranscripts',
      mode: 'changes',
      staged: 2 + neverPublished,
    });
    expect(read.find((x) => x.resource === 'ed-fi/studentAcademicRecords')).toMatchObject({ mode: 'changes' });
    expect((await records('courseTranscripts')).find((r) => r.sourceKey === String(added.id))?.status).toBe('published');
    expect(await changedInOds()).toBe(one.percent);

    await publish('student-transcripts', 'changes');
    expect(await changedInOds()).toBe(one.percent - 1);
  });
});
