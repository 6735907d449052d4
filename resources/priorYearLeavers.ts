/**
 * Prior Year Leavers (Texas): `tx/priorYearLeavers` — students enrolled last school year who did not
 * return (leavers and graduates), at their last school, with the exit code and their status on the
 * last Friday in October; `tx/priorYearLeaverParents` — their contacts; and
 * `tx/priorYearLeaverStudentParentAssociations` between them. They are the district's without an
 * enrollment (TX-rooted, keyed by the school and the student's Unique ID as a plain value), so none
 * waits for a relationship. TEDS 2024.2.1 carries the address, phone and e-mail as arrays, later
 * versions a leaver parent's as single objects.
 */
import type { EdfiDocument, Json, MappedRecord, PublishContext } from './mapper.js';
import { sqlMapper, KEY_IDS } from './mapper.js';
import { edfiSchoolId, type SchoolNumbers } from './schoolId.js';
import { raceList, stateCodes } from './stateCode.js';
import { contactDetails, type ContactColumns } from './contactDetails.js';
import { contactUniqueId } from './parents.js';
import { STUDENT_COLUMNS, studentDisplay, withoutUniqueId, type StudentIdentityColumns } from './students.js';

const CATEGORY = 'Prior Year Leavers';

interface LeaverRow extends SchoolNumbers, ContactColumns, StudentIdentityColumns {
  leaverId: number;
  schoolId: number;
  hispanic: boolean;
  races: string[] | null;
  grade: string;
  exitDate: string;
  exitCode: string;
  octoberStatus: string;
}

export const LEAVERS_SQL = `
  SELECT l.leaverID AS "leaverId", l.schoolID AS "schoolId", st.stateID AS "uniqueId", st.ssn, st.studentNumber AS "studentNumber",
         st.firstName AS "firstName", st.middleName AS "middleName", st.lastName AS "lastName", to_char(st.birthDate, 'YYYY-MM-DD') AS "birthDate",
         st.gender, st.hispanicEthnicity AS hispanic, st.raceCodes AS races, l.grade, to_char(l.exitDate, 'YYYY-MM-DD') AS "exitDate",
         l.exitCode AS "exitCode", coalesce(lf.stateCode, l.lastFridayOctoberStatus) AS "octoberStatus",
         st.address, st.city, st.state, st.zip, st.phone, st.email,
         s.edFiSchoolNumber AS "edFiSchoolNumber", s.stateSchoolNumber AS "stateSchoolNumber"
    FROM prioryearleaver l
    JOIN student st ON st.personID = l.personID
    JOIN school s ON s.schoolID = l.schoolID AND NOT s.exclude
    LEFT JOIN localcode lf ON lf.category = 'lastFridayOctoberStatus' AND lf.schoolID IS NULL AND lf.code = l.lastFridayOctoberStatus
   WHERE l.endYear = $1 - 1
     AND ($2::int IS NULL OR l.schoolID = $2)
     AND ($3::text[] IS NULL OR l.leaverID = ANY(${KEY_IDS}))
   ORDER BY l.leaverID`;

/** TEDS 2024.2.1 names a leaver parent's address, phone and e-mail as arrays; later versions as one object each. */
const arraysOnly = (ctx: PublishContext): boolean => ctx.teds === '2024.2.1';

export function leaverRecord(row: LeaverRow, ctx: PublishContext): MappedRecord {
  const school = edfiSchoolId(row);
  const state = stateCodes(ctx, CATEGORY);
  const exit = state.uri('exit-withdraw-codes', row.exitCode);
  const races = raceList(state, row.races);
  const sex = ctx.descriptors.uri('sex', row.gender);
  const grade = ctx.descriptors.uri('grade-levels', row.grade, row.schoolId);
  const details = contactDetails(row);
  const doc: EdfiDocument = {
    schoolReference: { schoolId: 'id' in school ? school.id : null },
    studentUId: row.uniqueId,
    studentId: row.ssn,
    ...(row.studentNumber.length <= 9 ? { localStudentId: row.studentNumber } : {}),
    firstName: row.firstName,
    ...(row.middleName !== null ? { middleName: row.middleName } : {}),
    lastSurname: row.lastName,
    birthDate: row.birthDate,
    ...(sex !== undefined ? { sexDescriptor: sex } : {}),
    hispanicLatinoEthnicity: row.hispanic,
    ...(grade !== undefined ? { gradeLevelDescriptor: grade } : {}),
    exitWithdrawTypeDescriptor: exit ?? null,
    exitWithdrawDate: row.exitDate,
    asOfStatusLastFridayOctoberDescriptor: `uri://tea.texas.gov/AsOfStatusLastFridayOctoberDescriptor#${row.octoberStatus}`,
    ...(races.length > 0 ? { races } : {}),
    ...(details.addresses !== undefined ? (arraysOnly(ctx) ? { addresses: details.addresses } : { address: (details.addresses as Json[])[0] }) : {}),
    ...(details.telephones !== undefined ? { telephones: details.telephones } : {}),
    ...(details.electronicMails !== undefined ? { electronicMails: details.electronicMails } : {}),
  };
  const base = { sourceKey: String(row.leaverId), schoolId: row.schoolId, doc, display: studentDisplay(row) };
  if ('error' in school) return { ...base, error: school.error };
  const missing = withoutUniqueId(row.uniqueId, ctx);
  if (missing !== undefined) return { ...base, ...missing };
  if (state.errors.length > 0) return { ...base, error: state.errors[0] };
  return base;
}

export const priorYearLeavers = sqlMapper<LeaverRow>({
  resource: 'tx/priorYearLeavers',
  sql: LEAVERS_SQL,
  codeSets: ['exit-withdraw-codes', 'races', 'sex', 'grade-levels'],
  settings: ['ExcludeStudentsWithoutUniqueIDs'],
  revision: 1,
  strayOwnership: 'none',
  listColumns: STUDENT_COLUMNS,
  changes: {
    objectOfKey: 'whole',
    tables: {
      prioryearleaver: 'key',
      student: { sql: 'SELECT leaverID::text AS object FROM prioryearleaver WHERE personID::text = ANY($1)' },
      school: 'everything',
      localcode: 'everything',
    },
  },
  params: ['schoolYear', 'schoolId', 'sourceKeys'],
  record: leaverRecord,
});

interface LeaverParentRow extends ContactColumns {
  personId: number;
  schoolId: number;
  firstName: string;
  middleName: string | null;
  lastName: string;
}

export const LEAVER_PARENTS_SQL = `
  SELECT DISTINCT ON (ct.personID) ct.personID AS "personId", l.schoolID AS "schoolId", ct.firstName AS "firstName", ct.middleName AS "middleName",
         ct.lastName AS "lastName", ct.address, ct.city, ct.state, ct.zip, ct.phone, ct.email
    FROM prioryearleaver l
    JOIN school s ON s.schoolID = l.schoolID AND NOT s.exclude
    JOIN relatedpair rp ON rp.personID1 = l.personID
    JOIN contact ct ON ct.personID = rp.personID2
   WHERE l.endYear = $1 - 1
     AND ($2::int IS NULL OR l.schoolID = $2)
     AND ($3::text[] IS NULL OR ct.personID = ANY(${KEY_IDS}))
   ORDER BY ct.personID, l.schoolID`;

export function leaverParentRecord(row: LeaverParentRow, ctx: PublishContext): MappedRecord {
  const details = contactDetails(row, 'Mobile');
  const one = (name: string, many: Json | undefined): EdfiDocument =>
    many === undefined ? {} : arraysOnly(ctx) ? { [`${name}s`]: many } : { [name]: (many as Json[])[0] };
  const doc: EdfiDocument = {
    parentUId: contactUniqueId(row.personId),
    firstName: row.firstName,
    ...(row.middleName !== null ? { middleName: row.middleName } : {}),
    lastSurname: row.lastName,
    ...one('address', details.addresses),
    ...one('telephone', details.telephones),
    ...one('electronicMail', details.electronicMails),
  };
  return {
    sourceKey: String(row.personId),
    schoolId: row.schoolId,
    doc,
    display: { contactName: `${row.firstName} ${row.lastName}`, contactId: contactUniqueId(row.personId) },
  };
}

export const priorYearLeaverParents = sqlMapper<LeaverParentRow>({
  resource: 'tx/priorYearLeaverParents',
  sql: LEAVER_PARENTS_SQL,
  codeSets: [],
  revision: 1,
  listColumns: [
    { id: 'contactName', label: 'Contact Name' },
    { id: 'contactId', label: 'Contact ID' },
  ],
  strayOwnership: 'none',
  changes: {
    objectOfKey: 'whole',
    tables: {
      contact: 'key',
      relatedpair: { sql: 'SELECT personID2::text AS object FROM relatedpair WHERE relatedPairID::text = ANY($1)' },
      prioryearleaver: {
        sql: 'SELECT rp.personID2::text AS object FROM prioryearleaver l JOIN relatedpair rp ON rp.personID1 = l.personID WHERE l.leaverID::text = ANY($1)',
      },
      school: 'everything',
    },
  },
  params: ['schoolYear', 'schoolId', 'sourceKeys'],
  record: leaverParentRecord,
});

interface LeaverRelationshipRow extends SchoolNumbers {
  relatedPairId: number;
  schoolId: number;
  uniqueId: string | null;
  contactId: number;
  relation: string;
  priority: number | null;
}

export const LEAVER_RELATIONSHIPS_SQL = `
  SELECT rp.relatedPairID AS "relatedPairId", l.schoolID AS "schoolId", st.stateID AS "uniqueId", rp.personID2 AS "contactId",
         rp.name AS relation, rp.emergencyPriority AS priority, s.edFiSchoolNumber AS "edFiSchoolNumber", s.stateSchoolNumber AS "stateSchoolNumber"
    FROM prioryearleaver l
    JOIN student st ON st.personID = l.personID
    JOIN school s ON s.schoolID = l.schoolID AND NOT s.exclude
    JOIN relatedpair rp ON rp.personID1 = l.personID
   WHERE l.endYear = $1 - 1
     AND ($2::int IS NULL OR l.schoolID = $2)
     AND ($3::text[] IS NULL OR rp.relatedPairID = ANY(${KEY_IDS}))
   ORDER BY rp.relatedPairID`;

export function leaverRelationshipRecord(row: LeaverRelationshipRow, ctx: PublishContext): MappedRecord {
  const school = edfiSchoolId(row);
  const relation = ctx.descriptors.uri('relations', row.relation);
  const doc: EdfiDocument = {
    priorYearLeaverReference: { schoolId: 'id' in school ? school.id : null, studentUId: row.uniqueId },
    priorYearLeaverParentReference: { parentUId: contactUniqueId(row.contactId) },
    ...(relation !== undefined ? { relationDescriptor: relation } : {}),
    ...(row.priority !== null ? { contactPriority: Math.min(99, row.priority) } : {}),
  };
  const base = { sourceKey: String(row.relatedPairId), schoolId: row.schoolId, doc };
  if ('error' in school) return { ...base, error: school.error };
  const missing = withoutUniqueId(row.uniqueId, ctx);
  if (missing !== undefined) return { ...base, ...missing };
  return base;
}

export const priorYearLeaverStudentParentAssociations = sqlMapper<LeaverRelationshipRow>({
  resource: 'tx/priorYearLeaverStudentParentAssociations',
  sql: LEAVER_RELATIONSHIPS_SQL,
  codeSets: ['relations'],
  settings: ['ExcludeStudentsWithoutUniqueIDs'],
  revision: 1,
  changes: {
    objectOfKey: 'whole',
    tables: {
      relatedpair: 'key',
      prioryearleaver: {
        sql: 'SELECT rp.relatedPairID::text AS object FROM prioryearleaver l JOIN relatedpair rp ON rp.personID1 = l.personID WHERE l.leaverID::text = ANY($1)',
      },
      student: { sql: 'SELECT relatedPairID::text AS object FROM relatedpair WHERE personID1::text = ANY($1)' },
      school: 'everything',
    },
  },
  params: ['schoolYear', 'schoolId', 'sourceKeys'],
  record: leaverRelationshipRecord,
});
