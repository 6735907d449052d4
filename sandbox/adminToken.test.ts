import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOrCreateAdminToken } from './adminToken.js';

describe('the sandbox admin token under npm start', () => {
  it('is made once into a file only its owner reads, and the same on the next start', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sandbox-token-'));
    try {
      const file = path.join(dir, 'sandbox-admin-token');
      const first = loadOrCreateAdminToken(file);
      expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file, 'utf8').trim()).toBe(first);
      expect(loadOrCreateAdminToken(file)).toBe(first);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
