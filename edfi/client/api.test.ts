import { describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { dataPath, EdfiClient, idFromLocation, retryAfterMs } from './api.js';

/** An ODS on 127.0.0.1 that hands out tokens and answers every other request with `answer`. */
async function fakeOds(answer: (res: http.ServerResponse) => void): Promise<{ apiUrl: string; server: http.Server }> {
  const server = http.createServer((req, res) => {
    if (req.url === '/oauth/token') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: 'a'.repeat(32), expires_in: 1800, token_type: 'bearer' }));
      return;
    }
    answer(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
const CREATED = { location: '/data/v3/ed-fi/schools/0d6c9f9ab8b34bcf8c4e5fd1e6b1e3a2' };

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
    const { apiUrl, server } = await fakeOds((res) => {
      posts++;
      if (posts === 1) res.writeHead(429, { 'retry-after': '0' }).end();
      else res.writeHead(201, CREATED).end();
    });
    const client = new EdfiClient({ apiUrl, key: 'k', secret: 's' });
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

describe("the client's spans", () => {
  it('records each exchange as a client span named by method and path, and none when told not to (the send thread: the main thread records its exchanges)', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    trace.setGlobalTracerProvider(provider);
    const { apiUrl, server } = await fakeOds((res) => res.writeHead(201, CREATED).end());
    const traced = new EdfiClient({ apiUrl, key: 'k', secret: 's' });
    const quiet = new EdfiClient({ apiUrl, key: 'k', secret: 's', spans: false });
    try {
      await traced.post('ed-fi/schools', { schoolId: 1 });
      expect(exporter.getFinishedSpans().map((s) => [s.name, s.attributes['http.response.status_code']])).toEqual([['POST /data/v3/ed-fi/schools', 201]]);
      exporter.reset();
      expect((await quiet.post('ed-fi/schools', { schoolId: 2 })).status).toBe(201);
      expect(exporter.getFinishedSpans()).toEqual([]);
    } finally {
      await traced.close();
      await quiet.close();
      server.close();
      trace.disable();
      await provider.shutdown();
    }
  });
});
