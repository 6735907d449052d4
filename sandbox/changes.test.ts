import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from './server.js';
import { Api, call, DOCS } from './testing.js';

let s: Sandbox;
let k: Api;
let other: Api;

beforeAll(async () => {
  s = await startSandbox({
    clients: [
      { key: 'k', secret: 's' },
      { key: 'other', secret: 's', educationOrganizationIds: [255901] },
      { key: 'boot', secret: 's', claimSet: 'Bootstrap Descriptors and EdOrgs' },
    ],
  });
  [k, other] = await Promise.all([Api.of(s, 'k', 's'), Api.of(s, 'other', 's')]);
});
afterAll(async () => {
  await s?.close();
});

async function newest(api: Api): Promise<number> {
  const a = await call(`${api.base}/changeQueries/v1/availableChangeVersions`, { headers: { authorization: `Bearer ${api.token}` } });
  return (a.body as { newestChangeVersion: number }).newestChangeVersion;
}

describe('change queries', () => {
  it('availableChangeVersions: oldest 0, newest moving with every write; needs a token', async () => {
    const before = await newest(k);
    expect(before).toBeGreaterThan(0);
    await k.post('ed-fi/courses', DOCS.course('CQ-1'));
    expect(await newest(k)).toBe(before + 1);
    const anon = await call(`${s.baseUrl}/changeQueries/v1/AvailableChangeVersions`);
    expect(anon.body).toMatchObject({ status: 401, errors: ['Authorization header is missing.'] });
    expect((await call(`${s.baseUrl}/changeQueries/v1/availableChangeVersions`, { headers: { authorization: `Bearer ${k.token}` } })).body).toEqual({
      oldestChangeVersion: 0,
      newestChangeVersion: before + 1,
    });
  });

  it('minChangeVersion and maxChangeVersion filter lists, inclusively', async () => {
    const from = (await newest(k)) + 1;
    await k.post('ed-fi/courses', DOCS.course('CQ-2'));
    await k.post('ed-fi/courses', DOCS.course('CQ-3'));
    const both = await k.get(`ed-fi/courses?minChangeVersion=${from}&totalCount=true`);
    expect((both.body as { courseCode: string }[]).map((c) => c.courseCode)).toEqual(['CQ-2', 'CQ-3']);
    expect(both.headers.get('total-count')).toBe('2');
    const one = await k.get(`ed-fi/courses?minChangeVersion=${from}&maxChangeVersion=${from}`);
    expect((one.body as { courseCode: string }[]).map((c) => c.courseCode)).toEqual(['CQ-2']);
  });

  it('/deletes lists tracked deletes with key values; deleting and recreating twice gives two entries', async () => {
    const from = (await newest(k)) + 1;
    for (let i = 0; i < 2; i++) {
      const id = Api.idOf(await k.post('ed-fi/courses', DOCS.course('CQ-DEL')));
      expect((await k.delete(`ed-fi/courses/${id}`)).status).toBe(204);
    }
    const d = await k.get(`ed-fi/courses/deletes?minChangeVersion=${from}&totalCount=true`);
    expect(d.status).toBe(200);
    expect(d.headers.get('total-count')).toBe('2');
    expect(d.body).toEqual([
      {
        id: expect.stringMatching(/^[0-9a-f]{32}$/) as unknown,
        changeVersion: expect.any(Number) as unknown,
        keyValues: { courseCode: 'CQ-DEL', educationOrganizationId: 149913 },
      },
      expect.objectContaining({ keyValues: { courseCode: 'CQ-DEL', educationOrganizationId: 149913 } }),
    ]);
    expect((await k.get('ed-fi/courses/deletes?limit=-1')).body).toMatchObject({
      status: 400,
      detail: 'The request construction was invalid.',
      errors: ['Parameters supplied to the request were invalid.'],
    });
    // Another district does not see these deletes.
    expect((await other.get(`ed-fi/courses/deletes?minChangeVersion=${from}`)).body).toEqual([]);
  });

  it('/deletes of students shows only those that were enrolled with one of the caller’s schools', async () => {
    const from = (await newest(k)) + 1;
    const never = Api.idOf(await k.post('ed-fi/students', DOCS.student('CQ-NEVER')));
    await k.delete(`ed-fi/students/${never}`);
    const enrolled = Api.idOf(await k.post('ed-fi/students', DOCS.student('CQ-ENR')));
    const ssa = Api.idOf(await k.post('ed-fi/studentSchoolAssociations', DOCS.ssa('CQ-ENR')));
    await k.delete(`ed-fi/studentSchoolAssociations/${ssa}`);
    // People are deleted without a relationship; the one that was once enrolled stays visible in /deletes.
    await k.delete(`ed-fi/students/${enrolled}`);
    const d = (await k.get(`ed-fi/students/deletes?minChangeVersion=${from}`)).body as { keyValues: { studentUniqueId: string } }[];
    expect(d.map((x) => x.keyValues.studentUniqueId)).toEqual(['CQ-ENR']);
    expect((await other.get(`ed-fi/students/deletes?minChangeVersion=${from}`)).body).toEqual([]);
    const e2 = Api.idOf(await k.post('ed-fi/students', DOCS.student('CQ-ENR2')));
    await k.post('ed-fi/studentSchoolAssociations', DOCS.ssa('CQ-ENR2'));
    const blocked = await k.delete(`ed-fi/students/${e2}`);
    expect(blocked.status).toBe(409);
  });

  it('/keyChanges collapses several key changes of one item: first old keys, latest new keys', async () => {
    const from = (await newest(k)) + 1;
    const id = Api.idOf(await k.post('ed-fi/classPeriods', { classPeriodName: 'KC-1', schoolReference: { schoolId: 149913003 } }));
    await k.put(`ed-fi/classPeriods/${id}`, { classPeriodName: 'KC-2', schoolReference: { schoolId: 149913003 } });
    await k.put(`ed-fi/classPeriods/${id}`, { classPeriodName: 'KC-3', schoolReference: { schoolId: 149913003 } });
    const kc = await k.get(`ed-fi/classPeriods/keyChanges?minChangeVersion=${from}`);
    expect(kc.body).toEqual([
      {
        id,
        changeVersion: expect.any(Number) as unknown,
        oldKeyValues: { classPeriodName: 'KC-1', schoolId: 149913003 },
        newKeyValues: { classPeriodName: 'KC-3', schoolId: 149913003 },
      },
    ]);
    expect((await k.get('ed-fi/courses/keyChanges')).body).toEqual([]);
  });

  it('needs ReadChanges in the claim set', async () => {
    const boot = await Api.of(s, 'boot', 's');
    expect((await boot.get('ed-fi/courses/deletes')).status).toBe(403);
    expect((await boot.get('ed-fi/schools/deletes')).status).toBe(200);
  });
});
