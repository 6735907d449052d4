import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EdfiClient, type ApiAnswer } from '../../edfi/client/api.js';
import { DEFAULT_CLIENT, startSandbox, type Sandbox } from '../../sandbox/server.js';
import { apiKeyHeader, asClient } from '../../test/auth.js';
import { startApiHarness, type ApiHarness } from '../../test/apiHarness.js';
import { untilDownloaded, type DownloadStatus } from '../../test/downloads.js';
import { historyText } from '../../test/history.js';

let h: ApiHarness;
let sandbox: Sandbox;
let state: EdfiClient;
let call: ReturnType<typeof asClient>;
let added: ApiAnswer;

/** Every response body, API log line and line written to stdout/stderr (worker, activities) in this file. */
const seen: string[] = [];
for (const stream of [process.stdout, process.stderr]) {
  const original = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  stream.write = (...args: unknown[]) => {
    seen.push(String(args[0]));
    return original(...args);
  };
}

/** Waits until every category has finished (done or failed) after `since`. */
const untilDone = (since: number): Promise<DownloadStatus[]> => untilDownloaded(call, 'dl', 2025, since, 3);

beforeAll(async () => {
  h = await startApiHarness('dl', { worker: true, logTo: { write: (line) => void seen.push(line) } });
  sandbox = await startSandbox({ texasExtension: '2025.2.1' });
  // What the state preloads into its ODS for the district.
  state = new EdfiClient({ apiUrl: sandbox.baseUrl, key: DEFAULT_CLIENT.key, secret: DEFAULT_CLIENT.secret });
  for (const [ns, code, text] of [
    ['uri://ed-fi.org/BehaviorDescriptor', 'Other', 'Other'],
    ['uri://tea.texas.gov/BehaviorDescriptor', '01', 'Permanent Removal By A Teacher From Class'],
    ['uri://tea.texas.gov/BehaviorDescriptor', '28', 'Assault Under Penal Code 22.01(a)(1) Against Non S'],
  ] as const) {
    await state.post('ed-fi/behaviorDescriptors', { namespace: ns, codeValue: code, shortDescription: text, description: text });
  }
  // Beside the seeded catalog of the demo LEA (149913), a school the state will close later.
  added = await state.post('ed-fi/schools', {
    schoolId: 149913777,
    nameOfInstitution: 'Closing Campus',
    localEducationAgencyReference: { localEducationAgencyId: 149913 },
    educationOrganizationCategories: [{ educationOrganizationCategoryDescriptor: 'uri://ed-fi.org/EducationOrganizationCategoryDescriptor#School' }],
    gradeLevels: [{ gradeLevelDescriptor: 'uri://ed-fi.org/GradeLevelDescriptor#Ninth grade' }],
  });
  expect(added.status).toBe(201);
  // A Texas extension descriptor: downloads must find tx/ resources through the dependency list.
  expect(
    (
      await state.post('tx/bilingualESLFundingDescriptors', {
        namespace: 'uri://tea.texas.gov/BilingualESLFundingDescriptor',
        codeValue: '2',
        shortDescription: 'Funded',
      })
    ).status,
  ).toBe(201);

  const raw = asClient(h.app, await apiKeyHeader(h.orm, 'admin'));
  call = async (opts) => {
    const res = await raw(opts);
    seen.push(res.body);
    return res;
  };
  await call({
    method: 'POST',
    url: '/api/profiles',
    payload: { id: 'dl', name: 'Download ISD', profileType: 'SIS', schoolYears: [2025], apiUrl: sandbox.baseUrl },
  });
  await call({ method: 'POST', url: '/api/leas', payload: { name: 'Prairie View ISD', stateNumber: '149913' } });
  await call({ method: 'PUT', url: '/api/leas/149913/connections/dl', payload: { key: DEFAULT_CLIENT.key, secret: DEFAULT_CLIENT.secret } });
});

afterAll(async () => {
  await state?.close();
  await sandbox?.close();
  for (const id of ['nightly/dl', 'weekend/dl'])
    await h?.client.schedule
      .getHandle(id)
      .delete()
      .catch(() => undefined);
  await h?.close();
});

describe('downloads from the state ODS', () => {
  it('say which set failed and why when the connection is not enabled yet, and keep nothing half-done', async () => {
    const since = Date.now() - 1_000;
    await call({ method: 'POST', url: '/api/profiles/dl/downloads', payload: { schoolYear: 2025 } });
    const rows = await untilDone(since);
    expect(rows.every((r) => r.status === 'failed')).toBe(true);
    expect(rows[0]?.message).toContain('has no enabled LEA connection: enter the key and secret, Test, then Enable');
  });

  it('download nothing while Enable Data Exchange is off, and say so (the switch was stored but read by nothing)', async () => {
    await call({ method: 'POST', url: '/api/leas/149913/connections/dl/test' });
    await call({ method: 'PUT', url: '/api/leas/149913/connections/dl/enabled', payload: { enabled: true } });
    expect((await call({ method: 'PUT', url: '/api/settings', payload: { enableDataExchange: false } })).statusCode).toBe(200);
    try {
      // The previous test's failed rows are under a second old: wait them out of the window.
      await new Promise((r) => setTimeout(r, 1_100));
      const since = Date.now() - 1_000;
      await call({ method: 'POST', url: '/api/profiles/dl/downloads', payload: { schoolYear: 2025 } });
      const rows = await untilDone(since);
      expect(rows.every((r) => r.status === 'failed')).toBe(true);
      expect(rows[0]?.message).toContain('Enable Data Exchange is off in Basic Settings');
    } finally {
      await call({ method: 'PUT', url: '/api/settings', payload: { enableDataExchange: true } });
    }
  });

  it('download descriptors, the organization catalog and the course catalog with counts, then update in place on re-download', async () => {
    await call({ method: 'POST', url: '/api/leas/149913/connections/dl/test' });
    expect((await call({ method: 'PUT', url: '/api/leas/149913/connections/dl/enabled', payload: { enabled: true } })).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 1_100));
    const since = Date.now();
    const started = await call({ method: 'POST', url: '/api/profiles/dl/downloads', payload: { schoolYear: 2025 } });
    expect(started.json()).toMatchObject({ workflowId: 'download/dl/2025', categories: ['descriptors', 'organization-catalog', 'course-catalog'] });
    const rows = await untilDone(since);
    // What the state's API holds: every descriptor resource it lists, its ed-orgs and its courses.
    const total = async (resource: string): Promise<number> => (await state.page(resource, 0, 500)).length;
    const orgs = (await total('ed-fi/localEducationAgencies')) + (await total('ed-fi/schools'));
    expect(rows.map((r) => [r.category, r.status])).toEqual([
      ['course-catalog', 'done'],
      ['descriptors', 'done'],
      ['organization-catalog', 'done'],
    ]);
    expect(rows.find((r) => r.category === 'organization-catalog')?.downloaded).toBe(orgs);
    expect(rows.find((r) => r.category === 'course-catalog')?.downloaded).toBe(await total('ed-fi/courses'));
    // Descriptors come from the API's dependency list: every descriptor resource, Texas ones included.
    expect(rows.find((r) => r.category === 'descriptors')?.downloaded).toBeGreaterThan(300);
    const tx = (await call('/api/profiles/dl/downloads/records?schoolYear=2025&resource=tx/bilingualESLFundingDescriptors')).json<{ total: number }>();
    expect(tx.total).toBeGreaterThan(0);
    const behavior = (await call('/api/profiles/dl/downloads/records?schoolYear=2025&resource=ed-fi/behaviorDescriptors&contains=Permanent Removal')).json<{
      total: number;
      rows: Array<{ key: string }>;
    }>();
    expect(behavior.rows.map((r) => r.key)).toEqual(['{"namespace":"uri://tea.texas.gov/BehaviorDescriptor","codeValue":"01"}']);
    // The details lists: descriptors by code set, values by namespace and code, schools by LEA and name, courses by title.
    const summary = (await call('/api/profiles/dl/downloads/descriptors?schoolYear=2025')).json<
      Array<{ resource: string; name: string; description: string | null; count: number }>
    >();
    expect(summary.find((d) => d.resource === 'ed-fi/behaviorDescriptors')).toMatchObject({
      name: 'BehaviorDescriptor',
      description: 'Mapping: Behavior Categories',
    });
    expect(summary.find((d) => d.resource === 'ed-fi/behaviorDescriptors')?.count).toBeGreaterThanOrEqual(3);
    const tea = (
      await call('/api/profiles/dl/downloads/records?schoolYear=2025&resource=ed-fi/behaviorDescriptors&filter=namespace:tea.texas.gov&filter=codeValue:28')
    ).json<{ rows: Array<{ key: string }> }>();
    expect(tea.rows.map((r) => r.key)).toEqual(['{"namespace":"uri://tea.texas.gov/BehaviorDescriptor","codeValue":"28"}']);
    const closing = (
      await call(
        '/api/profiles/dl/downloads/records?schoolYear=2025&resource=ed-fi/schools&filter=localEducationAgencyReference.localEducationAgencyId:149913&filter=nameOfInstitution:closing',
      )
    ).json<{ rows: Array<{ key: string }> }>();
    expect(closing.rows.map((r) => r.key)).toEqual(['{"schoolId":149913777}']);
    expect((await call('/api/profiles/dl/downloads/records?schoolYear=2025&resource=ed-fi/schools&filter=bad field:x')).statusCode).toBe(400);
    // The Course Catalog lists the state's courses and, first, the ones the district published (the guide).
    await h.orm.em
      .getConnection()
      .execute(
        `INSERT INTO catalog (profile_id, school_year, resource, source_key, natural_key, payload_hash, sent_json, edfi_id, status) VALUES ('dl', 2025, 'courses', 'L1', ?, ?, ?, 'x1', 'published')`,
        [
          '{"courseCode":"LOCAL01","educationOrganizationId":149913}',
          '0'.repeat(32),
          JSON.stringify({ courseCode: 'LOCAL01', courseTitle: 'District Robotics', educationOrganizationReference: { educationOrganizationId: 149913 } }),
        ],
      );
    const courses = (await call('/api/profiles/dl/downloads/records?schoolYear=2025&resource=ed-fi/courses&pageSize=500')).json<{
      total: number;
      rows: Array<{ key: string; origin: string }>;
    }>();
    expect(courses.total).toBe((await total('ed-fi/courses')) + 1);
    expect(courses.rows[0]).toMatchObject({ key: '{"courseCode":"LOCAL01","educationOrganizationId":149913}', origin: 'district' });
    expect(courses.rows.slice(1).every((r) => r.origin === 'state')).toBe(true);
    const robotics = (await call('/api/profiles/dl/downloads/records?schoolYear=2025&resource=ed-fi/courses&filter=courseTitle:robotics')).json<{
      total: number;
    }>();
    expect(robotics.total).toBe(1);

    // The state renames the district and closes a school: the next download updates and marks, never deletes.
    const leaDoc = ((await state.page('ed-fi/localEducationAgencies', 0, 500)) as Array<Record<string, unknown>>).find(
      (l) => l.localEducationAgencyId === 149913,
    )!;
    const { id: _id, _etag: _e, _lastModifiedDate: _l, ...leaBody } = leaDoc;
    expect((await state.post('ed-fi/localEducationAgencies', { ...leaBody, nameOfInstitution: 'Prairie View CISD' })).status).toBe(200);
    expect((await state.delete('ed-fi/schools', added.id ?? '')).status).toBe(204);
    await call({ method: 'POST', url: '/api/profiles/dl/downloads', payload: { schoolYear: 2025, categories: ['organization-catalog'] } });
    const deadline = Date.now() + 30_000;
    let schools = (await call('/api/profiles/dl/downloads/records?schoolYear=2025&resource=ed-fi/schools&pageSize=500')).json<{
      rows: Array<{ key: string; gone: boolean }>;
    }>();
    while (!schools.rows.some((r) => r.gone) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      schools = (await call('/api/profiles/dl/downloads/records?schoolYear=2025&resource=ed-fi/schools&pageSize=500')).json<{
        rows: Array<{ key: string; gone: boolean }>;
      }>();
    }
    expect(schools.rows.filter((r) => r.gone).map((r) => r.key)).toEqual(['{"schoolId":149913777}']);
    const lea = (await call('/api/profiles/dl/downloads/records?schoolYear=2025&resource=ed-fi/localEducationAgencies&contains=149913')).json<{
      rows: Array<{ doc: { nameOfInstitution: string } }>;
    }>();
    expect(lea.rows[0]?.doc.nameOfInstitution).toBe('Prairie View CISD');
  });

  it('stops on request: the running category ends stopped with what it had, waiting ones are dropped, nothing is marked gone', async () => {
    const before = await h.orm.em.getConnection().execute<Array<{ n: string }>>("SELECT count(*) AS n FROM downloaded_record WHERE profile_id = 'dl' AND gone");
    // Slow pages, so the stop lands while the first category is still downloading on a busy machine too.
    sandbox.setFaults({ rules: [{ route: 'GET /data/v3/', latencyMs: 300 }] });
    const started = await call({ method: 'POST', url: '/api/profiles/dl/downloads', payload: { schoolYear: 2025 } });
    expect(started.statusCode).toBe(202);
    const stop = await call({ method: 'DELETE', url: '/api/profiles/dl/downloads?schoolYear=2025' });
    sandbox.setFaults({});
    expect(stop.statusCode).toBe(202);
    expect(stop.json()).toEqual({ workflowId: 'download/dl/2025' });
    const deadline = Date.now() + 30_000;
    let rows = (await call('/api/profiles/dl/downloads?schoolYear=2025')).json<DownloadStatus[]>();
    while (!rows.every((r) => r.status === 'stopped') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      rows = (await call('/api/profiles/dl/downloads?schoolYear=2025')).json<DownloadStatus[]>();
    }
    expect(rows.map((r) => [r.category, r.status, r.message])).toEqual(
      ['course-catalog', 'descriptors', 'organization-catalog'].map((c) => [
        c,
        'stopped',
        'stopped on request: what was downloaded so far stays, and nothing was marked gone',
      ]),
    );
    const after = await h.orm.em.getConnection().execute<Array<{ n: string }>>("SELECT count(*) AS n FROM downloaded_record WHERE profile_id = 'dl' AND gone");
    expect(after[0]?.n).toBe(before[0]?.n);
    // Once the run has ended there is nothing to stop.
    await h.client.workflow.getHandle('download/dl/2025').result();
    const again = await call({ method: 'DELETE', url: '/api/profiles/dl/downloads?schoolYear=2025' });
    expect(again.statusCode).toBe(409);
    expect(again.json<{ message: string }>().message).toBe('no download of 2024-2025 is running for "Download ISD"');
  });

  it('never puts the LEA secret in a response, a log line or a Temporal history', async () => {
    const secret = DEFAULT_CLIENT.secret;
    expect(seen.length).toBeGreaterThan(20);
    expect(seen.filter((text) => text.includes(secret))).toEqual([]);
    const history = await historyText(h.client, 'download/dl/2025');
    // The history is real and decoded: it names what the activities fetched.
    expect(history).toContain('ed-fi/behaviorDescriptors');
    expect(history).not.toContain(secret);
  });
});
