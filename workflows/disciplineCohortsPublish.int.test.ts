/**
 * Student Discipline and Cohort Groups end to end on a real Temporal server, Postgres and the Ed-Fi
 * sandbox with relationship authorization on. Discipline incidents need only their school; a
 * student's behavior and the discipline action answering it wait on the student until the School
 * Enrollment claims them, then follow with no clerk action (the guide: discipline depends only on
 * the Student ID and the School Enrollment). Behaviors and actions go out as TEA's codes through the
 * Mapping page; one not mapped is an error naming its code set. Only groups mapped to a Cohort Type
 * are published; a staff member's group waits on the Staff record.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import type { EdfiClient } from '../edfi/client/api.js';
import type { asClient } from '../test/auth.js';
import { districtOnStack, ORGANIZATION_CATEGORIES, type DistrictOnStack } from '../test/district.js';
import { catalogRecords, mapCodes, odsRecords, publishAndWait, until, type RecordRow } from '../test/publishing.js';
import { UNIQUE_ID_MISSING } from '../resources/students.js';

let state: EdfiClient;
let sis: pg.Client;
let call: ReturnType<typeof asClient>;
const YEAR = 2025;
const P = 'dsc';
const TEA = (name: string): string => `uri://tea.texas.gov/${name}Descriptor`;
const EDFI = (name: string): string => `uri://ed-fi.org/${name}Descriptor`;

async function publish(category: string, option = 'changes'): Promise<void> {
  const run = await publishAndWait(call, P, { category, option, schoolYear: YEAR }, 240_000);
  expect(run.outcome, `${category} ${option}: ${run.detail ?? ''}`).toBe('completed');
}

const records = async (resource: string): Promise<RecordRow[]> => [...(await catalogRecords(call, P, resource, YEAR)).values()];
const byStatus = (rows: readonly RecordRow[], status: string): RecordRow[] => rows.filter((r) => r.status === status);
const count = async (sql: string): Promise<number> => (await sis.query<{ n: number }>(sql, [YEAR])).rows[0].n;

const IN_YEAR = 'JOIN schoolyear sy ON sy.endYear = $1 AND i.date BETWEEN sy.startDate AND sy.endDate';

let district: DistrictOnStack | undefined;

beforeAll(async () => {
  district = await districtOnStack({
    profileId: P,
    name: 'Discipline ISD',
    schoolYear: YEAR,
    dirty: ['missing-student-unique-id'],
    publish: [...ORGANIZATION_CATEGORIES, 'student-identification'],
  });
  ({ state, sis, call } = district);
  // What a clerk maps by hand: the codes whose value is not TEA's or Ed-Fi's own.
  await mapCodes(call, P, 'disciplines', [{ code: 'DET', namespace: TEA('Discipline'), codeValue: '27' }]);
  await mapCodes(call, P, 'discipline-action-length-difference-reasons', [
    { code: 'MOD', namespace: TEA('DisciplineActionLengthDifferenceReason'), codeValue: '01' },
    { code: 'WD', namespace: TEA('DisciplineActionLengthDifferenceReason'), codeValue: '07' },
  ]);
  await mapCodes(call, P, 'participation-codes', [
    { code: 'OFF', namespace: EDFI('DisciplineIncidentParticipationCode'), codeValue: 'Perpetrator' },
    { code: 'VIC', namespace: EDFI('DisciplineIncidentParticipationCode'), codeValue: 'Victim' },
  ]);
  // GT stays unmapped: those groups are not published.
  await mapCodes(call, P, 'cohort-types', [
    { code: 'CLUB', namespace: EDFI('CohortType'), codeValue: 'Extracurricular Activity' },
    { code: 'INT', namespace: EDFI('CohortType'), codeValue: 'Academic Intervention' },
  ]);
}, 400_000);

afterAll(async () => {
  await district?.close();
});

describe('Student Discipline', () => {
  it('publishes the incidents of the school year at once and holds every student behavior and action until the student is enrolled', async () => {
    await publish('student-discipline', 'all');
    const incidents = await records('disciplineIncidents');
    expect(incidents).toHaveLength(await count(`SELECT count(*)::int AS n FROM behaviorincident i ${IN_YEAR}`));
    expect(byStatus(incidents, 'published')).toHaveLength(incidents.length);
    for (const resource of ['studentDisciplineIncidentBehaviorAssociations', 'disciplineActions']) {
      const rows = await records(resource);
      expect(rows.length, resource).toBeGreaterThan(0);
      for (const r of rows) expect(r.status, `${resource} ${r.statusDescription ?? ''}`).toBe('dependency');
    }
    const ods = await odsRecords(state, 'ed-fi/disciplineIncidents');
    expect(ods).toHaveLength(incidents.length);
    expect(ods[0]).toMatchObject({
      behaviors: [{ behaviorDescriptor: expect.stringMatching(/^uri:\/\/tea\.texas\.gov\/BehaviorDescriptor#\d\d$/) as string }],
      incidentLocationDescriptor: expect.stringMatching(/IncidentLocationDescriptor#/) as string,
    });
  }, 240_000);

  it('sends the behaviors and actions once the enrollments publish, with TEA codes, the length difference and the Texas lengths', async () => {
    await publish('enrollment-demographics', 'all');
    await until(
      'the behaviors and actions published',
      async () => {
        for (const resource of ['studentDisciplineIncidentBehaviorAssociations', 'disciplineActions'])
          if ((await records(resource)).some((r) => r.status === 'dependency' && r.statusDescription !== UNIQUE_ID_MISSING)) return false;
        return true;
      },
      120_000,
    );
    const behaviors = await records('studentDisciplineIncidentBehaviorAssociations');
    expect(behaviors).toHaveLength(
      await count(`SELECT count(*)::int AS n FROM behaviorrole r JOIN behaviorevent e USING (eventID) JOIN behaviorincident i USING (incidentID) ${IN_YEAR}`),
    );
    const actions = await records('disciplineActions');
    expect(actions).toHaveLength(
      await count(
        `SELECT count(*)::int AS n FROM behaviorresolution a JOIN behaviorrole r USING (roleID) JOIN behaviorevent e USING (eventID) JOIN behaviorincident i USING (incidentID) ${IN_YEAR}`,
      ),
    );
    for (const rows of [behaviors, actions]) {
      for (const r of rows.filter((x) => x.status !== 'published')) expect(r.statusDescription).toBe(UNIQUE_ID_MISSING);
      expect(byStatus(rows, 'published').length).toBeGreaterThan(rows.length * 0.8);
    }
    expect(await odsRecords(state, 'ed-fi/studentDisciplineIncidentBehaviorAssociations')).toHaveLength(byStatus(behaviors, 'published').length);
    const sent = await odsRecords(state, 'ed-fi/disciplineActions');
    expect(sent).toHaveLength(byStatus(actions, 'published').length);
    for (const a of sent) {
      expect(a).toMatchObject({
        disciplines: [{ disciplineDescriptor: expect.stringMatching(/^uri:\/\/tea\.texas\.gov\/DisciplineDescriptor#(05|06|07|27)$/) as string }],
        studentDisciplineIncidentBehaviorAssociations: [
          { studentDisciplineIncidentBehaviorAssociationReference: { behaviorDescriptor: expect.any(String) as string } },
        ],
      });
      const ext = (a._ext as { TX: { officialLengthOfDisciplinaryAssignment: number; actualLengthOfDisciplinaryAssignment: number } }).TX;
      // TEA's rule 44425-0011/-0012: 00 exactly when the official and actual lengths agree.
      expect(a.disciplineActionLengthDifferenceReasonDescriptor === TEA('DisciplineActionLengthDifferenceReason') + '#00', JSON.stringify(a)).toBe(
        ext.officialLengthOfDisciplinaryAssignment === ext.actualLengthOfDisciplinaryAssignment,
      );
    }
    expect(sent.some((a) => a.disciplineActionLengthDifferenceReasonDescriptor !== TEA('DisciplineActionLengthDifferenceReason') + '#00')).toBe(true);
  }, 240_000);

  it('holds an incident whose behavior is not mapped to a TEA code as an error naming Behavior Categories, and the behaviors and actions under it', async () => {
    const one = (
      await sis.query<{ incident: number; event: number }>(
        `SELECT i.incidentID AS incident, e.eventID AS event FROM behaviorincident i JOIN behaviorevent e USING (incidentID) ${IN_YEAR}
        WHERE EXISTS (SELECT 1 FROM behaviorrole r JOIN behaviorresolution a USING (roleID) JOIN student st ON st.personID = r.personID WHERE r.eventID = e.eventID AND st.stateID IS NOT NULL)
        ORDER BY i.incidentID LIMIT 1`,
        [YEAR],
      )
    ).rows[0];
    await sis.query("UPDATE behaviorevent SET code = 'ZZ' WHERE eventID = $1", [one.event]);
    await publish('student-discipline');
    const why = /^Behavior Categories: the local code "ZZ" is not mapped to a state value/;
    const incident = (await records('disciplineIncidents')).find((r) => r.sourceKey === String(one.incident));
    expect(incident?.status).toBe('error');
    expect(incident?.statusDescription).toMatch(why);
    const roles = (await sis.query<{ role: number }>('SELECT roleID AS role FROM behaviorrole WHERE eventID = $1', [one.event])).rows.map((r) =>
      String(r.role),
    );
    const behaviors = (await records('studentDisciplineIncidentBehaviorAssociations')).filter((r) => roles.includes(r.sourceKey));
    expect(behaviors.length).toBeGreaterThan(0);
    for (const b of behaviors) expect(b.statusDescription).toMatch(why);
  }, 240_000);
});

describe('Cohort Groups', () => {
  it('publishes only the groups mapped to a Cohort Type, with their students; the others are listed as excluded saying what to map', async () => {
    await publish('cohort-groups', 'all');
    const groups = await records('cohorts');
    expect(groups).toHaveLength(await count('SELECT count(*)::int AS n FROM cohort WHERE $1::int IS NOT NULL'));
    const gt = new Set((await sis.query<{ id: number }>("SELECT cohortID AS id FROM cohort WHERE type = 'GT'")).rows.map((r) => String(r.id)));
    for (const g of groups) {
      if (gt.has(g.sourceKey)) {
        expect(g.status).toBe('excluded');
        expect(g.statusDescription).toContain('the group type "GT" is not mapped');
      } else expect(g.status, g.statusDescription ?? '').toBe('published');
    }
    const ods = await odsRecords(state, 'ed-fi/cohorts');
    expect(ods).toHaveLength(groups.length - gt.size);
    expect(new Set(ods.map((c) => c.cohortTypeDescriptor))).toEqual(
      new Set([EDFI('CohortType') + '#Extracurricular Activity', EDFI('CohortType') + '#Academic Intervention']),
    );

    const members = await records('studentCohortAssociations');
    const gtMembers = await count("SELECT count(*)::int AS n FROM cohortstudent m JOIN cohort c USING (cohortID) WHERE c.type = 'GT' AND $1::int IS NOT NULL");
    expect(byStatus(members, 'excluded')).toHaveLength(gtMembers);
    for (const m of members.filter((x) => x.status !== 'published' && x.status !== 'excluded')) expect(m.statusDescription).toBe(UNIQUE_ID_MISSING);
    expect(await odsRecords(state, 'ed-fi/studentCohortAssociations')).toHaveLength(byStatus(members, 'published').length);
    expect(byStatus(members, 'published').length).toBeGreaterThan(0);
  }, 240_000);

  it("holds a staff member's group until the Staff record is published, then sends it with no clerk action", async () => {
    const staff = await records('staffCohortAssociations');
    expect(staff.length).toBeGreaterThan(0);
    for (const s of staff.filter((x) => x.status !== 'excluded')) expect(s.status, s.statusDescription ?? '').toBe('dependency');
    const res = await call({ method: 'PUT', url: `/api/profiles/${P}/settings`, payload: { PublishHRStaffAndAssociations: true } });
    expect(res.statusCode, res.body).toBe(200);
    await publish('staff-demographics', 'all');
    await publish('staff-associations', 'all');
    await until(
      'the staff cohorts published',
      async () => (await records('staffCohortAssociations')).every((s) => s.status === 'published' || s.status === 'excluded'),
      120_000,
    );
    const published = byStatus(await records('staffCohortAssociations'), 'published');
    expect(published.length).toBeGreaterThan(0);
    expect(await odsRecords(state, 'ed-fi/staffCohortAssociations')).toHaveLength(published.length);
  }, 400_000);
});
