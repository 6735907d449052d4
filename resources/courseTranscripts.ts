/**
 * `courseTranscripts` (Student Transcripts): a course the student completed this school year — the
 * course as the Course Catalog sends it (the state course number under the LEA), the result (Course
 * Attempt Results mapping), credits attempted and earned, the final grade and the grade level when
 * taken — on the student's academic record for the term.
 */
import type { MappedRecord, PublishContext } from './mapper.js';
import { sqlMapper } from './mapper.js';
import { edfiSchoolId, type SchoolNumbers } from './schoolId.js';
import { termDescriptor, transcriptRowsSql } from './studentAcademicRecords.js';
import { STUDENT_COLUMNS, studentDisplay, withoutUniqueId } from './students.js';

interface Row extends SchoolNumbers {
  transcriptId: number;
  schoolId: number;
  endYear: number;
  uniqueId: string | null;
  firstName: string;
  lastName: string;
  studentNumber: string;
  termState: string;
  grade: string;
  courseNumber: string;
  courseName: string;
  stateCode: string | null;
  score: string | null;
  percent: number | null;
  creditsAttempted: number;
  creditsEarned: number;
  result: string;
  leaNumber: string;
}

export const COURSE_TRANSCRIPTS_SQL = transcriptRowsSql(
  'transcriptcourse',
  'transcriptID',
  'transcriptId',
  `r.grade, r.courseNumber AS "courseNumber", r.courseName AS "courseName", r.stateCode AS "stateCode", r.score, r.percent::float8 AS percent,
   r.creditsAttempted::float8 AS "creditsAttempted", r.creditsEarned::float8 AS "creditsEarned", r.result,
   (SELECT number FROM district ORDER BY districtID LIMIT 1) AS "leaNumber"`,
);

export function courseNotInCatalog(courseNumber: string): string {
  return `Course record: the course "${courseNumber}" on the transcript has no state course number, so the Course Catalog does not publish it. Enter its state course number in the SIS, then run 'Now – All' on Course Catalog and 'Now – Errors' on Student Transcripts.`;
}

export function courseTranscriptRecord(row: Row, ctx: PublishContext): MappedRecord {
  const school = edfiSchoolId(row);
  const schoolId = 'id' in school ? school.id : null;
  const result = ctx.descriptors.uri('course-attempt-results', row.result);
  const grade = ctx.descriptors.uri('grade-levels', row.grade, row.schoolId);
  const doc = {
    courseAttemptResultDescriptor: result ?? null,
    courseReference: { courseCode: row.stateCode, educationOrganizationId: Number(row.leaNumber) },
    studentAcademicRecordReference: {
      educationOrganizationId: schoolId,
      schoolYear: row.endYear,
      studentUniqueId: row.uniqueId,
      termDescriptor: termDescriptor(row.termState),
    },
    attemptedCredits: row.creditsAttempted,
    earnedCredits: row.creditsEarned,
    courseTitle: row.courseName.slice(0, 60),
    ...(row.score !== null ? { finalLetterGradeEarned: row.score.slice(0, 20) } : {}),
    ...(row.percent !== null ? { finalNumericGradeEarned: row.percent } : {}),
    ...(grade !== undefined ? { whenTakenGradeLevelDescriptor: grade } : {}),
  };
  const display = { ...studentDisplay({ ...row, grade: row.grade }), course: `${row.courseNumber} ${row.courseName}`, term: row.termState };
  const base = { sourceKey: String(row.transcriptId), schoolId: row.schoolId, doc, display };
  if ('error' in school) return { ...base, error: school.error };
  if (row.stateCode === null) return { ...base, error: courseNotInCatalog(row.courseNumber) };
  return { ...base, ...withoutUniqueId(row.uniqueId, ctx) };
}

export const courseTranscripts = sqlMapper<Row>({
  resource: 'ed-fi/courseTranscripts',
  sql: COURSE_TRANSCRIPTS_SQL,
  codeSets: ['course-attempt-results', 'grade-levels'],
  settings: ['ExcludeStudentsWithoutUniqueIDs'],
  revision: 1,
  listColumns: [...STUDENT_COLUMNS, { id: 'course', label: 'Course' }, { id: 'term', label: 'Term' }],
  changes: {
    objectOfKey: 'whole',
    tables: {
      transcriptcourse: 'key',
      student: { sql: 'SELECT transcriptID::text AS object FROM transcriptcourse WHERE personID::text = ANY($1)' },
      school: 'everything',
      district: 'everything',
      localcode: 'everything',
    },
  },
  params: ['schoolYear', 'schoolId', 'sourceKeys'],
  record: courseTranscriptRecord,
});
