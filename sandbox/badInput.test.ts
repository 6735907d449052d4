import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from './server.js';
import { Api, call, DOCS } from './testing.js';

let s7: Sandbox;
let s6: Sandbox;
let a7: Api;
let a6: Api;

beforeAll(async () => {
  [s7, s6] = await Promise.all([startSandbox({ maxBodyBytes: 100_000 }), startSandbox({ apiVersion: '6.1' })]);
  [a7, a6] = await Promise.all([Api.of(s7), Api.of(s6)]);
});
afterAll(async () => {
  await s7?.close();
  await s6?.close();
});

function raw(api: Api, path: string, body: string | Uint8Array, headers: Record<string, string> = { 'content-type': 'application/json' }, method = 'POST') {
  return call(`${api.dataBase}/${path}`, { method, headers: { authorization: `Bearer ${api.token}`, ...headers }, body });
}

describe('bad request bodies', () => {
  it('malformed JSON: 400 with the Newtonsoft parser message (7.x errors[], 6.1 message)', async () => {
    const a = await raw(a7, 'ed-fi/students', '{"studentUniqueId": }');
    expect(a.status).toBe(400);
    expect(a.body).toMatchObject({
      type: 'urn:ed-fi:api:bad-request',
      title: 'Bad Request',
      errors: [expect.stringMatching(/^Unexpected character encountered while parsing value: }\. Path '', line 1, position \d+\.$/)],
    });
    const b = await raw(a7, 'ed-fi/students', '}');
    expect((b.body as { errors: string[] }).errors).toEqual(["Unexpected character encountered while parsing value: }. Path '', line 0, position 0."]);
    const c = await raw(a6, 'ed-fi/students', '{"studentUniqueId": "x"');
    expect(c.status).toBe(400);
    expect((c.body as { message: string }).message).toMatch(/^Unexpected end when reading JSON\./);
  });

  it('an empty body: POST errors[], PUT validationErrors["$"]; 6.1 message / modelState', async () => {
    expect((await raw(a7, 'ed-fi/students', '')).body).toMatchObject({
      status: 400,
      type: 'urn:ed-fi:api:bad-request',
      errors: ['A non-empty request body is required.'],
    });
    expect((await raw(a7, 'ed-fi/students', 'null')).body).toMatchObject({ errors: ['A non-empty request body is required.'] });
    const put = await raw(a7, 'ed-fi/students/0123456789abcdef0123456789abcdef', '', undefined, 'PUT');
    expect(put.body).toMatchObject({ status: 400, validationErrors: { $: ['A non-empty request body is required.'] } });
    expect((await raw(a6, 'ed-fi/students', '')).body).toEqual({ message: 'A non-empty request body is required.' });
  });

  it('JSON that is not an object is refused, not crashed on', async () => {
    for (const body of ['[]', '[1,2]', '42', '"text"', 'true']) {
      const a = await raw(a7, 'ed-fi/students', body);
      expect([body, a.status]).toEqual([body, 400]);
    }
  });

  it('a wrong or missing content type: 415 (7.x Problem Details, 6.1 bare)', async () => {
    const xml = await raw(a7, 'ed-fi/students', '<student/>', { 'content-type': 'application/xml' });
    expect(xml.body).toMatchObject({ status: 415, type: 'urn:ed-fi:api:unsupported-media-type' });
    const none = await raw(a7, 'ed-fi/students', new TextEncoder().encode(JSON.stringify(DOCS.student('CT'))), {});
    expect(none.body).toMatchObject({ status: 415, errors: ["The 'Content-Type' header is missing."] });
    const old = await raw(a6, 'ed-fi/students', 'x', { 'content-type': 'text/plain' });
    expect([old.status, old.text]).toEqual([415, '']);
    expect((await raw(a7, 'ed-fi/students', JSON.stringify(DOCS.student('CT')), { 'content-type': 'application/json; charset=utf-8' })).status).toBe(201);
  });

  it('a body over the size limit: 413 without reading it all', async () => {
    const big = JSON.stringify({ ...DOCS.student('BIG'), middleName: 'x'.repeat(200_000) });
    const a = await raw(a7, 'ed-fi/students', big);
    expect(a.status).toBe(413);
  });

  it('a body over the size limit from a client that writes it all before reading: the 413 arrives, not EPIPE', async () => {
    const big = Buffer.from(JSON.stringify({ ...DOCS.student('BIGGER'), middleName: 'x'.repeat(40_000_000) }));
    const url = new URL(`${a7.dataBase}/ed-fi/students`);
    const answer = await new Promise<{ status?: number; error?: string }>((resolve) => {
      const seen: { status?: number; error?: string } = {};
      const req = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: { authorization: `Bearer ${a7.token}`, 'content-type': 'application/json', 'content-length': big.length },
        },
        (res) => {
          seen.status = res.statusCode;
          res.resume();
        },
      );
      req.on('error', (err) => (seen.error = err.message));
      req.on('close', () => resolve(seen));
      req.end(big);
    });
    expect(answer).toEqual({ status: 413 });
  });

  it('nesting deeper than the reader allows (MaxDepth 32): 400; very deep: still 400, no crash', async () => {
    const deep = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
    const a = await raw(a7, 'ed-fi/students', deep(40));
    expect((a.body as { errors: string[] }).errors[0]).toMatch(/^The reader's MaxDepth of 32 has been exceeded\./);
    const b = await raw(a7, 'ed-fi/students', `${'['.repeat(45_000)}${']'.repeat(45_000)}`);
    expect(b.status).toBe(400);
  });

  it('invalid UTF-8 decodes to replacement characters, a BOM and a trailing comma are read, as .NET and Newtonsoft do', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"studentUniqueId":"UTF","firstName":"A'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('","lastSurname":"B","birthDate":"2010-01-01"}'),
    ]);
    expect((await raw(a7, 'ed-fi/students', bytes)).status).toBe(201);
    expect((await raw(a7, 'ed-fi/students', `\uFEFF${JSON.stringify(DOCS.student('BOM'))}`)).status).toBe(201);
    expect((await raw(a7, 'ed-fi/students', '{"studentUniqueId":"TC","firstName":"A","lastSurname":"B","birthDate":"2010-01-01",}')).status).toBe(201);
    expect((await raw(a7, 'ed-fi/students', '{"studentUniqueId":"\\ud800","firstName":"A","lastSurname":"B","birthDate":"2010-01-01"}')).status).toBe(201);
  });

  it('Use-Snapshot (7.x): GET 404 snapshot not found, writes 405', async () => {
    expect((await a7.get('ed-fi/schools', { 'use-snapshot': 'true' })).body).toMatchObject({
      status: 404,
      detail: 'Snapshot not found.',
      errors: ['The snapshot connection for the ODS has not been configured.'],
    });
    expect((await a7.post('ed-fi/schools', {}, { 'use-snapshot': 'true' })).body).toMatchObject({
      status: 405,
      type: 'urn:ed-fi:api:snapshots:method-not-allowed',
    });
  });

  it('a seeded fuzz of broken documents never gets a 5xx', async () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
    const values = [null, 0, -1, 1.5, 2 ** 40, '', 'x', '2020-13-45', 'uri://x#y', true, [], [null], {}, { a: { b: [1] } }, 'x'.repeat(300)];
    const paths = [
      'ed-fi/students',
      'ed-fi/studentSchoolAssociations',
      'ed-fi/courses',
      'ed-fi/schools',
      'ed-fi/calendars',
      'ed-fi/gradeLevelDescriptors',
      'tx/priorYearLeavers',
    ];
    const base: Record<string, unknown>[] = [DOCS.student('F'), DOCS.ssa('F'), DOCS.course('F'), DOCS.calendar('F')];
    for (let i = 0; i < 150; i++) {
      const doc: Record<string, unknown> = { ...pick(base) };
      for (const k of Object.keys(doc)) if (rnd() < 0.3) doc[k] = pick(values);
      if (rnd() < 0.2) doc[pick(['_ext', 'link', 'schoolReference', 'identificationCodes', 'gradeLevels'])] = pick(values);
      const a = await a7.post(pick(paths), doc);
      expect([i, a.status < 500]).toEqual([i, true]);
    }
  });
});

describe('broken HTTP', () => {
  it('a malformed request line is answered 400 by node, and the server goes on', async () => {
    const reply = await new Promise<string>((resolve) => {
      const sock = connect(Number(new URL(s7.baseUrl).port), '127.0.0.1', () => sock.write('NOT HTTP\r\n\r\n'));
      let out = '';
      sock.on('data', (d) => (out += d.toString()));
      sock.on('close', () => resolve(out));
      sock.on('error', () => resolve(out));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    expect((await call(`${s7.baseUrl}/health`)).status).toBe(200);
  });
});
