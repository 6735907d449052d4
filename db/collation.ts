/**
 * Whether the catalog's source keys compare byte by byte. Under such a collation a SIS object's
 * records keyed `object-…` (a section's `sectionID-termID`) lie in one range of the primary key,
 * so a traced plan reads just them; under a linguistic one ('-' weighs little or nothing) they
 * are spread out and the plan reads the resource's every record.
 */
import type pg from 'pg';

/** A collation as pg_database or pg_collation describe it. */
export interface Collation {
  /** 'b' builtin, 'c' libc, 'i' ICU (PostgreSQL 15 on; older servers are libc). */
  readonly provider: string;
  /** The libc collation (LC_COLLATE). */
  readonly collate: string | null;
}

/**
 * The builtin provider's collations all sort by code point (byte order in UTF-8); libc's do under
 * C and POSIX, and glibc's C.UTF-8 by code point too. ICU's never do.
 */
export function comparesBytewise(c: Collation): boolean {
  if (c.provider === 'b') return true;
  if (c.provider !== 'c') return false;
  return /^(C|POSIX|C\.UTF-?8)$/i.test(c.collate ?? '');
}

/** Answers by connection (or pool): a database's collation does not change under it, so each plan need not ask again. */
const answered = new WeakMap<pg.ClientBase | pg.Pool, Promise<boolean>>();

/**
 * The catalog's source_key collation, when it is the database's (the migrations set none), checked
 * by its name and by comparisons a linguistic collation answers the other way.
 */
export function sourceKeysCompareBytewise(db: pg.ClientBase | pg.Pool): Promise<boolean> {
  let answer = answered.get(db);
  if (answer === undefined) {
    answer = ask(db);
    answered.set(db, answer);
    // A failed question is asked again next time.
    answer.catch(() => answered.delete(db));
  }
  return answer;
}

async function ask(db: pg.ClientBase | pg.Pool): Promise<boolean> {
  const { rows } = await db.query<{ d: { datlocprovider?: string; datcollate?: string }; uses_default: boolean; bytewise: boolean }>(
    `SELECT to_jsonb(d) - 'datacl' AS d,
            (SELECT a.attcollation = 100 FROM pg_attribute a WHERE a.attrelid = 'catalog'::regclass AND a.attname = 'source_key') AS uses_default,
            ('7-9' < '71' AND 'Z' < 'a' AND '7-' < '7.' AND '7.' < '70') AS bytewise
       FROM pg_database d WHERE d.datname = current_database()`,
  );
  const row = rows[0];
  if (row === undefined || !row.uses_default || !row.bytewise) return false;
  return comparesBytewise({ provider: row.d.datlocprovider ?? 'c', collate: row.d.datcollate ?? null });
}
