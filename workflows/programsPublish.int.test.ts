/**
 * Student Programs end to end on a real Temporal server, Postgres and the Ed-Fi sandbox with
 * relationship authorization on: CTE, Language Instruction, Special Education, Child Find and Title
 * I Part A from the programs the district has data for; each waits on its student until the School
 * Enrollment claims them (the guide: programs depend only on the Program Catalog, the Student ID and
 * the School Enrollment) and follows with no clerk action; an unmapped disability is an error naming
 * the code set. Restraint Events (Other group) likewise depend only on the Student ID and the
 * enrollment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import type { EdfiClient } from '../edfi/client/api.js';
import type { asClient } from '../test/auth.js';
import { districtOnStack, ORGANIZATION_CATEGORIES, type DistrictOnStack } from '../test/district.js';
import { catalogRecords, odsRecords, publishAndWait, until, type RecordRow } from '../test/publishing.js';
import { UNIQUE_ID_MISSING } from '../resources/students.js';

let state: EdfiClient;
let sis: pg.Client;
let call: ReturnType<typeof asClient>;
const YEAR = 2025;
const P = 'prg';

/** Each Student Programs entity: its catalog name, SIS table and whether its rows carry begin/end dates. */
const PROGRAMS = [
  { resource: 'studentCTEProgramAssociations', path: 'ed-fi/studentCTEProgramAssociations', table: 'cte', from: 'startDate', to: 'endDate' },
  {
    resource: 'studentLanguageInstructionProgramAssociations',
    path: 'ed-fi/studentLanguageInstructionProgramAssociations',
    table: 'languageprogram',
    from: 'startDate',
    to: 'endDate',
  },
  {
    resource: 'studentSpecialEducationProgramAssociations',
    path: 'ed-fi/studentSpecialEducationProgramAssociations',
    table: 'specialed',
    from: 'startDate',
    to: 'endDate',
  },
  {
    resource: 'studentSpecialEducationProgramEligibilityAssociations',
    path: 'tx/studentSpecialEducationProgramEligibilityAssociations',
    table: 'specialedeligibility',
    from: 'consentDate',
    to: null,
  },
  {
    resource: 'studentTitleIPartAProgramAssociations',
    path: 'ed-fi/studentTitleIPartAProgramAssociations',
    table: 'titleone',
    from: 'startDate',
    to: 'endDate',
  },
] as const;

async function publish(category: string, option = 'changes'): Promise<void> {
  const run = await publishAndWait(call, P, { category, option, schoolYear: YEAR }, 240_000);
  expect(run.outcome, `${category} ${option}: ${run.detail ?? ''}`).toBe('completed');
}

const records = async (resource: string): Promise<RecordRow[]> => [...(await catalogRecords(call, P, resource, YEAR)).values()];
const byStatus = (rows: readonly RecordRow[], status: string): RecordRow[] => rows.filter((r) => r.status === status);

let district: DistrictOnStack | undefined;

beforeAll(async () => {
  district = await districtOnStack({
    profileId: P,
    name: 'Programs ISD',
    schoolYear: YEAR,
    dirty: ['missing-student-unique-id'],
    publish: [...ORGANIZATION_CATEGORIES, 'student-identification'],
  });
  ({ state, sis, call } = district);
}, 400_000);

afterAll(async () => {
  await district?.close();
});

describe('Student Programs', () => {
  it('sends nothing about a student before the School Enrollment claims them: every program waits on its student', async () => {
    await publish('student-programs', 'all');
    for (const p of PROGRAMS) {
      const rows = await records(p.resource);
      expect(rows.length, p.resource).toBeGreaterThan(0);
      for (const r of rows) expect(r.status, `${p.resource} ${r.statusDescription ?? ''}`).toBe('dependency');
    }
  });

  it('publishes every program the district has data for once the enrollments publish, with no clerk action', async () => {
    await publish('enrollment-demographics', 'all');
    await until(
      'the programs published',
      async () => {
        for (const p of PROGRAMS)
          if ((await records(p.resource)).some((r) => r.status === 'dependency' && r.statusDescription !== UNIQUE_ID_MISSING)) return false;
        return true;
      },
      120_000,
    );
    for (const p of PROGRAMS) {
      const inSis = await sis.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${p.table} m JOIN schoolyear sy ON sy.endYear = $1
          WHERE m.${p.from} <= sy.endDate ${p.to === null ? '' : `AND (m.${p.to} IS NULL OR m.${p.to} >= sy.startDate)`}`,
        [YEAR],
      );
      const rows = await records(p.resource);
      expect(rows, p.resource).toHaveLength(inSis.rows[0].n);
      // Only students without a Unique ID hold a program back.
      for (const r of rows.filter((x) => x.status !== 'published')) expect(r.statusDescription, p.resource).toBe(UNIQUE_ID_MISSING);
      const published = byStatus(rows, 'published');
      expect(published.length, p.resource).toBeGreaterThan(rows.length * 0.85);
      expect(await odsRecords(state, p.path), p.resource).toHaveLength(published.length);
    }
    const sped = (await odsRecords(state, 'ed-fi/studentSpecialEducationProgramAssociations'))[0] as {
      disabilities?: Array<{ disabilityDescriptor: string }>;
      programReference?: { programName?: string; programTypeDescriptor?: string };
    };
    expect(sped.disabilities?.[0]?.disabilityDescriptor).toMatch(/^uri:\/\/tea\.texas\.gov\/DisabilityDescriptor#\d\d$/);
    expect(sped.programReference?.programTypeDescriptor).toBe('uri://ed-fi.org/ProgramTypeDescriptor#Special Education');
    const title = (await odsRecords(state, 'ed-fi/studentTitleIPartAProgramAssociations'))[0];
    expect(title?.titleIPartAParticipantDescriptor).toMatch(
      /^uri:\/\/ed-fi\.org\/TitleIPartAParticipantDescriptor#Public (Targeted Assistance|Schoolwide) Program$/,
    );
  }, 240_000);

  it('holds a special education record whose disability is not mapped to a state code as an error naming the code set', async () => {
    const one = (await sis.query<{ id: number }>('SELECT specialEdID AS id FROM specialed ORDER BY specialEdID LIMIT 1')).rows[0];
    await sis.query("UPDATE specialed SET primaryDisability = 'ZZ' WHERE specialEdID = $1", [one.id]);
    await publish('student-programs');
    const row = (await records('studentSpecialEducationProgramAssociations')).find((r) => r.sourceKey === String(one.id));
    expect(row?.status).toBe('error');
    expect(row?.statusDescription).toMatch(/^Disabilities: the local code "ZZ" is not mapped to a state value/);
  });
});

describe('Restraint Events', () => {
  it('publishes each restraint of the school year with its TEA reason and Texas staff type, once the student is enrolled', async () => {
    await publish('restraint-events', 'all');
    const rows = await records('restraintEvents');
    const inSis = await sis.query<{ n: number }>('SELECT count(*)::int AS n FROM restraintevent');
    expect(rows).toHaveLength(inSis.rows[0].n);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows.filter((x) => x.status !== 'published')) expect(r.statusDescription).toBe(UNIQUE_ID_MISSING);
    const ods = await odsRecords(state, 'ed-fi/restraintEvents');
    expect(ods).toHaveLength(byStatus(rows, 'published').length);
    expect(ods[0]).toMatchObject({
      reasons: [{ restraintEventReasonDescriptor: expect.stringMatching(/^uri:\/\/tea\.texas\.gov\/RestraintEventReasonDescriptor#0[1-3]$/) as string }],
      _ext: { TX: { restraintStaffTypeDescriptor: expect.stringMatching(/^uri:\/\/tea\.texas\.gov\/RestraintStaffTypeDescriptor#0[12]$/) as string } },
    });
  });
});
