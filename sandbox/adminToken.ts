/** The sandbox's admin token under `npm start`: made once, kept beside the data (0600), the same on every start. */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function loadOrCreateAdminToken(file: string): string {
  if (existsSync(file)) {
    const token = readFileSync(file, 'utf8').trim();
    if (token !== '') return token;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  const token = randomBytes(32).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  // `mode` applies only when the file is created: an empty one left behind keeps its old permissions otherwise.
  chmodSync(file, 0o600);
  return token;
}
