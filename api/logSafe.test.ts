import { describe, expect, it } from 'vitest';
import { loggableError, redactSql } from './logSafe.js';

describe('log redaction', () => {
  it('keeps the statement of a failed insert but none of its values', () => {
    const message = `insert into "lea_connection" ("lea_id", "key", "secret_encrypted", "attempts") values ('101912', 'demo-key', 'v1.c2VhbGVk.secret', 3) - value too long for type character varying(64)`;
    const out = redactSql(message);
    expect(out).toBe(
      `insert into "lea_connection" ("lea_id", "key", "secret_encrypted", "attempts") values (?, ?, ?, ?) - value too long for type character varying(?)`,
    );
  });
  it("hides the key values Postgres repeats in a duplicate-key detail, and '' escapes inside literals", () => {
    expect(redactSql('Key (key_hash)=(5e884898da28) already exists.')).toBe('Key (key_hash)=(?) already exists.');
    expect(redactSql("where name = 'O''Brien' and id = $1")).toBe('where name = ? and id = $1');
  });
  it('logs an error with its name and code, the values gone from message and stack', () => {
    const err = Object.assign(new Error("select * from app_user where username = 'alice'"), { code: '22P02' });
    const logged = loggableError(err);
    expect(logged).toMatchObject({ type: 'Error', code: '22P02', message: 'select * from app_user where username = ?' });
    expect(logged.stack).not.toContain('alice');
  });
});
