/**
 * Courses and facilities (edfi-ds4-resources.md section 3, "Courses, programs, facilities"; programs
 * live in programs.ts). Optional scalar types from the DS 4.0 DDL.
 *
 * Left out because their targets are not modelled (the product never publishes them):
 * courses.learningObjectives[]/learningStandards[], graduationPlans.requiredAssessments[].
 */
import { EDORG, bool, c, d, date, dec, int, r, resource, s, str, time } from './dsl.js';
import { COURSE_IDENTIFICATION_CODE } from './shapes.js';

export const courses = [
  resource('Course', [
    s('courseCode*', str(60)),
    r('educationOrganization*', EDORG),
    d('academicSubject'),
    d('careerPathway'),
    d('courseDefinedBy'),
    d('courseGPAApplicability'),
    d('maximumAvailableCreditType', 'creditType'),
    d('minimumAvailableCreditType', 'creditType'),
    s('courseTitle!', str(60)),
    s('numberOfParts!', int()),
    s('courseDescription', str(1024)),
    s('dateCourseAdopted', date),
    s('highSchoolCourseRequirement', bool),
    s('maxCompletionsForCredit', int()),
    s('maximumAvailableCreditConversion', dec(9, 2)),
    s('maximumAvailableCredits', dec(9, 3)),
    s('minimumAvailableCreditConversion', dec(9, 2)),
    s('minimumAvailableCredits', dec(9, 3)),
    s('timeRequiredForCompletion', int()),
    c('competencyLevels', d('competencyLevel*')),
    c('identificationCodes!', ...COURSE_IDENTIFICATION_CODE),
    c('levelCharacteristics', d('courseLevelCharacteristic*')),
    c('offeredGradeLevels', d('gradeLevel*')),
  ]),

  resource('Location', [s('classroomIdentificationCode*', str(60)), r('school*'), s('maximumNumberOfSeats', int()), s('optimalNumberOfSeats', int())], {
    identityUpdate: true,
  }),

  resource(
    'ClassPeriod',
    [s('classPeriodName*', str(60)), r('school*'), s('officialAttendancePeriod', bool), c('meetingTimes', s('endTime*', time), s('startTime*', time))],
    { identityUpdate: true },
  ),

  resource('GraduationPlan', [
    d('graduationPlanType*'),
    r('educationOrganization*', EDORG),
    r('graduationSchoolYearType*', 'schoolYearTypes'),
    d('totalRequiredCreditType', 'creditType'),
    s('totalRequiredCredits!', dec(9, 3)),
    s('individualPlan', bool),
    s('totalRequiredCreditConversion', dec(9, 2)),
    c(
      'creditsByCourses',
      s('courseSetName*', str(120)),
      s('creditConversion', dec(9, 2)),
      s('credits!', dec(9, 3)),
      d('creditType'),
      d('whenTakenGradeLevel', 'gradeLevel'),
      c('courses!', r('course*')),
    ),
    c('creditsByCreditCategories', d('creditCategory*'), s('creditConversion', dec(9, 2)), s('credits!', dec(9, 3)), d('creditType')),
    c('creditsBySubjects', d('academicSubject*'), s('creditConversion', dec(9, 2)), s('credits!', dec(9, 3)), d('creditType')),
  ]),
];
