/**
 * School years are named by their ending year, as Ed-Fi's schoolYearTypes do (2025 = 2024-2025).
 * A new school year starts on July 1, the start of the Texas state reporting year.
 */
export function schoolYearOf(date: Date): number {
  return date.getUTCMonth() >= 6 ? date.getUTCFullYear() + 1 : date.getUTCFullYear();
}

/** "2024-2025" for 2025, as the guide's year selector shows it. */
export function schoolYearLabel(endYear: number): string {
  return `${endYear - 1}-${endYear}`;
}

/** The year a page opens on: the current school year when the profile publishes it, else its latest. */
export function defaultSchoolYear(schoolYears: readonly number[], now: Date): number {
  const current = schoolYearOf(now);
  return schoolYears.includes(current) ? current : Math.max(...schoolYears);
}
