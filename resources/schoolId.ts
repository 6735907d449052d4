/** The Ed-Fi schoolId of a SIS school: the numeric Ed-Fi school number if set, else the state school number. */

export const NON_NUMERIC_SCHOOL_ID =
  'The School ID being sent is non-numeric. Enter a numeric Ed-Fi School Number or State School Number on the Schools editor to correct this issue.';

export interface SchoolNumbers {
  readonly edFiSchoolNumber: number | null;
  readonly stateSchoolNumber: string | null;
}

/** The number Ed-Fi identifies the school by, or the seed's message when it is not a number. */
export function edfiSchoolId(s: SchoolNumbers): { id: number } | { error: string } {
  if (s.edFiSchoolNumber !== null) return { id: s.edFiSchoolNumber };
  const state = s.stateSchoolNumber?.trim() ?? '';
  return /^\d{1,10}$/.test(state) ? { id: Number(state) } : { error: NON_NUMERIC_SCHOOL_ID };
}
