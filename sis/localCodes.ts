/** Reads the SIS replica's local code tables: the values a clerk maps to Ed-Fi descriptors. */
import type pg from 'pg';

export interface SisLocalCode {
  /** SIS school id for codes kept per school; null for district-wide codes. */
  readonly schoolId: number | null;
  readonly schoolName: string | null;
  readonly code: string;
  readonly name: string;
  readonly active: boolean;
}

/** A code of one school (or district-wide, `schoolId` null): what one mapping is about. */
export interface LocalCodeOf {
  readonly code: string;
  readonly schoolId: number | null;
}

/**
 * Every code of one code table, district-wide codes first, then by school and code; with `only`,
 * just that code (a clerk's one mapping need not read a district's thousands of per-school codes).
 */
export async function readLocalCodes(db: pg.Pool | pg.ClientBase, category: string, only?: LocalCodeOf): Promise<SisLocalCode[]> {
  const { rows } = await db.query<SisLocalCode>(
    `SELECT l.schoolID AS "schoolId", s.name AS "schoolName", l.code, l.name, l.active
       FROM localcode l LEFT JOIN school s ON s.schoolID = l.schoolID
      WHERE l.category = $1 AND ($2::text IS NULL OR (l.code = $2 AND l.schoolID IS NOT DISTINCT FROM $3::int))
      ORDER BY l.schoolID NULLS FIRST, l.code`,
    [category, only?.code ?? null, only?.schoolId ?? null],
  );
  return rows;
}
