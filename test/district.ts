/**
 * A generated district on the real stack, as the people groups' integration tests start from: its SIS
 * replica in a scratch database, the API with a worker running the real workflows, a sandbox with
 * the Texas extension, and a SIS profile set up as a clerk would (connection enabled, descriptors
 * downloaded, the Mapping page opened, races and the regular calendar type mapped) with the
 * Organization group published.
 */
import pg from 'pg';
import { EdfiClient } from '../edfi/client/api.js';
import { DEFAULT_CLIENT, startSandbox, type Sandbox } from '../sandbox/server.js';
import { generateDistrict, loadDistrict, type DirtyProfile } from '../sis/index.js';
import { apiKeyHeader, asClient } from './auth.js';
import { removeProfileWorkflows, startApiHarness, type ApiHarness } from './apiHarness.js';
import { createScratchDatabase } from './stack.js';
import { profileWithDescriptors } from './downloads.js';
import { mapLikeAClerk, publishAndWait } from './publishing.js';

export interface DistrictOnStack {
  readonly h: ApiHarness;
  readonly sandbox: Sandbox;
  /** The state's view of the ODS (the sandbox's default client). */
  readonly state: EdfiClient;
  readonly sis: pg.Client;
  /** The scratch SIS replica's URL (for `mutateDay`). */
  readonly sisUrl: string;
  readonly call: ReturnType<typeof asClient>;
  close(): Promise<void>;
}

export const ORGANIZATION_CATEGORIES = [
  'organization-catalog',
  'course-catalog',
  'program-catalog',
  'organization-info',
  'organization-calendars',
  'organization-schedules',
];

export async function districtOnStack(opts: {
  readonly profileId: string;
  readonly name: string;
  readonly schoolYear: number;
  readonly dirty?: readonly DirtyProfile[];
  /** The categories published before the tests (the Organization group by default). */
  readonly publish?: readonly string[];
  /** The API listens on a port (`h.baseUrl`), for the CLI. */
  readonly listen?: boolean;
  /** The most records one bulk wake run reads (the engine's default when absent). */
  readonly wakeRunMost?: number;
}): Promise<DistrictOnStack> {
  const { profileId, schoolYear } = opts;
  const sisUrl = await createScratchDatabase(`${profileId}sis`);
  await loadDistrict(sisUrl, generateDistrict({ size: 'small', seed: 1, dirty: [...(opts.dirty ?? [])] }));
  const sis = new pg.Client({ connectionString: sisUrl });
  await sis.connect();
  const h = await startApiHarness(profileId, {
    worker: true,
    realWorkflows: true,
    sisDatabaseUrl: sisUrl,
    listen: opts.listen === true,
    ...(opts.wakeRunMost !== undefined ? { wakeRunMost: opts.wakeRunMost } : {}),
  });
  const sandbox = await startSandbox({ texasExtension: '2025.2.1' });
  const state = new EdfiClient({ apiUrl: sandbox.baseUrl, key: DEFAULT_CLIENT.key, secret: DEFAULT_CLIENT.secret });
  const call = asClient(h.app, await apiKeyHeader(h.orm, 'admin'));
  const lea = (await sis.query<{ number: string; name: string }>('SELECT number, name FROM district')).rows[0];
  await profileWithDescriptors(call, {
    profileId,
    name: opts.name,
    apiUrl: sandbox.baseUrl,
    schoolYear,
    lea,
    key: DEFAULT_CLIENT.key,
    secret: DEFAULT_CLIENT.secret,
  });
  await mapLikeAClerk(
    call,
    profileId,
    (await sis.query<{ code: string; stateCode: string }>('SELECT code, stateCode AS "stateCode" FROM localcode WHERE category = \'race\'')).rows,
  );
  const mapped = await call({
    method: 'PUT',
    url: `/api/profiles/${profileId}/code-sets/calendar-types/mappings`,
    payload: { code: 'REG', target: { namespace: 'uri://tea.texas.gov/CalendarTypeDescriptor', codeValue: '01' } },
  });
  if (mapped.statusCode !== 200) throw new Error(`mapping the calendar type failed: ${mapped.body}`);
  for (const category of opts.publish ?? ORGANIZATION_CATEGORIES) {
    const run = await publishAndWait(call, profileId, { category, option: 'all', schoolYear }, 240_000);
    if (run.outcome !== 'completed') throw new Error(`${category}: ${run.detail ?? run.outcome}`);
  }
  return {
    h,
    sandbox,
    state,
    sis,
    sisUrl,
    call,
    async close() {
      await state.close();
      await sandbox.close();
      await sis.end();
      await removeProfileWorkflows(h, profileId, [`nightly/${profileId}`, `weekend/${profileId}`]);
      await h.close();
    },
  };
}

/** Each code set a clerk maps beyond races and calendar types, the SIS code table behind it and the namespace its state codes live in. */
const CLERK_MAPS = [
  ['disciplines', 'disciplineAction', 'uri://tea.texas.gov/DisciplineDescriptor'],
  ['discipline-action-length-difference-reasons', 'disciplineLengthDifference', 'uri://tea.texas.gov/DisciplineActionLengthDifferenceReasonDescriptor'],
  ['cohort-types', 'cohortType', 'uri://ed-fi.org/CohortTypeDescriptor'],
  ['participation-codes', 'participation', 'uri://ed-fi.org/DisciplineIncidentParticipationCodeDescriptor'],
  ['incident-locations', 'incidentLocation', 'uri://ed-fi.org/IncidentLocationDescriptor'],
  ['grade-types', 'gradeType', 'uri://ed-fi.org/GradeTypeDescriptor'],
  ['reporting-terms', 'gradingPeriod', 'uri://ed-fi.org/GradingPeriodDescriptor'],
  ['course-attempt-results', 'courseResult', 'uri://ed-fi.org/CourseAttemptResultDescriptor'],
  ['attendance-categories', 'attendanceCode', 'uri://ed-fi.org/AttendanceEventCategoryDescriptor'],
] as const;

/**
 * A clean district set up to the end, as a clerk leaves it: every local code the generator gives
 * a state code mapped on the Mapping page to that code, grades turned on, staff published from the SIS.
 */
export async function setUpEveryCodeSet(d: Pick<DistrictOnStack, 'sis' | 'call'>, profileId: string): Promise<void> {
  for (const [codeSet, category, namespace] of CLERK_MAPS) {
    const codes = await d.sis.query<{ schoolId: number | null; code: string; stateCode: string }>(
      'SELECT schoolID AS "schoolId", code, stateCode AS "stateCode" FROM localcode WHERE category = $1 AND stateCode IS NOT NULL ORDER BY schoolID, code',
      [category],
    );
    for (const c of codes.rows) {
      const res = await d.call({
        method: 'PUT',
        url: `/api/profiles/${profileId}/code-sets/${codeSet}/mappings`,
        payload: { code: c.code, ...(c.schoolId !== null ? { schoolId: c.schoolId } : {}), target: { namespace, codeValue: c.stateCode } },
      });
      if (res.statusCode !== 200) throw new Error(`${codeSet} ${c.code}: ${res.body}`);
    }
  }
  const settings = await d.call({
    method: 'PUT',
    url: `/api/profiles/${profileId}/settings`,
    payload: { PublishGrades: true, PublishHRStaffAndAssociations: true },
  });
  if (settings.statusCode !== 200) throw new Error(settings.body);
}
