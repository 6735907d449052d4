/**
 * The same engine against an ODS/API that runs Data Standard 5.x: the profile learns it at Test,
 * and the JSON follows (grading periods keyed by name, sessions referring to them by name).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EdfiClient } from '../edfi/client/api.js';
import { DEFAULT_CLIENT, startSandbox, type Sandbox } from '../sandbox/server.js';
import { generateDistrict, loadDistrict } from '../sis/index.js';
import { apiKeyHeader, asClient } from '../test/auth.js';
import { startApiHarness, type ApiHarness } from '../test/apiHarness.js';
import { createScratchDatabase } from '../test/stack.js';
import { mapSixWeeks, profileWithDescriptors } from '../test/downloads.js';
import { catalogRecords, publishAndWait } from '../test/publishing.js';

let h: ApiHarness;
let sandbox: Sandbox;
let state: EdfiClient;
let call: ReturnType<typeof asClient>;
const YEAR = 2025;

beforeAll(async () => {
  const sisUrl = await createScratchDatabase('ds5sis');
  await loadDistrict(sisUrl, generateDistrict({ size: 'tiny', seed: 1 }));
  h = await startApiHarness('ds5', { worker: true, realWorkflows: true, sisDatabaseUrl: sisUrl });
  sandbox = await startSandbox({ dataStandard: '5.x', texasExtension: 'none' });
  state = new EdfiClient({ apiUrl: sandbox.baseUrl, key: DEFAULT_CLIENT.key, secret: DEFAULT_CLIENT.secret });
  call = asClient(h.app, await apiKeyHeader(h.orm, 'admin'));
  await profileWithDescriptors(call, {
    profileId: 'ds5',
    name: 'DS5 ISD',
    apiUrl: sandbox.baseUrl,
    schoolYear: YEAR,
    lea: { number: '149913', name: 'DS5 ISD' },
    key: DEFAULT_CLIENT.key,
    secret: DEFAULT_CLIENT.secret,
  });
  await call({
    method: 'PUT',
    url: '/api/profiles/ds5/code-sets/calendar-types/mappings',
    payload: { code: 'REG', target: { namespace: 'uri://ed-fi.org/CalendarTypeDescriptor', codeValue: 'School' } },
  });
  await mapSixWeeks(call, 'ds5');
}, 240_000);

afterAll(async () => {
  await state?.close();
  await sandbox?.close();
  for (const id of ['nightly/ds5', 'weekend/ds5'])
    await h?.client.schedule
      .getHandle(id)
      .delete()
      .catch(() => undefined);
  await h?.close();
});

describe('publishing to a Data Standard 5.x ODS', () => {
  it('reads the Data Standard at Test and sends grading periods keyed by name, with sessions referring to them by name', async () => {
    const profile = (await call('/api/profiles/ds5')).json<{ dataStandard: string; stateExtension: string }>();
    expect(profile).toMatchObject({ dataStandard: '5.x', stateExtension: 'none' });
    for (const category of ['organization-catalog', 'organization-calendars'])
      expect((await publishAndWait(call, 'ds5', { category, option: 'all', schoolYear: YEAR })).outcome).toBe('completed');
    const periods = [...(await catalogRecords(call, 'ds5', 'gradingPeriods', YEAR)).values()];
    expect(periods.length).toBe(6);
    expect(periods.every((p) => p.status === 'published' && typeof p.naturalKey.gradingPeriodName === 'string')).toBe(true);
    const sessions = (await state.page('ed-fi/sessions', 0, 500)) as Array<{ gradingPeriods?: Array<{ gradingPeriodReference: Record<string, unknown> }> }>;
    const refs = sessions.flatMap((s) => s.gradingPeriods ?? []).map((g) => g.gradingPeriodReference);
    expect(refs.length).toBe(6);
    expect(refs.every((r) => typeof r.gradingPeriodName === 'string')).toBe(true);
    // Without the Texas extension calendar dates carry the core event of each day and no minutes.
    const dates = (await state.page('ed-fi/calendarDates', 0, 5)) as Array<{ calendarEvents: Array<{ calendarEventDescriptor: string }>; _ext?: unknown }>;
    expect(dates[0]?.calendarEvents[0]?.calendarEventDescriptor).toMatch(/^uri:\/\/ed-fi\.org\/CalendarEventDescriptor#/);
    expect(dates[0]?._ext).toBeUndefined();
  });
});
