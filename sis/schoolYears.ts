/** What publishing asks the SIS replica about its school years. */
import type pg from 'pg';

/** Whether the SIS holds the school year ending in `endYear` (2025 = 2024-2025). */
export async function sisHasSchoolYear(sis: pg.Pool | pg.ClientBase, endYear: number): Promise<boolean> {
  const { rowCount } = await sis.query('SELECT 1 FROM schoolyear WHERE endYear = $1', [endYear]);
  return (rowCount ?? 0) > 0;
}
