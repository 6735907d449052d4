import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSecretKey, secretBox } from './secrets.js';

describe('stored secrets', () => {
  it('round-trip, and the sealed form does not contain the secret', () => {
    const box = secretBox(randomBytes(32));
    const sealed = box.seal('SOYtEgzXkRg6qsSvMNyhKEpE');
    expect(sealed).not.toContain('SOYtEgzXkRg6qsSvMNyhKEpE');
    expect(box.open(sealed)).toBe('SOYtEgzXkRg6qsSvMNyhKEpE');
    expect(box.seal('x')).not.toBe(box.seal('x'));
  });
  it('cannot be opened with another key, and say what to do', () => {
    const sealed = secretBox(randomBytes(32)).seal('s');
    expect(() => secretBox(randomBytes(32)).open(sealed)).toThrow(/enter the secret again/);
  });
  it('fingerprint the same credentials the same way under one key only', () => {
    const key = randomBytes(32);
    expect(secretBox(key).fingerprint('k', 's')).toBe(secretBox(key).fingerprint('k', 's'));
    expect(secretBox(key).fingerprint('k', 's')).not.toBe(secretBox(key).fingerprint('ks', ''));
    expect(secretBox(randomBytes(32)).fingerprint('k', 's')).not.toBe(secretBox(key).fingerprint('k', 's'));
  });
  it('load the key from EDX_SECRET_KEY, or create a private key file once', () => {
    const b64 = randomBytes(32).toString('base64');
    expect(loadSecretKey({ EDX_SECRET_KEY: b64 }).toString('base64')).toBe(b64);
    expect(() => loadSecretKey({ EDX_SECRET_KEY: 'short' })).toThrow(/32 random bytes/);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'key-')), 'secret.key');
    const first = loadSecretKey({}, { createIfMissing: file });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadSecretKey({ EDX_SECRET_KEY_FILE: file })).toEqual(first);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.toString('base64'));
    expect(() => loadSecretKey({})).toThrow(/set EDX_SECRET_KEY/);
  });
});
