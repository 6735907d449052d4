/**
 * The calendar code rule of the Calendars spec (seed 001): the calendar id when the calendar has
 * one schedule structure, `calendarId-structureId` when it has more. Adding a second structure
 * after the first was sent therefore changes the first record's natural key (delete, then post).
 */
export function calendarCode(calendarId: number, structureId: number, structuresOnCalendar: number): string {
  return structuresOnCalendar > 1 ? `${calendarId}-${structureId}` : String(calendarId);
}

/** SQL for the structures of each calendar, shared by every resource that references a calendar. */
export const STRUCTURE_COUNT_SQL = '(SELECT count(*)::int FROM schedulestructure x WHERE x.calendarID = c.calendarID)';
