/**
 * `disciplineActions` (Student Discipline): what was done about an offender's behavior — the
 * action as TEA's code (Disciplines), the assigned and actual lengths with why they differ
 * (Discipline Action Length Difference Reasons: TEA's 00 when they do not), the school responsible
 * (the incident's) and where it is served, and the student's behavior it answers. Texas adds the
 * official and actual lengths in whole days (E1007, E1008). Depends on the behavior, the Student ID
 * and the School Enrollment.
 */
import type { MappedRecord, PublishContext } from './mapper.js';
import { sqlMapper, KEY_IDS } from './mapper.js';
import { DISCIPLINE_CATEGORY } from './disciplineIncidents.js';
import { edfiSchoolId } from './schoolId.js';
import { stateCode, stateCodes } from './stateCode.js';
import {
  BEHAVIOR_ROLE_COLUMNS,
  BEHAVIOR_ROLE_JOINS,
  behaviorReference,
  behaviorRoleChanges,
  DISCIPLINE_STUDENT_COLUMNS,
  type BehaviorRoleRow,
} from './studentDisciplineIncidentBehaviorAssociations.js';
import { studentDisplay, withoutUniqueId } from './students.js';

interface Row extends BehaviorRoleRow {
  actionId: number;
  action: string;
  disciplineDate: string;
  lengthDays: number | null;
  actualLengthDays: number | null;
  lengthDifference: string | null;
  assignmentEdFiSchoolNumber: number | null;
  assignmentStateSchoolNumber: string | null;
}

export const ACTIONS_SQL = `
  SELECT a.resolutionID AS "actionId", a.code AS action, to_char(a.startDate, 'YYYY-MM-DD') AS "disciplineDate",
         a.lengthDays::float8 AS "lengthDays", a.actualLengthDays::float8 AS "actualLengthDays", a.lengthDifferenceReason AS "lengthDifference",
         asg.edFiSchoolNumber AS "assignmentEdFiSchoolNumber", asg.stateSchoolNumber AS "assignmentStateSchoolNumber", ${BEHAVIOR_ROLE_COLUMNS}
    FROM behaviorresolution a
    JOIN behaviorrole r ON r.roleID = a.roleID ${BEHAVIOR_ROLE_JOINS}
    LEFT JOIN school asg ON asg.schoolID = a.assignmentSchoolID AND NOT asg.exclude
   WHERE ($2::int IS NULL OR i.schoolID = $2)
     AND ($3::text[] IS NULL OR a.resolutionID = ANY(${KEY_IDS}))
   ORDER BY a.resolutionID`;

/** A length in days as Texas reports it: whole days within TEA's range. */
const wholeDays = (days: number | null, max: number): number | undefined => (days === null ? undefined : Math.min(max, Math.max(0, Math.round(days))));

export function disciplineActionRecord(row: Row, ctx: PublishContext): MappedRecord {
  const behavior = behaviorReference(row, stateCode(ctx, 'behavior-categories', row.behavior, DISCIPLINE_CATEGORY));
  const state = stateCodes(ctx, DISCIPLINE_CATEGORY);
  const discipline = state.uri('disciplines', row.action);
  const difference = state.uri('discipline-action-length-difference-reasons', row.lengthDifference);
  const assignment =
    row.assignmentEdFiSchoolNumber === null && row.assignmentStateSchoolNumber === null
      ? undefined
      : edfiSchoolId({ edFiSchoolNumber: row.assignmentEdFiSchoolNumber, stateSchoolNumber: row.assignmentStateSchoolNumber });
  const official = wholeDays(row.lengthDays, 999);
  const actual = wholeDays(row.actualLengthDays, 260);
  const doc = {
    disciplineActionIdentifier: String(row.actionId),
    disciplineDate: row.disciplineDate,
    studentReference: { studentUniqueId: row.uniqueId },
    responsibilitySchoolReference: { schoolId: behavior.reference.schoolId },
    ...(assignment !== undefined && 'id' in assignment ? { assignmentSchoolReference: { schoolId: assignment.id } } : {}),
    disciplines: discipline !== undefined ? [{ disciplineDescriptor: discipline }] : [],
    ...(row.lengthDays !== null ? { disciplineActionLength: row.lengthDays } : {}),
    ...(row.actualLengthDays !== null ? { actualDisciplineActionLength: row.actualLengthDays } : {}),
    ...(difference !== undefined ? { disciplineActionLengthDifferenceReasonDescriptor: difference } : {}),
    studentDisciplineIncidentBehaviorAssociations: [{ studentDisciplineIncidentBehaviorAssociationReference: behavior.reference }],
    ...(ctx.teds !== undefined
      ? {
          _ext: {
            TX: {
              ...(official !== undefined ? { officialLengthOfDisciplinaryAssignment: official } : {}),
              ...(actual !== undefined ? { actualLengthOfDisciplinaryAssignment: actual } : {}),
            },
          },
        }
      : {}),
  };
  const display = {
    ...studentDisplay({ ...row, grade: null }),
    incidentId: String(row.incidentId),
    incidentDate: row.incidentDate,
    action: row.action,
    disciplineDate: row.disciplineDate,
  };
  const base = { sourceKey: String(row.actionId), schoolId: row.schoolId, doc, display };
  const error = behavior.error ?? state.errors[0] ?? (discipline === undefined ? DISCIPLINE_MISSING : undefined);
  if (error !== undefined) return { ...base, error };
  return { ...base, ...withoutUniqueId(row.uniqueId, ctx) };
}

export const DISCIPLINE_MISSING = `Discipline Action: the action has no discipline code, and Ed-Fi needs at least one. Enter the action's code in the SIS, then run 'Now – Changes' on ${DISCIPLINE_CATEGORY}.`;

export const disciplineActions = sqlMapper<Row>({
  resource: 'ed-fi/disciplineActions',
  sql: ACTIONS_SQL,
  codeSets: ['behavior-categories', 'disciplines', 'discipline-action-length-difference-reasons'],
  settings: ['ExcludeStudentsWithoutUniqueIDs'],
  revision: 1,
  listColumns: [...DISCIPLINE_STUDENT_COLUMNS, { id: 'action', label: 'Action' }, { id: 'disciplineDate', label: 'Discipline Date' }],
  changes: behaviorRoleChanges('behaviorresolution', 'resolutionID', 'JOIN behaviorrole r ON r.roleID = t.roleID'),
  params: ['schoolYear', 'schoolId', 'sourceKeys'],
  record: disciplineActionRecord,
});
