/**
 * `staffEducationOrganizationEmploymentAssociations` (Staff Employment): a staff member's employment
 * by the district (the LEA) that reaches the school year, from the HR tables — hire date, status
 * (Employment Statuses mapping), end date and FTE. Publishing it claims the staff member for the
 * district in the ODS.
 *
 * PublishDefaultStaffEmployment (the guide: a temporary work-around while an HR system's employment
 * data is pending) adds a default employment for each staff member assigned this year who has none:
 * hired when their assignment began, status Other. Once real employment arrives the default is no
 * longer extracted, and Now – Changes deletes it from the ODS.
 */
import type { EdfiDocument, MappedRecord, PublishContext } from './mapper.js';
import { sqlMapper, KEY_IDS } from './mapper.js';
import { ASSIGNED_SCHOOL, DURING_YEAR, STAFF_COLUMNS, staffDisplay, staffWithoutUniqueId } from './staffs.js';

/** The source key of a staff member's default employment. */
export const defaultEmploymentKey = (personId: number | string): string => `default-${personId}`;

/** The status a default employment carries: the HR system has not said. */
export const DEFAULT_EMPLOYMENT_STATUS = 'uri://ed-fi.org/EmploymentStatusDescriptor#Other';

interface Row {
  sourceKey: string;
  schoolId: number | null;
  uniqueId: string | null;
  firstName: string;
  lastName: string;
  staffNumber: string;
  leaNumber: string;
  status: string | null;
  hireDate: string;
  endDate: string | null;
  fte: string | null;
  isDefault: boolean;
}

const STAFF_COLUMNS_SQL = `sf.stateID AS "uniqueId", sf.firstName AS "firstName", sf.lastName AS "lastName", sf.staffNumber AS "staffNumber"`;

export const EMPLOYMENT_SQL = `
  SELECT em.employmentID::text AS "sourceKey", a."schoolId", ${STAFF_COLUMNS_SQL}, d.number AS "leaNumber", em.status,
         to_char(em.startDate, 'YYYY-MM-DD') AS "hireDate", to_char(em.endDate, 'YYYY-MM-DD') AS "endDate", em.fte::text AS fte, false AS "isDefault"
    FROM employment em
    JOIN staff sf ON sf.personID = em.personID
    JOIN district d ON d.districtID = em.districtID
    JOIN schoolyear sy ON sy.endYear = $1
    LEFT JOIN LATERAL (${ASSIGNED_SCHOOL}) a ON true
   WHERE ${DURING_YEAR('em')}
     AND ($2::int IS NULL OR a."schoolId" = $2)
     AND ($3::text[] IS NULL OR em.employmentID = ANY(${KEY_IDS}))
  UNION ALL
  SELECT 'default-' || sf.personID, a."schoolId", ${STAFF_COLUMNS_SQL}, (SELECT d.number FROM district d ORDER BY d.districtID LIMIT 1),
         NULL, to_char(a."assignedFrom", 'YYYY-MM-DD'), NULL, NULL, true
    FROM staff sf
    JOIN schoolyear sy ON sy.endYear = $1
    JOIN LATERAL (${ASSIGNED_SCHOOL}) a ON true
   WHERE $4::boolean
     AND NOT EXISTS (SELECT 1 FROM employment em WHERE em.personID = sf.personID AND ${DURING_YEAR('em')})
     AND ($2::int IS NULL OR a."schoolId" = $2)
     AND ($3::text[] IS NULL OR 'default-' || sf.personID = ANY($3))
   ORDER BY 1`;

export function employmentRecord(row: Row, ctx: PublishContext): MappedRecord {
  const status = row.isDefault ? DEFAULT_EMPLOYMENT_STATUS : ctx.descriptors.uri('employment-statuses', row.status);
  const doc: EdfiDocument = {
    staffReference: { staffUniqueId: row.uniqueId },
    educationOrganizationReference: { educationOrganizationId: Number(row.leaNumber) },
    employmentStatusDescriptor: status ?? null,
    hireDate: row.hireDate,
    ...(row.endDate !== null ? { endDate: row.endDate } : {}),
    // Ed-Fi's FTE is a fraction of one (decimal 5,4).
    ...(row.fte !== null && Number(row.fte) >= 0 && Number(row.fte) <= 1 ? { fullTimeEquivalency: Number(row.fte) } : {}),
  };
  const display = { ...staffDisplay(row), hireDate: row.hireDate, kind: row.isDefault ? 'Default (no HR employment)' : 'Employment' };
  const base = { sourceKey: row.sourceKey, schoolId: row.schoolId, doc, display };
  return { ...base, ...staffWithoutUniqueId(row.uniqueId) };
}

export const staffEducationOrganizationEmploymentAssociations = sqlMapper<Row>({
  resource: 'ed-fi/staffEducationOrganizationEmploymentAssociations',
  sql: EMPLOYMENT_SQL,
  codeSets: ['employment-statuses'],
  settings: ['PublishDefaultStaffEmployment'],
  revision: 1,
  listColumns: [...STAFF_COLUMNS, { id: 'hireDate', label: 'Hire Date' }, { id: 'kind', label: 'Source' }],
  changes: {
    objectOfKey: 'whole',
    tables: {
      // An employment's change reaches it and the default it replaces.
      employment: {
        sql: `SELECT employmentID::text AS object FROM employment WHERE employmentID::text = ANY($1)
              UNION ALL SELECT 'default-' || personID FROM employment WHERE employmentID::text = ANY($1)`,
      },
      staff: {
        sql: `SELECT employmentID::text AS object FROM employment WHERE personID::text = ANY($1) UNION ALL SELECT 'default-' || personID FROM staff WHERE personID::text = ANY($1)`,
      },
      // An assignment files the staff member's employment under its school, and stands in for missing employment.
      employmentassignment: {
        sql: `SELECT 'default-' || personID AS object FROM employmentassignment WHERE assignmentID::text = ANY($1)
              UNION ALL SELECT em.employmentID::text FROM employment em JOIN employmentassignment ea ON ea.personID = em.personID WHERE ea.assignmentID::text = ANY($1)`,
      },
      district: 'everything',
      schoolyear: 'everything',
      school: 'everything',
    },
  },
  params: ['schoolYear', 'schoolId', 'sourceKeys', (ctx) => ctx.setting('PublishDefaultStaffEmployment')],
  record: employmentRecord,
});
