import { describe, expect, it } from 'vitest';
import { mapped, testContext } from './testing.js';
import { excludedReportingTerm, gradeRecord, gradingPeriodNotMapped } from './grades.js';
import { academicRecordRecord } from './studentAcademicRecords.js';
import { courseNotInCatalog, courseTranscriptRecord } from './courseTranscripts.js';
import { UNIQUE_ID_MISSING } from './students.js';
import type { StoredDecision } from '../publishing/descriptorLookup.js';

const EDFI = 'uri://ed-fi.org';
const perSchool = (codeSet: StoredDecision['codeSet'], code: string, codeValue: string): StoredDecision => ({
  ...mapped(codeSet, code, `${EDFI}/GradingPeriodDescriptor`, codeValue),
  schoolId: 3,
});
const ctx = testContext([
  mapped('grade-types', 'GP', `${EDFI}/GradeTypeDescriptor`, 'Grading Period'),
  perSchool('reporting-terms', 'SW2', 'Second Six Weeks'),
  perSchool('reporting-terms', 'SW1', 'First Six Weeks'),
  perSchool('excluded-reporting-terms', 'SW1', 'First Six Weeks'),
  mapped('course-attempt-results', 'P', `${EDFI}/CourseAttemptResultDescriptor`, 'Pass'),
  mapped('diploma-types', '34', 'uri://tea.texas.gov/DiplomaTypeDescriptor', '34'),
]);
const student = { uniqueId: '4000001619', firstName: 'Phoebe', lastName: 'Oates', studentNumber: '201619' };
const school = { schoolId: 3, edFiSchoolNumber: null, stateSchoolNumber: '149913001' };

describe('Student Grades', () => {
  const grade = {
    ...school,
    ...student,
    scoreId: 8,
    endYear: 2025,
    gradeType: 'GP',
    score: 'B',
    percent: 86,
    periodCode: 'SW2',
    periodName: '2nd six weeks',
    seq: 2,
    sectionId: 41,
    localCourseCode: 'MATH07',
    termState: 'Fall Semester',
    sectionBeginDate: '2024-08-14',
  };

  it("refers to the student's section of the grading period's term and to the mapped grading period", () => {
    const r = gradeRecord(grade, ctx());
    expect(r.dependency ?? r.error ?? r.excluded).toBeUndefined();
    expect(r.doc).toEqual({
      gradeTypeDescriptor: `${EDFI}/GradeTypeDescriptor#Grading Period`,
      gradingPeriodReference: {
        gradingPeriodDescriptor: `${EDFI}/GradingPeriodDescriptor#Second Six Weeks`,
        periodSequence: 2,
        schoolId: 149913001,
        schoolYear: 2025,
      },
      studentSectionAssociationReference: {
        beginDate: '2024-08-14',
        localCourseCode: 'MATH07',
        schoolId: 149913001,
        schoolYear: 2025,
        sectionIdentifier: '41',
        sessionName: '2024-2025 Fall Semester',
        studentUniqueId: '4000001619',
      },
      letterGradeEarned: 'B',
      numericGradeEarned: 86,
    });
  });

  it('waits while the grading period code is not mapped, and leaves out an Excluded Reporting Term', () => {
    expect(gradeRecord({ ...grade, periodCode: 'SW3' }, ctx()).dependency).toBe(gradingPeriodNotMapped('SW3'));
    expect(gradeRecord({ ...grade, periodCode: 'SW1' }, ctx()).excluded).toBe(excludedReportingTerm('SW1'));
    expect(gradeRecord({ ...grade, uniqueId: null }, ctx()).dependency).toBe(UNIQUE_ID_MISSING);
  });
});

describe('Student Transcripts', () => {
  const record = {
    ...school,
    ...student,
    recordId: 5,
    endYear: 2025,
    termState: 'Fall Semester',
    gpaCumulative: 3.25,
    creditsAttempted: 3.5,
    creditsEarned: 3,
    creditsEarnedCumulative: 10.5,
    diplomaType: null,
    diplomaDate: null,
  };

  it('sends the term record with its credits, the cumulative GPA on Data Standard 4 only, and a diploma when awarded', () => {
    expect(academicRecordRecord(record, ctx()).doc).toEqual({
      studentReference: { studentUniqueId: '4000001619' },
      educationOrganizationReference: { educationOrganizationId: 149913001 },
      schoolYearTypeReference: { schoolYear: 2025 },
      termDescriptor: `${EDFI}/TermDescriptor#Fall Semester`,
      sessionAttemptedCredits: 3.5,
      sessionEarnedCredits: 3,
      cumulativeEarnedCredits: 10.5,
      cumulativeGradePointAverage: 3.25,
    });
    expect(academicRecordRecord(record, ctx({ dataStandard: '5.x' })).doc).not.toHaveProperty('cumulativeGradePointAverage');
    expect(academicRecordRecord({ ...record, diplomaType: '34', diplomaDate: '2025-05-30' }, ctx()).doc.diplomas).toEqual([
      { diplomaAwardDate: '2025-05-30', diplomaTypeDescriptor: 'uri://tea.texas.gov/DiplomaTypeDescriptor#34' },
    ]);
  });

  const course = {
    ...school,
    ...student,
    transcriptId: 6,
    endYear: 2025,
    termState: 'Fall Semester',
    grade: '09',
    courseNumber: 'ENG1A',
    courseName: 'English I A',
    stateCode: '03220100',
    score: 'A',
    percent: 94,
    creditsAttempted: 0.5,
    creditsEarned: 0.5,
    result: 'P',
    leaNumber: '149913',
  };

  it("refers a completed course to the Course Catalog's course and the student's academic record for the term", () => {
    expect(courseTranscriptRecord(course, ctx()).doc).toMatchObject({
      courseAttemptResultDescriptor: `${EDFI}/CourseAttemptResultDescriptor#Pass`,
      courseReference: { courseCode: '03220100', educationOrganizationId: 149913 },
      studentAcademicRecordReference: {
        educationOrganizationId: 149913001,
        schoolYear: 2025,
        studentUniqueId: '4000001619',
        termDescriptor: `${EDFI}/TermDescriptor#Fall Semester`,
      },
      earnedCredits: 0.5,
      finalLetterGradeEarned: 'A',
    });
  });

  it('holds a course with no state course number as an error saying to enter it', () => {
    expect(courseTranscriptRecord({ ...course, stateCode: null }, ctx()).error).toBe(courseNotInCatalog('ENG1A'));
  });
});
