/**
 * `staffSectionAssociations` (Staff Section): a teacher of a section, once per term the section meets
 * in (as `studentSectionAssociations`), with the classroom position (Classroom Positions mapping).
 * Published from the SIS profile: a teacher not yet published by the HR profile (Staff and Staff
 * Employment) waits as the guide's "Staff School Association" dependency and is retried when that
 * staff member's employment or assignment publishes — from any profile on the same ODS.
 */
import type { EdfiDocument, MappedRecord, PublishContext } from './mapper.js';
import { sqlMapper } from './mapper.js';
import { MISSING_SECTION_MEETING } from './schedules.js';
import { memberOfSection, sectionDisplay, sectionMemberChanges, sectionMembersSql, type SectionMemberRow } from './sectionTerms.js';
import { STAFF_COLUMNS, staffDisplay, staffWithoutUniqueId } from './staffs.js';

interface Row extends SectionMemberRow {
  uniqueId: string | null;
  firstName: string;
  lastName: string;
  staffNumber: string;
  role: string;
}

export const STAFF_SECTIONS_SQL = sectionMembersSql({
  table: 'sectionstaff',
  key: 'sectionStaffID',
  person: 'JOIN staff sf ON sf.personID = m.personID',
  personColumns: 'sf.stateID AS "uniqueId", sf.firstName AS "firstName", sf.lastName AS "lastName", sf.staffNumber AS "staffNumber", m.role',
});

export function staffSectionRecord(row: Row, ctx: PublishContext): MappedRecord {
  const { fields, schoolError } = memberOfSection(row);
  const doc: EdfiDocument = {
    staffReference: { staffUniqueId: row.uniqueId },
    classroomPositionDescriptor: ctx.descriptors.uri('classroom-positions', row.role) ?? null,
    ...fields,
  };
  const base = { sourceKey: row.sourceKey, schoolId: row.schoolId, doc, display: { ...staffDisplay(row), ...sectionDisplay(row) } };
  if (schoolError !== undefined) return { ...base, error: schoolError };
  const missing = staffWithoutUniqueId(row.uniqueId);
  if (missing !== undefined) return { ...base, ...missing };
  if (row.termState === null) return { ...base, dependency: MISSING_SECTION_MEETING };
  return base;
}

const TEACHER_CHANGES = sectionMemberChanges('sectionstaff', 'sectionStaffID');

export const staffSectionAssociations = sqlMapper<Row>({
  resource: 'ed-fi/staffSectionAssociations',
  sql: STAFF_SECTIONS_SQL,
  codeSets: ['classroom-positions'],
  revision: 1,
  listColumns: [...STAFF_COLUMNS, { id: 'section', label: 'Section' }, { id: 'beginDate', label: 'Begin Date' }],
  changes: {
    ...TEACHER_CHANGES,
    tables: { ...TEACHER_CHANGES.tables, staff: { sql: 'SELECT sectionStaffID::text AS object FROM sectionstaff WHERE personID::text = ANY($1)' } },
  },
  params: ['schoolYear', 'schoolId', 'sourceKeys'],
  record: staffSectionRecord,
});
