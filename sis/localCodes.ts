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

/** Every code of one code table, district-wide codes first, then by school and code. */
export async function readLocalCodes(db: pg.Pool | pg.ClientBase, category: string): Promise<SisLocalCode[]> {
  const { rows } = await db.query<SisLocalCode>(
    `SELECT l.schoolID AS "schoolId", s.name AS "schoolName", l.code, l.name, l.active
       FROM localcode l LEFT JOIN school s ON s.schoolID = l.schoolID
      WHERE l.category = $1
      ORDER BY l.schoolID NULLS FIRST, l.code`,
    [category],
  );
  return rows;
}
