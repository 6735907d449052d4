/**
 * The SIS replica down while the API is up: pages that read it say so with a 503 that tells what to
 * check, the setup checklist still answers (its mapping step unknown), and nothing is a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyHeader, asClient } from '../test/auth.js';
import { startApiHarness, type ApiHarness } from '../test/apiHarness.js';

let h: ApiHarness;
let admin: ReturnType<typeof asClient>;
let clerk: ReturnType<typeof asClient>;

beforeAll(async () => {
  // Port 1: nothing listens, so every replica query is refused.
  h = await startApiHarness('replicadown', { sisDatabaseUrl: 'postgres://nobody@127.0.0.1:1/none' });
  admin = asClient(h.app, await apiKeyHeader(h.orm, 'admin'));
  clerk = asClient(h.app, await apiKeyHeader(h.orm, 'clerk'));
  const made = await admin({
    method: 'POST',
    url: '/api/profiles',
    payload: { id: 'down', name: 'Down ISD', profileType: 'SIS', schoolYears: [2025], apiUrl: 'http://127.0.0.1:1' },
  });
  expect(made.statusCode, made.body).toBeLessThan(300);
}, 120_000);

afterAll(async () => {
  await h?.close();
});

describe('an SIS replica that does not answer', () => {
  it('keeps the setup checklist answering, its mapping step unknown', async () => {
    const res = await clerk('/api/profiles/down/setup?schoolYear=2025');
    expect(res.statusCode, res.body).toBe(200);
    const mapping = res.json<{ steps: Array<{ id: string; state: string }> }>().steps.find((s) => s.id === 'mapping');
    expect(mapping?.state).toBe('unknown');
  });

  it('answers the Mapping page with a 503 that says a database did not answer and what to check, never a 500', async () => {
    for (const url of ['/api/profiles/down/code-sets', '/api/profiles/down/code-sets/unmapped', '/api/profiles/down/code-sets/races/codes']) {
      const res = await clerk(url);
      expect(res.statusCode, `${url}: ${res.body}`).toBe(503);
      expect(res.json<{ message: string }>().message).toMatch(/did not answer \(ECONNREFUSED\); try again shortly .*SIS \(or HR\) replica/);
    }
  });
});
