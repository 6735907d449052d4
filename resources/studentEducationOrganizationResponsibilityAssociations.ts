/**
 * `studentEducationOrganizationResponsibilityAssociations` (Responsible Organizations): a school of
 * the district responsible for a student besides where they are enrolled — the campus of
 * accountability of a student placed elsewhere, or the one providing transportation. The kind is the
 * local code's core Ed-Fi Responsibility value (as the SIS's code table gives it, like term names).
 * Like a School Enrollment, it claims the student for the district in the ODS.
 */
import type { EdfiDocument, MappedRecord, PublishContext } from './mapper.js';
import { sqlMapper, KEY_IDS } from './mapper.js';
import { edfiSchoolId, type SchoolNumbers } from './schoolId.js';
import { enrolledThisYear, withoutUniqueId } from './students.js';

interface Row extends SchoolNumbers {
  responsibilityId: number;
  schoolId: number;
  uniqueId: string | null;
  responsibility: string;
  beginDate: string;
  endDate: string | null;
}

export const RESPONSIBILITIES_SQL = `
  SELECT r.responsibilityID AS "responsibilityId", r.schoolID AS "schoolId", st.stateID AS "uniqueId",
         coalesce(lc.stateCode, r.responsibility) AS responsibility,
         to_char(r.startDate, 'YYYY-MM-DD') AS "beginDate", to_char(r.endDate, 'YYYY-MM-DD') AS "endDate",
         s.edFiSchoolNumber AS "edFiSchoolNumber", s.stateSchoolNumber AS "stateSchoolNumber"
    FROM responsibility r
    JOIN student st ON st.personID = r.personID
    JOIN school s ON s.schoolID = r.schoolID AND NOT s.exclude
    JOIN LATERAL (${enrolledThisYear('anySchool')}) e ON true
    LEFT JOIN localcode lc ON lc.category = 'responsibility' AND lc.schoolID IS NULL AND lc.code = r.responsibility
   WHERE ($2::int IS NULL OR r.schoolID = $2)
     AND ($3::text[] IS NULL OR r.responsibilityID = ANY(${KEY_IDS}))
   ORDER BY r.responsibilityID`;

export function responsibilityRecord(row: Row, ctx: PublishContext): MappedRecord {
  const school = edfiSchoolId(row);
  const doc: EdfiDocument = {
    studentReference: { studentUniqueId: row.uniqueId },
    educationOrganizationReference: { educationOrganizationId: 'id' in school ? school.id : null },
    responsibilityDescriptor: `uri://ed-fi.org/ResponsibilityDescriptor#${row.responsibility}`,
    beginDate: row.beginDate,
    ...(row.endDate !== null ? { endDate: row.endDate } : {}),
  };
  const base = { sourceKey: String(row.responsibilityId), schoolId: row.schoolId, doc };
  if ('error' in school) return { ...base, error: school.error };
  const missing = withoutUniqueId(row.uniqueId, ctx);
  if (missing !== undefined) return { ...base, ...missing };
  return base;
}

export const studentEducationOrganizationResponsibilityAssociations = sqlMapper<Row>({
  resource: 'ed-fi/studentEducationOrganizationResponsibilityAssociations',
  sql: RESPONSIBILITIES_SQL,
  codeSets: [],
  settings: ['ExcludeStudentsWithoutUniqueIDs'],
  revision: 1,
  changes: {
    objectOfKey: 'whole',
    tables: {
      responsibility: 'key',
      student: { sql: 'SELECT responsibilityID::text AS object FROM responsibility WHERE personID::text = ANY($1)' },
      enrollment: {
        sql: 'SELECT r.responsibilityID::text AS object FROM enrollment en JOIN responsibility r ON r.personID = en.personID WHERE en.enrollmentID::text = ANY($1)',
      },
      calendar: 'everything',
      school: 'everything',
      localcode: 'everything',
    },
  },
  params: ['schoolYear', 'schoolId', 'sourceKeys'],
  record: responsibilityRecord,
});
