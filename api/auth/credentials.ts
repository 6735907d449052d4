/** Password and API-key handling: only hashes are stored; comparisons take constant time. */
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number, options: { N: number; r: number; p: number }) => Promise<Buffer>;
const SCRYPT = { N: 16_384, r: 8, p: 1 };

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, 32, SCRYPT);
  return `scrypt:${SCRYPT.N}:${salt.toString('base64')}:${hash.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, salt, hash] = stored.split(':');
  if (scheme !== 'scrypt' || n === undefined || salt === undefined || hash === undefined) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, { ...SCRYPT, N: Number(n) });
  return timingSafeEqual(actual, expected);
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** `edx_<8-char id>_<secret>`: the id finds the row, the secret is checked against its hash. */
export function newApiKey(): { id: string; token: string; hash: string } {
  const id = randomBytes(6).toString('base64url').slice(0, 8);
  const token = `edx_${id}_${randomBytes(24).toString('base64url')}`;
  return { id, token, hash: sha256(token) };
}

export function parseApiKey(token: string): { id: string } | undefined {
  const m = /^edx_([A-Za-z0-9_-]{8})_[A-Za-z0-9_-]{32}$/.exec(token);
  return m?.[1] !== undefined ? { id: m[1] } : undefined;
}

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export const randomToken = (): string => randomBytes(32).toString('base64url');

/** A readable generated password for the first admin. */
export const generatePassword = (): string => randomBytes(12).toString('base64url');
