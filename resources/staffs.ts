/**
 * `staffs` (Staff): each staff member working for the district in the school year — with an
 * assignment at one of its schools, or employed by it — identified by the TX Unique ID. Texas adds,
 * in `_ext.TX`, the staff id (SSN or TEA's alternative id, E0505), the do-not-report flag and the
 * years of prior teaching experience.
 *
 * The ODS takes a Staff record once before its employment or assignment; any update needs one of
 * them (the guide's "Staff School Association" dependency), which the engine waits for and retries
 * (edfi/relationships.ts). A profile publishes staff only if its type and settings say so
 * (publishing/profileScope.ts).
 */
import type { EdfiDocument, ListColumnSpec, MappedRecord, PublishContext } from './mapper.js';
import { sqlMapper, KEY_IDS } from './mapper.js';
import { raceList, stateCodes } from './stateCode.js';

/** The guide's "Student/Staff Unique ID" dependency, for a staff member. */
export const STAFF_UNIQUE_ID_MISSING =
  "Student/Staff Unique ID: the staff member has no TX Unique ID. Obtain it through the state's process and enter it on the staff member's page, then run 'Now – Changes' for the category.";

export const STAFF_ID_MISSING =
  "Texas Staff ID (E0505): the staff member has no SSN or TEA-approved alternative id, which TEA requires on every Staff record. Enter it on the staff member's page, then run 'Now – Errors' on Staff Demographics.";

/** The guide's list columns of the records about a staff member. */
export const STAFF_COLUMNS: readonly ListColumnSpec[] = [
  { id: 'staffName', label: 'Staff Name' },
  { id: 'staffUid', label: 'Staff UID' },
  { id: 'staffNumber', label: 'Employee Number' },
];

export function staffDisplay(s: {
  readonly firstName: string;
  readonly lastName: string;
  readonly uniqueId: string | null;
  readonly staffNumber: string;
}): Record<string, string | null> {
  return { staffName: `${s.firstName} ${s.lastName}`, staffUid: s.uniqueId, staffNumber: s.staffNumber };
}

/** The staff member's fate when they have no Unique ID (undefined when they have one). */
export function staffWithoutUniqueId(uniqueId: string | null): { dependency: string } | undefined {
  return uniqueId === null || uniqueId.trim() === '' ? { dependency: STAFF_UNIQUE_ID_MISSING } : undefined;
}

/** `sy`'s school year reaches this row's [startDate, endDate]. */
export const DURING_YEAR = (alias: string): string => `${alias}.startDate <= sy.endDate AND (${alias}.endDate IS NULL OR ${alias}.endDate >= sy.startDate)`;

/**
 * The staff member's school this year (the school context's filter): the latest assignment at a
 * school of the district that is not excluded. NULL for staff employed with no assignment.
 */
export const ASSIGNED_SCHOOL = `
  SELECT ea.schoolID AS "schoolId", ea.startDate AS "assignedFrom" FROM employmentassignment ea JOIN school s ON s.schoolID = ea.schoolID AND NOT s.exclude
   WHERE ea.personID = sf.personID AND ${DURING_YEAR('ea')}
   ORDER BY ea.startDate DESC, ea.assignmentID DESC LIMIT 1`;

/** Staff working for the district in the year `sy`: assigned to one of its schools, or employed. */
export const WORKING_THIS_YEAR = `(a."schoolId" IS NOT NULL OR EXISTS (SELECT 1 FROM employment em WHERE em.personID = sf.personID AND ${DURING_YEAR('em')}))`;

interface Row {
  personId: number;
  schoolId: number | null;
  uniqueId: string | null;
  ssn: string | null;
  staffNumber: string;
  firstName: string;
  middleName: string | null;
  lastName: string;
  birthDate: string | null;
  gender: string | null;
  hispanic: boolean;
  raceCodes: string[] | null;
  email: string | null;
  highestEducation: string | null;
  yearsExperience: number | null;
}

export const STAFFS_SQL = `
  SELECT sf.personID AS "personId", a."schoolId", sf.stateID AS "uniqueId", sf.ssn, sf.staffNumber AS "staffNumber",
         sf.firstName AS "firstName", sf.middleName AS "middleName", sf.lastName AS "lastName",
         to_char(sf.birthDate, 'YYYY-MM-DD') AS "birthDate", sf.gender, sf.hispanicEthnicity AS hispanic, sf.raceCodes AS "raceCodes",
         sf.email, sf.highestEducation AS "highestEducation", sf.yearsExperience AS "yearsExperience"
    FROM staff sf
    JOIN schoolyear sy ON sy.endYear = $1
    LEFT JOIN LATERAL (${ASSIGNED_SCHOOL}) a ON true
   WHERE ${WORKING_THIS_YEAR}
     AND ($2::int IS NULL OR a."schoolId" = $2)
     AND ($3::text[] IS NULL OR sf.personID = ANY(${KEY_IDS}))
   ORDER BY sf.personID`;

/** TEDS bounds years of experience to 0..99 (2025.2.1 on). */
const experience = (years: number | null): number | undefined => (years === null || years < 0 ? undefined : Math.min(years, 99));

export function staffRecord(row: Row, ctx: PublishContext): MappedRecord {
  const state = stateCodes(ctx, 'Staff Demographics');
  const sex = state.uri('sex', row.gender);
  const years = experience(row.yearsExperience);
  const level = ctx.descriptors.uri('levels-of-education', row.highestEducation);
  const doc: EdfiDocument = {
    staffUniqueId: row.uniqueId,
    firstName: row.firstName,
    ...(row.middleName !== null ? { middleName: row.middleName } : {}),
    lastSurname: row.lastName,
    ...(row.birthDate !== null ? { birthDate: row.birthDate } : {}),
    ...(sex !== undefined ? { sexDescriptor: sex } : {}),
    hispanicLatinoEthnicity: row.hispanic,
    races: raceList(state, row.raceCodes),
    ...(level !== undefined ? { highestCompletedLevelOfEducationDescriptor: level } : {}),
    ...(row.email !== null
      ? {
          electronicMails: [
            { electronicMailAddress: row.email.slice(0, 128), electronicMailTypeDescriptor: 'uri://ed-fi.org/ElectronicMailTypeDescriptor#Work' },
          ],
        }
      : {}),
    ...(years !== undefined ? { yearsOfPriorTeachingExperience: years } : {}),
  };
  if (ctx.teds !== undefined)
    doc._ext = { TX: { staffId: row.ssn, staffDoNotReportTSDS: false, ...(years !== undefined ? { totalYearsPriorTeachingExperience: years } : {}) } };
  const base = { sourceKey: String(row.personId), schoolId: row.schoolId, doc, display: staffDisplay(row) };
  const missing = staffWithoutUniqueId(row.uniqueId);
  if (missing !== undefined) return { ...base, ...missing };
  if (state.errors.length > 0) return { ...base, error: state.errors[0] };
  if (ctx.teds !== undefined && (row.ssn === null || !/^[0-9S]\d{8}$/.test(row.ssn.trim()))) return { ...base, error: STAFF_ID_MISSING };
  return base;
}

/** The assignment that files a staff member under a school; employment that keeps them in the year. */
const STAFF_OF = (table: string, key: string): { sql: string } => ({ sql: `SELECT personID::text AS object FROM ${table} WHERE ${key}::text = ANY($1)` });

export const staffs = sqlMapper<Row>({
  resource: 'ed-fi/staffs',
  sql: STAFFS_SQL,
  codeSets: ['sex', 'races', 'levels-of-education'],
  revision: 1,
  strayOwnership: 'none',
  listColumns: STAFF_COLUMNS,
  changes: {
    objectOfKey: 'whole',
    tables: {
      staff: 'key',
      employmentassignment: STAFF_OF('employmentassignment', 'assignmentID'),
      employment: STAFF_OF('employment', 'employmentID'),
      // A new school year or an excluded school reaches every staff member: rare, read whole.
      schoolyear: 'everything',
      school: 'everything',
    },
  },
  params: ['schoolYear', 'schoolId', 'sourceKeys'],
  record: staffRecord,
});
