/**
 * Grades and transcripts (edfi-ds4-resources.md section 3, "Grades & transcripts"). Left out because
 * the targets are not modelled: grades.learningStandardGrades[], studentAcademicRecords.reportCards[].
 */
import { EDORG, bool, c, d, date, dec, int, o, r, resource, s, str, type PropDef } from './dsl.js';
import { COURSE_IDENTIFICATION_CODE, RECOGNITION } from './shapes.js';

/** Achievement fields shared by academicHonors[] and diplomas[]. */
const ACHIEVEMENT: readonly PropDef[] = [
  d('achievementCategory'), s('achievementCategorySystem', str(60)), s('achievementTitle', str(60)), s('criteria', str(150)),
  s('criteriaURL', str(255)), s('evidenceStatement', str(150)), s('imageURL', str(255)), s('issuerName', str(150)),
  s('issuerOriginURL', str(255)),
];

export const grades = [
  resource('Grade', [
    d('gradeType*'), r('gradingPeriod*'), r('studentSectionAssociation*'),
    d('performanceBaseConversion'),
    s('currentGradeAsOfDate', date), s('currentGradeIndicator', bool), s('diagnosticStatement', str(1024)),
    s('letterGradeEarned', str(20)), s('numericGradeEarned', dec(9, 2)),
  ], { identityUpdate: true, match: ['gradingPeriodReference.schoolId = studentSectionAssociationReference.schoolId'] }),

  resource('StudentAcademicRecord', [
    d('term*'), r('educationOrganization*', EDORG), r('schoolYearType*'), r('student*'),
    d('cumulativeAttemptedCreditType', 'creditType'), d('cumulativeEarnedCreditType', 'creditType'),
    d('sessionAttemptedCreditType', 'creditType'), d('sessionEarnedCreditType', 'creditType'),
    s('cumulativeAttemptedCreditConversion', dec(9, 2)), s('cumulativeAttemptedCredits', dec(9, 3)),
    s('cumulativeEarnedCreditConversion', dec(9, 2)), s('cumulativeEarnedCredits', dec(9, 3)),
    s('cumulativeGradePointAverage', dec(18, 4)), s('cumulativeGradePointsEarned', dec(18, 4)), s('gradeValueQualifier', str(80)),
    s('projectedGraduationDate', date),
    s('sessionAttemptedCreditConversion', dec(9, 2)), s('sessionAttemptedCredits', dec(9, 3)),
    s('sessionEarnedCreditConversion', dec(9, 2)), s('sessionEarnedCredits', dec(9, 3)),
    s('sessionGradePointAverage', dec(18, 4)), s('sessionGradePointsEarned', dec(18, 4)),
    c('academicHonors',
      d('academicHonorCategory*'), s('honorDescription*', str(80)), ...ACHIEVEMENT,
      s('honorAwardDate', date), s('honorAwardExpiresDate', date)),
    c('diplomas',
      s('diplomaAwardDate*', date), d('diplomaType*'), ...ACHIEVEMENT,
      s('cteCompleter', bool), s('diplomaAwardExpiresDate', date), s('diplomaDescription', str(80)), d('diplomaLevel')),
    c('gradePointAverages',
      d('gradePointAverageType*'), s('gradePointAverageValue!', dec(18, 4)), s('isCumulative', bool),
      s('maxGradePointAverageValue', dec(18, 4))),
    c('recognitions', ...RECOGNITION),
    o('classRanking', s('classRank!', int()), s('classRankingDate', date), s('percentageRanking', int()), s('totalNumberInClass!', int())),
  ]),

  resource('CourseTranscript', [
    d('courseAttemptResult*'), r('course*'), r('studentAcademicRecord*'),
    r('externalEducationOrganization', EDORG),
    d('attemptedCreditType', 'creditType'), d('courseRepeatCode'), d('earnedCreditType', 'creditType'), d('methodCreditEarned'),
    d('whenTakenGradeLevel', 'gradeLevel'),
    s('earnedCredits!', dec(9, 3)),
    s('alternativeCourseCode', str(60)), s('alternativeCourseTitle', str(60)), s('assigningOrganizationIdentificationCode', str(60)),
    s('attemptedCreditConversion', dec(9, 2)), s('attemptedCredits', dec(9, 3)), s('courseCatalogURL', str(255)),
    s('courseTitle', str(60)), s('earnedCreditConversion', dec(9, 2)), s('externalEducationOrganizationNameOfInstitution', str(75)),
    s('finalLetterGradeEarned', str(20)), s('finalNumericGradeEarned', dec(9, 2)),
    c('academicSubjects', d('academicSubject*')),
    c('alternativeCourseIdentificationCodes', ...COURSE_IDENTIFICATION_CODE),
    c('creditCategories', d('creditCategory*')),
    c('earnedAdditionalCredits', d('additionalCreditType*'), s('credits!', dec(9, 3))),
    // numericGradeEarned is a string here (NVARCHAR(20) in the DS 4.0 DDL), unlike on grades.
    c('partialCourseTranscriptAwards',
      s('awardDate*', date), s('earnedCredits!', dec(9, 3)), s('letterGradeEarned', str(20)), d('methodCreditEarned'),
      s('numericGradeEarned', str(20))),
  ]),
];
