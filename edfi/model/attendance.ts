/**
 * Attendance events (Data Standard 4.0 "Student Attendance" domain; not in edfi-ds4-resources.md,
 * modelled from the ODS/API's resource definitions): a student's attendance exception at a school
 * in a session, or in one section. Districts send exceptions (absences, tardies), not presence.
 */
import { c, d, dec, int, r, resource, s, str, time, date } from './dsl.js';

const EVENT_FIELDS = [
  s('arrivalTime', time),
  s('attendanceEventReason', str(255)),
  s('departureTime', time),
  d('educationalEnvironment'),
  s('eventDuration', dec(3, 2)),
];

export const attendance = [
  resource(
    'StudentSchoolAttendanceEvent',
    [d('attendanceEventCategory*'), s('eventDate*', date), r('school*'), r('session*'), r('student*'), ...EVENT_FIELDS, s('schoolAttendanceDuration', int())],
    { match: ['schoolReference.schoolId = sessionReference.schoolId'] },
  ),
  resource('StudentSectionAttendanceEvent', [
    d('attendanceEventCategory*'),
    s('eventDate*', date),
    r('section*'),
    r('student*'),
    ...EVENT_FIELDS,
    s('sectionAttendanceDuration', int()),
    c('classPeriods', r('classPeriod*')),
  ]),
];
