/**
 * Contacts (the dashboard's Contacts category): `parents` with `studentParentAssociations` in Data
 * Standard 4.0, `contacts` with `studentContactAssociations` in 5.x — the same records under the
 * standard's names. A contact is sent when related to a student enrolled this school year (in the
 * district, or the school of the context); their unique id is the SIS person id, which the district
 * assigns and never reuses.
 *
 * The ODS takes a contact's first version without a relationship; updating one needs the
 * student–contact association, which itself needs the student's School Enrollment: each waits on
 * its person and is retried as soon as what claims them publishes.
 */
import type { DataStandard } from '../edfi/model/types.js';
import type { EdfiDocument, MappedRecord, PublishContext, ResourceMapper } from './mapper.js';
import { sqlMapper, KEY_IDS } from './mapper.js';
import { contactDetails, type ContactColumns } from './contactDetails.js';
import { ENROLLED_THIS_YEAR, withoutUniqueId } from './students.js';
import type { ChangeSources } from '../publishing/changeSet.js';

/** The unique-id field of a contact, and of a reference to one, in the profile's Data Standard. */
const contactId = (ds: DataStandard): { field: string; reference: string } =>
  ds === '5.x' ? { field: 'contactUniqueId', reference: 'contactReference' } : { field: 'parentUniqueId', reference: 'parentReference' };

/** A contact's unique id: the SIS person id (students, contacts and staff share one numbering). */
export const contactUniqueId = (personId: number): string => String(personId);

interface ContactRow extends ContactColumns {
  personId: number;
  schoolId: number;
  firstName: string;
  middleName: string | null;
  lastName: string;
  gender: string | null;
}

export const CONTACTS_SQL = `
  SELECT DISTINCT ON (ct.personID) ct.personID AS "personId", e."schoolId", ct.firstName AS "firstName", ct.middleName AS "middleName",
         ct.lastName AS "lastName", ct.gender, ct.address, ct.city, ct.state, ct.zip, ct.phone, ct.email
    FROM contact ct
    JOIN relatedpair rp ON rp.personID2 = ct.personID
    JOIN student st ON st.personID = rp.personID1
    JOIN LATERAL (${ENROLLED_THIS_YEAR}) e ON true
   WHERE ($3::text[] IS NULL OR ct.personID = ANY(${KEY_IDS}))
     AND (NOT $4::boolean OR st.stateID IS NOT NULL)
   ORDER BY ct.personID, e."schoolId"`;

export function contactRecord(row: ContactRow, ctx: PublishContext): MappedRecord {
  const sex = ctx.descriptors.uri('sex', row.gender);
  const doc: EdfiDocument = {
    [contactId(ctx.dataStandard).field]: contactUniqueId(row.personId),
    firstName: row.firstName,
    ...(row.middleName !== null ? { middleName: row.middleName } : {}),
    lastSurname: row.lastName,
    ...(sex !== undefined ? { sexDescriptor: sex } : {}),
    ...contactDetails(row, 'Mobile'),
  };
  return {
    sourceKey: String(row.personId),
    schoolId: row.schoolId,
    doc,
    display: { contactName: `${row.firstName} ${row.lastName}`, contactId: contactUniqueId(row.personId) },
  };
}

/** How the SIS leads to a contact: the contact, their relationships, their students' enrollments. */
const CONTACT_CHANGES: ChangeSources = {
  objectOfKey: 'whole',
  tables: {
    contact: 'key',
    relatedpair: { sql: 'SELECT personID2::text AS object FROM relatedpair WHERE relatedPairID::text = ANY($1)' },
    student: { sql: 'SELECT personID2::text AS object FROM relatedpair WHERE personID1::text = ANY($1)' },
    enrollment: {
      sql: 'SELECT rp.personID2::text AS object FROM enrollment en JOIN relatedpair rp ON rp.personID1 = en.personID WHERE en.enrollmentID::text = ANY($1)',
    },
    calendar: 'everything',
    school: 'everything',
  },
};

const contactsOf = (resource: string): ResourceMapper =>
  sqlMapper<ContactRow>({
    resource,
    sql: CONTACTS_SQL,
    codeSets: ['sex'],
    settings: ['ExcludeStudentsWithoutUniqueIDs'],
    revision: 1,
    strayOwnership: 'none',
    listColumns: [
      { id: 'contactName', label: 'Contact Name' },
      { id: 'contactId', label: 'Contact ID' },
    ],
    changes: CONTACT_CHANGES,
    params: ['schoolYear', 'schoolId', 'sourceKeys', (ctx) => ctx.setting('ExcludeStudentsWithoutUniqueIDs')],
    record: contactRecord,
  });

export const parents = contactsOf('ed-fi/parents');
export const contacts = contactsOf('ed-fi/contacts');

interface RelationshipRow {
  relatedPairId: number;
  schoolId: number;
  uniqueId: string | null;
  studentName: string;
  contactName: string;
  contactId: number;
  relation: string;
  guardian: boolean;
  livesWith: boolean;
  priority: number | null;
}

export const RELATIONSHIPS_SQL = `
  SELECT rp.relatedPairID AS "relatedPairId", e."schoolId", st.stateID AS "uniqueId", st.firstName || ' ' || st.lastName AS "studentName",
         (SELECT ct.firstName || ' ' || ct.lastName FROM contact ct WHERE ct.personID = rp.personID2) AS "contactName", rp.personID2 AS "contactId", rp.name AS relation,
         rp.guardian, rp.livesWith AS "livesWith", rp.emergencyPriority AS priority
    FROM relatedpair rp
    JOIN student st ON st.personID = rp.personID1
    JOIN LATERAL (${ENROLLED_THIS_YEAR}) e ON true
   WHERE ($3::text[] IS NULL OR rp.relatedPairID = ANY(${KEY_IDS}))
   ORDER BY rp.relatedPairID`;

export function relationshipRecord(row: RelationshipRow, ctx: PublishContext): MappedRecord {
  const id = contactId(ctx.dataStandard);
  const relation = ctx.descriptors.uri('relations', row.relation);
  const doc: EdfiDocument = {
    studentReference: { studentUniqueId: row.uniqueId },
    [id.reference]: { [id.field]: contactUniqueId(row.contactId) },
    ...(relation !== undefined ? { relationDescriptor: relation } : {}),
    legalGuardian: row.guardian,
    livesWith: row.livesWith,
    emergencyContactStatus: row.priority !== null,
    primaryContactStatus: row.priority === 1,
    ...(row.priority !== null ? { contactPriority: row.priority } : {}),
  };
  const display = { studentName: row.studentName, studentUid: row.uniqueId, contactName: row.contactName, relation: row.relation };
  const base = { sourceKey: String(row.relatedPairId), schoolId: row.schoolId, doc, display };
  const missing = withoutUniqueId(row.uniqueId, ctx);
  return missing !== undefined ? { ...base, ...missing } : base;
}

const RELATIONSHIP_CHANGES: ChangeSources = {
  objectOfKey: 'whole',
  tables: {
    relatedpair: 'key',
    // The contact's name shows in the list.
    contact: { sql: 'SELECT relatedPairID::text AS object FROM relatedpair WHERE personID2::text = ANY($1)' },
    student: { sql: 'SELECT relatedPairID::text AS object FROM relatedpair WHERE personID1::text = ANY($1)' },
    enrollment: {
      sql: 'SELECT rp.relatedPairID::text AS object FROM enrollment en JOIN relatedpair rp ON rp.personID1 = en.personID WHERE en.enrollmentID::text = ANY($1)',
    },
    calendar: 'everything',
    school: 'everything',
  },
};

const relationshipsOf = (resource: string): ResourceMapper =>
  sqlMapper<RelationshipRow>({
    resource,
    sql: RELATIONSHIPS_SQL,
    codeSets: ['relations'],
    settings: ['ExcludeStudentsWithoutUniqueIDs'],
    revision: 1,
    listColumns: [
      { id: 'studentName', label: 'Student Name' },
      { id: 'studentUid', label: 'Student UID' },
      { id: 'contactName', label: 'Contact Name' },
      { id: 'relation', label: 'Relation' },
    ],
    changes: RELATIONSHIP_CHANGES,
    params: ['schoolYear', 'schoolId', 'sourceKeys'],
    record: relationshipRecord,
  });

export const studentParentAssociations = relationshipsOf('ed-fi/studentParentAssociations');
export const studentContactAssociations = relationshipsOf('ed-fi/studentContactAssociations');
