/**
 * `tx/studentApplications` (Student Application): applications to a charter campus's waitlist for the
 * school year (TEA's Charter School Waitlist collection) — applicants who are not enrolled, so they
 * go out here and not as School Enrollments. Only charter campuses keep applications in the SIS.
 * The application type is the local code's TEA value (C327); the state student id (SSN or S-number)
 * is required, the Unique ID sent when the applicant has one.
 */
import type { EdfiDocument, MappedRecord, PublishContext } from './mapper.js';
import { sqlMapper, KEY_IDS } from './mapper.js';
import { edfiSchoolId, type SchoolNumbers } from './schoolId.js';
import { stateCode } from './stateCode.js';
import { STATE_STUDENT_ID_MISSING } from './students.js';

interface Row extends SchoolNumbers {
  applicationId: number;
  schoolId: number;
  endYear: number;
  applicationType: string;
  applicationDate: string;
  grade: string;
  firstName: string;
  lastName: string;
  birthDate: string;
  gender: string;
  ssn: string | null;
  uniqueId: string | null;
}

export const APPLICATIONS_SQL = `
  SELECT a.applicationID AS "applicationId", a.schoolID AS "schoolId", a.endYear AS "endYear",
         coalesce(lc.stateCode, a.applicationType) AS "applicationType", to_char(a.applicationDate, 'YYYY-MM-DD') AS "applicationDate",
         a.grade, a.firstName AS "firstName", a.lastName AS "lastName", to_char(a.birthDate, 'YYYY-MM-DD') AS "birthDate", a.gender,
         a.ssn, a.stateID AS "uniqueId", s.edFiSchoolNumber AS "edFiSchoolNumber", s.stateSchoolNumber AS "stateSchoolNumber"
    FROM application a
    JOIN school s ON s.schoolID = a.schoolID AND NOT s.exclude
    LEFT JOIN localcode lc ON lc.category = 'applicationType' AND lc.schoolID IS NULL AND lc.code = a.applicationType
   WHERE a.endYear = $1
     AND ($2::int IS NULL OR a.schoolID = $2)
     AND ($3::text[] IS NULL OR a.applicationID = ANY(${KEY_IDS}))
   ORDER BY a.applicationID`;

export function applicationRecord(row: Row, ctx: PublishContext): MappedRecord {
  const school = edfiSchoolId(row);
  const sex = stateCode(ctx, 'sex', row.gender, 'Student Identification');
  const doc: EdfiDocument = {
    educationOrganizationReference: { educationOrganizationId: 'id' in school ? school.id : null },
    schoolYearTypeReference: { schoolYear: row.endYear },
    applicationIdentifier: String(row.applicationId),
    applicationTypeDescriptor: `uri://tea.texas.gov/ApplicationTypeDescriptor#${row.applicationType}`,
    applicationDate: row.applicationDate,
    entryGradeLevelDescriptor: ctx.descriptors.uri('grade-levels', row.grade, row.schoolId) ?? null,
    sexDescriptor: sex !== undefined && 'uri' in sex ? sex.uri : null,
    firstName: row.firstName,
    lastSurname: row.lastName,
    birthDate: row.birthDate,
    studentId: row.ssn,
    ...(row.uniqueId !== null ? { studentUId: row.uniqueId } : {}),
  };
  const display = {
    applicantName: `${row.firstName} ${row.lastName}`,
    applicationId: String(row.applicationId),
    gradeLevel: row.grade,
    applicationDate: row.applicationDate,
  };
  const base = { sourceKey: String(row.applicationId), schoolId: row.schoolId, doc, display };
  if ('error' in school) return { ...base, error: school.error };
  if (sex !== undefined && 'error' in sex) return { ...base, error: sex.error };
  if (row.ssn === null || row.ssn.trim() === '') return { ...base, error: STATE_STUDENT_ID_MISSING };
  return base;
}

export const studentApplications = sqlMapper<Row>({
  resource: 'tx/studentApplications',
  sql: APPLICATIONS_SQL,
  codeSets: ['sex', 'grade-levels'],
  revision: 1,
  strayOwnership: 'none',
  listColumns: [
    { id: 'applicantName', label: 'Applicant Name' },
    { id: 'applicationId', label: 'Application ID' },
    { id: 'gradeLevel', label: 'Grade Level' },
    { id: 'applicationDate', label: 'Application Date' },
  ],
  changes: {
    objectOfKey: 'whole',
    tables: { application: 'key', school: 'everything', localcode: 'everything' },
  },
  params: ['schoolYear', 'schoolId', 'sourceKeys'],
  record: applicationRecord,
});
