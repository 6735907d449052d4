/**
 * `grades` (Student Grades): a student's posted grade for a grading period in a section — the
 * grade type (Grade Types mapping), the letter and numeric grade — referring to the student's
 * section of the grading period's term (the Student Section `studentSectionAssociations` sends) and
 * to the grading period (published once its code is mapped under Reporting Terms). Grading periods
 * listed under Excluded Reporting Terms are not sent. Not collected by TEA: off until the profile's
 * PublishGrades setting is on (publishing/profileScope.ts).
 */
import type { MappedRecord, PublishContext } from './mapper.js';
import { sqlMapper, KEY_IDS } from './mapper.js';
import { TERM_STATE } from './schedules.js';
import { edfiSchoolId, type SchoolNumbers } from './schoolId.js';
import { gradingPeriodKey, sessionName } from './sessions.js';
import { STUDENT_COLUMNS, studentDisplay, withoutUniqueId } from './students.js';

interface Row extends SchoolNumbers {
  scoreId: number;
  schoolId: number;
  endYear: number;
  uniqueId: string | null;
  firstName: string;
  lastName: string;
  studentNumber: string;
  gradeType: string;
  score: string | null;
  percent: number | null;
  periodCode: string;
  periodName: string;
  seq: number;
  sectionId: number;
  localCourseCode: string;
  termState: string;
  sectionBeginDate: string;
}

export const GRADES_SQL = `
  SELECT g.scoreID AS "scoreId", c.schoolID AS "schoolId", c.endYear AS "endYear", st.stateID AS "uniqueId", st.firstName AS "firstName",
         st.lastName AS "lastName", st.studentNumber AS "studentNumber", g.gradeType AS "gradeType", g.score, g.percent::float8 AS percent,
         gp.code AS "periodCode", gp.name AS "periodName", gp.seq, x.sectionID AS "sectionId", co.number AS "localCourseCode",
         ${TERM_STATE} AS "termState", to_char(greatest(ro.startDate, t.startDate), 'YYYY-MM-DD') AS "sectionBeginDate",
         s.edFiSchoolNumber AS "edFiSchoolNumber", s.stateSchoolNumber AS "stateSchoolNumber"
    FROM gradingscore g
    JOIN gradingperiod gp ON gp.gradingPeriodID = g.gradingPeriodID
    JOIN term t ON t.termID = gp.termID
    JOIN section x ON x.sectionID = g.sectionID
    JOIN course co ON co.courseID = x.courseID
    JOIN calendar c ON c.calendarID = co.calendarID
    JOIN school s ON s.schoolID = c.schoolID
    JOIN student st ON st.personID = g.personID
    -- The roster row of the grading period's term: the student's section of that term starts with it.
    JOIN LATERAL (SELECT r.startDate FROM roster r
                   WHERE r.personID = g.personID AND r.sectionID = g.sectionID AND r.startDate <= t.endDate AND (r.endDate IS NULL OR r.endDate >= t.startDate)
                   ORDER BY r.startDate DESC LIMIT 1) ro ON true
   WHERE c.endYear = $1 AND co.active AND NOT c.exclude AND NOT s.exclude
     AND ($2::int IS NULL OR c.schoolID = $2)
     AND ($3::text[] IS NULL OR g.scoreID = ANY(${KEY_IDS}))
   ORDER BY g.scoreID`;

export function gradingPeriodNotMapped(code: string): string {
  return `Grading Period record: the grading period code "${code}" is not mapped under Reporting Terms, so its grading period is not published. Map it (Mapping → Reporting Terms, per school), then run 'Now – Changes' on Organization Calendars and on Student Grades.`;
}

export function excludedReportingTerm(code: string): string {
  return `Excluded: the grading period code "${code}" is listed under Excluded Reporting Terms (Mapping), so its grades are not published. Remove it there to publish them.`;
}

export function gradeRecord(row: Row, ctx: PublishContext): MappedRecord {
  const school = edfiSchoolId(row);
  const schoolId = 'id' in school ? school.id : null;
  const period = ctx.descriptors.mapped('reporting-terms', row.periodCode, row.schoolId);
  const type = ctx.descriptors.uri('grade-types', row.gradeType);
  const doc = {
    gradeTypeDescriptor: type ?? null,
    gradingPeriodReference: {
      gradingPeriodDescriptor: period ?? null,
      ...gradingPeriodKey(ctx, { name: row.periodName, seq: row.seq }),
      schoolId,
      schoolYear: row.endYear,
    },
    studentSectionAssociationReference: {
      beginDate: row.sectionBeginDate,
      localCourseCode: row.localCourseCode,
      schoolId,
      schoolYear: row.endYear,
      sectionIdentifier: String(row.sectionId),
      sessionName: sessionName(row.endYear, row.termState),
      studentUniqueId: row.uniqueId,
    },
    ...(row.score !== null ? { letterGradeEarned: row.score.slice(0, 20) } : {}),
    ...(row.percent !== null ? { numericGradeEarned: row.percent } : {}),
  };
  const display = {
    ...studentDisplay({ ...row, grade: null }),
    section: `${row.localCourseCode} ${row.sectionId}`,
    gradingPeriod: row.periodName,
    gradeType: row.gradeType,
  };
  const base = { sourceKey: String(row.scoreId), schoolId: row.schoolId, doc, display };
  if (ctx.descriptors.mapped('excluded-reporting-terms', row.periodCode, row.schoolId) !== undefined)
    return { ...base, excluded: excludedReportingTerm(row.periodCode) };
  if ('error' in school) return { ...base, error: school.error };
  const missing = withoutUniqueId(row.uniqueId, ctx);
  if (missing !== undefined) return { ...base, ...missing };
  if (period === undefined) return { ...base, dependency: gradingPeriodNotMapped(row.periodCode) };
  return base;
}

export const grades = sqlMapper<Row>({
  resource: 'ed-fi/grades',
  sql: GRADES_SQL,
  codeSets: ['reporting-terms', 'grade-types', 'excluded-reporting-terms'],
  settings: ['ExcludeStudentsWithoutUniqueIDs'],
  revision: 1,
  listColumns: [
    ...STUDENT_COLUMNS.filter((c) => c.id !== 'gradeLevel'),
    { id: 'section', label: 'Section' },
    { id: 'gradingPeriod', label: 'Grading Period' },
    { id: 'gradeType', label: 'Grade Type' },
  ],
  changes: {
    objectOfKey: 'whole',
    tables: {
      gradingscore: 'key',
      student: { sql: 'SELECT scoreID::text AS object FROM gradingscore WHERE personID::text = ANY($1)' },
      roster: {
        sql: 'SELECT g.scoreID::text AS object FROM gradingscore g JOIN roster r ON r.personID = g.personID AND r.sectionID = g.sectionID WHERE r.rosterID::text = ANY($1)',
      },
      section: { sql: 'SELECT scoreID::text AS object FROM gradingscore WHERE sectionID::text = ANY($1)' },
      gradingperiod: { sql: 'SELECT scoreID::text AS object FROM gradingscore WHERE gradingPeriodID::text = ANY($1)' },
      term: 'everything',
      course: 'everything',
      calendar: 'everything',
      school: 'everything',
      localcode: 'everything',
    },
  },
  params: ['schoolYear', 'schoolId', 'sourceKeys'],
  record: gradeRecord,
});
