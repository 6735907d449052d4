/**
 * Calendar and master schedule (edfi-ds4-resources.md section 3, "Calendar & master schedule").
 *
 * Left out because the target is not modelled: sessions.academicWeeks[].
 */
import { bool, c, d, date, dec, int, r, resource, s, str, time } from './dsl.js';

export const calendar = [
  resource('Calendar', [s('calendarCode*', str(60)), r('school*'), r('schoolYearType*'), d('calendarType!'), c('gradeLevels', d('gradeLevel*'))]),

  resource('CalendarDate', [s('date*', date), r('calendar*'), c('calendarEvents!', d('calendarEvent*'))]),

  resource('GradingPeriod', [
    d('gradingPeriod*'),
    s('periodSequence*', int()),
    r('school*'),
    r('schoolYearType*'),
    s('beginDate!', date),
    s('endDate!', date),
    s('totalInstructionalDays!', int()),
  ]),

  resource(
    'Session',
    [
      s('sessionName*', str(60)),
      r('school*'),
      r('schoolYearType*'),
      d('term!'),
      s('beginDate!', date),
      s('endDate!', date),
      s('totalInstructionalDays!', int()),
      c('gradingPeriods', r('gradingPeriod*')),
    ],
    { identityUpdate: true },
  ),

  resource(
    'CourseOffering',
    [
      s('localCourseCode*', str(60)),
      r('school*'),
      r('session*'),
      r('course!'),
      s('instructionalTimePlanned', int()),
      s('localCourseTitle', str(60)),
      c('courseLevelCharacteristics', d('courseLevelCharacteristic*')),
      c('curriculumUseds', d('curriculumUsed*')),
      c('offeredGradeLevels', d('gradeLevel*')),
    ],
    { match: ['schoolReference.schoolId = sessionReference.schoolId'] },
  ),

  resource(
    'Section',
    [
      s('sectionIdentifier*', str(255)),
      r('courseOffering*'),
      // The room may be in another school than the offering: locationSchoolReference carries its school.
      r('location'),
      r('locationSchool', 'schools'),
      d('availableCreditType', 'creditType'),
      d('educationalEnvironment'),
      d('instructionLanguage', 'language'),
      d('mediumOfInstruction'),
      d('populationServed'),
      s('availableCreditConversion', dec(9, 2)),
      s('availableCredits', dec(9, 3)),
      s('officialAttendancePeriod', bool),
      s('sectionName', str(100)),
      s('sequenceOfCourse', int()),
      c('characteristics', d('sectionCharacteristic*')),
      c('classPeriods', r('classPeriod*')),
      c('courseLevelCharacteristics', d('courseLevelCharacteristic*')),
      c('offeredGradeLevels', d('gradeLevel*')),
      c('programs', r('program*')),
    ],
    { identityUpdate: true, match: ['locationReference.schoolId = locationSchoolReference.schoolId'] },
  ),

  resource('BellSchedule', [
    s('bellScheduleName*', str(60)),
    r('school*'),
    s('alternateDayName', str(20)),
    s('endTime', time),
    s('startTime', time),
    s('totalInstructionalTime', int()),
    c('classPeriods!', r('classPeriod*')),
    c('dates', s('date*', date)),
    c('gradeLevels', d('gradeLevel*')),
  ]),
];
