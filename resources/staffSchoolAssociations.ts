/**
 * `staffSchoolAssociations` (Staff School): a staff member associated with a school of the district
 * for the school year, with the program assignment (Program Assignments mapping). Like Staff, it
 * needs the staff member claimed by an employment or assignment first; the engine waits for that.
 */
import type { EdfiDocument, MappedRecord, PublishContext } from './mapper.js';
import { sqlMapper, KEY_IDS } from './mapper.js';
import { edfiSchoolId, type SchoolNumbers } from './schoolId.js';
import { DURING_YEAR, STAFF_COLUMNS, staffDisplay, staffWithoutUniqueId } from './staffs.js';

interface Row extends SchoolNumbers {
  staffSchoolId: number;
  schoolId: number;
  endYear: number;
  uniqueId: string | null;
  firstName: string;
  lastName: string;
  staffNumber: string;
  programAssignment: string;
}

export const STAFF_SCHOOLS_SQL = `
  SELECT ss.staffSchoolID AS "staffSchoolId", ss.schoolID AS "schoolId", sy.endYear AS "endYear", sf.stateID AS "uniqueId",
         sf.firstName AS "firstName", sf.lastName AS "lastName", sf.staffNumber AS "staffNumber", ss.programAssignment AS "programAssignment",
         s.edFiSchoolNumber AS "edFiSchoolNumber", s.stateSchoolNumber AS "stateSchoolNumber"
    FROM staffschool ss
    JOIN staff sf ON sf.personID = ss.personID
    JOIN school s ON s.schoolID = ss.schoolID AND NOT s.exclude
    JOIN schoolyear sy ON sy.endYear = $1
   WHERE ${DURING_YEAR('ss')}
     AND ($2::int IS NULL OR ss.schoolID = $2)
     AND ($3::text[] IS NULL OR ss.staffSchoolID = ANY(${KEY_IDS}))
   ORDER BY ss.staffSchoolID`;

export function staffSchoolRecord(row: Row, ctx: PublishContext): MappedRecord {
  const school = edfiSchoolId(row);
  const doc: EdfiDocument = {
    staffReference: { staffUniqueId: row.uniqueId },
    schoolReference: { schoolId: 'id' in school ? school.id : null },
    schoolYearTypeReference: { schoolYear: row.endYear },
    programAssignmentDescriptor: ctx.descriptors.uri('program-assignments', row.programAssignment) ?? null,
  };
  const base = { sourceKey: String(row.staffSchoolId), schoolId: row.schoolId, doc, display: staffDisplay(row) };
  if ('error' in school) return { ...base, error: school.error };
  return { ...base, ...staffWithoutUniqueId(row.uniqueId) };
}

export const staffSchoolAssociations = sqlMapper<Row>({
  resource: 'ed-fi/staffSchoolAssociations',
  sql: STAFF_SCHOOLS_SQL,
  codeSets: ['program-assignments'],
  revision: 1,
  listColumns: STAFF_COLUMNS,
  changes: {
    objectOfKey: 'whole',
    tables: {
      staffschool: 'key',
      staff: { sql: 'SELECT staffSchoolID::text AS object FROM staffschool WHERE personID::text = ANY($1)' },
      school: 'everything',
      schoolyear: 'everything',
    },
  },
  params: ['schoolYear', 'schoolId', 'sourceKeys'],
  record: staffSchoolRecord,
});
