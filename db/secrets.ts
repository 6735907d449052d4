/**
 * Encryption of the secrets districts give us (the state's API secret): AES-256-GCM with a key from
 * EDX_SECRET_KEY (base64 of 32 bytes) or the file EDX_SECRET_KEY_FILE. Losing the key means
 * re-entering the secrets, never exposing them.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const VERSION = 'v1';

export interface SecretBox {
  seal(plaintext: string): string;
  open(sealed: string): string;
  /** A keyed fingerprint: equal inputs match, nothing about them can be read back. */
  fingerprint(...parts: string[]): string;
}

export function secretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error(`the secret key must be 32 bytes; got ${key.length}`);
  return {
    seal(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join(':');
    },
    open(sealed) {
      const [version, iv, tag, body] = sealed.split(':');
      if (version !== VERSION || iv === undefined || tag === undefined || body === undefined) throw new Error('not a sealed secret of this version');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      try {
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
      } catch {
        throw new Error('the stored secret cannot be decrypted with this key (was EDX_SECRET_KEY changed?) — enter the secret again');
      }
    },
    fingerprint(...parts) {
      const h = createHmac('sha256', key);
      for (const p of parts) h.update(`${p.length}:${p}`);
      return h.digest('hex');
    },
  };
}

function parseKey(text: string, where: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) throw new Error(`${where} must hold 32 random bytes, base64 or hex (make one with: openssl rand -base64 32)`);
  return key;
}

/** The key from the environment; `createIfMissing` makes a key file (npm start does, on first run). */
export function loadSecretKey(env: NodeJS.ProcessEnv = process.env, opts: { createIfMissing?: string } = {}): Buffer {
  if (env.EDX_SECRET_KEY !== undefined && env.EDX_SECRET_KEY !== '') return parseKey(env.EDX_SECRET_KEY, 'EDX_SECRET_KEY');
  const file = env.EDX_SECRET_KEY_FILE ?? opts.createIfMissing;
  if (file === undefined) throw new Error('no encryption key for stored secrets: set EDX_SECRET_KEY (openssl rand -base64 32) or EDX_SECRET_KEY_FILE');
  if (!existsSync(file)) {
    if (opts.createIfMissing === undefined) throw new Error(`EDX_SECRET_KEY_FILE ${file} does not exist — create it with: openssl rand -base64 32 > ${file}`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  }
  return parseKey(readFileSync(file, 'utf8'), `EDX_SECRET_KEY_FILE ${file}`);
}
