import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOrCreateAdminToken } from './adminToken.js';

const posix = process.platform !== 'win32';
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'sandbox-token-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the sandbox admin token under npm start', () => {
  it('is made once into a file only its owner reads, and the same on the next start', () => {
    const file = path.join(dir, 'nested', 'sandbox-admin-token');
    const first = loadOrCreateAdminToken(file);
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes, base64url
    if (posix) expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(first);
    expect(loadOrCreateAdminToken(file)).toBe(first);
    expect(loadOrCreateAdminToken(path.join(dir, 'another'))).not.toBe(first);
  });

  it('keeps a token written by hand (e.g. copied from another machine)', () => {
    const file = path.join(dir, 'sandbox-admin-token');
    writeFileSync(file, '  my-own-token\n', { mode: 0o600 });
    expect(loadOrCreateAdminToken(file)).toBe('my-own-token');
  });

  it.runIf(posix)('replaces an empty file with a token readable by its owner only, whatever the file allowed before', () => {
    const file = path.join(dir, 'sandbox-admin-token');
    writeFileSync(file, '\n', { mode: 0o644 });
    const token = loadOrCreateAdminToken(file);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
