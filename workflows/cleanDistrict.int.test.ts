/**
 * Issue 20's acceptance on the real stack: a clean generated district, set up as a clerk would (its
 * local codes mapped on the Mapping page to the values they stand for, grades turned on, staff
 * published from the SIS), shows ✓ for every category of the Programs & Cohort Groups, Attendance &
 * Grades and Other groups once they are published in the guide's order — nothing in error, nothing
 * waiting.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { asClient } from '../test/auth.js';
import { districtOnStack, ORGANIZATION_CATEGORIES, setUpEveryCodeSet, type DistrictOnStack } from '../test/district.js';
import { publishAndWait } from '../test/publishing.js';
import { CATEGORIES } from '../publishing/categories.js';

let call: ReturnType<typeof asClient>;
const YEAR = 2025;
const P = 'cln';
const GROUPS = ['programs', 'attendance-grades', 'other'];

let district: DistrictOnStack | undefined;

beforeAll(async () => {
  district = await districtOnStack({ profileId: P, name: 'Clean ISD', schoolYear: YEAR, publish: ORGANIZATION_CATEGORIES });
  ({ call } = district);
  await setUpEveryCodeSet(district, P);
}, 400_000);

afterAll(async () => {
  await district?.close();
});

describe('a clean generated district', () => {
  it('shows ✓ for every category of the Programs & Cohort Groups, Attendance & Grades and Other groups', async () => {
    // The grading periods go out once Reporting Terms are mapped; then the guide's order.
    const order = [
      'organization-calendars',
      'student-identification',
      'enrollment-demographics',
      'student-sections',
      'staff-demographics',
      'staff-associations',
      ...CATEGORIES.filter((c) => GROUPS.includes(c.group) && c.id !== 'descriptors').map((c) => c.id),
      'descriptors',
    ];
    for (const category of order) {
      const run = await publishAndWait(call, P, { category, option: 'all', schoolYear: YEAR }, 300_000);
      expect(run.outcome, `${category}: ${run.detail ?? ''}`).toBe('completed');
    }
    const dashboard = (await call(`/api/profiles/${P}/dashboard?schoolYear=${YEAR}`)).json<{
      groups: Array<{
        id: string;
        categories: Array<{
          id: string;
          mark: string | null;
          counts: Record<string, number>;
          entities: Array<{ resource: string; mark: string | null; counts: Record<string, number> }>;
        }>;
      }>;
    }>();
    const categories = dashboard.groups.filter((g) => GROUPS.includes(g.id)).flatMap((g) => g.categories);
    expect(categories.map((c) => c.id).sort()).toEqual(
      CATEGORIES.filter((c) => GROUPS.includes(c.group))
        .map((c) => c.id)
        .sort(),
    );
    for (const c of categories) {
      expect(c.mark, `${c.id} ${JSON.stringify(c.counts)}`).toBe('published');
      for (const e of c.entities) expect(e.counts.error + e.counts.dependency, `${e.resource} ${JSON.stringify(e.counts)}`).toBe(0);
    }
  }, 900_000);
});
