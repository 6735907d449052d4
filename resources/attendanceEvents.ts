/**
 * What school and section attendance share: a student's attendance exception (absence, tardy,
 * early departure) on a school day, its category through the Attendance Event Categories mapping,
 * in the session (term) of that day, and the window of Now – Last 14 Days (the guide: the nightly
 * process publishes the last 14 days' changes, the weekend all of them).
 */
import type { EdfiDocument, ListColumnSpec, MappedRecord, PublishContext, RecentWindow } from './mapper.js';
import { STUDENT_COLUMNS, studentDisplay, withoutUniqueId } from './students.js';

/** The columns both attendance queries read, with `a` the exception and `st` the student. */
export interface AttendanceRow {
  eventId: number;
  uniqueId: string | null;
  firstName: string;
  lastName: string;
  studentNumber: string;
  eventDate: string;
  code: string;
  minutes: number | null;
  termState: string | null;
}

export const ATTENDANCE_COLUMNS_SQL = `st.stateID AS "uniqueId", st.firstName AS "firstName", st.lastName AS "lastName", st.studentNumber AS "studentNumber",
         to_char(a.date, 'YYYY-MM-DD') AS "eventDate", a.code, a.minutes`;

/**
 * The student columns an exception reads (its student, shown in the list; the Unique ID it waits
 * on): an address or a language changed is no change to a student's attendance.
 */
export const ATTENDANCE_STUDENT_READS = ['stateID', 'firstName', 'lastName', 'studentNumber'];

/** The school columns it reads: a school's name or principal changed is no reason to read a whole year's attendance again. */
export const ATTENDANCE_SCHOOL_READS = ['schoolID', 'edFiSchoolNumber', 'stateSchoolNumber', 'exclude'];

/** An exception of the school year (`$1`), from the Now – Last 14 Days window's first day (`$4`, or all of them). */
export const IN_YEAR_AND_WINDOW = `a.date BETWEEN sy.startDate AND sy.endDate AND ($4::date IS NULL OR a.date >= $4::date)`;

/** The window's first day as the SQL's `$4`: set only by Now – Last 14 Days. */
export const sinceParam = (ctx: PublishContext): string | null => ctx.since ?? null;

/** The latest day `table` has exceptions for in the school year: the SIS's "today" for the window. */
export function attendanceWindow(table: string): RecentWindow {
  return {
    naturalKeyDate: 'eventDate',
    latestSql: `SELECT to_char(max(a.date), 'YYYY-MM-DD') AS latest FROM ${table} a JOIN schoolyear sy ON sy.endYear = $1 AND a.date BETWEEN sy.startDate AND sy.endDate`,
  };
}

export const NO_SESSION =
  "Session record: no term of the school's primary schedule structure covers this day, so the event has no session to refer to. Check the terms' dates in the SIS, then run 'Now – Changes' on Organization Calendars and Attendance.";

/**
 * An attendance event: its category (looked up by the caller through Attendance Event Categories),
 * date, a whole day for an absence, the student, and `own` (the school and session, or the
 * section); it waits on a student without a Unique ID, and with `noTerm` when no term covers the day.
 */
export function attendanceEvent(
  row: AttendanceRow & { schoolId: number },
  ctx: PublishContext,
  event: { category: string | undefined; school: { id: number } | { error: string }; own: EdfiDocument; display?: Record<string, string>; noTerm: string },
): MappedRecord {
  const absence = row.code === 'A' || row.code === 'E';
  const doc: EdfiDocument = {
    attendanceEventCategoryDescriptor: event.category ?? null,
    eventDate: row.eventDate,
    ...(absence ? { eventDuration: 1 } : {}),
    ...event.own,
    studentReference: { studentUniqueId: row.uniqueId },
  };
  const display = { ...studentDisplay({ ...row, grade: null }), eventDate: row.eventDate, code: row.code, ...event.display };
  const base = { sourceKey: String(row.eventId), schoolId: row.schoolId, doc, display };
  if ('error' in event.school) return { ...base, error: event.school.error };
  const missing = withoutUniqueId(row.uniqueId, ctx);
  if (missing !== undefined) return { ...base, ...missing };
  if (row.termState === null) return { ...base, dependency: event.noTerm };
  return base;
}

export const ATTENDANCE_LIST_COLUMNS: readonly ListColumnSpec[] = [
  ...STUDENT_COLUMNS.filter((c) => c.id !== 'gradeLevel'),
  { id: 'eventDate', label: 'Date' },
  { id: 'code', label: 'Attendance Code' },
];
