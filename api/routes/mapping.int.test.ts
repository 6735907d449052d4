import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EdfiClient } from '../../edfi/client/api.js';
import { DEFAULT_CLIENT, startSandbox, type Sandbox } from '../../sandbox/server.js';
import { generateDistrict, loadDistrict } from '../../sis/index.js';
import { apiKeyHeader, asClient } from '../../test/auth.js';
import { startApiHarness, type ApiHarness } from '../../test/apiHarness.js';
import { createScratchDatabase } from '../../test/stack.js';
import { enableConnection, untilDownloaded } from '../../test/downloads.js';

let h: ApiHarness;
let sandbox: Sandbox;
let state: EdfiClient;
let clerk: ReturnType<typeof asClient>;
let admin: ReturnType<typeof asClient>;

interface Code {
  schoolId: number | null;
  schoolName: string | null;
  code: string;
  mapping: { namespace: string; codeValue: string; shortDescription: string | null; auto: boolean } | null;
  localDescriptor: string;
  keptLocal: boolean;
}
interface Summary {
  id: string;
  localCodes: number;
  mapped: number;
  autoMapped: number;
  unmapped: number;
  perSchool: boolean;
}

const TEA = 'uri://tea.texas.gov';
const CORE = 'uri://ed-fi.org';
const codes = async (set: string, query = ''): Promise<Code[]> => (await clerk(`/api/profiles/map/code-sets/${set}/codes${query}`)).json<Code[]>();
const summaries = async (): Promise<Summary[]> => (await clerk('/api/profiles/map/code-sets')).json<Summary[]>();
const byCode = (rows: Code[], code: string, schoolId: number | null = null): Code | undefined => rows.find((r) => r.code === code && r.schoolId === schoolId);

interface Setup {
  steps: Array<{ id: string; state: string; detail: string; page: string }>;
  publishBlocked: string | null;
}
const setup = async (): Promise<Setup> => (await clerk('/api/profiles/map/setup?schoolYear=2025')).json<Setup>();
const stateOf = (s: Setup): Record<string, string> => Object.fromEntries(s.steps.map((x) => [x.id, x.state]));

beforeAll(async () => {
  // The small demo district with every dirty profile: its local codes include unmappable ones (behavior CELL, entry LT).
  const sisUrl = await createScratchDatabase('mapsis');
  await loadDistrict(sisUrl, generateDistrict({ size: 'small', seed: 1, dirty: ['all'] }));
  h = await startApiHarness('map', { worker: true, sisDatabaseUrl: sisUrl });
  sandbox = await startSandbox({ texasExtension: '2025.2.1', seed: false });
  // What the state preloads: core and TEA values; "21" exists in both namespaces.
  state = new EdfiClient({ apiUrl: sandbox.baseUrl, key: DEFAULT_CLIENT.key, secret: DEFAULT_CLIENT.secret });
  const descriptors: Array<[string, string, string, string]> = [
    ['behaviorDescriptors', `${CORE}/BehaviorDescriptor`, '21', 'Core 21'],
    ['behaviorDescriptors', `${TEA}/BehaviorDescriptor`, '21', 'Violated Student Code Of Conduct'],
    ['behaviorDescriptors', `${TEA}/BehaviorDescriptor`, '41', 'Fighting'],
    ['behaviorDescriptors', `${CORE}/BehaviorDescriptor`, 'School Code of Conduct', 'School Code of Conduct'],
    ['entryTypeDescriptors', `${TEA}/EntryTypeDescriptor`, '01', 'Start of year'],
    ['gradingPeriodDescriptors', `${CORE}/GradingPeriodDescriptor`, 'First Six Weeks', 'First Six Weeks'],
    ['gradingPeriodDescriptors', `${CORE}/GradingPeriodDescriptor`, 'Second Six Weeks', 'Second Six Weeks'],
  ];
  for (const [resource, namespace, codeValue, shortDescription] of descriptors)
    await state.post(`ed-fi/${resource}`, { namespace, codeValue, shortDescription, description: shortDescription });
  admin = asClient(h.app, await apiKeyHeader(h.orm, 'admin'));
  clerk = asClient(h.app, await apiKeyHeader(h.orm, 'clerk'));
  await admin({
    method: 'POST',
    url: '/api/profiles',
    payload: { id: 'map', name: 'Mapping ISD', profileType: 'SIS', schoolYears: [2025], apiUrl: sandbox.baseUrl },
  });
  await admin({ method: 'POST', url: '/api/leas', payload: { name: 'Mapping ISD', stateNumber: '149913' } });
});

afterAll(async () => {
  await state?.close();
  await sandbox?.close();
  for (const id of ['nightly/map', 'weekend/map'])
    await h?.client.schedule
      .getHandle(id)
      .delete()
      .catch(() => undefined);
  await h?.close();
});

describe('code-set mapping', () => {
  it('shows a new profile the guide’s setup order, every step still to do, and why a publish cannot work yet', async () => {
    const fresh = await setup();
    expect(stateOf(fresh)).toEqual({ connection: 'todo', test: 'todo', enable: 'todo', download: 'todo', mapping: 'todo', publish: 'todo' });
    expect(fresh.steps.map((x) => x.page)).toEqual(['configure', 'configure', 'configure', 'download', 'mapping', 'dashboard']);
    expect(fresh.publishBlocked).toBe('"Mapping ISD" has no LEA connection yet: enter the key and secret on Configure, Test, then Enable.');
    // The dashboard's menus read the same answer.
    expect((await clerk('/api/profiles/map/dashboard?schoolYear=2025')).json<{ publishBlocked: string | null }>().publishBlocked).toBe(fresh.publishBlocked);
  });

  it('lists the SIS local codes of each code set, all unmapped (local descriptors in the profile namespace) before any download', async () => {
    const behavior = (await summaries()).find((s) => s.id === 'behavior-categories');
    expect(behavior).toMatchObject({ localCodes: 6, mapped: 0, unmapped: 6, perSchool: false });
    expect(byCode(await codes('behavior-categories'), 'CELL')).toMatchObject({
      mapping: null,
      localDescriptor: 'uri://local.texas.gov/BehaviorDescriptor#CELL',
      keptLocal: false,
    });
    // The SIS keeps grading periods per school: three schools, six each.
    const terms = await codes('reporting-terms');
    expect(terms).toHaveLength(18);
    expect(new Set(terms.map((t) => t.schoolId)).size).toBe(3);
  });

  it('pre-maps codes whose value matches a downloaded descriptor, the state namespace first, and marks them automatic', async () => {
    await enableConnection(admin, '149913', 'map', DEFAULT_CLIENT.key, DEFAULT_CLIENT.secret);
    const since = Date.now();
    await admin({ method: 'POST', url: '/api/profiles/map/downloads', payload: { schoolYear: 2025, categories: ['descriptors'] } });
    const rows = await untilDownloaded(admin, 'map', 2025, since, 1);
    expect(rows.find((r) => r.category === 'descriptors')?.status).toBe('done');

    const behavior = await codes('behavior-categories');
    expect(byCode(behavior, '21')?.mapping).toEqual({
      namespace: `${TEA}/BehaviorDescriptor`,
      codeValue: '21',
      shortDescription: 'Violated Student Code Of Conduct',
      auto: true,
    });
    expect(byCode(behavior, '41')?.mapping).toMatchObject({ namespace: `${TEA}/BehaviorDescriptor`, codeValue: '41', auto: true });
    expect(byCode(behavior, 'CELL')?.mapping).toBeNull();
    expect((await summaries()).find((s) => s.id === 'behavior-categories')).toMatchObject({ localCodes: 6, mapped: 2, autoMapped: 2, unmapped: 4 });
  });

  it('marks the connection, test, enable and descriptors done once they are, and names what is left', async () => {
    const now = await setup();
    expect(stateOf(now)).toEqual({ connection: 'done', test: 'done', enable: 'done', download: 'todo', mapping: 'todo', publish: 'todo' });
    expect(now.steps.find((x) => x.id === 'download')?.detail).toBe('Not downloaded yet: organization-catalog, course-catalog.');
    expect(now.steps.find((x) => x.id === 'mapping')?.detail).toContain('Entry Codes (4 unmapped)');
    expect(now.publishBlocked).toBeNull();
    expect((await clerk('/api/profiles/map/dashboard?schoolYear=2025')).json<{ publishBlocked: string | null }>().publishBlocked).toBeNull();
  });

  it('offers the downloaded values grouped core Ed-Fi first, then the state, filterable and paged', async () => {
    const all = (await clerk('/api/profiles/map/code-sets/behavior-categories/choices')).json<{
      total: number;
      groups: Array<{ namespace: string; values: Array<{ codeValue: string }> }>;
    }>();
    expect(all.groups.map((g) => g.namespace)).toEqual([`${CORE}/BehaviorDescriptor`, `${TEA}/BehaviorDescriptor`]);
    expect(all.groups[0]?.values.map((v) => v.codeValue)).toEqual(['21', 'School Code of Conduct']);
    const fighting = (await clerk('/api/profiles/map/code-sets/behavior-categories/choices?q=FIGHT')).json<{
      total: number;
      groups: Array<{ values: Array<{ codeValue: string }> }>;
    }>();
    expect(fighting.total).toBe(1);
    expect(fighting.groups[0]?.values[0]?.codeValue).toBe('41');
    const page2 = (await clerk('/api/profiles/map/code-sets/behavior-categories/choices?limit=2&offset=2')).json<{
      total: number;
      groups: Array<{ namespace: string; values: Array<{ codeValue: string }> }>;
    }>();
    expect(page2.total).toBe(4);
    expect(page2.groups).toEqual([
      { namespace: `${TEA}/BehaviorDescriptor`, values: [expect.objectContaining({ codeValue: '21' }), expect.objectContaining({ codeValue: '41' })] },
    ]);
  });

  it('stores a mapping as it is made, replacing a pre-mapping, and refuses codes the SIS lacks or values never downloaded', async () => {
    const put = (body: Record<string, unknown>): ReturnType<typeof clerk> =>
      clerk({ method: 'PUT', url: '/api/profiles/map/code-sets/behavior-categories/mappings', payload: body });
    const saved = await put({ code: 'CELL', target: { namespace: `${CORE}/BehaviorDescriptor`, codeValue: 'School Code of Conduct' } });
    expect(saved.statusCode).toBe(200);
    expect(saved.json<Code>().mapping).toEqual({
      namespace: `${CORE}/BehaviorDescriptor`,
      codeValue: 'School Code of Conduct',
      shortDescription: 'School Code of Conduct',
      auto: false,
    });
    expect((await put({ code: '21', target: { namespace: `${CORE}/BehaviorDescriptor`, codeValue: '21' } })).json<Code>().mapping).toMatchObject({
      namespace: `${CORE}/BehaviorDescriptor`,
      auto: false,
    });

    const unknownCode = await put({ code: 'NOPE', target: null });
    expect(unknownCode.statusCode).toBe(400);
    expect(unknownCode.json()).toMatchObject({ field: 'code', message: '"NOPE" is not a local code of Behavior Categories in the SIS' });
    const notDownloaded = await put({ code: '07', target: { namespace: `${TEA}/BehaviorDescriptor`, codeValue: '07' } });
    expect(notDownloaded.json()).toMatchObject({
      field: 'target',
      message: `${TEA}/BehaviorDescriptor#07 is not a downloaded behaviorDescriptors value: download descriptors for this profile, then choose one of them`,
    });
    expect((await clerk({ method: 'PUT', url: '/api/profiles/map/code-sets/no-such-set/mappings', payload: { code: 'x', target: null } })).statusCode).toBe(
      404,
    );
  });

  it('keeps a code local when the clerk says so, and pre-maps it again only after the decision is cleared', async () => {
    const kept = await clerk({ method: 'PUT', url: '/api/profiles/map/code-sets/behavior-categories/mappings', payload: { code: '41', target: null } });
    expect(kept.json<Code>()).toMatchObject({ mapping: null, keptLocal: true });
    expect(byCode(await codes('behavior-categories'), '41')).toMatchObject({ mapping: null, keptLocal: true });
    expect((await clerk({ method: 'DELETE', url: '/api/profiles/map/code-sets/behavior-categories/mappings?code=41' })).statusCode).toBe(204);
    expect(byCode(await codes('behavior-categories'), '41')?.mapping).toMatchObject({ codeValue: '41', auto: true });
  });

  it("maps a per-school code for one school without touching another school's same code", async () => {
    const terms = await codes('reporting-terms');
    const [first, second] = [...new Set(terms.map((t) => t.schoolId))];
    const put = (body: Record<string, unknown>): ReturnType<typeof clerk> =>
      clerk({ method: 'PUT', url: '/api/profiles/map/code-sets/reporting-terms/mappings', payload: body });
    const noSchool = await put({ code: 'SW1', target: { namespace: `${CORE}/GradingPeriodDescriptor`, codeValue: 'First Six Weeks' } });
    expect(noSchool.json()).toMatchObject({ field: 'schoolId', message: 'Reporting Terms are kept per school: say which school (schoolId)' });
    expect(
      (await put({ code: 'SW1', schoolId: first, target: { namespace: `${CORE}/GradingPeriodDescriptor`, codeValue: 'First Six Weeks' } })).statusCode,
    ).toBe(200);
    const after = await codes('reporting-terms');
    expect(byCode(after, 'SW1', first)?.mapping).toMatchObject({ codeValue: 'First Six Weeks', auto: false });
    expect(byCode(after, 'SW1', second)?.mapping).toBeNull();
    expect(await codes('reporting-terms', `?schoolId=${first}&unmappedOnly=true`)).toHaveLength(5);
  });

  it('lists the code sets state reporting needs that still have unmapped codes, with those codes', async () => {
    const blocking = (await clerk('/api/profiles/map/code-sets/unmapped')).json<Array<{ id: string; unmapped: Code[] }>>();
    const entry = blocking.find((b) => b.id === 'entry-codes');
    // "01" was pre-mapped; LT (the dirty profile's local code) and the others still block.
    expect(entry?.unmapped.map((c) => c.code)).toEqual(['02', '03', '04', 'LT']);
    expect(blocking.map((b) => b.id)).not.toContain('academic-subjects');
    const behavior = blocking.find((b) => b.id === 'behavior-categories');
    expect(behavior?.unmapped.map((c) => c.code)).not.toContain('CELL');
  });
});
