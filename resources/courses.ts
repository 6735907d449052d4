/**
 * `courses` (Course Catalog, district level): one course per state course number (the SIS's
 * alternate course number) in the school year, under the LEA. SIS courses without one are not
 * in the catalog; their offerings and sections wait as "Alternate Course Number not set".
 */
import type { MappedRecord } from './mapper.js';
import { sqlMapper } from './mapper.js';
import { readWholeOnAnyChange } from '../publishing/changeSet.js';

interface Row {
  stateCode: string;
  title: string;
  leaNumber: string;
  credits: string | null;
}

export const COURSES_SQL = `
  SELECT DISTINCT ON (co.stateCode) co.stateCode AS "stateCode", co.name AS title, d.number AS "leaNumber", co.credits::text AS credits
    FROM course co
    JOIN calendar c ON c.calendarID = co.calendarID
    JOIN school s ON s.schoolID = c.schoolID
    JOIN district d ON d.districtID = s.districtID
   WHERE c.endYear = $1 AND co.stateCode IS NOT NULL AND co.active AND NOT c.exclude AND NOT s.exclude
     AND ($2::text[] IS NULL OR co.stateCode = ANY($2))
   ORDER BY co.stateCode, co.courseID`;

export function courseRecord(row: Row): MappedRecord {
  return {
    sourceKey: row.stateCode,
    schoolId: null,
    doc: {
      courseCode: row.stateCode,
      educationOrganizationReference: { educationOrganizationId: Number(row.leaNumber) },
      courseTitle: row.title.slice(0, 60),
      numberOfParts: 1,
      identificationCodes: [
        { courseIdentificationSystemDescriptor: 'uri://ed-fi.org/CourseIdentificationSystemDescriptor#State course code', identificationCode: row.stateCode },
      ],
      ...(row.credits !== null ? { maximumAvailableCredits: Number(row.credits) } : {}),
    },
  };
}

export const courses = sqlMapper<Row>({
  resource: 'ed-fi/courses',
  sql: COURSES_SQL,
  codeSets: [],
  revision: 1,
  // Courses read a school only for its district and whether it is excluded.
  changes: readWholeOnAnyChange(['calendar', 'course', 'district', 'school'], { school: ['schoolID', 'districtID', 'exclude'] }),
  params: ['schoolYear', 'sourceKeys'],
  record: courseRecord,
});
