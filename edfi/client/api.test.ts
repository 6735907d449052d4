import { describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { dataPath, EdfiClient, idFromLocation, retryAfterMs } from './api.js';

describe('Ed-Fi API addressing', () => {
  it('builds data URLs under the API base, keeping its path (one instance per school year)', () => {
    expect(dataPath('https://api.state.gov/odsedfiapi2025', 'ed-fi/schools').toString()).toBe('https://api.state.gov/odsedfiapi2025/data/v3/ed-fi/schools');
    expect(dataPath('https://api.state.gov/odsedfiapi2025/', 'tx/ssaOrgAssociationExts', 'abc').toString()).toBe(
      'https://api.state.gov/odsedfiapi2025/data/v3/tx/ssaOrgAssociationExts/abc',
    );
  });
  it('reads the new resource id from a POST Location header', () => {
    expect(idFromLocation('https://x/data/v3/ed-fi/schools/0d6c9f9ab8b34bcf8c4e5fd1e6b1e3a2')).toBe('0d6c9f9ab8b34bcf8c4e5fd1e6b1e3a2');
    expect(idFromLocation('https://x/data/v3/ed-fi/schools/0d6c9f9a-b8b3-4bcf-8c4e-5fd1e6b1e3a2')).toBe('0d6c9f9a-b8b3-4bcf-8c4e-5fd1e6b1e3a2');
    expect(idFromLocation(undefined)).toBeUndefined();
    expect(idFromLocation('https://x/data/v3/ed-fi/schools')).toBeUndefined();
  });
});

describe('429 Too Many Requests', () => {
  it('waits as long as Retry-After says (seconds or a date), a growing default otherwise, never over a minute', () => {
    expect(retryAfterMs('2', 0)).toBe(2_000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 0, 7_000)).toBe(3_000);
    expect(retryAfterMs(undefined, 0)).toBe(1_000);
    expect(retryAfterMs(undefined, 3)).toBe(8_000);
    expect(retryAfterMs('3600', 0)).toBe(60_000);
  });

  it('resends after the wait and returns the real answer', async () => {
    let posts = 0;
    const server = http.createServer((req, res) => {
      if (req.url === '/oauth/token') {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ access_token: 'a'.repeat(32), expires_in: 1800, token_type: 'bearer' }));
        return;
      }
      posts++;
      if (posts === 1) res.writeHead(429, { 'retry-after': '0' }).end();
      else res.writeHead(201, { location: '/data/v3/ed-fi/schools/0d6c9f9ab8b34bcf8c4e5fd1e6b1e3a2' }).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const client = new EdfiClient({ apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, key: 'k', secret: 's' });
    try {
      const answer = await client.post('ed-fi/schools', { schoolId: 1 });
      expect(answer.status).toBe(201);
      expect(posts).toBe(2);
    } finally {
      await client.close();
      server.close();
    }
  });
});
