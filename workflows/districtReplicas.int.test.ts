/**
 * Many districts on one deployment, each with its own SIS replica: a district's profile publishes
 * from its district's replica, never from the deployment's (which holds another district), and a
 * replica entered for a district is kept only when it holds that district.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { Sandbox } from '../sandbox/server.js';
import { generateDistrict, loadDistrict } from '../sis/index.js';
import { apiKeyHeader, asClient } from '../test/auth.js';
import { removeProfileWorkflows, startApiHarness, type ApiHarness } from '../test/apiHarness.js';
import { createScratchDatabase } from '../test/stack.js';
import { profileWithDescriptors, sandboxWithDistrictKey } from '../test/downloads.js';
import { publishAndWait } from '../test/publishing.js';

const PROFILE = 'district-b-sis';
const YEAR = 2025;
const B_KEY = { key: 'district-b-key', secret: 'district-b-secret' };
let h: ApiHarness;
let sandbox: Sandbox;
let call: ReturnType<typeof asClient>;
/** The deployment's replica (SIS_DATABASE_URL) holds district A; district B has its own. */
const district: Record<'a' | 'b', { url: string; number: string; name: string }> = {} as never;

async function loadedReplica(prefix: string, seed: number): Promise<{ url: string; number: string; name: string }> {
  const url = await createScratchDatabase(prefix);
  await loadDistrict(url, generateDistrict({ size: 'small', seed }));
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const row = (await client.query<{ number: string; name: string }>('SELECT number, name FROM district')).rows[0];
  await client.end();
  return { url, ...row };
}

beforeAll(async () => {
  district.a = await loadedReplica('dista', 1);
  district.b = await loadedReplica('distb', 2);
  h = await startApiHarness('districts', { worker: true, realWorkflows: true, sisDatabaseUrl: district.a.url });
  sandbox = await sandboxWithDistrictKey(B_KEY, district.b.number);
  call = asClient(h.app, await apiKeyHeader(h.orm, 'admin'));
  const b = { profileId: PROFILE, name: 'District B SIS', apiUrl: sandbox.baseUrl, schoolYear: YEAR, lea: district.b, ...B_KEY };
  await profileWithDescriptors(call, b);
  const moved = await call({ method: 'PATCH', url: `/api/profiles/${PROFILE}`, payload: { leaId: district.b.number } });
  if (moved.statusCode !== 200) throw new Error(`moving the profile to district B failed: ${moved.body}`);
}, 240_000);

afterAll(async () => {
  await sandbox?.close();
  await removeProfileWorkflows(h, PROFILE, [`nightly/${PROFILE}`, `weekend/${PROFILE}`]);
  await h?.close();
});

describe("a district's own SIS replica", () => {
  it('is refused when it holds another district, or cannot be read, saying which', async () => {
    expect(district.a.number).not.toBe(district.b.number);
    const url = `/api/leas/${district.b.number}/replicas`;
    const wrong = await call({ method: 'PUT', url, payload: { sis: district.a.url } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json<{ message: string }>().message).toBe(
      `SIS replica: the replica holds district ${district.a.number}, not ${district.b.number}: enter the replica of this district`,
    );
    const gone = await call({ method: 'PUT', url, payload: { sis: 'postgres://reader:secret-pw@127.0.0.1:1/none' } });
    expect(gone.statusCode).toBe(400);
    expect(gone.json<{ message: string }>().message).toMatch(/^SIS replica: could not be read \(/);
    expect(gone.body).not.toContain('secret-pw');
    expect((await call(url)).json()).toEqual({ leaId: district.b.number, sis: false, hr: false });
  });

  it("publishes the district's own data from it, not the deployment's replica's", async () => {
    const url = `/api/leas/${district.b.number}/replicas`;
    const kept = await call({ method: 'PUT', url, payload: { sis: district.b.url } });
    expect(kept.statusCode).toBe(200);
    expect(kept.json()).toEqual({ leaId: district.b.number, sis: true, hr: false });
    // The URL (and its password) is never answered back, nor listed with the LEA.
    expect((await call('/api/leas')).body).not.toContain('postgres');
    const run = await publishAndWait(call, PROFILE, { category: 'organization-catalog', option: 'all', schoolYear: YEAR }, 240_000);
    expect(run.outcome).toBe('completed');
    const published = await h.orm.em
      .getConnection()
      .execute<Array<{ natural_key: string }>>(
        `SELECT natural_key FROM catalog WHERE profile_id = ? AND resource = 'localEducationAgencies' AND status = 'published'`,
        [PROFILE],
      );
    expect(published.map((r) => JSON.parse(r.natural_key) as { localEducationAgencyId: number })).toEqual([
      { localEducationAgencyId: Number(district.b.number) },
    ]);
  });
});
