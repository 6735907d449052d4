import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSandbox } from './server.js';
import { Api, DOCS } from './testing.js';

const dir = mkdtempSync(path.join(tmpdir(), 'sandbox-snapshot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('snapshots', () => {
  it('keep records, ids, ETags, relationships, change versions and tracked deletes across a restart', async () => {
    const file = path.join(dir, 'keep.ndjson');
    const first = await startSandbox({ snapshotFile: file });
    const k = await Api.of(first);
    const student = Api.idOf(await k.post('ed-fi/students', DOCS.student('SNAP')));
    await k.post('ed-fi/studentSchoolAssociations', DOCS.ssa('SNAP'));
    const gone = Api.idOf(await k.post('ed-fi/courses', DOCS.course('SNAP-GONE')));
    await k.delete(`ed-fi/courses/${gone}`);
    const etag = (await k.get(`ed-fi/students/${student}`)).headers.get('etag');
    const counts = { schools: first.count('ed-fi/schools'), descriptors: first.count('ed-fi/gradeLevelDescriptors') };
    await first.close();

    const second = await startSandbox({ snapshotFile: file });
    try {
      const k2 = await Api.of(second);
      const got = await k2.get(`ed-fi/students/${student}`);
      // Readable again: the enrollment that makes the student reachable came back too.
      expect(got.status).toBe(200);
      expect(got.headers.get('etag')).toBe(etag);
      expect({ schools: second.count('ed-fi/schools'), descriptors: second.count('ed-fi/gradeLevelDescriptors') }).toEqual(counts);
      expect(((await k2.get('ed-fi/courses/deletes')).body as { id: string }[]).map((d) => d.id)).toEqual([gone]);
      // The store kept counting change versions from where it was.
      const next = await k2.post('ed-fi/courses', DOCS.course('SNAP-NEXT'));
      expect(next.status).toBe(201);
      const mine = (await k2.get('ed-fi/courses?courseCode=SNAP-NEXT')).body as { _etag: string }[];
      expect(mine).toHaveLength(1);
      // Still referenced: 409 survives the restart.
      const ssaList = (await k2.get('ed-fi/studentSchoolAssociations?studentUniqueId=SNAP')).body as unknown[];
      expect(ssaList).toHaveLength(1);
      expect((await k2.delete(`ed-fi/students/${student}`)).status).toBe(409);
    } finally {
      await second.close();
    }
  });

  it('keep the clients added, replaced and removed through /admin/clients, so a district set up against the sandbox keeps its key', async () => {
    const file = path.join(dir, 'clients.ndjson');
    const first = await startSandbox({ snapshotFile: file });
    const admin = (method: string, url: string, body?: unknown) =>
      fetch(`${first.baseUrl}${url}`, {
        method,
        headers: { 'content-type': 'application/json' },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    expect(
      (await admin('POST', '/admin/clients', { key: 'district-101912', secret: 'its-secret', claimSet: 'SIS Vendor', educationOrganizationIds: [101912] }))
        .status,
    ).toBe(201);
    expect((await admin('DELETE', '/admin/clients/sis-vendor-key')).status).toBe(204);
    await first.close();

    const second = await startSandbox({ snapshotFile: file });
    try {
      const listed = (await (await fetch(`${second.baseUrl}/admin/clients`)).json()) as Array<{ key: string; educationOrganizationIds: number[] }>;
      expect(listed.find((c) => c.key === 'district-101912')?.educationOrganizationIds).toEqual([101912]);
      expect(listed.map((c) => c.key)).not.toContain('sis-vendor-key');
      // The added key still gets a token after the restart.
      const k = await Api.of(second, 'district-101912', 'its-secret');
      expect((await k.get('ed-fi/schools')).status).toBe(200);
    } finally {
      await second.close();
    }
  });

  it('refuse a snapshot of another Data Standard or extension, and a damaged file, with what to do', async () => {
    const file = path.join(dir, 'ds.ndjson');
    await (await startSandbox({ snapshotFile: file, seed: false })).close();
    await expect(startSandbox({ snapshotFile: file, dataStandard: '5.x', texasExtension: 'none' })).rejects.toThrow(
      /holds Data Standard 4\.0 with Texas extension 2025\.2\.1; start with the same --data-standard and --texas/,
    );
    const broken = path.join(dir, 'broken.ndjson');
    writeFileSync(broken, 'not json\n');
    await expect(startSandbox({ snapshotFile: broken })).rejects.toThrow(/damaged at line 1/);
  });
});
