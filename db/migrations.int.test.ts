/** Migrations that change what stored rows mean move existing data with them, up and down. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { MikroORM } from '@mikro-orm/postgresql';
import { ormOptions } from './orm.js';
import { createScratchDatabase } from '../test/stack.js';

let url: string;
let pool: pg.Pool;

async function migrate(to: { up?: string; down?: string }): Promise<void> {
  const orm = await MikroORM.init(ormOptions(url));
  try {
    if (to.up !== undefined) await orm.getMigrator().up({ to: to.up });
    if (to.down !== undefined) await orm.getMigrator().down({ to: to.down });
  } finally {
    await orm.close(true);
  }
}

beforeAll(async () => {
  url = await createScratchDatabase('migrations');
  await migrate({ up: 'Migration20261204000000_setupProblem' });
  pool = new pg.Pool({ connectionString: url, max: 2 });
});

afterAll(async () => {
  await pool?.end();
});

const keys = async (): Promise<Record<string, string>> =>
  Object.fromEntries(
    (await pool.query<{ resource: string; natural_key: string }>('SELECT resource, natural_key FROM downloaded_record ORDER BY resource')).rows.map((r) => [
      r.resource,
      r.natural_key,
    ]),
  );

describe('migrating stored data', () => {
  it("re-keys downloaded records by the model's natural key, and calendars' grade-levels choice moves into its options — and back", async () => {
    const row = (resource: string, key: string, doc: object) =>
      pool.query(
        `INSERT INTO downloaded_record (profile_id, school_year, resource, natural_key, edfi_id, doc, run_id, gone, updated_at) VALUES ('p', 2025, $1, $2, null, $3, 'r', false, now())`,
        [resource, key, JSON.stringify(doc)],
      );
    await row('ed-fi/behaviorDescriptors', 'uri://tea.texas.gov/BehaviorDescriptor#01', {
      namespace: 'uri://tea.texas.gov/BehaviorDescriptor',
      codeValue: '01',
    });
    await row('ed-fi/schools', '149913001', { schoolId: 149913001, nameOfInstitution: 'A' });
    await row('ed-fi/localEducationAgencies', '149913', { localEducationAgencyId: 149913 });
    await row('ed-fi/courses', '149913/03220100', { courseCode: '03220100', educationOrganizationReference: { educationOrganizationId: 149913 } });
    await pool.query(
      "INSERT INTO resource_preference (profile_id, resource, enabled, report_grade_levels) VALUES ('p', 'calendars', true, true), ('p', 'calendarDates', false, false)",
    );
    const before = await keys();

    await migrate({ up: 'Migration20261204020000_downloadNaturalKeys' });
    expect(await keys()).toEqual({
      'ed-fi/behaviorDescriptors': '{"namespace":"uri://tea.texas.gov/BehaviorDescriptor","codeValue":"01"}',
      'ed-fi/courses': '{"courseCode":"03220100","educationOrganizationId":149913}',
      'ed-fi/localEducationAgencies': '{"localEducationAgencyId":149913}',
      'ed-fi/schools': '{"schoolId":149913001}',
    });
    const prefs = await pool.query('SELECT resource, enabled, options FROM resource_preference ORDER BY resource');
    expect(prefs.rows).toEqual([
      { resource: 'calendarDates', enabled: false, options: {} },
      { resource: 'calendars', enabled: true, options: { reportGradeLevels: true } },
    ]);

    await migrate({ down: 'Migration20261204000000_setupProblem' });
    expect(await keys()).toEqual(before);
    const back = await pool.query('SELECT resource, report_grade_levels FROM resource_preference ORDER BY resource');
    expect(back.rows).toEqual([
      { resource: 'calendarDates', report_grade_levels: false },
      { resource: 'calendars', report_grade_levels: true },
    ]);
  });
});
