/**
 * Request bodies: read with a size limit, check the content type, and parse JSON the way the ODS's
 * Newtonsoft reader answers — its messages for broken JSON, its depth limit (ASP.NET Core: 32),
 * its leniency with trailing commas and a byte-order mark. Invalid UTF-8 decodes to U+FFFD, as .NET does.
 */
import type { IncomingMessage } from 'node:http';

export type BodyRead = { readonly text: string } | { readonly tooLarge: true };

/** How much of an oversized body is read and thrown away so the client sees the 413 (beyond it, the socket closes). */
const DRAIN_LIMIT_BYTES = 256 * 1024 * 1024;
const DRAIN_LIMIT_MS = 30_000;

/**
 * Answers "too large" once the client has finished sending (or the drain limits are met): answering
 * while it still uploads closes the socket under it, and it sees EPIPE instead of the 413.
 */
function drained(req: IncomingMessage, alreadyRead: number): Promise<BodyRead> {
  return new Promise((resolve) => {
    let size = alreadyRead;
    const done = (): void => {
      clearTimeout(timer);
      req.removeListener('data', onData);
      resolve({ tooLarge: true });
    };
    const onData = (c: Buffer): void => {
      size += c.length;
      if (size > DRAIN_LIMIT_BYTES) done();
    };
    const timer = setTimeout(done, DRAIN_LIMIT_MS);
    req.on('data', onData);
    req.once('end', done);
    req.once('error', done);
    req.resume();
  });
}

export function readBody(req: IncomingMessage, limit: number): Promise<BodyRead> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) return declared > DRAIN_LIMIT_BYTES ? Promise.resolve({ tooLarge: true }) : drained(req, 0);
  return new Promise((resolve) => {
    let size = 0;
    let first: Buffer | undefined;
    let chunks: Buffer[] | undefined;
    let done = false;
    const onData = (c: Buffer): void => {
      if (done) return;
      size += c.length;
      if (size > limit) {
        done = true;
        first = undefined;
        chunks = undefined;
        req.removeListener('data', onData);
        void drained(req, size).then(resolve);
        return;
      }
      // Most bodies arrive in one chunk: no array, no concat.
      if (first === undefined) first = c;
      else (chunks ??= [first]).push(c);
    };
    req.on('data', onData);
    req.on('end', () => {
      if (done) return;
      done = true;
      const buf = chunks !== undefined ? Buffer.concat(chunks, size) : first;
      resolve({ text: buf === undefined ? '' : buf.toString('utf8') });
    });
    req.on('error', () => {
      if (done) return;
      done = true;
      resolve({ text: '' });
    });
  });
}

/** `application/json`, `text/json` and `application/*+json`, with any parameters. */
export function contentTypeProblem(header: string | undefined): 'missing' | 'unsupported' | undefined {
  if (header === undefined || header.trim() === '') return 'missing';
  const type = header.split(';', 1)[0].trim().toLowerCase();
  if (type === 'application/json' || type === 'text/json' || (type.startsWith('application/') && type.endsWith('+json'))) return undefined;
  return 'unsupported';
}

export const MAX_DEPTH = 32;

export type Parsed = { readonly value: unknown } | { readonly empty: true } | { readonly error: string };

export function parseJson(raw: string): Parsed {
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  if (text.trim() === '') return { empty: true };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    if (err instanceof RangeError) return { error: depthMessage(text) };
    const lenient = withoutTrailingCommas(text);
    try {
      if (lenient === text) throw err;
      value = JSON.parse(lenient);
    } catch {
      return { error: newtonsoftMessage(text, err instanceof Error ? err.message : String(err)) };
    }
  }
  if (tooDeep(value, 0)) return { error: depthMessage(text) };
  return { value };
}

function tooDeep(v: unknown, depth: number): boolean {
  if (typeof v !== 'object' || v === null) return false;
  if (depth >= MAX_DEPTH) return true;
  if (Array.isArray(v)) {
    for (const x of v) if (tooDeep(x, depth + 1)) return true;
    return false;
  }
  for (const k in v) if (tooDeep((v as Record<string, unknown>)[k], depth + 1)) return true;
  return false;
}

/** Position of the first bracket past the depth limit, for the message. */
function depthMessage(text: string): string {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      depth++;
      if (depth > MAX_DEPTH) return `The reader's MaxDepth of ${MAX_DEPTH} has been exceeded. Path '', ${where(text, i)}.`;
    } else if (c === '}' || c === ']') depth--;
  }
  return `The reader's MaxDepth of ${MAX_DEPTH} has been exceeded. Path '', line 1, position 0.`;
}

/** Newtonsoft reads `{"a":1,}` and `[1,]`; JSON.parse does not. */
function withoutTrailingCommas(text: string): string {
  if (!/,\s*[}\]]/.test(text)) return text;
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    if (c === ',') {
      let j = i + 1;
      while (j < text.length && /\s/.test(text[j])) j++;
      if (text[j] === '}' || text[j] === ']') continue;
    }
    out += c;
  }
  return out;
}

/** Newtonsoft's `line L, position P` (line 0, position 0 before anything was read). */
function where(text: string, pos: number): string {
  if (pos <= 0) return 'line 0, position 0';
  let line = 1;
  let start = 0;
  for (let i = 0; i < pos && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return `line ${line}, position ${pos - start + 1}`;
}

/** The parser message a Newtonsoft reader gives for the same broken text (kinds and position; the path is left empty). */
export function newtonsoftMessage(text: string, v8: string): string {
  const at = /position (\d+)/.exec(v8);
  let pos = at !== null ? Number(at[1]) : -1;
  const token = /Unexpected token '?(.)'?,/.exec(v8)?.[1];
  if (pos < 0 && token !== undefined) pos = text.indexOf(token);
  if (/end of JSON input|Unterminated/i.test(v8) || pos >= text.length) return `Unexpected end when reading JSON. Path '', ${where(text, text.length)}.`;
  if (pos < 0) pos = 0;
  const c = text[pos] ?? '';
  if (/property name/i.test(v8)) return `Invalid property identifier character: ${c}. Path '', ${where(text, pos)}.`;
  if (/after (property value|array element)/i.test(v8))
    return `After parsing a value an unexpected character was encountered: ${c}. Path '', ${where(text, pos)}.`;
  return `Unexpected character encountered while parsing value: ${c}. Path '', ${where(text, pos)}.`;
}
