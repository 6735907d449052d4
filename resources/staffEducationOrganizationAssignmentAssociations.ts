/**
 * `staffEducationOrganizationAssignmentAssociations` (Staff Assignment): a staff member's assignment
 * to a school of the district that reaches the school year — the Service ID (the TEA role id,
 * through the Staff Classifications mapping), position title, dates and FTE. Publishing it claims
 * the staff member for the district in the ODS.
 *
 * The guide's exception: a SIS profile publishes the assignments whose Service ID is a valid state
 * value even when it does not publish HR staff data; the others are listed as excluded, with why.
 */
import type { EdfiDocument, MappedRecord, PublishContext } from './mapper.js';
import { sqlMapper, KEY_IDS } from './mapper.js';
import { edfiSchoolId, type SchoolNumbers } from './schoolId.js';
import { stateCode } from './stateCode.js';
import { DURING_YEAR, STAFF_COLUMNS, staffDisplay, staffWithoutUniqueId } from './staffs.js';
import { entityScope } from '../publishing/profileScope.js';

interface Row extends SchoolNumbers {
  assignmentId: number;
  schoolId: number;
  uniqueId: string | null;
  firstName: string;
  lastName: string;
  staffNumber: string;
  serviceId: string;
  title: string;
  beginDate: string;
  endDate: string | null;
  fte: string | null;
}

export const ASSIGNMENTS_SQL = `
  SELECT ea.assignmentID AS "assignmentId", ea.schoolID AS "schoolId", sf.stateID AS "uniqueId", sf.firstName AS "firstName",
         sf.lastName AS "lastName", sf.staffNumber AS "staffNumber", ea.serviceID AS "serviceId", ea.title,
         to_char(ea.startDate, 'YYYY-MM-DD') AS "beginDate", to_char(ea.endDate, 'YYYY-MM-DD') AS "endDate", ea.fte::text AS fte,
         s.edFiSchoolNumber AS "edFiSchoolNumber", s.stateSchoolNumber AS "stateSchoolNumber"
    FROM employmentassignment ea
    JOIN staff sf ON sf.personID = ea.personID
    JOIN school s ON s.schoolID = ea.schoolID AND NOT s.exclude
    JOIN schoolyear sy ON sy.endYear = $1
   WHERE ${DURING_YEAR('ea')}
     AND ($2::int IS NULL OR ea.schoolID = $2)
     AND ($3::text[] IS NULL OR ea.assignmentID = ANY(${KEY_IDS}))
   ORDER BY ea.assignmentID`;

export function assignmentRecord(row: Row, ctx: PublishContext): MappedRecord {
  const school = edfiSchoolId(row);
  const classification = stateCode(ctx, 'staff-classifications', row.serviceId, 'Staff Associations');
  const doc: EdfiDocument = {
    staffReference: { staffUniqueId: row.uniqueId },
    educationOrganizationReference: { educationOrganizationId: 'id' in school ? school.id : null },
    staffClassificationDescriptor: classification !== undefined && 'uri' in classification ? classification.uri : null,
    beginDate: row.beginDate,
    ...(row.endDate !== null ? { endDate: row.endDate } : {}),
    positionTitle: row.title.slice(0, 100),
    ...(row.fte !== null && Number(row.fte) >= 0 && Number(row.fte) <= 1 ? { fullTimeEquivalency: Number(row.fte) } : {}),
  };
  const display = { ...staffDisplay(row), serviceId: row.serviceId, beginDate: row.beginDate };
  const base = { sourceKey: String(row.assignmentId), schoolId: row.schoolId, doc, display };
  const scope = entityScope('staffEducationOrganizationAssignmentAssociations', ctx.kind, ctx.setting);
  const valid = classification !== undefined && 'uri' in classification;
  if (scope.publish === 'state-service-ids' && !valid) return { ...base, excluded: scope.why };
  if ('error' in school) return { ...base, error: school.error };
  const missing = staffWithoutUniqueId(row.uniqueId);
  if (missing !== undefined) return { ...base, ...missing };
  if (classification !== undefined && 'error' in classification) return { ...base, error: classification.error };
  return base;
}

export const staffEducationOrganizationAssignmentAssociations = sqlMapper<Row>({
  resource: 'ed-fi/staffEducationOrganizationAssignmentAssociations',
  sql: ASSIGNMENTS_SQL,
  codeSets: ['staff-classifications'],
  settings: ['PublishHRStaffAndAssociations'],
  revision: 1,
  listColumns: [...STAFF_COLUMNS, { id: 'serviceId', label: 'Service ID' }, { id: 'beginDate', label: 'Begin Date' }],
  changes: {
    objectOfKey: 'whole',
    tables: {
      employmentassignment: 'key',
      staff: { sql: 'SELECT assignmentID::text AS object FROM employmentassignment WHERE personID::text = ANY($1)' },
      school: 'everything',
      schoolyear: 'everything',
    },
  },
  params: ['schoolYear', 'schoolId', 'sourceKeys'],
  record: assignmentRecord,
});
