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
}): Promise<DistrictOnStack> {
  const { profileId, schoolYear } = opts;
  const sisUrl = await createScratchDatabase(`${profileId}sis`);
  await loadDistrict(sisUrl, generateDistrict({ size: 'small', seed: 1, dirty: [...(opts.dirty ?? [])] }));
  const sis = new pg.Client({ connectionString: sisUrl });
  await sis.connect();
  const h = await startApiHarness(profileId, { worker: true, realWorkflows: true, sisDatabaseUrl: sisUrl });
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
