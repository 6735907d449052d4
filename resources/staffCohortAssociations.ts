/**
 * `staffCohortAssociations` (Cohort Groups): a staff member sponsoring a group in the school year.
 * Published only for groups mapped to a Cohort Type; it depends on the cohort and the Staff record
 * (sent by this profile or by the district's HR profile on the same ODS).
 */
import type { MappedRecord, PublishContext } from './mapper.js';
import { sqlMapper } from './mapper.js';
import { COHORT_LIST_COLUMNS, cohortMember, cohortMemberChanges, cohortMembersSql, type CohortMemberRow } from './cohorts.js';
import { STAFF_COLUMNS, staffDisplay, staffWithoutUniqueId } from './staffs.js';

interface Row extends CohortMemberRow {
  staffNumber: string;
}

export const STAFF_COHORTS_SQL = cohortMembersSql('cohortstaff', 'cohortStaffID', { table: 'staff', columns: 'p.staffNumber AS "staffNumber"' });

export function staffCohortRecord(row: Row, ctx: PublishContext): MappedRecord {
  return cohortMember(row, ctx.descriptors.mapped('cohort-types', row.cohortType), {
    reference: { staffReference: { staffUniqueId: row.uniqueId } },
    display: staffDisplay(row),
    fate: staffWithoutUniqueId(row.uniqueId),
  });
}

export const staffCohortAssociations = sqlMapper<Row>({
  resource: 'ed-fi/staffCohortAssociations',
  sql: STAFF_COHORTS_SQL,
  codeSets: ['cohort-types'],
  revision: 1,
  listColumns: [...STAFF_COLUMNS, ...COHORT_LIST_COLUMNS, { id: 'beginDate', label: 'Begin Date' }],
  changes: cohortMemberChanges('cohortstaff', 'cohortStaffID', 'staff'),
  params: ['schoolYear', 'schoolId', 'sourceKeys'],
  record: staffCohortRecord,
});
