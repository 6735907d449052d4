import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SendThread } from './sendThread.js';

/** A fake ODS on 127.0.0.1: tokens, POSTs answered after `delayMs` with a Location, counting how many it holds at once. */
let server: http.Server;
let apiUrl: string;
const seen = { posts: [] as string[], most: 0, now: 0, deletes: 0 };
let delayMs = 20;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/oauth/token') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: 'a'.repeat(32), expires_in: 1800, token_type: 'bearer' }));
      return;
    }
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.now++;
      seen.most = Math.max(seen.most, seen.now);
      setTimeout(() => {
        seen.now--;
        if (req.method === 'DELETE') {
          seen.deletes++;
          res.writeHead(204).end();
        } else if (req.method === 'GET') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([{ id: 'x' }]));
        else {
          seen.posts.push((JSON.parse(body) as { n: string }).n);
          res.writeHead(201, { location: `/data/v3/ed-fi/students/${'0'.repeat(31)}${seen.posts.length % 10}` }).end();
        }
      }, delayMs);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("the send thread: a profile's ODS requests off the worker's main thread", () => {
  it('sends POSTs, DELETEs and page reads on the thread, never more in flight than the connections, and reports each answer, its timing and the lane’s state', async () => {
    const thread = new SendThread();
    const observed: Array<[string, number, string]> = [];
    const lane = thread.lane(
      { apiUrl, key: 'k', secret: 's', connections: 3, observe: (method, status, _seconds, url) => observed.push([method, status, url.pathname]) },
      3,
      false,
    );
    seen.posts = [];
    seen.most = 0;
    try {
      const sends = Array.from({ length: 12 }, (_, i) => lane.post('ed-fi/students', i % 2 === 0 ? { n: String(i) } : JSON.stringify({ n: String(i) })));
      // In flight as soon as asked, before any answer: the connections' worth, the rest waiting.
      expect(lane.inFlight).toBe(3);
      const answers = await Promise.all(sends);
      expect(answers.map((a) => a.status)).toEqual(Array.from({ length: 12 }, () => 201));
      expect(answers[0].id).toMatch(/^0{31}\d$/);
      expect(seen.posts).toHaveLength(12);
      expect(seen.most).toBe(3);
      expect((await lane.delete('ed-fi/students', 'abc')).status).toBe(204);
      expect(await lane.page('ed-fi/students', 0, 500)).toEqual([{ id: 'x' }]);
      expect(observed.filter(([m]) => m === 'POST')).toHaveLength(12);
      expect(observed).toContainEqual(['DELETE', 204, '/data/v3/ed-fi/students/abc']);
      expect(lane.inFlight).toBe(0);
      expect(lane.size).toBe(3);
    } finally {
      await thread.stop();
    }
  });

  it('gives the next free connection to a woken record (ahead) before the waiting sends', async () => {
    const thread = new SendThread();
    const lane = thread.lane({ apiUrl, key: 'k', secret: 's', connections: 1 }, 1, false);
    seen.posts = [];
    try {
      // The first holds the one connection; the rest queue on the thread, the woken one last.
      const sends = [
        lane.post('ed-fi/students', { n: 'first' }),
        lane.post('ed-fi/students', { n: 'category' }),
        lane.post('ed-fi/students', { n: 'woken' }, true),
      ];
      await Promise.all(sends);
      expect(seen.posts).toEqual(['first', 'woken', 'category']);
    } finally {
      await thread.stop();
    }
  });

  it('fails what was in flight when the thread stops, and the next request starts a fresh thread with the lanes open again', async () => {
    const thread = new SendThread();
    const lane = thread.lane({ apiUrl, key: 'k', secret: 's', connections: 2 }, 2, true);
    delayMs = 300;
    try {
      const inFlight = lane.post('ed-fi/students', { n: 'cut' });
      await new Promise((r) => setTimeout(r, 150));
      // Awaited only after stop, so the expectation is attached first: the rejection is never unhandled.
      const failed = expect(inFlight).rejects.toThrow('shutting down');
      await thread.stop();
      await failed;
      delayMs = 5;
      expect((await lane.post('ed-fi/students', { n: 'again' })).status).toBe(201);
    } finally {
      delayMs = 20;
      await thread.stop();
    }
  });

  it('refuses a request on a closed lane with what happens next, and a network failure reaches the caller as an error', async () => {
    const thread = new SendThread();
    try {
      const lane = thread.lane({ apiUrl, key: 'k', secret: 's', connections: 2 }, 2, false);
      await lane.close();
      await expect(lane.post('ed-fi/students', { n: 'late' })).rejects.toThrow('connection settings changed');
      const nowhere = thread.lane({ apiUrl: 'http://127.0.0.1:9', key: 'k', secret: 's', connections: 2 }, 2, false);
      await expect(nowhere.post('ed-fi/students', { n: 'x' })).rejects.toThrow(/127\.0\.0\.1:9/);
    } finally {
      await thread.stop();
    }
  });
});
